// Shopper feedback: the status light, the buzzer and the two buttons. The
// light and buzzer follow committed decisions only (the service's decision
// listener), and the cart's condition, polled once a second. Button presses
// go to the cart as ButtonPress inputs; the click that answers a press sounds
// only once the cart has saved it.
import type { GpioLines, GpioPins } from '../../drivers/gpio/index.js';
import type { Decision } from '../basket/types.js';
import type { ButtonPress, Seconds } from '../domain.js';
import type { Logger } from '../log.js';
import { Buttons, type ButtonName } from './buttons.js';
import type { ButtonCondition } from './debounce.js';
import { Buzzer, StatusLight } from './outputs.js';
import type { LightMode } from './patterns.js';
import { lightMode, onCommitted, type CartCondition, type FeedbackState } from './state.js';

export type { ButtonName } from './buttons.js';
export type { ButtonCondition } from './debounce.js';
export type { LightMode } from './patterns.js';
export type { CartCondition } from './state.js';

export interface FeedbackConfig {
  /** BCM numbers on the 40-pin header. */
  pins: { red: number; green: number; blue: number; buzzer: number; help: number; myBag: number };
  buttonPressedLevel: 0 | 1;
  debounceMs: number;
  stuckAfterSec: number;
}

export interface FeedbackDeps {
  clock: () => Seconds;
  log: Logger;
  /** How the cart is: polled once a second for the light. */
  condition: () => CartCondition;
  /** Alerts open in the saved basket at start: the light asks for attention until they are resolved. */
  openAlertIds: number[];
  /** Hands a press to the cart (cart.button); throws if it could not be saved. */
  press: (press: ButtonPress) => void;
}

export interface FeedbackHealth {
  /** warning: a button is stuck; simulated: the pins are (gpio.backend "simulated"), and nothing is wrong with them. */
  status: 'ok' | 'warning' | 'simulated';
  simulated: boolean;
  light: LightMode | null;
  buttons: Record<ButtonName, ButtonCondition>;
}

const conditionEveryMs = 1000;

/** The GPIO lines the buttons need: their pins, pulled away from the pressed level (a button to ground needs the pull-up). */
export function buttonLinesOf(config: FeedbackConfig): GpioLines {
  return { inputs: [config.pins.help, config.pins.myBag], inputBias: config.buttonPressedLevel === 0 ? 'pull-up' : 'pull-down' };
}

export class ShopperFeedback {
  #state: FeedbackState;
  #light: StatusLight | null = null;
  #buzzer: Buzzer | null = null;
  #buttons: Buttons | null = null;
  #poll: NodeJS.Timeout | null = null;

  constructor(
    private readonly pins: GpioPins,
    private readonly config: FeedbackConfig,
    private readonly deps: FeedbackDeps,
  ) {
    this.#state = { openAlertIds: [...deps.openAlertIds], condition: { storeOnline: false, fitToShop: true } };
  }

  /** Exports every pin (a pin that cannot be exported throws, naming it), lights up, starts the buttons. */
  start(): void {
    const p = this.config.pins;
    const { pins, deps } = this;
    this.#light = new StatusLight([pins.output(p.red, 'status light red'), pins.output(p.green, 'status light green'), pins.output(p.blue, 'status light blue')]);
    this.#buzzer = new Buzzer(pins.output(p.buzzer, 'buzzer'));
    this.#buttons = new Buttons(
      [{ name: 'help', pin: pins.input(p.help, 'help button') }, { name: 'my-bag', pin: pins.input(p.myBag, 'my-bag button') }],
      { debounceSec: this.config.debounceMs / 1000, stuckAfterSec: this.config.stuckAfterSec, pressedLevel: this.config.buttonPressedLevel },
      { clock: deps.clock, log: deps.log, onPress: (press) => this.#pressed(press) },
    );
    this.#buttons.start();
    this.#refresh();
    this.#poll = setInterval(() => this.#refresh(), conditionEveryMs);
    deps.log.info('shopper feedback on', { light: this.#light.mode, simulated: pins.simulated });
  }

  /** The decision listener: what the cart has just committed. */
  committed(decisions: readonly Decision[]): void {
    const { state, cues } = onCommitted(this.#state, decisions);
    this.#state = state;
    if (cues.flash) this.#light?.flash();
    if (cues.buzzer) this.#buzzer?.play(cues.buzzer);
    this.#light?.show(lightMode(this.#state));
  }

  health(): FeedbackHealth {
    const buttons = this.#buttons?.conditions() ?? { help: 'released', 'my-bag': 'released' };
    const stuck = Object.values(buttons).includes('stuck');
    return { status: stuck ? 'warning' : this.pins.simulated ? 'simulated' : 'ok', simulated: this.pins.simulated, light: this.#light?.mode ?? null, buttons };
  }

  /** Light and buzzer off, pins released; safe to call twice. */
  stop(): void {
    if (this.#poll) clearInterval(this.#poll);
    this.#poll = null;
    this.#buttons?.stop();
    this.#light?.off();
    this.#buzzer?.off();
    this.#buttons = this.#light = this.#buzzer = null;
    this.pins.close();
  }

  #refresh(): void {
    this.#state = { ...this.#state, condition: this.deps.condition() };
    this.#light?.show(lightMode(this.#state));
  }

  #pressed(press: ButtonPress): void {
    try {
      this.deps.press(press);
    } catch (err) {
      this.deps.log.error('button press could not be saved; nothing happened, the shopper can press again', { button: press.name, error: (err as Error).message });
      return;
    }
    if (press.pressed) this.#buzzer?.play('button');
  }
}
