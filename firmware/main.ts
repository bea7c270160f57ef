#!/usr/bin/env node
// cart-firmware: the process that runs on the cart under systemd.
import { parseArgs } from 'node:util';
import { openScanner } from '../drivers/scanner/index.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, stderrSink } from './log.js';
import { firmwareVersion, loadCellsFor, monotonicSec, stopOnSignals } from './process.js';
import { startCart, type RunningCart } from './service.js';
import { StorageUnavailableError, storageUnavailableExitCode } from './storage/faults.js';
import { maintenanceCommand } from './feedback/maintenance.js';
import { healthCommand } from './health.js';
import { openNotifier } from './notify/index.js';
import { startOnCart, type OnCart } from './notify/on-cart.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string', default: '/etc/cart-firmware/config.json' } } });
  let config: Config;
  try {
    config = loadConfig(values.config!);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(78); // EX_CONFIG: systemd does not restart into the same mistake forever
  }
  const log = createLogger(stderrSink(config.logLevel), 'main');
  let running: RunningCart;
  const scanner = openScanner(config.scanner, { clock: monotonicSec, log });
  try {
    running = await startCart(config, { loadCells: loadCellsFor(config), scanner },
      { log, clock: monotonicSec, firmwareVersion: firmwareVersion() });
  } catch (err) {
    if (err instanceof StorageUnavailableError) {
      log.error(`cart cannot start: ${err.message}; the database is kept as it is, no shopping until this is fixed; systemd starts the cart again`,
        { fault: err.fault, path: err.path, exitCode: storageUnavailableExitCode });
      process.exit(storageUnavailableExitCode);
    }
    log.error('cart could not start; no shopping possible until this is fixed', { error: (err as Error).message });
    process.exit(1);
  }
  let onCart: OnCart;
  try {
    onCart = await startOnCart(config, running, { scanner, notifier: openNotifier(process.env, log.child('systemd')), clock: monotonicSec, version: firmwareVersion(), log });
  } catch (err) {
    log.error('cart could not start; no shopping possible until this is fixed', { error: (err as Error).message });
    await running.stop();
    process.exit(1);
  }
  stopOnSignals(onCart, log);
}

// `cart-firmware health` reports on the running service; `maintenance` is the
// fallback unit's blinking light; anything else runs the cart.
const command = { health: healthCommand, maintenance: maintenanceCommand }[process.argv[2] ?? ''];
if (command) void command(process.argv.slice(3)).then((code) => process.exit(code));
else void main();
