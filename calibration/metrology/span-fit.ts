// Per-corner gains from a known weight placed in turn at each corner and in
// the middle. Whatever the basket's stiffness, the four cells share any load
// placed on it, so each placement k gives one equation
//     Σc gc · (countsk,c − emptyc) = W        (gc: grams per count of cell c)
// Five placements for four gains: solved by least squares, and the residual
// of each placement says how well one set of gains explains them all.
//
// A basket stiff in twist stays flat on its cells, and then no placement
// loads the cells in twist (fl and rr against fr and rl): that combination
// of gains cannot be measured, and it changes no weighing on that basket
// either. A faint pull of every gain towards the calibration in force
// (PRIOR_WEIGHT, far below what any measured direction feels) leaves it
// where it was instead of where the noise would throw it.
import type { CellCalibration } from '../../firmware/domain.js';
import { leastSquares } from './least-squares.js';
import type { Where } from './placement.js';
import { calibrationToleranceGrams } from './tolerance.js';

export interface SpanPlacement {
  where: Where;
  /** Averaged counts of the four corners with the weight on. */
  counts: number[];
}

export interface SpanFit {
  calibration: CellCalibration[];
  /** Per placement: what the new calibration reads minus the weight (g). */
  residualsGrams: number[];
  /** The largest residual allowed (g): a third of the MPE at the span load. */
  toleranceGrams: number;
  pass: boolean;
}

/** Relative weight of the pull towards the calibration in force: it moves a measured gain by about its square, 1e-8. */
const PRIOR_WEIGHT = 1e-4;

export function fitSpan(emptyCounts: readonly number[], placements: readonly SpanPlacement[], weightGrams: number, e: number, inForce: readonly CellCalibration[]): SpanFit {
  // Unknowns: each gain relative to the one in force, so that all four are about 1.
  const rows = placements.map((p) => p.counts.map((c, i) => (c - emptyCounts[i]!) / inForce[i]!.countsPerGram));
  const prior = inForce.map((_, i) => inForce.map((__, j) => (i === j ? PRIOR_WEIGHT * weightGrams : 0)));
  const { x: relative } = leastSquares([...rows, ...prior], [...rows.map(() => weightGrams), ...prior.map(() => PRIOR_WEIGHT * weightGrams)]);
  const residualsGrams = rows.map((row) => row.reduce((s, v, i) => s + v * relative[i]!, 0) - weightGrams);
  const calibration = relative.map((r, i) => ({ offset: emptyCounts[i]!, countsPerGram: inForce[i]!.countsPerGram / r }));
  const toleranceGrams = calibrationToleranceGrams(weightGrams, e);
  return { calibration, residualsGrams, toleranceGrams, pass: residualsGrams.every((r) => Math.abs(r) <= toleranceGrams) };
}
