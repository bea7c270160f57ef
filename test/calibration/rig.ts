// The bench wired to cart-cal's direct session on fake time: what each
// procedure test starts from.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDirectSession } from '../../calibration/session/direct-session.js';
import type { ScaleSession } from '../../calibration/session/session.js';
import { ReadingFeed } from '../../calibration/procedure/feed.js';
import type { StepContext } from '../../calibration/procedure/step.js';
import { parseConfig, type Config } from '../../firmware/config.js';
import { silentLogger } from '../../firmware/log.js';
import { useFakeTime, type FakeTime } from '../drivers/loadcell/harness.js';
import { ADDRESSES, BenchTechnician, CalibrationBench } from './bench.js';

export interface Rig {
  time: FakeTime;
  bench: CalibrationBench;
  session: ScaleSession;
  technician: BenchTechnician;
  ctx: StepContext;
  /** Lets fake time run until the promise settles (at most `maxSec` of it). */
  run<T>(work: Promise<T>, maxSec?: number): Promise<T>;
  close(): Promise<void>;
}

export function benchConfig(databasePath: string, overrides: Record<string, unknown> = {}): Config {
  return parseConfig({
    cart: { id: 'bench-cart', storeId: 'bench-store' },
    databasePath,
    scale: { board: 'simulated', addresses: ADDRESSES, rateHz: 25 },
    ...overrides,
  });
}

/** Lets fake time run until the promise settles (at most `maxSec` of it). */
export async function runUntil<T>(time: FakeTime, work: Promise<T>, maxSec = 4000): Promise<T> {
  let done = false;
  const watched = work.finally(() => {
    done = true;
  });
  watched.catch(() => {});
  const start = time.clock();
  while (!done) {
    if (time.clock() - start > maxSec) throw new Error(`still running after ${maxSec} s of bench time`);
    await time.advance(0.05);
  }
  return watched;
}

export const tempDatabase = (): string => join(mkdtempSync(join(tmpdir(), 'cart-cal-')), 'cart.db');

export async function openRig(options: { bench?: CalibrationBench } = {}): Promise<Rig> {
  const time = useFakeTime();
  const bench = options.bench ?? new CalibrationBench();
  const config = benchConfig(tempDatabase());
  const technician = new BenchTechnician(bench, time.clock);
  const session = await openDirectSession(config, { loadCells: bench.loadCells(time.clock), clock: time.clock, wall: () => `t+${time.clock().toFixed(1)}s`, log: silentLogger });
  const rig: Rig = {
    time, bench, session, technician,
    ctx: { feed: new ReadingFeed(session), guide: technician, options: { settleSec: 2, stepTimeoutSec: 120 } },
    run: (work, maxSec) => runUntil(time, work, maxSec),
    async close() {
      rig.ctx.feed.close();
      await rig.run(session.close());
      time.restore();
    },
  };
  return rig;
}
