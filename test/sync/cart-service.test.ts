// The store link as the shipped process wires it (firmware/service.ts): the
// whole cart on simulated boards and scanner, a real broker (aedes) and the
// store simulator. What only the wiring can get wrong: the log level of the
// running process, and the warning about a link without TLS.
import t, { type Test } from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedI2cBus } from '../../drivers/loadcell/index.js';
import { SimulatedScanner } from '../../drivers/scanner/index.js';
import { parseConfig } from '../../firmware/config.js';
import { assessFitness, healthCollector } from '../../firmware/health.js';
import { createLogger, memorySink, type Logger } from '../../firmware/log.js';
import { monotonicSec } from '../../firmware/process.js';
import { startCart, type RunningCart } from '../../firmware/service.js';
import { startLocalBroker } from '../bench/broker.js';
import { DemoBasket, demoCalibration } from '../bench/demo-trip.js';
import { StoreSim } from '../bench/store-sim.js';

interface Started {
  running: RunningCart;
  scanner: SimulatedScanner;
  lines: string[];
  log: Logger;
  store: StoreSim;
}

async function startShippedCart(t: Test, mqtt: { plainTextExpected?: boolean } = {}): Promise<Started> {
  const broker = await startLocalBroker();
  t.teardown(() => broker.close());
  const sink = memorySink('info');
  const log = createLogger(sink, 'test');
  const store = new StoreSim({ url: broker.url, storeId: 's1', log: createLogger(memorySink(), 'store'), answerBirths: false });
  await store.start();
  t.teardown(() => store.stop());
  const dir = mkdtempSync(join(tmpdir(), 'cart-service-link-'));
  writeFileSync(join(dir, 'store.pem'), store.publicKeyPem);
  const config = parseConfig({
    cart: { id: 'cart-1', storeId: 's1' },
    databasePath: join(dir, 'cart.db'),
    scale: { board: 'simulated', calibration: demoCalibration },
    mqtt: { url: broker.url, protocolVersion: 4, storePublicKeyPath: join(dir, 'store.pem'), ...mqtt },
    health: { path: join(dir, 'health.json') },
  });
  const basket = new DemoBasket({ widthMm: config.scale.widthMm, depthMm: config.scale.depthMm }, demoCalibration);
  const bus = new SimulatedI2cBus({ model: 'dfrobot', addresses: config.scale.addresses, clock: monotonicSec, load: (ch, at) => basket.counts(ch, at) });
  const scanner = new SimulatedScanner({ clock: monotonicSec, log });
  const running = await startCart(config, { loadCells: { board: 'simulated', bus, rateHz: config.scale.rateHz }, scanner, cameras: [] },
    { log, clock: monotonicSec, firmwareVersion: 'test' });
  t.teardown(() => running.stop());
  await store.waitFor(() => (store.status.get('cart-1')?.online ? true : undefined), 10_000, 'the birth');
  return { running, scanner, lines: sink.lines, log, store };
}

t.test('the shipped process changes its log level on the store\'s log.level, at once, and says what it was', async (t) => {
  const c = await startShippedCart(t, { plainTextExpected: true });
  const result = await c.store.command('cart-1', { type: 'log.level', level: 'debug' });
  t.match(result, { status: 'done', logLevel: { from: 'info', to: 'debug' } });
  t.match(c.lines.join('\n'), /^INFO  sync log level changed by the store from=info to=debug/m);
  t.equal(c.log.level(), 'debug', 'the process logger, which every module shares');
  t.match(await c.store.command('cart-1', { type: 'log.level', level: 'error' }), { status: 'done', logLevel: { from: 'debug', to: 'error' } });
  const quiet = c.lines.length;
  await c.store.command('cart-1', { type: 'lock' });
  t.same(c.lines.slice(quiet), [], 'at error, a command done writes nothing');
});

t.test('a store link without TLS on a cart is warned about in the log and in health', async (t) => {
  const c = await startShippedCart(t);
  t.match(c.lines.join('\n'), /^WARN  sync STORE LINK WITHOUT TLS: .* url=mqtt:\/\/127\.0\.0\.1:\d+/m);
  t.match(c.lines.join('\n'), /connected to the store .*tls=false/);
  const snapshot = healthCollector({
    running: c.running, scanner: c.scanner, version: 'test', clock: monotonicSec, simulated: { loadCells: true, scanner: true },
    feedback: { health: () => ({ status: 'ok', simulated: false, light: null, buttons: { help: 'released', 'my-bag': 'released' } }) },
  })('running');
  t.equal(snapshot.link.plainText, true);
  const verdict = assessFitness(snapshot, { ageSec: 0, staleAfterSec: 15, diskFreeMb: null, minFreeDiskMb: 0, path: 'health.json' });
  t.ok(verdict.warnings.some((w) => w.startsWith('store link without TLS')), 'health warns');
});

t.test('the demo and the bench say they expect plain MQTT: no warning', async (t) => {
  const c = await startShippedCart(t, { plainTextExpected: true });
  t.notMatch(c.lines.join('\n'), /WITHOUT TLS|tls=false/);
  t.equal(c.running.link.plainText, false);
});
