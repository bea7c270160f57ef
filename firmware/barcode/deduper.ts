// A scanner repeats itself: some send a second copy of a code up to 0.8 s
// after the first. cart-trace.md: the same code read again within 1 s is the
// scanner repeating itself, one scan; a deliberate second scan comes later.
//
// The window counts from the scan that was taken, not from the last repeat:
// a shopper who scans a product, gets a stray repeat 0.9 s later and scans it
// again deliberately 1.8 s after the first has scanned two. A scanner in
// presentation mode that re-reads a code held under it must have its own
// same-code delay set longer than the window (docs/barcodes.md).

export class ScanDeduper {
  /** When each code was last taken as a scan, oldest first (a Map keeps insertion order; a new scan moves its code to the end). */
  private readonly takenAtSec = new Map<string, number>();
  private latestSec = -Infinity;

  constructor(private readonly windowSec: number) {
    if (!(windowSec >= 0 && Number.isFinite(windowSec))) throw new RangeError('windowSec must be a number of seconds, 0 or more');
  }

  /** True when this read is a new scan, false when it repeats the same code within the window. */
  accept(code: string, atSec: number): boolean {
    if (atSec < this.latestSec) throw new RangeError(`read at ${atSec} s is earlier than the previous one at ${this.latestSec} s`);
    this.latestSec = atSec;
    // Codes taken longer than a window ago can never be repeated again: forget them, so memory stays bounded.
    for (const [old, t] of this.takenAtSec) {
      if (atSec - t < this.windowSec) break;
      this.takenAtSec.delete(old);
    }
    if (this.takenAtSec.has(code)) return false;
    this.takenAtSec.set(code, atSec);
    return true;
  }

  /** Codes remembered right now: at most those taken within the last window. */
  get size(): number {
    return this.takenAtSec.size;
  }
}
