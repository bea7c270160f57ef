#!/usr/bin/env node
// cart-firmware: the process that runs on the cart under systemd.
import { parseArgs } from 'node:util';
import { openScanner } from '../drivers/scanner/index.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, stderrSink } from './log.js';
import { firmwareVersion, loadCellsFor, monotonicSec, stopOnSignals } from './process.js';
import { startCart, type RunningCart } from './service.js';

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
  try {
    running = await startCart(config, { loadCells: loadCellsFor(config), scanner: openScanner(config.scanner, { clock: monotonicSec, log }) },
      { log, clock: monotonicSec, firmwareVersion: firmwareVersion() });
  } catch (err) {
    log.error('cart could not start; no shopping possible until this is fixed', { error: (err as Error).message });
    process.exit(1);
  }
  stopOnSignals(running, log);
}

void main();
