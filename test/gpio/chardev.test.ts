// GPIO through the character device with libgpiod's tools: the real
// ChardevPins driver against a simulated chip answering at the tools'
// boundary (drivers/gpio/sim-gpiod.ts; the development and CI machines can
// load neither gpio-sim nor gpio-mockup), for both generations of the tools;
// then the real tools where Debian's gpiod package is installed, on a chip
// that is not there.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import t from 'tap';
import { ChardevPins, GpioSetupError, libgpiodTools, openGpio, SimulatedGpiodChip, type Level } from '../../drivers/gpio/index.js';
import { createLogger, memorySink } from '../../firmware/log.js';

const until = async (what: string, ok: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
};

for (const version of [1, 2] as const) {
  const open = async (chip: SimulatedGpiodChip, inputs: number[] = [17, 27]) => {
    const sink = memorySink();
    const pins = await ChardevPins.open({ chip: '/dev/gpiochip0', inputs, inputBias: 'pull-up' }, { tools: chip, log: createLogger(sink, 'gpio'), retryMs: 5 });
    return { pins, sink };
  };

  t.test(`libgpiod ${version}: an output is held at the level last written, one gpioset at a time`, async (t) => {
    const chip = new SimulatedGpiodChip('/dev/gpiochip0', version);
    const { pins } = await open(chip, []);
    t.teardown(() => pins.close());
    const red = pins.output(23, 'status light red');
    await until('the line held low', () => chip.level(23) === 0);
    red.write(1);
    red.write(0);
    red.write(1);
    await until('the line held high', () => chip.level(23) === 1);
    t.same(chip.changes.map((c) => c.level), [0, 1], 'the level in between was never driven: only the last write counts');
    t.equal(chip.started.filter((s) => s.tool === 'gpioset').length, 2, 'one gpioset per level held');
    red.write(1);
    await new Promise((r) => setTimeout(r, 20));
    t.equal(chip.started.length, 2, 'the same level again starts nothing');
    pins.close();
    await until('the line let go', () => chip.requested().length === 0);
  });

  t.test(`libgpiod ${version}: buttons read with the pull-up at start, then every edge heard`, async (t) => {
    const chip = new SimulatedGpiodChip('/dev/gpiochip0', version);
    chip.drive(27, 0); // held down at start
    const { pins } = await open(chip);
    t.teardown(() => pins.close());
    const help = pins.input(17, 'help button');
    const myBag = pins.input(27, 'my-bag button');
    t.equal(help.read(), 1, 'released: the pull-up');
    t.equal(myBag.read(), 0, 'held down');
    const heard: Level[] = [];
    help.watch((level) => heard.push(level));
    await until('gpiomon watching', () => chip.requested().includes(17));
    chip.drive(17, 0);
    chip.drive(17, 1);
    await until('two edges', () => heard.length === 2);
    t.same(heard, [0, 1]);
    t.equal(help.read(), 1);
    t.throws(() => pins.input(22, 'spare'), { message: /BCM 22 .*not opened as an input/ });
  });

  t.test(`libgpiod ${version}: a gpioset that dies is logged and the line held again`, async (t) => {
    const chip = new SimulatedGpiodChip('/dev/gpiochip0', version);
    const { pins, sink } = await open(chip, []);
    t.teardown(() => pins.close());
    pins.output(18, 'buzzer').write(1);
    await until('held high', () => chip.level(18) === 1);
    const starts = chip.started.length;
    chip.crashHolder(18);
    await until('held again', () => chip.started.length > starts && chip.level(18) === 1);
    t.match(sink.lines.join('\n'), /ERROR +gpio GPIO output lost: the buzzer is not driven; trying again bcm=18/);
    await until('the log says it is held again', () => sink.lines.some((l) => /INFO +gpio GPIO output held again bcm=18/.test(l)));
  });

  t.test(`libgpiod ${version}: what cannot be opened is an error naming the chip, never a simulated header`, async (t) => {
    const busy = new SimulatedGpiodChip('/dev/gpiochip0', version);
    busy.holdElsewhere(27);
    await t.rejects(open(busy), { name: 'Error', message: /cannot read the buttons \(BCM 17, 27\) on the GPIO character device \/dev\/gpiochip0: gpioget failed: .*busy/ });
    const elsewhere = new SimulatedGpiodChip('/dev/gpiochip4', version);
    const err = await open(elsewhere).then(() => null, (e: unknown) => e);
    t.ok(err instanceof GpioSetupError, 'a set-up error');
    t.match(String(err), /\/dev\/gpiochip0: gpioget failed: gpioget: .*(No such file|cannot find a GPIO chip)/, 'what the tool said');
    const none = new SimulatedGpiodChip('/dev/gpiochip0', version);
    none.uninstall();
    await t.rejects(open(none), { message: /cannot use the GPIO character device \/dev\/gpiochip0: gpioset not found: install libgpiod's tools \(Debian package gpiod\)/ });
  });
}

t.test('the backend is the config\'s: sysfs where the kernel has none is an error, not a simulated header; simulated only when asked', async (t) => {
  const log = createLogger(memorySink(), 'gpio');
  const lines = { inputs: [17, 27], inputBias: 'pull-up' as const };
  const { Gpio } = await import('onoff');
  if (Gpio.accessible) t.comment('this machine has sysfs GPIO: the refusal is not exercised here');
  else await t.rejects(openGpio({ backend: 'sysfs', chip: '/dev/gpiochip0' }, lines, log), { message: /cannot open \/sys\/class\/gpio\/export.*gpio\.backend "chardev"/ });
  const chip = new SimulatedGpiodChip();
  const chardev = await openGpio({ backend: 'chardev', chip: '/dev/gpiochip0' }, lines, log, chip);
  t.teardown(() => chardev.pins.close());
  t.equal(chardev.pins.simulated, false);
  t.equal(chardev.board, null);
  const simulated = await openGpio({ backend: 'simulated', chip: '/dev/gpiochip0' }, lines, log);
  t.equal(simulated.pins.simulated, true);
  t.not(simulated.board, null);
});

const run = promisify(execFile);
const gpiod = await run('gpioset', ['--version']).then(() => true, () => false);

t.test('Debian\'s gpiod tools themselves: their generation is read, and a chip that is not there is a clear error', { skip: !gpiod && 'libgpiod\'s tools are not installed (apt-get install gpiod)' }, async (t) => {
  const log = createLogger(memorySink(), 'gpio');
  await t.rejects(ChardevPins.open({ chip: '/dev/gpiochip63', inputs: [17], inputBias: 'pull-up' }, { tools: libgpiodTools, log }),
    { message: /cannot read the buttons \(BCM 17\) on the GPIO character device \/dev\/gpiochip63: gpioget failed: .+/ });
});
