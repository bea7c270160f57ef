// Which sysfs GPIO numbers the header's BCM numbers are. The kernel numbers
// each GPIO chip from a base it picks at boot: 0 on old kernels, 512 for the
// Pi 4's pinctrl-bcm2711 since Linux 6.6, 571 for the Pi 5's RP1 (other chips
// take the numbers before it). onoff wants the sysfs number, so the base is
// read from /sys/class/gpio/gpiochip*/base and label, never assumed.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface GpioChipInfo {
  /** The sysfs entry, e.g. gpiochip512. */
  name: string;
  /** The sysfs number of the chip's line 0. */
  base: number;
  /** Lines on the chip: BCM numbers 0 .. ngpio-1. */
  ngpio: number;
  label: string;
}

/**
 * Labels of the chips that carry the 40-pin header, first match wins: the
 * Pi 5's header is on RP1 (its pinctrl-bcm2712 chips are the SoC's own
 * lines); the Pi 4 and 400 have the bcm2711; the Pi 3, Zero 2 and older the bcm2835.
 */
export const HEADER_CHIP_LABELS = ['pinctrl-rp1', 'pinctrl-bcm2711', 'pinctrl-bcm2835'] as const;

export class GpioSetupError extends Error {}

/** Every chip under a sysfs GPIO class folder (/sys/class/gpio on the board, a temp folder in tests). */
export async function readGpioChips(root: string): Promise<GpioChipInfo[]> {
  let names: string[];
  try {
    names = (await readdir(root)).filter((n) => n.startsWith('gpiochip'));
  } catch (err) {
    throw new GpioSetupError(`cannot list GPIO chips in ${root}: ${(err as Error).message}`);
  }
  const chips: GpioChipInfo[] = [];
  for (const name of names.sort()) {
    const read = (file: string) => readFile(join(root, name, file), 'utf8').then((s) => s.trim());
    const [base, ngpio, label] = await Promise.all([read('base'), read('ngpio'), read('label')]);
    chips.push({ name, base: Number(base), ngpio: Number(ngpio), label });
  }
  return chips;
}

/** The chip that carries the header pins, or an error that lists what the board has. */
export function headerChip(chips: readonly GpioChipInfo[]): GpioChipInfo {
  for (const label of HEADER_CHIP_LABELS) {
    const chip = chips.find((c) => c.label === label && Number.isInteger(c.base) && c.base >= 0);
    if (chip) return chip;
  }
  const found = chips.map((c) => `${c.name} "${c.label}"`).join(', ') || 'none';
  throw new GpioSetupError(`no GPIO chip for the 40-pin header (expected a label among ${HEADER_CHIP_LABELS.join(', ')}; found ${found})`);
}

/** The sysfs number onoff needs for a BCM pin on the header chip. */
export function sysfsNumber(chip: GpioChipInfo, bcm: number): number {
  if (!Number.isInteger(bcm) || bcm < 0 || bcm >= chip.ngpio) {
    throw new GpioSetupError(`BCM ${bcm} is not a line of ${chip.name} "${chip.label}" (it has ${chip.ngpio})`);
  }
  return chip.base + bcm;
}
