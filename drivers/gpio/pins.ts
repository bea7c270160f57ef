// GPIO as the cart uses it: a few output pins (the status light, the buzzer)
// and a few inputs (the buttons), named by their BCM number on the header.
// The real pins are onoff's; the simulated ones an onoff-shaped fake, so the
// same OnoffPins code drives both.

export type Level = 0 | 1;

export interface OutputPin {
  readonly bcm: number;
  write(level: Level): void;
}

export interface InputPin {
  readonly bcm: number;
  read(): Level;
  /** Called on every edge, both ways, with the level read after it. */
  watch(listener: (level: Level) => void): void;
}

export interface GpioPins {
  /** True when no GPIO is reachable here and the pins are the simulated board's. */
  readonly simulated: boolean;
  /** Exports the pin as an output, driven low. `role` names it in errors and logs. */
  output(bcm: number, role: string): OutputPin;
  /** Exports the pin as an input, watched on both edges. */
  input(bcm: number, role: string): InputPin;
  /** Outputs low, watches removed, every pin unexported. */
  close(): void;
}

/** The part of onoff's Gpio the cart uses. */
export interface OnoffGpio {
  readSync(): Level;
  writeSync(value: Level): void;
  watch(callback: (err: Error | null | undefined, value: Level) => void): void;
  unwatchAll(): void;
  unexport(): void;
}

export type OnoffGpioClass = new (gpio: number, direction: 'in' | 'out' | 'high' | 'low', edge?: 'none' | 'rising' | 'falling' | 'both') => OnoffGpio;
