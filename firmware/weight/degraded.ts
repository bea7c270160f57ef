// Estimating a dead corner from the three live ones. A rigid basket on four
// equally stiff cells shares any load so that fl + rr = fr + rl (the load
// plane has no twist): the dead corner would be adjacent + adjacent -
// opposite. Real baskets twist; the other simple guess, an equal share
// (a third of the live change), is as wrong the other way. The prior is the
// average of the two. Every change measured on four healthy cells then
// teaches this cart's own relation by ridge regression towards that prior,
// and the prediction error on changes not yet learnt from sizes sdGrams.
import { CORNERS } from './calibration.js';

/** The prior coefficients on (adjacent sum, opposite): halfway between rigid plate (1, -1) and equal share (1/3, 1/3). */
const PRIOR: readonly [number, number] = [2 / 3, -1 / 3];
/** The prior weighs as much as this many observed changes. */
const PRIOR_WEIGHT = 5;

class CornerRegression {
  // Normal equations of the ridge regression, 2 x 2, symmetric.
  private a11 = PRIOR_WEIGHT;
  private a12 = 0;
  private a22 = PRIOR_WEIGHT;
  private b1 = PRIOR_WEIGHT * PRIOR[0];
  private b2 = PRIOR_WEIGHT * PRIOR[1];
  private errorSum: number;
  private errorCount = PRIOR_WEIGHT;
  alpha = PRIOR[0];
  beta = PRIOR[1];

  constructor(priorRelSd: number) {
    this.errorSum = PRIOR_WEIGHT * priorRelSd * priorRelSd;
  }

  /** One healthy change, each term divided by the size of the whole change. */
  learn(adjacent: number, opposite: number, dead: number): void {
    const e = dead - (this.alpha * adjacent + this.beta * opposite);
    this.errorSum += e * e;
    this.errorCount++;
    this.a11 += adjacent * adjacent;
    this.a12 += adjacent * opposite;
    this.a22 += opposite * opposite;
    this.b1 += adjacent * dead;
    this.b2 += opposite * dead;
    const det = this.a11 * this.a22 - this.a12 * this.a12;
    this.alpha = (this.a22 * this.b1 - this.a12 * this.b2) / det;
    this.beta = (this.a11 * this.b2 - this.a12 * this.b1) / det;
  }

  /** Relative error (1 sd) of the whole change when this corner is estimated. */
  relSd(): number {
    return Math.sqrt(this.errorSum / this.errorCount);
  }
}

export class DeadCornerModel {
  private readonly corners: CornerRegression[];

  constructor(priorRelSd: number) {
    this.corners = CORNERS.map(() => new CornerRegression(priorRelSd));
  }

  /** Learn from a change seen by all four cells (g per corner). */
  learn(change: ArrayLike<number>): void {
    let total = 0;
    for (let c = 0; c < CORNERS.length; c++) total += change[c] ?? 0;
    const size = Math.abs(total);
    if (size === 0) return;
    for (let d = 0; d < CORNERS.length; d++) {
      const { adjacent, opposite } = neighbours(change, d);
      this.corners[d]!.learn(adjacent / size, opposite / size, (change[d] ?? 0) / size);
    }
  }

  /** The dead corner's change (g), given the live corners' changes (the dead entry is ignored). */
  estimate(change: ArrayLike<number>, dead: number): number {
    const { adjacent, opposite } = neighbours(change, dead);
    const m = this.corners[dead]!;
    return m.alpha * adjacent + m.beta * opposite;
  }

  /**
   * Noise variance of the total with `dead` estimated, given each corner's
   * noise variance: the live corners count (1 + their coefficient) times.
   */
  totalNoiseVariance(dead: number, variances: ArrayLike<number>): number {
    const m = this.corners[dead]!;
    const opposite = 3 - dead;
    let v = 0;
    for (let c = 0; c < CORNERS.length; c++) {
      if (c === dead) continue;
      const gain = 1 + (c === opposite ? m.beta : m.alpha);
      v += gain * gain * (variances[c] ?? 0);
    }
    return v;
  }

  /** Relative error (1 sd) of a whole change measured with `dead` estimated. */
  relSd(dead: number): number {
    return this.corners[dead]!.relSd();
  }
}

/** Corners are fl 0, fr 1, rl 2, rr 3: the opposite corner of d is 3 - d. */
function neighbours(change: ArrayLike<number>, dead: number): { adjacent: number; opposite: number } {
  const opposite = 3 - dead;
  let adjacent = 0;
  for (let c = 0; c < CORNERS.length; c++) if (c !== dead && c !== opposite) adjacent += change[c] ?? 0;
  return { adjacent, opposite: change[opposite] ?? 0 };
}
