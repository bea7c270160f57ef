import t from 'tap';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { catalogOf } from '../../firmware/basket/catalog.js';
import { basketLines } from '../../firmware/basket/lines.js';
import { reconcile } from '../../firmware/basket/reconciler.js';
import { defaultReconcilerConfig } from '../../firmware/basket/types.js';
import { createLogger, memorySink, silentLogger } from '../../firmware/log.js';
import { BasketStore, CatalogStore } from '../../firmware/storage/basket-store.js';
import { openDatabase } from '../../firmware/storage/database.js';
import { inputAt, testCatalog, testProducts } from './inputs.js';
import { bundleCrashChild, killAfterFor, killRound, killRoundsDb, roundsPerDatabase } from './kill-rounds.js';

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'cart-store-')), 'cart.db');

function applyInputs(store: BasketStore, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const input = inputAt(i);
    store.commit(input, reconcile(store.state, input, testCatalog, defaultReconcilerConfig));
  }
}

t.test('the database runs in WAL mode with synchronous=FULL', async (t) => {
  const { db } = openDatabase(tempDb(), silentLogger);
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  t.equal(db.pragma('synchronous', { simple: true }), 2, 'FULL');
  db.close();
});

t.test('rebuilding the basket from the log gives exactly the stored basket, across restarts', async (t) => {
  const path = tempDb();
  let { db } = openDatabase(path, silentLogger);
  applyInputs(new BasketStore(db), 0, 40);
  db.close();
  ({ db } = openDatabase(path, silentLogger));
  const store = new BasketStore(db);
  t.equal(store.boot, 2, 'the boot counter goes up');
  applyInputs(store, 40, 90);
  const rebuilt = store.rebuild(testCatalog, defaultReconcilerConfig);
  t.same(rebuilt, store.state);
  t.same(basketLines(rebuilt), store.lines());
  t.ok(store.lines().length > 0, 'the trip left something in the basket');
  db.close();
});

t.test('the least a product may weigh reads the same from SQLite as from memory, and anew once the catalog changes', async (t) => {
  const { db } = openDatabase(tempDb(), silentLogger);
  const catalog = new CatalogStore(db);
  t.equal(catalog.leastGrams(4, 2.5), null, 'an empty catalog');
  const mushrooms = { gtin: '02000000000024', name: 'Mushrooms loose', grams: 300, gramsSd: 110, priceCents: 0, byWeight: true };
  const gum = { gtin: '00000090954580', name: 'Chewing gum', grams: 40, gramsSd: 1.5, priceCents: 99, byWeight: false };
  const products = [...testProducts, mushrooms, gum];
  catalog.replace(products, 1);
  t.equal(catalog.leastGrams(4, 2), 34, 'the gum: 40 g less 4 x 1.5 g');
  t.equal(catalog.leastGrams(4, 2.5), 25, 'with other sigmas, loose mushrooms: 300 g less 2.5 x 110 g');
  t.equal(catalog.leastGrams(4, 2.5), catalogOf(products).leastGrams(4, 2.5));
  catalog.applyDelta([], [mushrooms.gtin], 2);
  t.equal(catalog.leastGrams(4, 2.5), 34, 'the mushrooms gone, the gum again');
  catalog.replace([], 3);
  t.equal(catalog.leastGrams(4, 2), null, 'emptied');
  db.close();
});

t.test('each basket change and alert is queued for the store in order, and leaves on acknowledgement', async (t) => {
  const { db } = openDatabase(tempDb(), silentLogger);
  const store = new BasketStore(db);
  applyInputs(store, 0, 30);
  const queued = store.pendingMessages(1000);
  t.ok(queued.length > 0);
  t.same(queued.map((m) => m.seq), [...queued.map((m) => m.seq)].sort((a, b) => a - b));
  const kinds = new Set(queued.map((m) => (JSON.parse(m.payload) as { kind: string }).kind));
  t.ok(kinds.has('add') && kinds.has('alert'), 'adds and alerts go to the store');
  t.notOk(kinds.has('scan-open'), 'internal decisions stay on the cart');
  store.acknowledge(queued[0]!.seq);
  t.equal(store.outboxDepth(), queued.length - 1);
  db.close();
});

t.test('a damaged database is moved aside, reported, and the cart starts clean', async (t) => {
  const path = tempDb();
  writeFileSync(path, Buffer.alloc(8192, 0x5a));
  const sink = memorySink();
  const { db, setAside } = openDatabase(path, createLogger(sink, 'storage'), () => '2026-11-25T10:00:00.000Z');
  t.ok(setAside, 'moved aside');
  t.ok(readdirSync(join(path, '..')).some((f) => f.startsWith('cart.db.damaged-2026-11-25T10-00-00-000Z')));
  t.equal(new BasketStore(db).lines().length, 0);
  t.match(sink.lines.join('\n'), /ERROR storage database unreadable, moved aside/);
  db.close();
});

t.test('killed 100 times at varying moments, the cart keeps every change it reported and a consistent basket', async (t) => {
  const child = bundleCrashChild();
  t.teardown(() => rmSync(child, { force: true }));
  const rounds = 100;
  let reported = 0;
  const failed: string[] = [];
  let path = '';
  for (let round = 0; round < rounds; round++) {
    if (round % roundsPerDatabase === 0) {
      path = killRoundsDb();
      const dir = dirname(path);
      t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    }
    const r = await killRound(child, path, killAfterFor(round));
    if (r.problems.length > 0) failed.push(`round ${round}: ${r.problems.join('; ')}`);
    reported += r.reported.length;
  }
  t.same(failed, [], 'every round: database consistent, every reported commit there, basket equal to the log folded');
  t.ok(reported >= rounds * 5, `the child reported ${reported} commits between kills`);
});
