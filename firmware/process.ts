// What every way of running the cart shares: its clock, its version, the
// devices a config names, and a clean stop on SIGINT and SIGTERM.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimulatedI2cBus, type LoadCellConfig } from '../drivers/loadcell/index.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';

export const monotonicSec = (): number => performance.now() / 1000;

/** The project folder: where package.json is, whether this runs from dist/ or from the sources. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the firmware');
    dir = up;
  }
  return dir;
}

export function firmwareVersion(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** An HX711 is never perfectly still: about 20 counts of noise (a board that repeats one value is taken for stuck). */
const emptyBasketNoiseCounts = 20;

/** Real boards on the I2C bus, or, for a cart without them, simulated boards holding an empty basket. */
export function loadCellsFor(config: Config): LoadCellConfig {
  const s = config.scale;
  if (s.board !== 'simulated') return { board: s.board, busNumber: s.busNumber, addresses: s.addresses, rateHz: s.rateHz };
  const offsets = s.calibration.map((c) => c.offset);
  const load = (channel: number) => (offsets[channel] ?? 0) + (Math.random() - 0.5) * 2 * emptyBasketNoiseCounts;
  return { board: 'simulated', rateHz: s.rateHz, bus: new SimulatedI2cBus({ model: 'm5stack', addresses: s.addresses, clock: monotonicSec, load }) };
}

/** Stops the cart once on SIGINT or SIGTERM, then lets the process end. */
export function stopOnSignals(running: { stop(): Promise<void> }, log: Logger, extra: () => Promise<void> = async () => {}): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    running.stop().then(extra).then(
      () => log.info('goodbye'),
      (err: unknown) => {
        log.error('clean stop failed; the database keeps what was committed', { error: (err as Error).message });
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
