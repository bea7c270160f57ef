// A bound on how many scans a second reach the basket. A shopper scans one
// item at a time, a second or more apart; a scanner left in continuous mode,
// a faulty cable or someone holding a sheet of codes under it can send
// thousands a second, and each would be a committed row and a log line, and
// would hold up the load cell sampling on the same thread. A token bucket:
// `burst` scans at once, then `perSec` a second. A read the bucket cannot
// pay for starts a flood, and while the flood lasts (until the line has
// carried no read for a second) every read is dropped and counted, the
// bucket refilling only once it is over. A shopper's scans, the scanner's
// repeats included, stay within the bucket; what empties it is a machine,
// and a scan let through such a flood now and then would be one of its junk
// codes, committed with an fsync that stalls the sampling for nothing.
// Pure: the time of each scan comes in with it.
import type { Seconds } from '../domain.js';

/** A flood is over once no scan has been dropped for this long. */
const floodQuietSec = 1;

export interface Flood {
  fromSec: Seconds;
  lastSec: Seconds;
  dropped: number;
}

export class ScanRateLimit {
  #tokens: number;
  #atSec = -Infinity;
  #flood: Flood | null = null;

  constructor(readonly perSec: number, readonly burst: number) {
    if (!(perSec > 0) || !(burst >= 1)) throw new RangeError('a scan rate needs perSec > 0 and burst >= 1');
    this.#tokens = burst;
  }

  /** Whether the scan at `atSec` may go on; false drops it, counted in the flood under way. */
  admit(atSec: Seconds): boolean {
    const flood = this.#flood;
    if (!flood || atSec - flood.lastSec >= floodQuietSec) {
      if (atSec > this.#atSec) {
        this.#tokens = Math.min(this.burst, this.#tokens + (atSec - this.#atSec) * this.perSec);
        this.#atSec = atSec;
      }
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return true;
      }
    }
    // A flood gone quiet that ended() has not yet taken keeps its count: this read joins it.
    if (flood) {
      flood.dropped++;
      flood.lastSec = atSec;
    } else {
      this.#flood = { fromSec: atSec, lastSec: atSec, dropped: 1 };
    }
    return false;
  }

  /** Scans dropped so far in the flood under way; 0 when there is none. */
  get dropped(): number {
    return this.#flood?.dropped ?? 0;
  }

  /** The flood that has gone quiet by `atSec`, once; null while it goes on or when there is none. */
  ended(atSec: Seconds): Flood | null {
    const flood = this.#flood;
    if (!flood || atSec - flood.lastSec < floodQuietSec) return null;
    this.#flood = null;
    return flood;
  }
}
