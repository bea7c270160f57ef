// npm start: the whole firmware on the simulated bench. Four simulated HX711
// boards answer over a simulated I2C bus, a simulated scanner sends bytes,
// an MQTT broker (aedes) and a small store run in this process, and a
// scripted shopper fills the basket. Runs until Ctrl-C.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SimulatedI2cBus } from '../../drivers/loadcell/index.js';
import { SimulatedScanner } from '../../drivers/scanner/index.js';
import { parseConfig } from '../../firmware/config.js';
import { createLogger, stderrSink } from '../../firmware/log.js';
import { firmwareVersion, monotonicSec, projectRoot, stopOnSignals } from '../../firmware/process.js';
import { startCart } from '../../firmware/service.js';
import { startCartScreen } from '../../firmware/display/index.js';
import { startLocalBroker } from './broker.js';
import { DemoBasket, demoCalibration, demoCatalog, demoSteps } from './demo-trip.js';
import { ownGroup } from './run.js';
import { StoreSim } from './store-sim.js';
import { demoCameras, writeDemoReferences } from '../vision/demo-cameras.js';


async function demo(): Promise<void> {
  const log = createLogger(stderrSink('info'), 'demo');
  const broker = await startLocalBroker();
  const store = new StoreSim({ url: broker.url, storeId: 'demo-store', log: log.child('store') });
  await store.start();

  // A project-local data folder (ignored by git), so the database can be looked at after the demo.
  const dataDir = join(projectRoot(), 'data');
  mkdirSync(dataDir, { recursive: true });
  const databasePath = join(dataDir, 'demo.db');
  // The cart takes commands and catalogs only when they verify against the store's key.
  const storePublicKeyPath = join(dataDir, 'store-signing-key.pem');
  store.writePublicKey(storePublicKeyPath);
  for (const suffix of ['', '-wal', '-shm']) rmSync(databasePath + suffix, { force: true });

  const config = parseConfig({
    cart: { id: 'demo-cart', storeId: 'demo-store' },
    databasePath,
    scale: { board: 'simulated', calibration: demoCalibration },
    scanner: { kind: 'simulated' },
    mqtt: { url: broker.url, protocolVersion: 4, storePublicKeyPath, plainTextExpected: true },
    // The demo runs as whoever starts it: its control socket lives beside its database.
    calibration: { socketPath: join(dataDir, 'control.sock'), socketGroup: ownGroup() },
    camera: { cameras: [{ id: 'top', index: 0 }] },
    vision: { referencesPath: join(dataDir, 'vision-references.json') },
  });
  await writeDemoReferences(config, demoCatalog);
  const camera = demoCameras(config, demoCatalog, monotonicSec, log);
  const geometry = { widthMm: config.scale.widthMm, depthMm: config.scale.depthMm };
  const basket = new DemoBasket(geometry, demoCalibration);
  const bus = new SimulatedI2cBus({ model: 'dfrobot', addresses: config.scale.addresses, clock: monotonicSec, load: (ch, t) => basket.counts(ch, t) });
  const scanner = new SimulatedScanner({ clock: monotonicSec, log });

  const running = await startCart(config, { loadCells: { board: 'simulated', bus, rateHz: config.scale.rateHz }, scanner, cameras: camera.cameras },
    { log, clock: monotonicSec, firmwareVersion: firmwareVersion() });
  running.catalog.replace(demoCatalog, 1);
  const screen = await startCartScreen(config, running, { light: () => null, clock: monotonicSec, log: log.child('display') });
  if (screen.url) process.stdout.write(`The shopper's screen: open ${screen.url} in a browser to watch the trip.\n`);

  const shopper = log.child('shopper');
  const timers = demoSteps().map((step) => setTimeout(() => {
    shopper.info(step.say);
    if ('scan' in step) scanner.send(Buffer.from(`${step.scan}\r\n`, 'latin1'));
    else if ('put' in step) {
      basket.put(step.put, step.at, monotonicSec());
      camera.put(step.put, step.at, monotonicSec());
    } else {
      basket.take(step.take, step.at, monotonicSec());
      camera.take(step.take, monotonicSec());
    }
  }, step.atSec * 1000));
  const last = Math.max(...demoSteps().map((s) => s.atSec));
  timers.push(setTimeout(() => shopper.info('is done; the cart keeps weighing. Ctrl-C stops it'), (last + 3) * 1000));

  stopOnSignals(running, log, async () => {
    for (const t of timers) clearTimeout(t);
    await screen.stop();
    await store.stop();
    await broker.close();
  });
}

void demo();
