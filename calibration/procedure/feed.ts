// Waiting on the scale. Every wait is counted in sample time (the readings'
// own atSec), never on a wall clock: the same procedure runs on a cart, and
// on a simulated bench faster than real time.
import type { LiveReading } from '../../firmware/control/index.js';
import { SessionError, type ScaleSession } from '../session/session.js';

/** Looks at each reading; returns a value to end the wait with it. */
export type Watch<T> = (reading: LiveReading) => T | undefined;

interface Waiter {
  watch: Watch<unknown>;
  startSec: number | null;
  timeoutSec: number;
  what: string;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

export class WaitTimeout extends Error {}

export class ReadingFeed {
  #latest: LiveReading | null = null;
  readonly #waiters = new Set<Waiter>();
  #lost: string | null = null;
  readonly #stop: () => void;

  constructor(session: ScaleSession) {
    this.#stop = session.onReading((reading) => this.#push(reading));
    session.onLost((why) => {
      this.#lost = why;
      for (const w of this.#waiters) w.reject(new SessionError(why));
      this.#waiters.clear();
    });
  }

  get latest(): LiveReading | null {
    return this.#latest;
  }

  /** Resolves with the first value `watch` returns; rejects after `timeoutSec` of readings. */
  until<T>(watch: Watch<T>, timeoutSec: number, what: string): Promise<T> {
    if (this.#lost) return Promise.reject(new SessionError(this.#lost));
    return new Promise<T>((resolve, reject) => {
      this.#waiters.add({ watch, startSec: null, timeoutSec, what, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /** The next reading. */
  next(timeoutSec: number): Promise<LiveReading> {
    return this.until((r) => r, timeoutSec, 'a reading');
  }

  close(): void {
    this.#stop();
  }

  #push(reading: LiveReading): void {
    this.#latest = reading;
    for (const w of this.#waiters) {
      let value: unknown;
      try {
        value = w.watch(reading);
      } catch (err) {
        this.#waiters.delete(w);
        w.reject(err as Error);
        continue;
      }
      w.startSec ??= reading.atSec;
      if (value !== undefined) {
        this.#waiters.delete(w);
        w.resolve(value);
      } else if (reading.atSec - w.startSec > w.timeoutSec) {
        this.#waiters.delete(w);
        w.reject(new WaitTimeout(`gave up after ${w.timeoutSec} s waiting for ${w.what}`));
      }
    }
  }
}
