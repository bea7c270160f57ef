#!/usr/bin/env node
// cart-firmware: the process that runs on the cart under systemd.
//
// The arguments are read before anything else is loaded: `--help`, a mistyped
// option and `cart-firmware health` do not wait for the drivers, MQTT and ONNX
// the running cart needs (each command imports its modules when it runs).
import { helpAsked, parseCommandArgs, printUsage, refuseUsage, UsageError } from './command-line.js';
import type { RunningCart } from './service.js';
import type { OnCart } from './notify/on-cart.js';

const defaultConfigPath = '/etc/cart-firmware/config.json';

const usage = `usage:
  cart-firmware [--config FILE]              run the cart (systemd starts it so); FILE: ${defaultConfigPath}
                                             exit 78: the config is unusable, 75: the storage is, 1: the cart could not start
  cart-firmware health [--config FILE]       is this cart fit to shop? exit 0: fit, 1: not fit, 2: config unusable
  cart-firmware maintenance [--config FILE]  the fallback unit: the status light blinks blue until stopped
  cart-firmware [health|maintenance] --help  this text`;

async function runCart(configPath: string): Promise<void> {
  const { ConfigError, loadConfig } = await import('./config.js');
  let config;
  try {
    config = loadConfig(configPath);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(78); // EX_CONFIG: systemd does not restart into the same mistake forever
  }
  const [{ openScanner }, { createLogger, stderrSink }, { firmwareVersion, loadCellsFor, monotonicSec, stopOnSignals }, { startCart }, { StorageUnavailableError, storageUnavailableExitCode }, { openNotifier }, { startOnCart }] = await Promise.all([
    import('../drivers/scanner/index.js'), import('./log.js'), import('./process.js'), import('./service.js'), import('./storage/faults.js'), import('./notify/index.js'), import('./notify/on-cart.js'),
  ]);
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
// fallback unit's blinking light; no subcommand runs the cart.
async function main(argv: string[]): Promise<void> {
  if (helpAsked(argv)) {
    printUsage(usage);
    return;
  }
  const subcommand = argv[0] === 'health' || argv[0] === 'maintenance' ? argv[0] : null;
  let configPath: string;
  try {
    const { values } = parseCommandArgs({ args: subcommand ? argv.slice(1) : argv, options: { config: { type: 'string', default: defaultConfigPath } } });
    configPath = values.config!;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.exit(refuseUsage('cart-firmware', err.message, usage));
  }
  if (subcommand === 'health') {
    const { healthCommand } = await import('./health.js');
    process.exit(await healthCommand(configPath));
  }
  if (subcommand === 'maintenance') {
    const { maintenanceCommand } = await import('./feedback/maintenance.js');
    process.exit(await maintenanceCommand(configPath));
  }
  await runCart(configPath);
}

void main(process.argv.slice(2));
