// Finding the header's GPIO chip from a sysfs tree, as the kernels of the
// boards we ship on lay it out, built in a temp folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { headerChip, readGpioChips, sysfsNumber } from '../../drivers/gpio/index.js';

function sysfsTree(root: string, chips: { base: number; ngpio: number; label: string }[]): string {
  writeFileSync(join(root, 'export'), '');
  for (const c of chips) {
    const dir = join(root, `gpiochip${c.base}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'base'), `${c.base}\n`);
    writeFileSync(join(dir, 'ngpio'), `${c.ngpio}\n`);
    writeFileSync(join(dir, 'label'), `${c.label}\n`);
  }
  return root;
}

t.test('Pi 4 on Linux 6.6: the bcm2711 chip starts at 512, so BCM 17 is gpio529', async (t) => {
  const root = sysfsTree(t.testdir({}), [
    { base: 512, ngpio: 58, label: 'pinctrl-bcm2711' },
    { base: 570, ngpio: 8, label: 'raspberrypi-exp-gpio' },
  ]);
  const chip = headerChip(await readGpioChips(root));
  t.equal(chip.label, 'pinctrl-bcm2711');
  t.equal(sysfsNumber(chip, 17), 529);
});

t.test('Pi 5: the header is on RP1 at 571, not on the SoC chips numbered before it', async (t) => {
  const root = sysfsTree(t.testdir({}), [
    { base: 512, ngpio: 32, label: 'pinctrl-bcm2712' },
    { base: 544, ngpio: 4, label: 'pinctrl-bcm2712' },
    { base: 548, ngpio: 17, label: 'pinctrl-bcm2712' },
    { base: 565, ngpio: 6, label: 'pinctrl-bcm2712' },
    { base: 571, ngpio: 54, label: 'pinctrl-rp1' },
  ]);
  const chip = headerChip(await readGpioChips(root));
  t.equal(chip.name, 'gpiochip571');
  t.equal(sysfsNumber(chip, 17), 588);
});

t.test('an older kernel numbers the bcm2835 chip from 0', async (t) => {
  const root = sysfsTree(t.testdir({}), [{ base: 0, ngpio: 54, label: 'pinctrl-bcm2835' }, { base: 504, ngpio: 8, label: 'raspberrypi-exp-gpio' }]);
  t.equal(sysfsNumber(headerChip(await readGpioChips(root)), 27), 27);
});

t.test('a board without a known header chip is an error listing the chips it has', async (t) => {
  const root = sysfsTree(t.testdir({}), [{ base: 0, ngpio: 32, label: 'gpio-mockup-A' }]);
  const chips = await readGpioChips(root);
  t.throws(() => headerChip(chips), /no GPIO chip for the 40-pin header .*found gpiochip0 "gpio-mockup-A"/);
});

t.test('no sysfs GPIO folder at all is an error naming the folder', async (t) => {
  await t.rejects(readGpioChips(join(t.testdir({}), 'missing')), /cannot list GPIO chips in .*missing/);
});

t.test('a BCM number past the chip is refused with the chip named', async (t) => {
  const chip = { name: 'gpiochip512', base: 512, ngpio: 58, label: 'pinctrl-bcm2711' };
  t.throws(() => sysfsNumber(chip, 58), /BCM 58 is not a line of gpiochip512 "pinctrl-bcm2711" \(it has 58\)/);
  t.throws(() => sysfsNumber(chip, -1), /BCM -1/);
});
