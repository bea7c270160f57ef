// One button's contact, debounced, on the times it is given. A level counts
// once it has held for debounceSec (contacts bounce for a few ms; a spike of
// noise never holds). A button held past stuckAfterSec is taken for stuck:
// reported once, never repeated, and its release is not a press either. A
// button already held at start is stuck from the start, so a jammed button
// cannot ask for help at every boot.
import type { Seconds } from '../domain.js';

export type ButtonEvent = 'press' | 'release' | 'stuck' | 'unstuck';

export interface DebounceOptions {
  debounceSec: Seconds;
  stuckAfterSec: Seconds;
}

export type ButtonCondition = 'released' | 'pressed' | 'stuck';

export class Debouncer {
  #raw: boolean;
  #rawSinceSec: Seconds;
  #stable: boolean;
  #stableSinceSec: Seconds;
  #stuck: boolean;

  constructor(private readonly options: DebounceOptions, pressedAtStart: boolean, atSec: Seconds) {
    this.#raw = this.#stable = pressedAtStart;
    this.#rawSinceSec = this.#stableSinceSec = atSec;
    this.#stuck = pressedAtStart;
  }

  get condition(): ButtonCondition {
    return this.#stuck ? 'stuck' : this.#stable ? 'pressed' : 'released';
  }

  /** The contact was seen at this level (an edge, or a read when a timer fired). */
  observe(pressed: boolean, atSec: Seconds): void {
    if (pressed === this.#raw) return;
    this.#raw = pressed;
    this.#rawSinceSec = atSec;
  }

  /** What time passing has settled, up to atSec. */
  settle(atSec: Seconds): ButtonEvent[] {
    const out: ButtonEvent[] = [];
    if (this.#raw !== this.#stable && atSec - this.#rawSinceSec >= this.options.debounceSec) {
      this.#stable = this.#raw;
      this.#stableSinceSec = this.#rawSinceSec;
      if (this.#stuck && !this.#stable) {
        this.#stuck = false;
        out.push('unstuck');
      } else if (!this.#stuck) {
        out.push(this.#stable ? 'press' : 'release');
      }
    }
    if (this.#stable && !this.#stuck && atSec - this.#stableSinceSec >= this.options.stuckAfterSec) {
      this.#stuck = true;
      out.push('stuck');
    }
    return out;
  }

  /** When settle() has something to decide next, or null while nothing is pending. */
  nextDueSec(): Seconds | null {
    if (this.#raw !== this.#stable) return this.#rawSinceSec + this.options.debounceSec;
    if (this.#stable && !this.#stuck) return this.#stableSinceSec + this.options.stuckAfterSec;
    return null;
  }
}
