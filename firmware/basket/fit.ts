// Does a measured weight change fit a set of items? Each item's weight is a
// normal distribution (mean, sd); the change has its own measurement sd; the
// calibration adds a small error proportional to the weight. A set fits when
// the change lies within `fitSigmas` combined standard deviations of the sum.
import type { Grams } from '../domain.js';

export interface WeightGuess {
  grams: Grams;
  sdGrams: Grams;
}

export interface Fit<T> {
  members: T[];
  expectedGrams: Grams;
  toleranceGrams: Grams;
  /** Distance from the expectation in standard deviations. */
  z: number;
  /** Negative log-likelihood of the measurement under this set (lower is likelier). */
  cost: number;
}

export function fitOf<T>(members: T[], weightOf: (m: T) => WeightGuess, measured: WeightGuess,
  relativeErrorSd: number, fitSigmas: number): Fit<T> {
  let mean = 0;
  let variance = measured.sdGrams ** 2 + (relativeErrorSd * Math.abs(measured.grams)) ** 2;
  for (const m of members) {
    const w = weightOf(m);
    mean += w.grams;
    variance += w.sdGrams ** 2;
  }
  const sd = Math.sqrt(variance);
  const z = Math.abs(measured.grams - mean) / sd;
  return { members, expectedGrams: mean, toleranceGrams: fitSigmas * sd, z, cost: z * z / 2 + Math.log(sd) };
}

/** Every set of 1 to maxSize items, smaller sets first, each in the items' order. */
export function* subsetsBySize<T>(items: T[], maxSize: number): Generator<T[]> {
  const n = items.length;
  for (let size = 1; size <= Math.min(maxSize, n); size++) {
    const idx = Array.from({ length: size }, (_, i) => i);
    for (;;) {
      yield idx.map((i) => items[i]!);
      let k = size - 1;
      while (k >= 0 && idx[k] === n - size + k) k--;
      if (k < 0) break;
      idx[k]!++;
      for (let j = k + 1; j < size; j++) idx[j] = idx[j - 1]! + 1;
    }
  }
}

/** Every set of up to maxSize items that fits, likeliest first. */
export function likeliestSets<T>(items: T[], weightOf: (m: T) => WeightGuess, measured: WeightGuess,
  opts: { relativeErrorSd: number; fitSigmas: number; maxSize: number }): Fit<T>[] {
  const found: Fit<T>[] = [];
  for (const set of subsetsBySize(items, opts.maxSize)) {
    const fit = fitOf(set, weightOf, measured, opts.relativeErrorSd, opts.fitSigmas);
    if (fit.z <= opts.fitSigmas) found.push(fit);
  }
  return found.sort((a, b) => a.cost - b.cost);
}

/**
 * The sets that fit, for the smallest set size that has any ("prefer the fewest
 * items"), best first.
 */
export function fittingSets<T>(items: T[], weightOf: (m: T) => WeightGuess, measured: WeightGuess,
  opts: { relativeErrorSd: number; fitSigmas: number; maxSize: number }): Fit<T>[] {
  let found: Fit<T>[] = [];
  let size = 0;
  for (const set of subsetsBySize(items, opts.maxSize)) {
    if (set.length !== size) {
      if (found.length > 0) break;
      size = set.length;
    }
    const fit = fitOf(set, weightOf, measured, opts.relativeErrorSd, opts.fitSigmas);
    if (fit.z <= opts.fitSigmas) found.push(fit);
  }
  found = found.sort((a, b) => a.z - b.z);
  return found;
}
