// Measures a trace the way the samples were measured for docs/bench-simulator.md,
// so that the tests hold the simulator to the numbers it claims.
import type { Seconds } from '../../firmware/domain.js';
import type { Truth } from '../bench/sim/truth.js';
import { parseHeader, parseLine, type TraceHeader } from '../bench/trace.js';

export interface Samples {
  header: TraceHeader;
  t: number[];
  /** Grams per cell by the header's calibration; NaN where the channel was null. */
  grams: number[][];
}

export function readSamples(lines: Iterable<string>): Samples {
  let header: TraceHeader | null = null;
  const t: number[] = [];
  const grams: number[][] = [];
  let n = 0;
  for (const line of lines) {
    n++;
    if (!header) {
      header = parseHeader(line);
      continue;
    }
    const parsed = parseLine(line, n);
    if (parsed?.kind !== 'adc') continue;
    t.push(parsed.t);
    grams.push(parsed.raw.map((v, i) => {
      const cal = header!.calibration[i]!;
      return v === null ? NaN : (v - cal.offset) / cal.countsPerGram;
    }));
  }
  if (!header) throw new Error('no header');
  return { header, t, grams };
}

export function total(row: number[]): number {
  return row.reduce((a, b) => a + (Number.isNaN(b) ? 0 : b), 0);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length / 2;
  return s.length % 2 ? s[Math.floor(m)]! : (s[m - 1]! + s[m]!) / 2;
}

export function sd(xs: number[]): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
}

/** Robust sd: 1.4826 times the median absolute deviation, blind to spikes. */
export function robustSd(xs: number[]): number {
  const m = median(xs);
  return 1.4826 * median(xs.map((x) => Math.abs(x - m)));
}

/** Indices of the samples in [from, to). */
export function between(s: Samples, from: Seconds, to: Seconds): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.t.length; i++) if (s.t[i]! >= from && s.t[i]! < to) out.push(i);
  return out;
}

/** Stretches of at least minS where the truth says nothing moves (0.6 s kept clear of every action, push and rearrangement). */
export function quietWindows(truth: Truth, minS = 2): [Seconds, Seconds][] {
  const pad = 0.6;
  const busy: [Seconds, Seconds][] = [
    ...truth.actions.map((a): [Seconds, Seconds] => [a.t - pad, a.restAt + pad]),
    ...[...truth.motion, ...truth.rearranged].map(([a, b]): [Seconds, Seconds] => [a - pad, b + pad]),
  ].sort((a, b) => a[0] - b[0]);
  const out: [Seconds, Seconds][] = [];
  let from = 0;
  for (const [a, b] of busy) {
    if (a - from >= minS) out.push([from + 0.2, a]);
    from = Math.max(from, b);
  }
  if (truth.durationS - from >= minS) out.push([from + 0.2, truth.durationS]);
  return out;
}

/** Noise of each cell at rest, grams: robust sd of the samples about their mean in each quiet window. */
export function restingNoise(s: Samples, truth: Truth): number[] {
  const out: number[] = [];
  for (const [a, b] of quietWindows(truth)) {
    const idx = between(s, a, b);
    for (let c = 0; c < 4; c++) {
      const xs = idx.map((i) => s.grams[i]![c]!).filter((x) => !Number.isNaN(x));
      if (xs.length > 100) out.push(robustSd(xs));
    }
  }
  return out;
}

/** Actions that stand alone: not in a push or rearrangement, no other action within 3 s. */
export function isolatedActions(truth: Truth): Truth['actions'] {
  const clear = (a: number, b: number) => ![...truth.motion, ...truth.rearranged].some(([m0, m1]) => m0 < b && m1 > a);
  return truth.actions.filter((a) => clear(a.t - 1, a.restAt + 1.5)
    && !truth.actions.some((o) => o !== a && (Math.abs(o.t - a.t) < 3 || Math.abs(o.t - a.restAt) < 2 || o.restAt === a.restAt)));
}

/** The change of total weight across an action: median after rest less median before. */
export function measuredChange(s: Samples, a: Truth['actions'][number]): { before: number; after: number } {
  const before = median(between(s, a.t - 1, a.t - 0.05).map((i) => total(s.grams[i]!)));
  const after = median(between(s, a.restAt + 0.3, a.restAt + 1.3).map((i) => total(s.grams[i]!)));
  return { before, after };
}
