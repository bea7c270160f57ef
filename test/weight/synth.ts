// Synthetic load-cell streams with known answers, for the weighing tests:
// corner loads as functions of time, white noise from a seeded generator,
// converted to HX711 counts through a known calibration.
import type { BasketGeometry, CellCalibration, LoadSample, StableDelta, WeightEvent, ScaleStatus } from '../../firmware/domain.js';
import type { Scale } from '../../firmware/weight/scale.js';

export const geometry: BasketGeometry = { widthMm: 500, depthMm: 350 };
/** Four cells of unequal gain, one mounted the other way round. */
export const calibration: CellCalibration[] = [
  { offset: -81234, countsPerGram: 104.7 },
  { offset: 12077, countsPerGram: 98.2 },
  { offset: 230551, countsPerGram: -111.3 },
  { offset: -4410, countsPerGram: 95.9 },
];
export const RATE_HZ = 80;

/** mulberry32: a small seeded generator, so that every run sees the same noise. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** How a rigid basket on four equal cells shares a load at (x, y) mm from its centre: fl, fr, rl, rr. */
export function shares(xMm: number, yMm: number): number[] {
  const sx = xMm / geometry.widthMm;
  const sy = yMm / geometry.depthMm;
  return [0.25 - sx / 2 + sy / 2, 0.25 + sx / 2 + sy / 2, 0.25 - sx / 2 - sy / 2, 0.25 + sx / 2 - sy / 2];
}

/** 0 before `atSec`, 1 after `atSec + rampSec`, smooth between (a hand lowering an item). */
export function ramp(t: number, atSec: number, rampSec = 0.3): number {
  if (t <= atSec) return 0;
  if (t >= atSec + rampSec) return 1;
  const u = (t - atSec) / rampSec;
  return u * u * (3 - 2 * u);
}

export interface Stream {
  durationSec: number;
  /** Grams on each corner at time t, before noise. */
  corners: (t: number) => number[];
  noiseGrams?: number;
  seed?: number;
  /** Replace a channel's counts: return null (no answer), a saturated value, or undefined to keep the reading. */
  fault?: (t: number, channel: number) => number | null | undefined;
}

export function samples(s: Stream): LoadSample[] {
  const rand = random(s.seed ?? 1);
  const noise = s.noiseGrams ?? 1;
  const out: LoadSample[] = [];
  let t = 0;
  while (t < s.durationSec) {
    const g = s.corners(t);
    const raw = calibration.map((cal, c) => {
      const f = s.fault?.(t, c);
      if (f !== undefined) return f;
      return Math.round(((g[c] ?? 0) + noise * gaussian(rand)) * cal.countsPerGram + cal.offset);
    });
    out.push({ atSec: t, raw });
    // A real board's clock wanders by a few percent around the nominal rate.
    t += (1 + 0.04 * (rand() - 0.5)) / RATE_HZ;
  }
  return out;
}

export function run(scale: Scale, stream: LoadSample[]): WeightEvent[] {
  return stream.flatMap((s) => scale.push(s));
}

export const deltasOf = (events: WeightEvent[]): StableDelta[] => events.filter((e): e is StableDelta => e.kind === 'stable-delta');
export const statusesOf = (events: WeightEvent[]): ScaleStatus[] => events.filter((e): e is ScaleStatus => e.kind === 'scale-status');

/** Pushing: the whole load (basket included) bounces at a few hertz by hundreds of grams. */
export function pushing(t: number, fromSec: number, toSec: number, seed = 7): number {
  if (t < fromSec || t > toSec) return 0;
  const p = seed * 0.37;
  return 180 * Math.sin(2 * Math.PI * 4.3 * t + p) + 120 * Math.sin(2 * Math.PI * 7.9 * t + 2 * p) + 60 * Math.sin(2 * Math.PI * 11.7 * t + 3 * p);
}
