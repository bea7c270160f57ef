// The "help" and "my bag" buttons: edges from the pins, stamped with the
// monotonic clock, debounced, and handed on as ButtonPress inputs. A timer
// runs only while a debounce or a stuck check is pending; when it fires the
// pin is read again, so a missed edge cannot leave a button in the wrong state.
import type { InputPin, Level } from '../../drivers/gpio/index.js';
import type { ButtonPress, Seconds } from '../domain.js';
import type { Logger } from '../log.js';
import { Debouncer, type ButtonCondition, type ButtonEvent, type DebounceOptions } from './debounce.js';

export type ButtonName = ButtonPress['name'];

export interface ButtonsOptions extends DebounceOptions {
  /** The level a pressed button reads: 0 for a button to ground with a pull-up. */
  pressedLevel: Level;
}

export interface ButtonsDeps {
  clock: () => Seconds;
  log: Logger;
  /** Gets presses and releases; a press counts once this returns without throwing. */
  onPress: (press: ButtonPress) => void;
}

class Button {
  #timer: NodeJS.Timeout | null = null;
  readonly debouncer: Debouncer;

  constructor(
    readonly name: ButtonName,
    private readonly pin: InputPin,
    private readonly options: ButtonsOptions,
    private readonly deps: ButtonsDeps,
  ) {
    this.debouncer = new Debouncer(options, pin.read() === options.pressedLevel, deps.clock());
    if (this.debouncer.condition === 'stuck') {
      deps.log.warn('button held down at start: taken for stuck and ignored until released', { button: name, bcm: pin.bcm });
    }
    pin.watch((level) => {
      this.debouncer.observe(level === options.pressedLevel, deps.clock());
      this.#schedule();
    });
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(): void {
    this.stop();
    const due = this.debouncer.nextDueSec();
    if (due === null) return;
    const delayMs = Math.max(0, (due - this.deps.clock()) * 1000);
    this.#timer = setTimeout(() => this.#settle(), Math.ceil(delayMs));
  }

  #settle(): void {
    this.#timer = null;
    const now = this.deps.clock();
    this.debouncer.observe(this.pin.read() === this.options.pressedLevel, now);
    for (const event of this.debouncer.settle(now)) this.#handle(event, now);
    this.#schedule();
  }

  #handle(event: ButtonEvent, atSec: Seconds): void {
    const log = this.deps.log;
    switch (event) {
      case 'press':
      case 'release':
        this.deps.onPress({ kind: 'button', atSec, name: this.name, pressed: event === 'press' });
        break;
      case 'stuck':
        log.warn('button held too long: taken for stuck, no more presses from it until released', { button: this.name, heldSec: this.options.stuckAfterSec });
        break;
      case 'unstuck':
        log.info('stuck button released; it works again', { button: this.name });
        break;
    }
  }
}

export class Buttons {
  #buttons: Button[] = [];

  constructor(
    private readonly pins: { name: ButtonName; pin: InputPin }[],
    private readonly options: ButtonsOptions,
    private readonly deps: ButtonsDeps,
  ) {}

  /** Reads each button's level and starts watching its edges. */
  start(): void {
    this.#buttons = this.pins.map((p) => new Button(p.name, p.pin, this.options, this.deps));
  }

  conditions(): Record<ButtonName, ButtonCondition> {
    const out = {} as Record<ButtonName, ButtonCondition>;
    for (const b of this.#buttons) out[b.name] = b.debouncer.condition;
    return out;
  }

  stop(): void {
    for (const b of this.#buttons) b.stop();
  }
}
