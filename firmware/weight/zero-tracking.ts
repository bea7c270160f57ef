// Automatic zero tracking within the limits of OIML R76-1 and NIST HB44:
// only while the scale is stable, only while the shown load is within half a
// scale interval or so of zero, at most 0.5 e per second, and never further
// than a fixed range from the zero set at the last tare. It corrects what
// the display shows; changes are measured between stable states and need it
// not.
import type { Grams, Seconds } from '../domain.js';

export class ZeroTracker {
  /** The level (g) that reads as zero. */
  zeroGrams: Grams = 0;
  private tareGrams: Grams = 0;
  private lastSec: Seconds | null = null;

  constructor(
    private readonly bandGrams: Grams,
    private readonly rateGramsPerSec: number,
    private readonly rangeGrams: Grams,
  ) {}

  /** Tare: this stable level is the new zero, and the new centre of the tracking range. */
  tare(levelGrams: Grams, atSec: Seconds): void {
    this.zeroGrams = levelGrams;
    this.tareGrams = levelGrams;
    this.lastSec = atSec;
  }

  /** A stable level seen at atSec; anything else must call `pause`. */
  track(levelGrams: Grams, atSec: Seconds): void {
    const dt = this.lastSec === null ? 0 : Math.max(0, atSec - this.lastSec);
    this.lastSec = atSec;
    const offZero = levelGrams - this.zeroGrams;
    if (Math.abs(offZero) > this.bandGrams) return;
    const step = Math.max(-this.rateGramsPerSec * dt, Math.min(this.rateGramsPerSec * dt, offZero));
    const lo = this.tareGrams - this.rangeGrams;
    const hi = this.tareGrams + this.rangeGrams;
    this.zeroGrams = Math.max(lo, Math.min(hi, this.zeroGrams + step));
  }

  /** Not stable: tracking stops, and the time away does not count towards the rate. */
  pause(): void {
    this.lastSec = null;
  }
}
