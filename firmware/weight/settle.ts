// The rest test. Commercial indicators wait for the reading to stay inside a
// fixed band for about a second. Here the band is the measured noise: a line
// is fitted through the last `restWindowSec` of the total, and the load is at
// rest when the line is flat within its standard error and the scatter about
// it is no more than noise (chi-square test). A hand on the item, a swinging
// load or a settling tail fails one of the two long before a fixed band
// would notice, and a quiet load passes after a fifth of a second.
import { chiSquareQuantileRatio } from './noise.js';

export interface LineFit {
  /** Mean of the window (g). */
  mean: number;
  /** Slope of the fitted line (g/s). */
  slopePerSec: number;
  /** Residual variance about the line (g²), with n-2 degrees of freedom. */
  residualVariance: number;
  /** Sum of squared time offsets from the window's mean time (s²): slope sd = sd/sqrt(this). */
  timeSpread: number;
}

/** The last `size` samples of the four corners, their total and their times. */
export class RestWindow {
  readonly times: Float64Array;
  readonly totals: Float64Array;
  readonly corners: Float64Array[];
  private next = 0;
  count = 0;

  constructor(readonly size: number, channels: number) {
    this.times = new Float64Array(size);
    this.totals = new Float64Array(size);
    this.corners = Array.from({ length: channels }, () => new Float64Array(size));
  }

  push(atSec: number, corners: ArrayLike<number>, total: number): void {
    this.times[this.next] = atSec;
    this.totals[this.next] = total;
    for (let c = 0; c < this.corners.length; c++) this.corners[c]![this.next] = corners[c] ?? 0;
    this.next = (this.next + 1) % this.size;
    this.count++;
  }

  get full(): boolean {
    return this.count >= this.size;
  }

  /** Index of the newest sample. */
  get newest(): number {
    return (this.next + this.size - 1) % this.size;
  }

  /** Index of the oldest sample. */
  get oldest(): number {
    return this.full ? this.next : 0;
  }

  /** Time of the oldest sample in the window. */
  get startSec(): number {
    return this.times[this.oldest] ?? 0;
  }

  /** Mean of the window's totals: what a stable load is checked against at every sample, without the line's cost. */
  meanTotal(): number {
    const n = Math.min(this.count, this.size);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.totals[i]!;
    return sum / n;
  }

  fit(values: Float64Array = this.totals): LineFit {
    const n = Math.min(this.count, this.size);
    let tMean = 0;
    let xMean = 0;
    for (let i = 0; i < n; i++) {
      tMean += this.times[i] ?? 0;
      xMean += values[i] ?? 0;
    }
    tMean /= n;
    xMean /= n;
    let stt = 0;
    let stx = 0;
    let sxx = 0;
    for (let i = 0; i < n; i++) {
      const dt = (this.times[i] ?? 0) - tMean;
      const dx = (values[i] ?? 0) - xMean;
      stt += dt * dt;
      stx += dt * dx;
      sxx += dx * dx;
    }
    const slope = stt > 0 ? stx / stt : 0;
    const residual = Math.max(0, sxx - slope * stx);
    return { mean: xMean, slopePerSec: slope, residualVariance: n > 2 ? residual / (n - 2) : 0, timeSpread: stt };
  }

  /** Time of the newest sample. */
  get endSec(): number {
    return this.times[this.newest] ?? 0;
  }

  /** Each corner's fitted line read at atSec (g), and the variance factor of that reading (times noise variance). */
  cornerLevels(atSec: number, out: Float64Array): number {
    let spread = 0;
    let tMean = 0;
    for (let c = 0; c < this.corners.length; c++) {
      const fit = this.fit(this.corners[c]);
      tMean = this.meanTime();
      spread = fit.timeSpread;
      out[c] = fit.mean + fit.slopePerSec * (atSec - tMean);
    }
    const n = Math.min(this.count, this.size);
    return 1 / n + (spread > 0 ? (atSec - tMean) ** 2 / spread : 0);
  }

  private meanTime(): number {
    const n = Math.min(this.count, this.size);
    let s = 0;
    for (let i = 0; i < n; i++) s += this.times[i] ?? 0;
    return s / n;
  }

  /** One corner was re-based by `grams`: shift its history and the totals with it. */
  shiftCorner(corner: number, grams: number): void {
    const col = this.corners[corner]!;
    for (let i = 0; i < this.size; i++) {
      col[i] = (col[i] ?? 0) + grams;
      this.totals[i] = (this.totals[i] ?? 0) + grams;
    }
  }

  /** Every corner re-expressed (recalibration); totals follow. */
  mapCorners(f: (corner: number, grams: number) => number): void {
    for (let i = 0; i < this.size; i++) {
      let total = 0;
      for (let c = 0; c < this.corners.length; c++) {
        const col = this.corners[c]!;
        col[i] = f(c, col[i] ?? 0);
        total += col[i] ?? 0;
      }
      this.totals[i] = total;
    }
  }
}

/** Test thresholds for a window of n samples at `sigmas` significance. */
export class RestTest {
  private readonly residualRatio: number;

  constructor(
    n: number,
    private readonly sigmas: number,
  ) {
    this.residualRatio = chiSquareQuantileRatio(n - 2, sigmas);
  }

  /** At rest: flat within `sigmas` standard errors, scatter within the noise at the same significance. */
  passes(fit: LineFit, noiseVariance: number): boolean {
    if (fit.residualVariance > noiseVariance * this.residualRatio) return false;
    const slopeSd = Math.sqrt(noiseVariance / fit.timeSpread);
    return Math.abs(fit.slopePerSec) <= this.sigmas * slopeSd;
  }
}

/**
 * Still going `direction` (+1 up, -1 down): the line's slope that way is more
 * than `sigmas` standard errors. The tail of a change (a hand letting go
 * slowly, an item sinking in) goes the way the change went, and a window of
 * a few tenths of a second tells such a tail from noise only weakly, while a
 * change is tested afresh at every sample: the luckiest window of a slow
 * ramp would pass a two-sided test.
 */
export function goesOn(fit: LineFit, noiseVariance: number, direction: number, sigmas: number): boolean {
  return direction * fit.slopePerSec > sigmas * Math.sqrt(noiseVariance / fit.timeSpread);
}
