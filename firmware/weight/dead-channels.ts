// Which channels can be trusted. A board that misses a conversion now and then
// is bridged by the spike filter; one silent (or pinned at the ADC's end) for
// longer than `holdMaxSec` is dead, and comes back only after `reviveSec` of
// answers without a gap, so that a flapping connector does not flap the mode.
import type { Seconds } from '../domain.js';

export type HealthChange = 'died' | 'revived' | null;

export class ChannelHealth {
  private lastGoodSec: Seconds | null = null;
  private firstSeenSec: Seconds | null = null;
  private goodSinceSec: Seconds | null = null;
  dead = false;

  constructor(
    private readonly holdMaxSec: Seconds,
    private readonly reviveSec: Seconds,
  ) {}

  update(usable: boolean, atSec: Seconds): HealthChange {
    this.firstSeenSec ??= atSec;
    if (usable) {
      this.lastGoodSec = atSec;
      this.goodSinceSec ??= atSec;
      if (this.dead && atSec - this.goodSinceSec >= this.reviveSec) {
        this.dead = false;
        return 'revived';
      }
      return null;
    }
    this.goodSinceSec = null;
    const silentSince = this.lastGoodSec ?? this.firstSeenSec;
    if (!this.dead && atSec - silentSince > this.holdMaxSec) {
      this.dead = true;
      return 'died';
    }
    return null;
  }
}
