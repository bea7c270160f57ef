// Holds a settled weight change until the cameras' guess for it is ready, so
// that the reconciler decides once, with the guess, instead of raising an
// alert and taking it back a moment later. Inputs that come meanwhile (scans,
// ticks, the next change) queue behind it in order, so the reconciler sees
// the same sequence it would without cameras. The wait is bounded in input
// time (the samples' clock, never a timer): past `maxWaitSec` after the
// change was reported it goes on without a guess. No guess is ever needed:
// no camera, no model or no frames just mean no wait.
import type { BasketInput } from '../basket/types.js';
import type { Seconds, StableDelta, VisionGuess } from '../domain.js';
import type { Logger } from '../log.js';

export interface GuessSource {
  /** Starts looking at a weight change; null when there is nothing to look with (no camera frames, no model). */
  guess(delta: StableDelta): Promise<VisionGuess | null> | null;
}

export interface GateOptions {
  source: GuessSource;
  /** Longest a weight change waits for its guess, in seconds of input time. */
  maxWaitSec: Seconds;
}

interface Held {
  delta: StableDelta;
  untilSec: Seconds;
  queue: BasketInput[];
}

export class GuessGate {
  #held: Held | null = null;
  #waiters: (() => void)[] = [];

  constructor(private readonly opts: GateOptions, private readonly apply: (input: BasketInput) => void, private readonly log: Logger) {}

  get holding(): boolean {
    return this.#held !== null;
  }

  input(input: BasketInput): void {
    if (this.#held) {
      this.#held.queue.push(input);
      return;
    }
    const pending = input.kind === 'stable-delta' ? this.opts.source.guess(input) : null;
    if (!pending || input.kind !== 'stable-delta') {
      this.apply(input);
      return;
    }
    const held: Held = { delta: input, untilSec: input.atSec + this.opts.maxWaitSec, queue: [] };
    this.#held = held;
    pending.then(
      (guess) => this.#release(held, guess),
      (err: unknown) => {
        this.log.warn('no product guess for a weight change; the weight decides alone', { error: (err as Error).message });
        this.#release(held, null);
      },
    );
  }

  /** Called with each sample's time: a guess that has not come by the deadline is not waited for. */
  timePassed(nowSec: Seconds): void {
    const held = this.#held;
    if (!held || nowSec < held.untilSec) return;
    this.log.warn('product guess late; the weight decides alone', { waitedSec: Math.round((nowSec - held.delta.atSec) * 1000) / 1000 });
    this.#release(held, null);
  }

  /** Resolves once no weight change waits for its guess (a replay waits here, so a guess is never late in trace time). */
  settled(): Promise<void> {
    return this.#held ? new Promise((resolve) => this.#waiters.push(resolve)) : Promise.resolve();
  }

  #release(held: Held, guess: VisionGuess | null): void {
    // Released already: the deadline passed before the guess came.
    if (this.#held !== held) return;
    this.#held = null;
    this.#safely(held.delta, () => this.apply(guess ? { ...held.delta, guess } : held.delta));
    for (const input of held.queue) this.#safely(input, () => this.input(input));
    if (this.#held) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** A release may run from a promise, where nobody would catch: one input that fails is logged, and the next ones still go in. */
  #safely(input: BasketInput, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error(`${input.kind} could not be handled; the basket stays as last saved`, { error: (err as Error).message });
    }
  }
}
