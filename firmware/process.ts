// What every way of running the cart shares: its clock, its version, the
// devices a config names, and a clean stop on SIGINT and SIGTERM.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimulatedI2cBus, type LoadCellConfig } from '../drivers/loadcell/index.js';
import { RecordedLoad } from '../drivers/loadcell/sim/recorded-load.js';
import type { Config } from './config.js';
import { createLogger, stderrSink, type Logger } from './log.js';

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

/**
 * Real boards on the I2C bus, or, where the config asks for them
 * (scale.board "simulated": the bench and demos), simulated boards: holding
 * an empty basket, or playing a recorded trip (scale.playback).
 */
export function loadCellsFor(config: Config): LoadCellConfig {
  const s = config.scale;
  if (s.board !== 'simulated') {
    if (s.playback) throw new Error(`scale.playback plays a trace on simulated boards; scale.board is "${s.board}"`);
    return { board: s.board, busNumber: s.busNumber, addresses: s.addresses, rateHz: s.rateHz };
  }
  if (s.playback) return playbackCells(config, s.playback);
  const offsets = s.calibration.map((c) => c.offset);
  const load = (channel: number) => (offsets[channel] ?? 0) + (Math.random() - 0.5) * 2 * emptyBasketNoiseCounts;
  return { board: 'simulated', rateHz: s.rateHz, bus: new SimulatedI2cBus({ model: 'dfrobot', addresses: s.addresses, clock: monotonicSec, load }) };
}

/**
 * Playback boards (sim/recorded-load.ts): the trace's conversions, read at
 * the rate its time stamps show, so each is read once; the scale keeps the
 * nominal scale.rateHz, as a replay of the trace does.
 */
function playbackCells(config: Config, path: string): LoadCellConfig {
  const s = config.scale;
  const log = createLogger(stderrSink(config.logLevel), 'playback');
  // The bench reads this line to put its side of the trip (scanner bytes, the
  // times of the store's events) on the same clock: wallMs is the origin as
  // the other processes of this machine count time (performance.timeOrigin).
  const recording = RecordedLoad.fromTrace(path, ({ originSec }) =>
    log.info('trace clock started', { originSec, wallMs: performance.timeOrigin + originSec * 1000 }));
  if (recording.rateHz !== s.rateHz) {
    throw new Error(`scale.rateHz is ${s.rateHz}, but ${path} was recorded at ${recording.rateHz} Hz: the sampler must read at the recording's rate`);
  }
  log.info('playing a recorded trip on simulated boards', { trace: path, rateHz: recording.rateHz, measuredRateHz: Number(recording.measuredRateHz.toFixed(3)), durationSec: recording.endSec });
  const bus = new SimulatedI2cBus({ model: 'm5stack', addresses: s.addresses, clock: monotonicSec, load: recording.load, convertAtRead: true });
  return { board: 'simulated', rateHz: recording.measuredRateHz, bus };
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
