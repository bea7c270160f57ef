// Catalogs too large for one transaction: checked in the catalog worker,
// built beside the old catalog a chunk at a time, swapped in at once. Real
// SQLite on disk, the real worker thread, and for the full path the real
// store link on an in-process broker (aedes) with the store simulator.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, memorySink } from '../../firmware/log.js';
import { BasketStore, CatalogStore } from '../../firmware/storage/basket-store.js';
import { CatalogStaging } from '../../firmware/storage/catalog-staging.js';
import { openDatabase, type Db } from '../../firmware/storage/database.js';
import { signMessage } from '../../firmware/sync/signing.js';
import { startLocalBroker, type LocalBroker } from '../bench/broker.js';
import { StoreSim } from '../bench/store-sim.js';
import { openCartRig } from './helpers/cart-rig.js';
import { largeCatalog } from './helpers/catalogs.js';

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
  t.same(store.invalid, []);
});

function staged(chunkRows: number, pause: () => Promise<void>, stopped: () => boolean = () => false) {
  const { db } = openDatabase(join(mkdtempSync(join(tmpdir(), 'cart-staging-')), 'cart.db'), createLogger(memorySink(), 'storage'));
  const catalog = new CatalogStore(db);
  const basket = new BasketStore(db);
  return { db, catalog, basket, staging: new CatalogStaging(db, catalog, { chunkRows, pause, stopped }) };
}

const reader = <T>(items: T[]) => ({ total: items.length, read: async (from: number, count: number) => items.slice(from, from + count) });

t.test('while a new catalog is built, the old one is served; the swap is one step', async (t) => {
  const old = largeCatalog(1000);
  const next = largeCatalog(5000, 3);
  let checks = 0;
  const s = staged(500, async () => {
    if (s.catalog.version() !== 1) return;
    checks++;
    t.equal(s.catalog.get(old[999]!.gtin)?.priceCents, old[999]!.priceCents, 'the old price is served meanwhile');
    t.equal(rowsOf(s.db), 1000);
  });
  s.catalog.replace(old, 1);
  await s.staging.replace(reader(next), 2, (products) => s.basket.queueMessage('events', { type: 'catalog.result', products }));
  t.ok(checks >= 10, `checked between ${checks} chunks`);
  t.equal(s.catalog.version(), 2);
  t.equal(s.catalog.get(next[4999]!.gtin)?.priceCents, next[4999]!.priceCents);
  t.equal(rowsOf(s.db), 5000);
  t.equal(JSON.parse(s.basket.pendingMessages(1)[0]!.payload).products, 5000, 'the answer is queued with the swap');
});

t.test('a cart stopping mid-way keeps its old catalog whole; the next update clears what was left', async (t) => {
  let chunks = 0;
  const s = staged(500, async () => void chunks++, () => chunks >= 3);
  s.catalog.replace(largeCatalog(800), 1);
  await t.rejects(s.staging.replace(reader(largeCatalog(5000, 2)), 2, () => {}), { name: 'StagingStopped' });
  t.equal(s.catalog.version(), 1);
  t.equal(s.catalog.size, 800);
  t.equal(rowsOf(s.db), 800);
  t.same(tables(s.db), ['catalog', 'catalog_next'], 'the half-built catalog is left behind');
  t.equal(s.basket.outboxDepth(), 0, 'and nothing was said to the store');

  const again = new CatalogStaging(s.db, s.catalog, { chunkRows: 500, pause: async () => {}, stopped: () => false });
  await again.replace(reader(largeCatalog(3000, 4)), 3, () => {});
  t.equal(s.catalog.version(), 3);
  t.equal(rowsOf(s.db), 3000);
  t.same(tables(s.db), ['catalog']);
});
