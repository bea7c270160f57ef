// Test rig: the real load cell stack on a simulated bus, on fake time.
//
// Time is fake twice over, kept in step: `clock` is what the drivers and the
// simulated boards read, and Node's setTimeout is mocked (node:test
// MockTimers) so that the sampler's ticks, the DFRobot's 22 ms wait and the
// simulated latency all follow it. `stall` moves only the clock, which is
// what a blocked event loop looks like from inside: time passed, no timer ran.
import { mock } from 'node:test';
import type { LoadSample, Seconds } from '../../../firmware/domain.js';
import { createLogger, memorySink } from '../../../firmware/log.js';
import { openLoadCells, SimulatedI2cBus, type BoardModel, type LoadCells, type TrueLoad } from '../../../drivers/loadcell/index.js';

export interface FakeTime {
  clock: () => Seconds;
  /** Lets `sec` of time go by, a millisecond at a time, running what falls due. */
  advance(sec: Seconds): Promise<void>;
  /** The event loop was blocked for `sec`: the clock moves, no timer runs. */
  stall(sec: Seconds): void;
  /** Gives setTimeout back to Node. */
  restore(): void;
}

export interface Teardown {
  teardown(fn: () => unknown): void;
}

// Enough turns of the event loop for a chain of simulated transfers to finish.
async function flush(): Promise<void> {
  for (let i = 0; i < 4; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export function useFakeTime(): FakeTime {
  mock.timers.enable({ apis: ['setTimeout'] });
  let nowMs = 0;
  return {
    clock: () => nowMs / 1000,
    async advance(sec) {
      for (let i = Math.round(sec * 1000); i > 0; i--) {
        await flush();
        nowMs += 1;
        mock.timers.tick(1);
      }
      await flush();
    },
    stall(sec) {
      nowMs += sec * 1000;
    },
    restore() {
      mock.timers.reset();
    },
  };
}

export const ADDRESSES: Record<BoardModel, number[]> = {
  dfrobot: [0x64, 0x65, 0x66, 0x67],
  m5stack: [0x26, 0x27, 0x28, 0x29],
};

/** Rates each board can keep: the DFRobot needs 22 ms a read. */
export const RATE_HZ: Record<BoardModel, number> = { dfrobot: 25, m5stack: 80 };

/** A different load on every corner that never stays still for long, as a real cell's noise never does. */
export const movingLoad: TrueLoad = (channel, atSec) => (channel + 1) * 100_000 - 50_000 * channel * channel + Math.round(atSec * 1000);

export interface Rig {
  time: FakeTime;
  bus: SimulatedI2cBus;
  cells: LoadCells;
  samples: LoadSample[];
  /** Log lines matching `pattern`. */
  lines(pattern: RegExp): string[];
}

export async function rig(t: Teardown, model: BoardModel, options: { load?: TrueLoad; rateHz?: number } = {}): Promise<Rig> {
  const time = useFakeTime();
  const bus = new SimulatedI2cBus({ model, addresses: ADDRESSES[model], load: options.load ?? movingLoad, clock: time.clock });
  const sink = memorySink('debug');
  const cells = await openLoadCells(
    { board: 'simulated', bus, rateHz: options.rateHz ?? RATE_HZ[model] },
    { clock: time.clock, log: createLogger(sink, 'test') },
  );
  const samples: LoadSample[] = [];
  cells.sampler.on('sample', (s) => samples.push(s));
  t.teardown(async () => {
    // Reads under way may be waiting on fake timers: keep time going until they finish.
    const closing = cells.close();
    await time.advance(0.1);
    await closing;
    time.restore();
  });
  return { time, bus, cells, samples, lines: (pattern) => sink.lines.filter((l) => pattern.test(l)) };
}
