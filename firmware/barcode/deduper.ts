// A scanner repeats itself: in presentation mode it reads the code held in
// front of it again and again, and some send a second copy up to 0.8 s after
// the first. cart-trace.md: the same code read again within 1 s is one scan.
//
// The window is measured from the last read of the code, not from the first:
// a code held under the scanner for three seconds, read every half second,
// stays one scan instead of becoming three items. The price is that two
// deliberate scans of the same product must be more than the window apart,
// which is what the trace format assumes of shoppers anyway.

export class ScanDeduper {
  /** Last read of each code, oldest first (a Map keeps insertion order; a read moves its code to the end). */
  private readonly lastReadAtSec = new Map<string, number>();
  private latestSec = -Infinity;

  constructor(private readonly windowSec: number) {
    if (!(windowSec >= 0 && Number.isFinite(windowSec))) throw new RangeError('windowSec must be a number of seconds, 0 or more');
  }

  /** True when this read is a new scan, false when it repeats the same code within the window. */
  accept(code: string, atSec: number): boolean {
    if (atSec < this.latestSec) throw new RangeError(`read at ${atSec} s is earlier than the previous one at ${this.latestSec} s`);
    this.latestSec = atSec;
    // Codes not read within the window can never be repeats again: forget them, so memory stays bounded.
    for (const [old, t] of this.lastReadAtSec) {
      if (atSec - t < this.windowSec) break;
      this.lastReadAtSec.delete(old);
    }
    const previous = this.lastReadAtSec.get(code);
    this.lastReadAtSec.delete(code);
    this.lastReadAtSec.set(code, atSec);
    return previous === undefined || atSec - previous >= this.windowSec;
  }

  /** Codes remembered right now: at most those read within the last window. */
  get size(): number {
    return this.lastReadAtSec.size;
  }
}
