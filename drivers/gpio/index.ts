// GPIO for the shopper's light, buzzer and buttons, by the backend the config
// names: the character device through libgpiod's tools (chardev), sysfs
// through onoff (deprecated by the kernel, kept where it still exists), or a
// simulated header for the bench and demos. A real backend that cannot be
// opened is an error naming why; it is never replaced by a simulated one.
import { Gpio } from 'onoff';
import type { Logger } from '../../firmware/log.js';
import { ChardevPins } from './chardev-pins.js';
import { GpioSetupError, headerChip, readGpioChips } from './chip.js';
import { libgpiodTools, type Bias, type GpiodTools } from './gpiod-tools.js';
import { OnoffPins } from './onoff-pins.js';
import type { GpioPins, OnoffGpioClass } from './pins.js';
import { SimulatedGpioBoard } from './sim.js';

export { ChardevPins, type ChardevDeps, type ChardevOptions } from './chardev-pins.js';
export { GpioSetupError, headerChip, readGpioChips, sysfsNumber, type GpioChipInfo } from './chip.js';
export { dialectOf, gpiodDialects, libgpiodTools, type Bias, type GpiodDialect, type GpiodTool, type GpiodTools, type ToolProcess } from './gpiod-tools.js';
export { GpioExportError, OnoffPins } from './onoff-pins.js';
export type { GpioPins, InputPin, Level, OnoffGpio, OnoffGpioClass, OutputPin } from './pins.js';
export { SimulatedGpioBoard, simulatedHeaderChip, type PinChange } from './sim.js';
export { SimulatedGpiodChip } from './sim-gpiod.js';

const sysfsGpio = '/sys/class/gpio';

export interface GpioConfig {
  backend: 'chardev' | 'sysfs' | 'simulated';
  /** chardev: /dev/gpiochipN of the header. */
  chip: string;
}

export interface GpioLines {
  /** BCM numbers of the inputs (the buttons). */
  inputs: readonly number[];
  /** chardev: the inputs' bias (sysfs cannot set one: config.txt does, see docs/install.md). */
  inputBias: Bias;
}

export interface OpenedGpio {
  pins: GpioPins;
  /** The simulated board when the config asks for one, for the bench to press buttons on; null otherwise. */
  board: SimulatedGpioBoard | null;
}

export async function openGpio(config: GpioConfig, lines: GpioLines, log: Logger, tools: GpiodTools = libgpiodTools): Promise<OpenedGpio> {
  switch (config.backend) {
    case 'chardev':
      return { pins: await ChardevPins.open({ chip: config.chip, inputs: lines.inputs, inputBias: lines.inputBias }, { tools, log }), board: null };
    case 'sysfs': {
      if (!Gpio.accessible) {
        throw new GpioSetupError(`cannot open ${sysfsGpio}/export: this kernel has no sysfs GPIO, or this user may not write it (the gpio group); gpio.backend "chardev" uses /dev/gpiochipN`);
      }
      const chip = headerChip(await readGpioChips(sysfsGpio));
      log.info('GPIO through sysfs', { chip: chip.name, label: chip.label, base: chip.base });
      return { pins: new OnoffPins(Gpio as unknown as OnoffGpioClass, chip, log, false), board: null };
    }
    case 'simulated': {
      const board = new SimulatedGpioBoard();
      log.warn('GPIO simulated, as the config asks (gpio.backend "simulated"): no light, buzzer or buttons of a real cart');
      return { pins: new OnoffPins(board.Gpio, board.chip, log, true), board };
    }
  }
}
