// The whole cart as on a real one (startCart, then startOnCart with its
// screen) on simulated boards and scanner: the demo's basket answers the
// load cell boards with counts, the shopper's scans go down the scanner line
// as bytes. No store: the link stays offline, shopping goes on. Used by the
// browser test and the screen benchmark.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedI2cBus } from '../../drivers/loadcell/index.js';
import { SimulatedScanner } from '../../drivers/scanner/index.js';
import { parseConfig } from '../../firmware/config.js';
import type { CentreMm } from '../../firmware/domain.js';
import { createLogger, memorySink } from '../../firmware/log.js';
import { openNotifier } from '../../firmware/notify/index.js';
import { startOnCart, type OnCart } from '../../firmware/notify/on-cart.js';
import { monotonicSec } from '../../firmware/process.js';
import { startCart, type RunningCart } from '../../firmware/service.js';
import { DemoBasket, demoCalibration, demoCatalog } from '../bench/demo-trip.js';
import { freePort } from '../sync/helpers/mosquitto.js';

export interface ScreenCart {
  running: RunningCart;
  onCart: OnCart;
  /** The page's address. */
  url: string;
  /** Sends a code down the scanner line as a scanner would, then puts the item in once its scan is open. */
  buy(code: string, grams: number, at: CentreMm): Promise<void>;
  put(grams: number, at: CentreMm): void;
  take(grams: number, at: CentreMm): void;
  stop(): Promise<void>;
}

export async function until(what: string, ok: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!ok()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function startScreenCart(): Promise<ScreenCart> {
  const dir = mkdtempSync(join(tmpdir(), 'cart-screen-'));
  const config = parseConfig({
    cart: { id: 'screen-cart', storeId: 'screen-store' },
    databasePath: join(dir, 'cart.db'),
    scale: { board: 'simulated', calibration: demoCalibration },
    scanner: { kind: 'simulated' },
    gpio: { backend: 'simulated' },
    mqtt: { url: `mqtt://127.0.0.1:${await freePort()}`, storePublicKeyPath: join(dir, 'no-key.pem') },
    health: { path: join(dir, 'health.json') },
    display: { port: await freePort() },
  });
  const sink = memorySink('info');
  const log = createLogger(sink, 'test');
  const basket = new DemoBasket({ widthMm: config.scale.widthMm, depthMm: config.scale.depthMm }, demoCalibration);
  const bus = new SimulatedI2cBus({ model: 'dfrobot', addresses: config.scale.addresses, clock: monotonicSec, load: (ch, at) => basket.counts(ch, at) });
  const scanner = new SimulatedScanner({ clock: monotonicSec, log });
  const running = await startCart(config, { loadCells: { board: 'simulated', bus, rateHz: config.scale.rateHz }, scanner, cameras: [] },
    { log, clock: monotonicSec, firmwareVersion: 'test' });
  running.catalog.replace(demoCatalog, 1);
  const onCart = await startOnCart(config, running, { scanner, notifier: openNotifier({}, log), clock: monotonicSec, version: 'test', log });
  if (!onCart.display.url) throw new Error(`the screen did not start:\n${sink.lines.join('\n')}`);
  await until('the empty basket to settle', () => running.scale.reading().state === 'stable');
  return {
    running, onCart, url: onCart.display.url,
    async buy(code, grams, at) {
      const open = running.store.state.pendingScans.length;
      if (!scanner.send(`${code}\r\n`)) throw new Error('the scanner line is not open');
      await until('the scan to open', () => running.store.state.pendingScans.length > open);
      basket.put(grams, at, monotonicSec());
    },
    put: (grams, at) => basket.put(grams, at, monotonicSec()),
    take: (grams, at) => basket.take(grams, at, monotonicSec()),
    async stop() {
      await onCart.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
