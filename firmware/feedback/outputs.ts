// The status light (three pins of an RGB LED) and the buzzer (one pin).
// The light rests on the pattern of its mode; a flash plays over it once.
import type { OutputPin } from '../../drivers/gpio/index.js';
import { acceptedFlash, buzzerPatterns, colourLevels, lightPatterns, type BuzzerCue, type Colour, type LightMode } from './patterns.js';
import { PatternPlayer } from './player.js';

export class StatusLight {
  #mode: LightMode | null = null;
  #flashing = false;
  readonly #player: PatternPlayer<Colour>;

  constructor(pins: readonly [red: OutputPin, green: OutputPin, blue: OutputPin]) {
    this.#player = new PatternPlayer((colour) => {
      colourLevels[colour].forEach((level, i) => pins[i]?.write(level));
    });
  }

  get mode(): LightMode | null {
    return this.#mode;
  }

  show(mode: LightMode): void {
    if (mode === this.#mode) return;
    this.#mode = mode;
    if (!this.#flashing) this.#player.play(lightPatterns[mode]);
  }

  flash(): void {
    this.#flashing = true;
    this.#player.play(acceptedFlash, () => {
      this.#flashing = false;
      if (this.#mode) this.#player.play(lightPatterns[this.#mode]);
    });
  }

  off(): void {
    this.#player.play({ steps: [{ value: 'off', ms: 1 }], repeat: true });
    this.#mode = null;
  }
}

export class Buzzer {
  readonly #player: PatternPlayer<boolean>;

  constructor(private readonly pin: OutputPin) {
    this.#player = new PatternPlayer((on) => pin.write(on ? 1 : 0));
  }

  /** A new cue cuts the one sounding. */
  play(cue: BuzzerCue): void {
    this.#player.play(buzzerPatterns[cue], () => this.pin.write(0));
  }

  off(): void {
    this.#player.stop();
    this.pin.write(0);
  }
}
