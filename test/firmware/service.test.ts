// The whole cart wired as on a real one, on simulated devices at their own
// boundary (I2C register bytes, serial bytes), with a real broker and SQLite
// on disk: a scan and a weight change must end as a basket line in the
// database and as a message at the store, and a stop must be clean.
import t, { type Test } from 'tap';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedI2cBus } from '../../drivers/loadcell/index.js';
import { SimulatedScanner } from '../../drivers/scanner/index.js';
import { parseConfig } from '../../firmware/config.js';
import { createLogger, memorySink } from '../../firmware/log.js';
import { monotonicSec } from '../../firmware/process.js';
import { startCart } from '../../firmware/service.js';
import { startLocalBroker } from '../bench/broker.js';
import { DemoBasket, demoCalibration, demoCatalog } from '../bench/demo-trip.js';
import { StoreSim } from '../bench/store-sim.js';

async function until(test: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!test()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Bench {
  broker: Awaited<ReturnType<typeof startLocalBroker>>;
  store: StoreSim;
  dir: string;
  log: ReturnType<typeof createLogger>;
  sink: ReturnType<typeof memorySink>;
}

async function bench(t: Test): Promise<Bench> {
  const broker = await startLocalBroker();
  t.teardown(() => broker.close());
  const sink = memorySink('info');
  const log = createLogger(sink, 'test');
  const store = new StoreSim({ url: broker.url, storeId: 's1', log: log.child('store'), answerBirths: false });
  await store.start();
  t.teardown(() => store.stop());
  const dir = mkdtempSync(join(tmpdir(), 'cart-service-'));
  writeFileSync(join(dir, 'store.pem'), store.publicKeyPem);
  return { broker, store, dir, log, sink };
}

/** The cart on simulated boards and scanner; the basket answers the boards. */
async function startSimulatedCart(b: Bench) {
  const config = parseConfig({
    cart: { id: 'cart-1', storeId: 's1' },
    databasePath: join(b.dir, 'cart.db'),
    scale: { board: 'simulated', calibration: demoCalibration },
    mqtt: { url: b.broker.url, protocolVersion: 4, storePublicKeyPath: join(b.dir, 'store.pem') },
  });
  const basket = new DemoBasket({ widthMm: config.scale.widthMm, depthMm: config.scale.depthMm }, demoCalibration);
  const bus = new SimulatedI2cBus({ model: 'dfrobot', addresses: config.scale.addresses, clock: monotonicSec, load: (ch, at) => basket.counts(ch, at) });
  const scanner = new SimulatedScanner({ clock: monotonicSec, log: b.log });
  const cart = await startCart(config, { loadCells: { board: 'simulated', bus, rateHz: config.scale.rateHz }, scanner }, { log: b.log, clock: monotonicSec, firmwareVersion: 'test' });
  cart.catalog.replace(demoCatalog, 1);
  return { cart, basket, scanner, databasePath: config.databasePath };
}

const butter = demoCatalog[1]!;

async function buyButter(b: Bench, c: Awaited<ReturnType<typeof startSimulatedCart>>): Promise<void> {
  await until(() => c.cart.scale.reading().state === 'stable', 'the empty basket to settle');
  if (!c.scanner.send(`${butter.gtin.slice(6)}\r\n`)) throw new Error('the scanner line is not open');
  await until(() => c.cart.store.state.pendingScans.length === 1, 'the scan to open');
  c.basket.put(257.6, { xMm: 80, yMm: -40 }, monotonicSec());
  await b.store.waitForEvent((e) => 'kind' in e && e.kind === 'add');
}

t.test('a scan and an item put in become a basket line in SQLite and an event at the store; stop is clean', async (t) => {
  const b = await bench(t);
  const c = await startSimulatedCart(b);
  await buyButter(b, c);
  t.same(c.cart.store.lines().map((l) => [l.gtin, l.qty]), [[butter.gtin, 1]], 'the basket line is in SQLite');
  const event = b.store.events.find((e) => 'kind' in e && e.kind === 'add');
  t.match(event, { gtin: butter.gtin }, 'the store heard of the butter');

  await c.cart.stop();
  t.match(b.sink.lines.join('\n'), /cart stopped/);
  await until(() => b.store.status.get('cart-1')?.online === false, 'the store to see the cart offline');
  // Another process can open the file: nothing is held, and the line survived the stop.
  const db = new Database(c.databasePath, { readonly: true });
  t.same(db.prepare('SELECT gtin, qty FROM basket_lines').all(), [{ gtin: butter.gtin, qty: 1 }]);
  db.close();
});

t.test('a cart whose database was damaged takes back the basket the store last acknowledged', async (t) => {
  const b = await bench(t);
  const first = await startSimulatedCart(b);
  await buyButter(b, first);
  await until(() => (b.store.snapshots.get('cart-1')?.lines.length ?? 0) === 1, 'the snapshot with the butter');
  await first.cart.stop();
  writeFileSync(first.databasePath, Buffer.alloc(8192, 0x5a));
  for (const suffix of ['-wal', '-shm']) rmSync(first.databasePath + suffix, { force: true });

  const second = await startSimulatedCart(b);
  t.teardown(() => second.cart.stop());
  t.match(b.sink.lines.join('\n'), /database unreadable, moved aside/);
  await until(() => second.cart.store.lines().length === 1, 'the basket to come back');
  t.same(second.cart.store.lines().map((l) => [l.gtin, l.qty]), [[butter.gtin, 1]]);
});
