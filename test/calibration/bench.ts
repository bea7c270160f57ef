// The calibration bench: a cart basket on four load cells with known true
// gains and offsets, and a scripted technician who puts test weights where
// cart-cal asks. The boards are SimulatedI2cBus M5Stack units, so the real
// board drivers, sampler and Scale run; time is fake (the load cell
// harness), so a half-hour procedure takes seconds and gives the same
// numbers every run.
import type { LoadCellConfig } from '../../drivers/loadcell/index.js';
import { SimulatedI2cBus } from '../../drivers/loadcell/index.js';
import type { LiveReading } from '../../firmware/control/index.js';
import type { Seconds } from '../../firmware/domain.js';
import type { Where } from '../../calibration/metrology/placement.js';
import type { Guide, Instruction } from '../../calibration/procedure/guide.js';

export const ADDRESSES = [0x64, 0x65, 0x66, 0x67];

export interface BenchTruth {
  /** Counts of each cell with nothing on it at all. */
  offsets: number[];
  countsPerGram: number[];
  /** The empty basket's own weight, shared by the four cells. */
  basketGrams: number;
  /** HX711 noise, counts (1 sd): some 50 nV rms at 10 SPS and gain 128 (datasheet), about 20 counts. */
  noiseCounts: number;
  /**
   * How the basket shares a load among its cells, between 0 and 1. 0: a
   * rigid basket on four equal cells stays flat, so its shares are linear in
   * the position and never load it in twist; 1: a frame soft in twist, each
   * load split by the lever rule along x then along y (bilinear), so a load
   * over a cell goes mostly into it. A wire basket on a cart frame is in
   * between.
   */
  twistSoftness: number;
}

/** A cart whose cells differ by a few percent, none wired alike. */
export const trueCart: BenchTruth = {
  offsets: [81_234, -52_210, 12_877, 30_411],
  countsPerGram: [96.31, 103.87, 99.12, 101.74],
  basketGrams: 4_200,
  noiseCounts: 20,
  twistSoftness: 0.5,
};

/** Corner sides, fl fr rl rr: x to the right, y to the front (as firmware/weight/calibration.ts). */
const SIDE_X = [-1, 1, -1, 1];
const SIDE_Y = [1, 1, -1, -1];
const CORNER_INDEX = { fl: 0, fr: 1, rl: 2, rr: 3 } as const;

interface Item {
  grams: number;
  /** Position on the floor, -1..1 across each half-width and half-depth from the centre. */
  u: number;
  v: number;
}

/** Where a weight lands for each instruction: over the cell for a corner, mid-quarter for a quarter. */
export function positionOf(where: Where): { u: number; v: number } | null {
  switch (where.at) {
    case 'empty':
      return null;
    case 'centre':
      return { u: 0, v: 0 };
    case 'corner':
      return { u: 0.8 * SIDE_X[CORNER_INDEX[where.corner]]!, v: 0.8 * SIDE_Y[CORNER_INDEX[where.corner]]! };
    case 'quarter':
      return { u: 0.5 * SIDE_X[CORNER_INDEX[where.corner]]!, v: 0.5 * SIDE_Y[CORNER_INDEX[where.corner]]! };
  }
}

/** A seeded hash of (channel, millisecond, seed) to a standard normal: the same conversion always has the same noise. */
function noise(channel: number, ms: number, seed: number): number {
  const uniform = (k: number) => {
    let h = Math.imul(channel + 1, 0x9e3779b1) ^ Math.imul(ms, 0x85ebca6b) ^ Math.imul(seed + k, 0xc2b2ae35);
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
    h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
    return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
  };
  return Math.sqrt(-2 * Math.log(1 - uniform(0))) * Math.cos(2 * Math.PI * uniform(1));
}

export class CalibrationBench {
  readonly truth: BenchTruth;
  /** What lies on the basket from each time on, in time order. */
  private readonly timeline: { fromSec: Seconds; items: Item[] }[] = [{ fromSec: -Infinity, items: [] }];
  /** The cart being pushed: each cell jolted by this much (g, 1 sd) per conversion over the span. */
  private readonly pushes: { fromSec: Seconds; toSec: Seconds; grams: number }[] = [];

  constructor(truth: BenchTruth = trueCart, private readonly seed = 1) {
    this.truth = { ...truth, offsets: [...truth.offsets], countsPerGram: [...truth.countsPerGram] };
  }

  /** From `atSec` on, exactly these weights lie on the basket. */
  put(items: Item[], atSec: Seconds): void {
    this.timeline.push({ fromSec: atSec, items });
  }

  /** Pushed over a floor between these times: hundreds of grams of jolt per cell, as the motion test expects. */
  push(fromSec: Seconds, toSec: Seconds, grams = 200): void {
    this.pushes.push({ fromSec, toSec, grams });
  }

  /** A cell's gain changes from now on (a dented cell, a loose mount): the calibration no longer fits it. */
  setCountsPerGram(channel: number, countsPerGram: number): void {
    this.truth.countsPerGram[channel] = countsPerGram;
  }

  /** The force on each cell, in grams (see twistSoftness). */
  cellGrams(channel: number, atSec: Seconds): number {
    let at = this.timeline[0]!;
    for (const entry of this.timeline) if (entry.fromSec <= atSec) at = entry;
    const sx = SIDE_X[channel]!;
    const sy = SIDE_Y[channel]!;
    const soft = this.truth.twistSoftness;
    let grams = this.truth.basketGrams / 4;
    for (const { grams: g, u, v } of at.items) {
      const flat = (1 + u * sx + v * sy) / 4;
      const bilinear = ((1 + u * sx) * (1 + v * sy)) / 4;
      grams += g * ((1 - soft) * flat + soft * bilinear);
    }
    return grams;
  }

  readonly load = (channel: number, atSec: Seconds): number => {
    const t = this.truth;
    const ms = Math.round(atSec * 1000);
    const jolt = this.pushes.filter((p) => p.fromSec <= atSec && atSec < p.toSec).reduce((g, p) => g + p.grams * noise(channel, ms, this.seed + 7), 0);
    return t.offsets[channel]! + t.countsPerGram[channel]! * (this.cellGrams(channel, atSec) + jolt) + t.noiseCounts * noise(channel, ms, this.seed);
  };

  loadCells(clock: () => Seconds): LoadCellConfig {
    return { board: 'simulated', rateHz: 25, bus: new SimulatedI2cBus({ model: 'dfrobot', addresses: ADDRESSES, clock, load: this.load }) };
  }
}

/**
 * The technician: does what each instruction says, lifting a weight for
 * `liftSec` before putting it down elsewhere, answers every question with
 * `answer`, and keeps what the tool told them.
 */
export class BenchTechnician implements Guide {
  readonly instructions: Instruction[] = [];
  readonly notes: string[] = [];
  readonly questions: string[] = [];

  constructor(private readonly bench: CalibrationBench, private readonly clock: () => Seconds, private readonly answer = true, private readonly liftSec = 0.3) {}

  instruct(instruction: Instruction): void {
    this.instructions.push(instruction);
    const now = this.clock();
    const position = positionOf(instruction.placement.where);
    if (position === null) {
      this.bench.put([], now);
      return;
    }
    this.bench.put([], now);
    this.bench.put([{ grams: instruction.placement.grams, ...position }], now + this.liftSec);
  }

  waiting(_reading: LiveReading): void {}

  note(text: string): void {
    this.notes.push(text);
  }

  async confirm(question: string): Promise<boolean> {
    this.questions.push(question);
    return this.answer;
  }
}
