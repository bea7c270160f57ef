// Which channels can be trusted. A board that misses a conversion now and then
// is bridged by the spike filter. One silent (or pinned at the ADC's end) for
// longer than `holdMaxSec` is silent: its corner must be estimated from the
// others until it answers again, and it is declared dead. The declaration is
// lifted only after `reviveSec` of answers without a gap, so that a flapping
// connector does not flap the mode; the readings themselves are used again at
// once.
import type { Seconds } from '../domain.js';

export class ChannelHealth {
  private lastGoodSec: Seconds | null = null;
  private firstSeenSec: Seconds | null = null;
  private goodSinceSec: Seconds | null = null;
  /** Not answering for longer than the hold: its value must be estimated. */
  silent = false;
  /** Declared dead (degraded mode): silent, and not yet answering long enough to be trusted. */
  dead = false;

  constructor(
    private readonly holdMaxSec: Seconds,
    private readonly reviveSec: Seconds,
  ) {}

  update(usable: boolean, atSec: Seconds): void {
    this.firstSeenSec ??= atSec;
    if (usable) {
      this.lastGoodSec = atSec;
      this.goodSinceSec ??= atSec;
      this.silent = false;
      if (this.dead && atSec - this.goodSinceSec >= this.reviveSec) this.dead = false;
      return;
    }
    this.goodSinceSec = null;
    if (atSec - (this.lastGoodSec ?? this.firstSeenSec) > this.holdMaxSec) {
      this.silent = true;
      this.dead = true;
    }
  }
}
