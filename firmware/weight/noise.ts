// The noise floor, measured rather than assumed. Every block of samples gives
// the scatter about a line fitted through it; quiet blocks show the cells'
// noise, busy ones (hands, pushing) more. The floor is a low quantile of the
// recent blocks, corrected by the chi-square distribution of a quiet block's
// variance so that it estimates the noise variance itself. The prior must be
// within a factor of three (in sd) of the truth for the floor to find it.

/** Blocks needed before the measurement replaces the prior. */
const MIN_BLOCKS = 10;
/**
 * Quiet time after which the measurement may raise the prior before it
 * replaces it (s), and never fewer blocks than RAISE_MIN_BLOCKS. With the
 * prior a factor of two under a noisy cart's noise, no window passes the
 * rest test until the floor has measured it; waiting for MIN_BLOCKS quiet
 * blocks (four seconds and more) kept such a cart from its first rest for
 * that long, and an item put in meanwhile was taken for the empty basket.
 * The lowest of a few quiet blocks cannot be a hand in all of them; lowering
 * the prior still waits for MIN_BLOCKS. Time, not a count: a board read at
 * 10 Hz has blocks of 1.2 s, and three of them kept a noisy cart from its
 * first rest until a hand on the basket at 2.9 s (xsim2 8019 trip 9).
 */
const RAISE_AFTER_SEC = 1.2;
const RAISE_MIN_BLOCKS = 2;
/** The quantile taken: quiet blocks need only be a fifth of recent time. */
const QUANTILE = 0.2;
/** Standard normal quantile of QUANTILE. */
const Z_QUANTILE = -0.8416;
/**
 * A block more than this many times the floor's variance (three times its
 * sd) is a hand or a push, not noise, and is not learnt from: a push the
 * motion test misses, longer than the memory, must not become the floor.
 * A genuinely noisier cart still raises the floor, block by block.
 */
const ACCEPT_RATIO = 9;

export class NoiseFloor {
  private readonly blocks: Float64Array;
  /** The `count` values of `blocks`, in ascending order, kept so as blocks come and go rather than copied and sorted at each block. */
  private readonly sorted: Float64Array;
  private count = 0;
  private next = 0;
  private estimate: number;
  /** The QUANTILE of chi-square(dof)/dof: what a quiet block's variance reads at that quantile. */
  private readonly quietRatio: number;

  private readonly raiseBlocks: number;

  /** `blockSec`: the time a block spans. */
  constructor(
    private readonly priorVariance: number,
    memoryBlocks: number,
    dof: number,
    blockSec: number,
  ) {
    this.raiseBlocks = Math.max(RAISE_MIN_BLOCKS, Math.ceil(RAISE_AFTER_SEC / blockSec - 1e-9));
    this.blocks = new Float64Array(Math.max(MIN_BLOCKS, memoryBlocks));
    this.sorted = new Float64Array(this.blocks.length);
    this.estimate = priorVariance;
    this.quietRatio = chiSquareQuantileRatio(dof, Z_QUANTILE);
  }

  /** Add one block's residual variance (unit squared). */
  add(variance: number): void {
    if (variance > ACCEPT_RATIO * this.estimate) return;
    if (this.count === this.blocks.length) this.removeSorted(this.blocks[this.next]!);
    this.blocks[this.next] = variance;
    this.next = (this.next + 1) % this.blocks.length;
    this.insertSorted(variance);
    if (this.count < this.raiseBlocks) return;
    const n = this.count;
    const q = this.sorted[Math.floor(QUANTILE * (n - 1))]!;
    this.estimate = n < MIN_BLOCKS ? Math.max(this.priorVariance, q / this.quietRatio) : q / this.quietRatio;
  }

  /** Noise variance (unit squared). */
  variance(): number {
    return this.estimate;
  }

  /** Re-express in another unit: variance scales with the square of the factor. */
  scale(factor: number): void {
    const f2 = factor * factor;
    for (let i = 0; i < this.blocks.length; i++) {
      this.blocks[i] = this.blocks[i]! * f2;
      this.sorted[i] = this.sorted[i]! * f2;
    }
    this.estimate *= f2;
  }

  private insertSorted(v: number): void {
    const at = this.firstAbove(v);
    this.sorted.copyWithin(at + 1, at, this.count);
    this.sorted[at] = v;
    this.count++;
  }

  private removeSorted(v: number): void {
    // The slot just below the first value above v holds v itself.
    const at = this.firstAbove(v) - 1;
    this.sorted.copyWithin(at, at + 1, this.count);
    this.count--;
  }

  /** Index of the first of the sorted values that is above v (count when none is). */
  private firstAbove(v: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid]! > v) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Quantile of chi-square(dof)/dof at standard normal quantile z (Wilson-Hilferty). */
export function chiSquareQuantileRatio(dof: number, z: number): number {
  const a = 2 / (9 * dof);
  return Math.max(0, (1 - a + z * Math.sqrt(a)) ** 3);
}
