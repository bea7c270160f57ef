// OnoffPins, the code that drives the real header through onoff, run against
// the simulated board's onoff-shaped Gpio.
import t from 'tap';
import { createLogger, memorySink } from '../../firmware/log.js';
import { GpioExportError, OnoffPins, SimulatedGpioBoard } from '../../drivers/gpio/index.js';

function rig() {
  const board = new SimulatedGpioBoard();
  const sink = memorySink();
  const pins = new OnoffPins(board.Gpio, board.chip, createLogger(sink, 'test'), true);
  return { board, pins, sink };
}

t.test('an output is exported low and follows writes; close drives it low and unexports it', async (t) => {
  const { board, pins } = rig();
  const led = pins.output(24, 'status light green');
  t.equal(board.level(24), 0);
  led.write(1);
  t.equal(board.level(24), 1);
  pins.close();
  t.same(board.exported(), []);
  t.same(board.changes.map((c) => c.level), [0, 1, 0], 'low at export, high, low again at close');
});

t.test('an input reads the outside level and hears every edge', async (t) => {
  const { board, pins } = rig();
  const button = pins.input(17, 'help button');
  t.equal(button.read(), 1, 'the pull-up holds it high');
  const heard: number[] = [];
  button.watch((level) => heard.push(level));
  board.drive(17, 0);
  board.drive(17, 1);
  t.same(heard, [0, 1]);
});

t.test('a pin that cannot be exported is an error naming the pin, its role and its sysfs number', async (t) => {
  const { board, pins } = rig();
  board.refuseExport(27, 'EACCES: permission denied, open /sys/class/gpio/export');
  const err = t.throws(() => pins.input(27, 'my-bag button')) as Error;
  t.ok(err instanceof GpioExportError);
  t.match(err.message, /cannot export GPIO BCM 27 for the my-bag button \(sysfs gpio539 on gpiochip512, base 512\): EACCES/);
});

t.test('a pin used twice is refused at the second export', async (t) => {
  const { pins } = rig();
  pins.output(18, 'buzzer');
  t.throws(() => pins.output(18, 'status light red'), /BCM 18 for the status light red .*EBUSY/);
});

t.test('a BCM number the header chip does not have is refused before onoff is asked', async (t) => {
  const { board, pins } = rig();
  t.throws(() => pins.output(60, 'buzzer'), /cannot export GPIO BCM 60 for the buzzer: BCM 60 is not a line of gpiochip512/);
  t.same(board.exported(), []);
});
