// The whole cart wired as on a real one, on simulated devices at their own
// boundary (I2C register bytes, serial bytes), with a real broker and SQLite
// on disk: a scan and a weight change must end as a basket line in the
// database and as a message at the store, and a stop must be clean.
import t from 'tap';
import Database from 'better-sqlite3';
import { mkdtempSync, writeFileSync } from 'node:fs';
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

t.test('a scan and an item put in become a basket line in SQLite and an event at the store; stop is clean', async (t) => {
  const broker = await startLocalBroker();
  t.teardown(() => broker.close());
  const sink = memorySink('info');
  const log = createLogger(sink, 'test');
  const store = new StoreSim({ url: broker.url, storeId: 's1', log: log.child('store'), answerBirths: false });
  await store.start();
  t.teardown(() => store.stop());

  const dir = mkdtempSync(join(tmpdir(), 'cart-service-'));
  const databasePath = join(dir, 'cart.db');
  writeFileSync(join(dir, 'store.pem'), store.publicKeyPem);
  const config = parseConfig({
    cart: { id: 'cart-1', storeId: 's1' },
    databasePath,
    scale: { board: 'simulated', addresses: [0x26, 0x27, 0x28, 0x29], calibration: demoCalibration },
    mqtt: { url: broker.url, protocolVersion: 4, storePublicKeyPath: join(dir, 'store.pem') },
  });
  const basket = new DemoBasket({ widthMm: config.scale.widthMm, depthMm: config.scale.depthMm }, demoCalibration);
  const bus = new SimulatedI2cBus({ model: 'm5stack', addresses: config.scale.addresses, clock: monotonicSec, load: (ch, at) => basket.counts(ch, at) });
  const scanner = new SimulatedScanner({ clock: monotonicSec, log });
  const cart = await startCart(config, { loadCells: { board: 'simulated', bus, rateHz: 80 }, scanner }, { log, clock: monotonicSec, firmwareVersion: 'test' });
  cart.catalog.replace(demoCatalog, 1);

  await until(() => cart.scale.reading().state === 'stable', 'the empty basket to settle');
  const butter = demoCatalog[1]!;
  t.ok(scanner.send(`${butter.gtin.slice(6)}\r\n`), 'the scanner line is open');
  await until(() => cart.store.state.pendingScans.length === 1, 'the scan to open');
  basket.put(257.6, { xMm: 80, yMm: -40 }, monotonicSec());

  const event = await store.waitForEvent((e) => 'kind' in e && e.kind === 'add');
  t.match(event, { gtin: butter.gtin }, 'the store hears of the butter');
  t.same(cart.store.lines().map((l) => [l.gtin, l.qty]), [[butter.gtin, 1]], 'the basket line is in SQLite');

  await cart.stop();
  t.match(sink.lines.join('\n'), /cart stopped/);
  await until(() => store.status.get('cart-1')?.online === false, 'the store to see the cart offline');
  // Another process can open the file: nothing is held, and the line survived the stop.
  const db = new Database(databasePath, { readonly: true });
  t.same(db.prepare('SELECT gtin, qty FROM basket_lines').all(), [{ gtin: butter.gtin, qty: 1 }]);
  db.close();
});
