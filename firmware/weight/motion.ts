// Is the cart being pushed? Pushing shakes the whole load up and down at
// several hertz: the total jumps by tens to hundreds of grams from one
// sample to the next. The measure is the rms of the sample-to-sample change of
// the total over a window; unlike the level, it ignores where the load sits.

export class VibrationMeter {
  private readonly squares: Float64Array;
  private next = 0;
  private last: number | null = null;

  constructor(windowSamples: number) {
    this.squares = new Float64Array(Math.max(1, windowSamples));
  }

  /** Feed the newest total (g); returns the rms change per sample over the window (g). */
  push(total: number): number {
    const d = this.last === null ? 0 : total - this.last;
    this.last = total;
    this.squares[this.next] = d * d;
    this.next = (this.next + 1) % this.squares.length;
    let sum = 0;
    // Indexed: a for-of allocates an iterator result a value until optimised (scale.ts, sum).
    for (let i = 0; i < this.squares.length; i++) sum += this.squares[i]!;
    return Math.sqrt(sum / this.squares.length);
  }

  /** The total was re-based by `grams` (a corner's estimate replaced by its reading): not a jump. */
  shift(grams: number): void {
    if (this.last !== null) this.last += grams;
  }
}
