import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { basketLines } from '../../firmware/basket/lines.js';
import { reconcile } from '../../firmware/basket/reconciler.js';
import { defaultReconcilerConfig } from '../../firmware/basket/types.js';
import { createLogger, memorySink, silentLogger } from '../../firmware/log.js';
import { BasketStore } from '../../firmware/storage/basket-store.js';
import { openDatabase } from '../../firmware/storage/database.js';
import { inputAt, testCatalog } from './inputs.js';

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

t.test('killed at random moments, the cart keeps every change it reported and a consistent basket', async (t) => {
  const path = tempDb();
  const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
  const rounds = 12;
  let reported = 0;
  for (let round = 0; round < rounds; round++) {
    const committed = await new Promise<number[]>((resolve) => {
      const proc = spawn(process.execPath, ['--import', 'tsx', child, path], { stdio: ['ignore', 'pipe', 'inherit'] });
      const seqs: number[] = [];
      let buffered = '';
      // Kill after a varying number of commits, mid-stream.
      const killAfter = 5 + ((round * 7919) % 40);
      proc.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const l of lines) seqs.push(Number(l.split(' ')[1]));
        if (seqs.length >= killAfter) proc.kill('SIGKILL');
      });
      proc.on('exit', () => resolve(seqs));
    });
    const { db } = openDatabase(path, silentLogger);
    t.equal(db.pragma('quick_check', { simple: true }), 'ok', `round ${round}: database consistent`);
    const last = (db.prepare('SELECT max(seq) AS s FROM event_log').get() as { s: number }).s;
    t.ok(committed.every((s) => s <= last), `round ${round}: every reported commit is there`);
    const store = new BasketStore(db);
    const rebuilt = store.rebuild(testCatalog, defaultReconcilerConfig);
    t.same(rebuilt, store.state, `round ${round}: saved basket equals the rebuilt log`);
    t.same(basketLines(rebuilt), store.lines());
    reported += committed.length;
    db.close();
  }
  t.ok(reported > rounds * 5, 'the child committed between kills');
});
