// Drift of the empty-basket zero and of the cells' gain with temperature is
// slow and smooth (grams per minute), and it goes on while the cart is pushed
// for half a minute and nothing can be weighed. Within stable periods the
// total minus the load changes measured so far is pure drift; an
// exponentially weighted regression on time follows its level and its rate,
// and predicts it across the gap, so that a change measured after a long
// push is not off by the drift of the push. The rate is shrunk towards zero
// (a Gaussian prior) where the stable data are too short to tell it.
import type { Grams, Seconds } from '../domain.js';

export interface DriftPrediction {
  /** The total (g) the basket would read at that time had its load not changed since the last rest. */
  grams: Grams;
  /** Variance of that prediction (g²). */
  variance: number;
}

export class DriftTrend {
  private weight = 0;
  private meanT = 0;
  private meanY = 0;
  private ctt = 0;
  private cty = 0;
  private lastSec: Seconds | null = null;
  /** The load changes measured so far (g): the drift is the stable total less this. */
  private loadGrams: Grams = 0;

  constructor(
    private readonly memorySec: Seconds,
    private readonly ratePriorGramsPerSec: number,
  ) {}

  /** A stable total (g) at atSec. */
  add(atSec: Seconds, total: Grams): void {
    const y = total - this.loadGrams;
    // Forget with time, so that the regression follows a drift whose rate changes.
    const keep = this.lastSec === null ? 0 : Math.exp(-Math.max(0, atSec - this.lastSec) / this.memorySec);
    this.lastSec = atSec;
    this.weight = keep * this.weight + 1;
    const dt = atSec - this.meanT;
    this.meanT += dt / this.weight;
    const dy = y - this.meanY;
    this.meanY += dy / this.weight;
    this.ctt = keep * this.ctt + dt * (atSec - this.meanT);
    this.cty = keep * this.cty + dt * (y - this.meanY);
  }

  /** The load changed by `grams` at a rest (reported or too small to report). */
  loadChanged(grams: Grams): void {
    this.loadGrams += grams;
  }

  /** The drift-only total at atSec; null before any stable data. `noiseVariance`: of one sample (g²). */
  predict(atSec: Seconds, noiseVariance: number): DriftPrediction | null {
    if (this.weight === 0) return null;
    const prior = noiseVariance / (this.ratePriorGramsPerSec * this.ratePriorGramsPerSec);
    const rate = this.cty / (this.ctt + prior);
    const rateVariance = noiseVariance / (this.ctt + prior);
    const ahead = atSec - this.meanT;
    return {
      grams: this.loadGrams + this.meanY + rate * ahead,
      variance: noiseVariance / this.weight + ahead * ahead * rateVariance,
    };
  }

  /** Start afresh (a new calibration: the old grams no longer compare). */
  reset(): void {
    this.weight = 0;
    this.ctt = 0;
    this.cty = 0;
    this.lastSec = null;
    this.loadGrams = 0;
  }
}
