// Pins through onoff: BCM numbers turned into sysfs numbers on the header
// chip, and an export that fails turned into an error naming the pin.
import type { Logger } from '../../firmware/log.js';
import { sysfsNumber, type GpioChipInfo } from './chip.js';
import type { GpioPins, InputPin, Level, OnoffGpio, OnoffGpioClass, OutputPin } from './pins.js';

export class GpioExportError extends Error {}

export class OnoffPins implements GpioPins {
  readonly #exported: { gpio: OnoffGpio; output: boolean }[] = [];

  constructor(
    private readonly Gpio: OnoffGpioClass,
    private readonly chip: GpioChipInfo,
    private readonly log: Logger,
    readonly simulated: boolean,
  ) {}

  #export(bcm: number, role: string, direction: 'low' | 'in'): OnoffGpio {
    let number: number | undefined;
    try {
      number = sysfsNumber(this.chip, bcm);
      const gpio = new this.Gpio(number, direction, direction === 'in' ? 'both' : undefined);
      this.#exported.push({ gpio, output: direction !== 'in' });
      return gpio;
    } catch (err) {
      const where = number === undefined ? '' : ` (sysfs gpio${number} on ${this.chip.name}, base ${this.chip.base})`;
      throw new GpioExportError(`cannot export GPIO BCM ${bcm} for the ${role}${where}: ${(err as Error).message}`);
    }
  }

  output(bcm: number, role: string): OutputPin {
    const gpio = this.#export(bcm, role, 'low');
    return { bcm, write: (level) => gpio.writeSync(level) };
  }

  input(bcm: number, role: string): InputPin {
    const gpio = this.#export(bcm, role, 'in');
    const log = this.log;
    return {
      bcm,
      read: () => gpio.readSync(),
      watch(listener: (level: Level) => void) {
        gpio.watch((err, value) => {
          if (err) log.warn('GPIO edge could not be read; the next edge is', { bcm, role, error: err.message });
          else listener(value);
        });
      },
    };
  }

  close(): void {
    for (const { gpio, output } of this.#exported.splice(0)) {
      try {
        if (output) gpio.writeSync(0);
        else gpio.unwatchAll();
        gpio.unexport();
      } catch (err) {
        this.log.warn('GPIO pin could not be released; it stays exported until reboot', { error: (err as Error).message });
      }
    }
  }
}
