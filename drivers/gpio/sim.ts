// A simulated GPIO header, shaped as onoff sees sysfs: pins exported by
// sysfs number, levels, edges on inputs. It stands in for the board where
// /sys/class/gpio cannot be opened (a laptop, CI), and tests drive the
// buttons and read the light and buzzer through it.
import type { GpioChipInfo } from './chip.js';
import type { Level, OnoffGpio, OnoffGpioClass } from './pins.js';

/** A Pi 4 on Linux 6.6: the header's chip numbered from 512. */
export const simulatedHeaderChip: GpioChipInfo = { name: 'gpiochip512', base: 512, ngpio: 58, label: 'pinctrl-bcm2711' };

export interface PinChange {
  bcm: number;
  level: Level;
  atSec: number;
}

interface SimPin {
  direction: 'in' | 'out';
  level: Level;
  watchers: ((err: Error | null | undefined, value: Level) => void)[];
}

export class SimulatedGpioBoard {
  /** Every level an output was driven to, in order, with the clock's time. */
  readonly changes: PinChange[] = [];
  readonly Gpio: OnoffGpioClass;
  readonly #pins = new Map<number, SimPin>();
  /** Levels the outside world holds inputs at (a button wired to ground reads 1 until pressed, with a pull-up). */
  readonly #external = new Map<number, Level>();
  readonly #refuse = new Map<number, string>();

  constructor(
    readonly chip: GpioChipInfo = simulatedHeaderChip,
    private readonly clock: () => number = () => performance.now() / 1000,
    /** What an input reads when nothing drives it: 1 for the pull-ups the buttons use. */
    private readonly idleLevel: Level = 1,
  ) {
    const board = this;
    this.Gpio = class implements OnoffGpio {
      readonly #number: number;
      constructor(gpio: number, direction: 'in' | 'out' | 'high' | 'low') {
        board.#exportPin(gpio, direction);
        this.#number = gpio;
      }
      readSync(): Level {
        return board.#pin(this.#number).level;
      }
      writeSync(value: Level): void {
        board.#write(this.#number, value);
      }
      watch(callback: (err: Error | null | undefined, value: Level) => void): void {
        board.#pin(this.#number).watchers.push(callback);
      }
      unwatchAll(): void {
        board.#pin(this.#number).watchers = [];
      }
      unexport(): void {
        board.#pins.delete(this.#number);
      }
    };
  }

  /** Exporting this BCM pin fails as the kernel would fail it, e.g. 'EBUSY: resource busy or locked, write'. */
  refuseExport(bcm: number, error: string): void {
    this.#refuse.set(this.chip.base + bcm, error);
  }

  /** The level of a pin, or null when it is not exported. */
  level(bcm: number): Level | null {
    return this.#pins.get(this.chip.base + bcm)?.level ?? null;
  }

  exported(): number[] {
    return [...this.#pins.keys()].map((n) => n - this.chip.base).sort((a, b) => a - b);
  }

  /** The outside world sets an input's level (a contact closing or bouncing); watchers hear of a change. */
  drive(bcm: number, level: Level): void {
    const number = this.chip.base + bcm;
    this.#external.set(number, level);
    const pin = this.#pins.get(number);
    if (!pin || pin.direction !== 'in' || pin.level === level) return;
    pin.level = level;
    for (const w of [...pin.watchers]) w(null, level);
  }

  #exportPin(number: number, direction: 'in' | 'out' | 'high' | 'low'): void {
    const refusal = this.#refuse.get(number);
    if (refusal) throw new Error(refusal);
    if (number < this.chip.base || number >= this.chip.base + this.chip.ngpio) throw new Error(`EINVAL: invalid argument, write '${number}' to export`);
    if (this.#pins.has(number)) throw new Error('EBUSY: resource busy or locked, write');
    const input = direction === 'in';
    const level: Level = input ? this.#external.get(number) ?? this.idleLevel : direction === 'high' ? 1 : 0;
    this.#pins.set(number, { direction: input ? 'in' : 'out', level, watchers: [] });
    if (!input) this.changes.push({ bcm: number - this.chip.base, level, atSec: this.clock() });
  }

  #pin(number: number): SimPin {
    const pin = this.#pins.get(number);
    if (!pin) throw new Error(`EINVAL: gpio${number} is not exported`);
    return pin;
  }

  #write(number: number, value: Level): void {
    const pin = this.#pin(number);
    if (pin.direction !== 'out') throw new Error(`EPERM: gpio${number} is an input`);
    if (pin.level === value) return;
    pin.level = value;
    this.changes.push({ bcm: number - this.chip.base, level: value, atSec: this.clock() });
  }
}
