// Spike and gap removal for one channel: a Hampel filter. Each sample is
// compared with the median of its centred window; one further than
// `sigmas` sd from it (the channel's noise or the window's own spread,
// whichever is larger) is an outlier (EMI, a bad I2C read) and is
// replaced by that median. Missing samples (null, saturated) are left out of
// the median, so a short gap is bridged by its neighbours. A step keeps its
// shape: at an edge the centre sample equals the median.

export class SpikeFilter {
  private readonly window: Float64Array;
  private readonly sorted: Float64Array;
  private next = 0;
  private filled = 0;
  private last: number | null = null;

  /** `size` odd: removes bursts up to (size-1)/2 samples, delaying the signal by as many. */
  constructor(
    private readonly size: number,
    private readonly sigmas: number,
  ) {
    this.window = new Float64Array(size).fill(Number.NaN);
    this.sorted = new Float64Array(size);
  }

  get delaySamples(): number {
    return (this.size - 1) / 2;
  }

  /**
   * Takes the newest sample (NaN when missing) and returns the cleaned value
   * of the sample `delaySamples` back; null until any value has been seen.
   */
  push(value: number, noiseSd: number): number | null {
    this.window[this.next] = value;
    this.next = (this.next + 1) % this.size;
    if (this.filled < this.size) this.filled++;
    const centre = this.window[(this.next + this.delaySamples) % this.size] ?? Number.NaN;
    let n = 0;
    for (let i = 0; i < this.size; i++) {
      const v = this.window[i] ?? Number.NaN;
      if (!Number.isNaN(v)) this.sorted[n++] = v;
    }
    if (n === 0) return this.last;
    const median = medianOf(this.sorted, n);
    const cleaned = Number.isNaN(centre) || this.isOutlier(centre, median, n, noiseSd) ? median : centre;
    this.last = cleaned;
    return cleaned;
  }

  /**
   * Further than `sigmas` sd from the median, the sd being the larger of the
   * channel's noise and the window's own spread (1.4826 MAD). Where most of
   * the window is as far out, the load itself is moving (a hand leaning on
   * the basket, read ten times a second), not spiking: replaced by medians,
   * such a wander came out as still as the noise and passed for rest.
   */
  private isOutlier(centre: number, median: number, n: number, noiseSd: number): boolean {
    const off = Math.abs(centre - median);
    if (off <= this.sigmas * noiseSd) return false;
    return off > this.sigmas * 1.4826 * madOfSorted(this.sorted, n, median);
  }

  /** Re-express the held samples in another unit (a recalibrated cell). */
  map(f: (grams: number) => number): void {
    for (let i = 0; i < this.size; i++) {
      const v = this.window[i] ?? Number.NaN;
      if (!Number.isNaN(v)) this.window[i] = f(v);
    }
    if (this.last !== null) this.last = f(this.last);
  }
}

/** Median of the first n values (insertion sort: n is a handful). */
function medianOf(a: Float64Array, n: number): number {
  for (let i = 1; i < n; i++) {
    const v = a[i] ?? 0;
    let j = i - 1;
    while (j >= 0 && (a[j] ?? 0) > v) {
      a[j + 1] = a[j] ?? 0;
      j--;
    }
    a[j + 1] = v;
  }
  const mid = n >> 1;
  return n % 2 === 1 ? (a[mid] ?? 0) : ((a[mid - 1] ?? 0) + (a[mid] ?? 0)) / 2;
}

/**
 * Median absolute deviation of the first n values of a sorted array from
 * their median. The deviations grow outward from the middle on either side,
 * so the two runs are merged from the middle out rather than sorted: most
 * samples of a push reach this test, and a sort each was 7 % of a replay.
 */
export function madOfSorted(a: Float64Array, n: number, median: number): number {
  let left = (n - 1) >> 1;
  let right = left + 1;
  let previous = 0;
  let current = 0;
  for (let k = 0; k <= n >> 1; k++) {
    const fromLeft = left >= 0 ? median - (a[left] ?? 0) : Infinity;
    const fromRight = right < n ? (a[right] ?? 0) - median : Infinity;
    previous = current;
    if (fromLeft <= fromRight) {
      current = fromLeft;
      left--;
    } else {
      current = fromRight;
      right++;
    }
  }
  return n % 2 === 1 ? current : (previous + current) / 2;
}
