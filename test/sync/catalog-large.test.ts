// Catalogs too large for one transaction: checked in the catalog worker,
// built beside the old catalog by the worker on its own connection, swapped
// in at once by the main thread. Real SQLite on disk, the real worker thread,
// a real cart process killed mid-way, and for the full path the real store
// link on an in-process broker (aedes) with the store simulator.
import t from 'tap';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogOf } from '../../firmware/basket/catalog.js';
import { createLogger, memorySink } from '../../firmware/log.js';
import { BasketStore, CatalogStore } from '../../firmware/storage/basket-store.js';
import { openDatabase, type Db } from '../../firmware/storage/database.js';
import { CatalogSync } from '../../firmware/sync/catalog-sync.js';
import { signMessage } from '../../firmware/sync/signing.js';
import { SyncStore } from '../../firmware/sync/sync-store.js';
import { startLocalBroker, type LocalBroker } from '../bench/broker.js';
import { StoreSim } from '../bench/store-sim.js';
import { openCartRig } from './helpers/cart-rig.js';
import { largeCatalog } from './helpers/catalogs.js';
import { until } from './helpers/until.js';

let broker: LocalBroker;
let store: StoreSim;

t.before(async () => {
  broker = await startLocalBroker();
  store = new StoreSim({ url: broker.url, storeId: 'store-1', log: createLogger(memorySink(), 'store'), verbose: false, answerBirths: false });
  await store.start();
});
t.teardown(async () => {
  await store.stop();
  await broker.close();
});

const tables = (db: Db) => (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'catalog%' ORDER BY name`).pluck().all() as string[]);
const rowsOf = (db: Db) => db.prepare('SELECT count(*) FROM catalog').pluck().get() as number;

t.test('a 20,000-product catalog and a 5,000-change delta go through the worker and the staging, and are answered', async (t) => {
  const r = await openCartRig({ url: broker.url, cartId: 'cart-big', storePublicKeyPem: store.publicKeyPem });
  t.teardown(() => r.close());
  await store.waitFor(() => (store.status.get(r.cartId)?.online ? true : undefined), 10_000, 'the birth');
  const full = largeCatalog(20_000);
  // Asked before the catalog comes, as the basket may: what it keeps must not outlive the swap.
  const leastBefore = r.catalog.leastGrams(4, 2.5);
  await store.sendCatalog(signMessage({ v: 1 as const, type: 'catalog.full' as const, version: 5, products: full }, store.privateKey), r.cartId);
  const applied = await store.waitFor(() => store.catalogResults.find((c) => c.cartId === r.cartId), 60_000, 'the full catalog\'s result').catch((err: Error) => {
    t.comment(r.lines.join('\n'));
    throw err;
  });
  t.match(applied, { status: 'applied', catalog: 'catalog.full', version: 5, heldVersion: 5, products: 20_000 });
  t.equal(r.catalog.version(), 5);
  t.equal(r.catalog.size, 20_000);
  t.equal(rowsOf(r.db), 20_000, 'SQLite holds what memory holds');
  t.same(tables(r.db), ['catalog'], 'no staging table is left');
  t.not(r.catalog.leastGrams(4, 2.5), leastBefore);
  t.equal(r.catalog.leastGrams(4, 2.5), catalogOf(full).leastGrams(4, 2.5), 'the least weight is the swapped-in catalog\'s');

  // A delta larger than one transaction: 2,500 prices changed, 2,500 products gone.
  const upsert = largeCatalog(2500, 1);
  const remove = full.slice(10_000, 12_500).map((p) => p.gtin);
  await store.sendCatalog(signMessage({ v: 1 as const, type: 'catalog.delta' as const, baseVersion: 5, version: 6, upsert, remove }, store.privateKey), r.cartId);
  const patched = await store.waitFor(() => store.catalogResults.filter((c) => c.cartId === r.cartId)[1], 60_000, 'the delta\'s result');
  t.match(patched, { status: 'applied', catalog: 'catalog.delta', baseVersion: 5, version: 6, products: 17_500 });
  t.equal(r.catalog.size, 17_500);
  t.equal(rowsOf(r.db), 17_500);
  t.equal(r.catalog.get(upsert[0]!.gtin)?.priceCents, upsert[0]!.priceCents);
  t.equal(r.catalog.get(remove[0]!), undefined);
  t.equal(r.db.prepare('SELECT price_cents FROM catalog WHERE gtin = ?').pluck().get(upsert[7]!.gtin), upsert[7]!.priceCents);
  t.same(tables(r.db), ['catalog']);
  const kept = [...full.filter((p) => !remove.includes(p.gtin) && !upsert.some((u) => u.gtin === p.gtin)), ...upsert];
  t.equal(r.catalog.leastGrams(4, 2.5), catalogOf(kept).leastGrams(4, 2.5), 'and the patched one\'s');
  t.same(store.invalid, []);
});

const keys = generateKeyPairSync('ed25519');
const signedFull = (version: number, products: number) =>
  Buffer.from(JSON.stringify(signMessage({ v: 1 as const, type: 'catalog.full' as const, version, products: largeCatalog(products, version) }, keys.privateKey)));

/** A cart database on disk holding a catalog of `products` at version 1. */
function cartDb(products: number) {
  const path = join(mkdtempSync(join(tmpdir(), 'cart-staging-')), 'cart.db');
  const { db } = openDatabase(path, createLogger(memorySink(), 'storage'));
  const catalog = new CatalogStore(db);
  catalog.replace(largeCatalog(products, 1), 1);
  return { path, db, catalog, basket: new BasketStore(db) };
}

const syncFor = (c: ReturnType<typeof cartDb>, chunkRows: number) =>
  new CatalogSync({ db: c.db, catalog: c.catalog, basket: c.basket, publicKey: keys.publicKey, log: createLogger(memorySink(), 'sync'), chunkRows });
const nextRows = (db: Db) => (tables(db).includes('catalog_next') ? (db.prepare('SELECT count(*) FROM catalog_next').pluck().get() as number) : 0);
const catalogResults = (c: ReturnType<typeof cartDb>) =>
  c.basket.pendingMessages(1000).map((m) => JSON.parse(m.payload) as { type: string; status?: string; products?: number }).filter((m) => m.type === 'catalog.result');

t.test('while the worker builds a new catalog, the old one is served and basket commits and telemetry go on; the swap is one step', async (t) => {
  const c = cartDb(2000);
  const sync = syncFor(c, 100);
  t.teardown(() => sync.stop().then(() => c.db.close()));
  const telemetry = new SyncStore(c.db, c.basket);
  const old = largeCatalog(2000, 1);
  const handled = sync.handle(signedFull(2, 20_000), 'catalog');
  let done = false;
  void handled.finally(() => (done = true));
  let duringBuild = 0;
  let longestCommitMs = 0;
  while (!done) {
    if (nextRows(c.db) > 0 && c.catalog.version() === 1) {
      duringBuild++;
      t.equal(c.catalog.get(old[1999]!.gtin)?.priceCents, old[1999]!.priceCents, 'the old price is served meanwhile');
      t.equal(rowsOf(c.db), 2000);
      // A basket commit (it writes first) and telemetry (it reads first: SQLITE_BUSY_SNAPSHOT unless it begins IMMEDIATE), beside the worker's writes.
      const started = performance.now();
      c.db.transaction(() => c.basket.queueMessage('events', { type: 'basket', during: duringBuild }))();
      telemetry.pushTelemetry(JSON.stringify({ during: duringBuild }), 100);
      longestCommitMs = Math.max(longestCommitMs, performance.now() - started);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  t.equal(await handled, 'applied');
  t.ok(duringBuild >= 5, `checked and committed ${duringBuild} times while the worker built the catalog`);
  t.comment(`longest basket commit + telemetry while the worker wrote: ${longestCommitMs.toFixed(1)} ms`);
  t.equal(c.catalog.version(), 2);
  t.equal(c.catalog.size, 20_000);
  t.equal(rowsOf(c.db), 20_000);
  t.equal(c.catalog.get(old[1999]!.gtin)?.priceCents, largeCatalog(2000, 2)[1999]!.priceCents, 'the new price once swapped');
  t.same(tables(c.db), ['catalog'], 'the old table is emptied and dropped by the worker');
  t.match(catalogResults(c), [{ status: 'applied', products: 20_000 }], 'the answer is queued with the swap');
});

t.test('a cart stopping mid-way keeps its old catalog whole; the next update clears what was left', async (t) => {
  const c = cartDb(800);
  t.teardown(() => c.db.close());
  const sync = syncFor(c, 100);
  const handled = sync.handle(signedFull(2, 20_000), 'catalog');
  await until(() => nextRows(c.db) >= 300, 'the worker to be mid-way', 30_000);
  await Promise.all([t.rejects(handled, { name: 'StagingStopped' }), sync.stop()]);
  t.equal(c.catalog.version(), 1);
  t.equal(c.catalog.size, 800);
  t.equal(rowsOf(c.db), 800);
  t.same(tables(c.db), ['catalog', 'catalog_next'], 'the half-built catalog is left behind');
  t.ok(nextRows(c.db) < 20_000, 'half built');
  t.same(catalogResults(c), [], 'and nothing was said to the store');

  const again = syncFor(c, 100);
  t.teardown(() => again.stop());
  t.equal(await again.handle(signedFull(3, 3000), 'catalog'), 'applied');
  t.equal(c.catalog.version(), 3);
  t.equal(rowsOf(c.db), 3000);
  t.same(tables(c.db), ['catalog']);
});

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs catalog-child.ts on `path` and kills it (SIGKILL) once `when` holds of the database it writes; what it printed when it finished first. */
async function killWhen(path: string, version: number, products: number, when: (db: Db) => boolean): Promise<'killed' | string> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/sync/helpers/catalog-child.ts'), path, String(version), String(products)],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' } });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const watcher = new Database(path, { readonly: true });
  try {
    let exitedYet = false;
    void exited.then(() => (exitedYet = true));
    while (!exitedYet) {
      if (when(watcher)) {
        child.kill('SIGKILL');
        await exited;
        return 'killed';
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    return out.trim();
  } finally {
    watcher.close();
  }
}

t.test('a cart killed (SIGKILL) while the worker builds, or while it empties the old table, keeps one whole catalog', async (t) => {
  const c = cartDb(5000);
  const { path } = c;
  c.db.close();
  const reopen = () => {
    const { db } = openDatabase(path, createLogger(memorySink(), 'storage'));
    return { db, catalog: new CatalogStore(db), basket: new BasketStore(db), path };
  };

  t.equal(await killWhen(path, 2, 20_000, (db) => nextRows(db) >= 2000), 'killed', 'killed mid-build');
  let r = reopen();
  t.equal(r.db.pragma('quick_check', { simple: true }), 'ok');
  t.equal(r.catalog.version(), 1, 'the old version');
  t.equal(r.catalog.size, 5000, 'the old catalog whole');
  t.equal(r.catalog.get(largeCatalog(5000, 1)[4321]!.gtin)?.priceCents, largeCatalog(5000, 1)[4321]!.priceCents);
  t.same(catalogResults(r), [], 'no answer: the broker delivers the update again');
  r.db.close();

  t.equal(await killWhen(path, 2, 20_000, (db) => tables(db).includes('catalog_old')), 'killed', 'killed after the swap, as the old table is emptied');
  r = reopen();
  t.equal(r.db.pragma('quick_check', { simple: true }), 'ok');
  t.equal(r.catalog.version(), 2, 'the new version');
  t.equal(r.catalog.size, 20_000, 'the new catalog whole');
  t.equal(rowsOf(r.db), 20_000);
  t.match(catalogResults(r), [{ status: 'applied', products: 20_000 }], 'answered in the swap');
  r.db.close();

  t.equal(await killWhen(path, 3, 1000, () => false), '"applied"', 'the next update goes through');
  r = reopen();
  t.equal(r.catalog.version(), 3);
  t.equal(rowsOf(r.db), 1000);
  t.same(tables(r.db), ['catalog'], 'and clears what the kills left');
  r.db.close();
});
