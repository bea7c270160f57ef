// GPIO for the shopper's light, buzzer and buttons. onoff's Gpio.accessible
// decides: where /sys/class/gpio/export can be opened the pins are real, found
// on the header chip by its label; elsewhere they are a simulated board.
import { Gpio } from 'onoff';
import type { Logger } from '../../firmware/log.js';
import { headerChip, readGpioChips } from './chip.js';
import { OnoffPins } from './onoff-pins.js';
import type { GpioPins, OnoffGpioClass } from './pins.js';
import { SimulatedGpioBoard } from './sim.js';

export { GpioSetupError, headerChip, readGpioChips, sysfsNumber, type GpioChipInfo } from './chip.js';
export { GpioExportError, OnoffPins } from './onoff-pins.js';
export type { GpioPins, InputPin, Level, OnoffGpio, OnoffGpioClass, OutputPin } from './pins.js';
export { SimulatedGpioBoard, simulatedHeaderChip, type PinChange } from './sim.js';

const sysfsGpio = '/sys/class/gpio';

export interface OpenedGpio {
  pins: GpioPins;
  /** The simulated board when there is no GPIO here, for the bench to press buttons on. */
  board: SimulatedGpioBoard | null;
}

export async function openGpio(log: Logger): Promise<OpenedGpio> {
  if (Gpio.accessible) {
    const chip = headerChip(await readGpioChips(sysfsGpio));
    log.info('GPIO header found', { chip: chip.name, label: chip.label, base: chip.base });
    return { pins: new OnoffPins(Gpio as unknown as OnoffGpioClass, chip, log, false), board: null };
  }
  const board = new SimulatedGpioBoard();
  log.warn('no GPIO here (cannot open /sys/class/gpio/export): the light, buzzer and buttons are simulated');
  return { pins: new OnoffPins(board.Gpio, board.chip, log, true), board };
}
