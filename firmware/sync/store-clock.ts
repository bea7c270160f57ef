// The store's wall clock as the cart knows it. The Pi has no real-time clock:
// after a power cut its system time is whatever was saved last, so command
// expiry cannot be checked against it. The store sends a signed beacon with
// its own time (QoS 0, not retained: it is fresh or it is not delivered); the
// cart keeps the last one together with its monotonic time of arrival and
// counts forward from there. Until the first beacon of this boot the clock is
// unsynced and expiry is not checked: replays are still refused by the
// command sequence, and the broker drops stale commands by their MQTT 5
// message expiry.
//
// Pure: the caller passes the monotonic time of each call.

/** A beacon may lag the estimate by network delay; more than this backwards is an old beacon, not a correction. */
export const beaconBackwardsToleranceMs = 2000;

export type BeaconOutcome = 'synced' | 'adjusted' | 'backwards';

export class StoreClock {
  #storeMs: number | null = null;
  #atMonoMs = 0;

  get synced(): boolean {
    return this.#storeMs !== null;
  }

  /** Takes a verified beacon. One far behind the current estimate is refused: a delayed or replayed beacon would reopen expired commands. */
  observe(storeTimeMs: number, monoMs: number): BeaconOutcome {
    const estimate = this.nowMs(monoMs);
    if (estimate !== null && storeTimeMs < estimate - beaconBackwardsToleranceMs) return 'backwards';
    this.#storeMs = storeTimeMs;
    this.#atMonoMs = monoMs;
    return estimate === null ? 'synced' : 'adjusted';
  }

  /** The store's time now, or null before the first beacon. */
  nowMs(monoMs: number): number | null {
    return this.#storeMs === null ? null : this.#storeMs + (monoMs - this.#atMonoMs);
  }
}
