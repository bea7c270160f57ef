// Plays a pattern on an output, one timer per step. A new pattern replaces
// the one playing at once; a pattern that holds one value needs no timer.
import type { Pattern } from './patterns.js';

export class PatternPlayer<T> {
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly apply: (value: T) => void) {}

  /** Plays `pattern`; a one-off pattern calls `then` when its last step is over. */
  play(pattern: Pattern<T>, then?: () => void): void {
    this.stop();
    const only = pattern.steps[0];
    if (pattern.repeat && pattern.steps.length === 1 && only) {
      this.apply(only.value);
      return;
    }
    this.#step(pattern, 0, then);
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #step(pattern: Pattern<T>, i: number, then?: () => void): void {
    const step = pattern.steps[i];
    if (!step) {
      if (pattern.repeat && pattern.steps.length > 0) {
        this.#step(pattern, 0, then);
      } else {
        this.#timer = null;
        then?.();
      }
      return;
    }
    this.apply(step.value);
    this.#timer = setTimeout(() => this.#step(pattern, i + 1, then), step.ms);
  }
}
