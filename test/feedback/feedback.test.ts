// The light, the buzzer and the buttons through the simulated GPIO board, on
// fake time: what the shopper sees and hears for each committed decision, and
// what the cart gets from each button.
import t from 'tap';
import { OnoffPins, SimulatedGpioBoard } from '../../drivers/gpio/index.js';
import type { Decision } from '../../firmware/basket/types.js';
import type { ButtonPress } from '../../firmware/domain.js';
import { ShopperFeedback, type CartCondition, type FeedbackConfig } from '../../firmware/feedback/index.js';
import { createLogger, memorySink } from '../../firmware/log.js';
import { useFakeTime } from './fake-time.js';

const config: FeedbackConfig = { pins: { red: 23, green: 24, blue: 25, buzzer: 18, help: 17, myBag: 27 }, buttonPressedLevel: 0, debounceMs: 30, stuckAfterSec: 10 };
const PRESSED = 0;
const RELEASED = 1;

function rig(t: { teardown(fn: () => void): void }, options: { openAlertIds?: number[]; refusePress?: boolean } = {}) {
  const time = useFakeTime();
  const board = new SimulatedGpioBoard(undefined, time.clock);
  const sink = memorySink();
  const log = createLogger(sink, 'feedback');
  const condition: CartCondition = { storeOnline: true, fitToShop: true };
  const presses: ButtonPress[] = [];
  const feedback = new ShopperFeedback(new OnoffPins(board.Gpio, board.chip, log, true), config, {
    clock: time.clock,
    log,
    condition: () => ({ ...condition }),
    openAlertIds: options.openAlertIds ?? [],
    press: (p) => {
      if (options.refusePress) throw new Error('SQLITE_FULL: database or disk is full');
      presses.push(p);
    },
  });
  t.teardown(() => {
    feedback.stop();
    time.restore();
  });
  const colour = () => {
    const rgb = [config.pins.red, config.pins.green, config.pins.blue].map((p) => board.level(p)).join('');
    return ({ '000': 'off', '010': 'green', '110': 'amber', '100': 'red', '001': 'blue' } as Record<string, string>)[rgb] ?? rgb;
  };
  /** Buzzer on-times in ms since `fromSec`, as [start, length] pairs. */
  const beeps = (fromSec: number) => {
    const changes = board.changes.filter((c) => c.bcm === config.pins.buzzer && c.atSec >= fromSec);
    const out: [number, number][] = [];
    for (let i = 0; i < changes.length; i++) {
      const c = changes[i]!;
      const next = changes[i + 1];
      if (c.level === 1 && next) out.push([Math.round((c.atSec - fromSec) * 1000), Math.round((next.atSec - c.atSec) * 1000)]);
    }
    return out;
  };
  /** The colour the light showed at each ms from now for `ms` ms. */
  const watch = (ms: number) => {
    const seen: string[] = [];
    for (let i = 0; i < ms; i++) {
      seen.push(colour());
      time.advance(1);
    }
    return seen;
  };
  return { time, board, feedback, condition, presses, colour, beeps, watch, lines: (re: RegExp) => sink.lines.filter((l) => re.test(l)) };
}

const add: Decision = { kind: 'add', atSec: 1, unitId: 1, gtin: '05901592598225', grams: 1062, reason: { rule: 'fits the scan' } };
const remove: Decision = { kind: 'remove', atSec: 1, unitId: 1, gtin: '05901592598225', grams: -1062, reason: { rule: 'fits one line' } };
const alert: Decision = { kind: 'alert', atSec: 1, alertId: 7, alert: 'unscanned-item', grams: 300, reason: { rule: 'no open scan' } };
const resolved: Decision = { kind: 'alert-resolved', atSec: 2, alertId: 7, alert: 'unscanned-item', reason: { rule: 'scanned late' } };

/** Runs of one colour, as [colour, ms]. */
function runs(seen: string[]): [string, number][] {
  const out: [string, number][] = [];
  for (const c of seen) {
    const last = out[out.length - 1];
    if (last && last[0] === c) last[1]++;
    else out.push([c, 1]);
  }
  return out;
}

t.test('ready is steady green; the store link down turns it steady amber, and back', async (t) => {
  const r = rig(t);
  r.feedback.start();
  t.equal(r.colour(), 'green');
  r.condition.storeOnline = false;
  t.same(runs(r.watch(3000)), [['green', 1000], ['amber', 2000]], 'within the second, then steady');
  r.condition.storeOnline = true;
  r.time.advance(1000);
  t.equal(r.colour(), 'green');
});

t.test('an added item flashes green twice over the light and beeps once', async (t) => {
  const r = rig(t);
  r.feedback.start();
  const at = r.time.clock();
  r.feedback.committed([add]);
  t.same(runs(r.watch(600)), [['off', 80], ['green', 150], ['off', 80], ['green', 150], ['off', 80], ['green', 60]]);
  t.same(r.beeps(at), [[0, 90]]);
  t.equal(r.feedback.health().light, 'ready');
});

t.test('a removed item beeps twice, short', async (t) => {
  const r = rig(t);
  r.feedback.start();
  const at = r.time.clock();
  r.feedback.committed([remove]);
  r.time.advance(1000);
  t.same(r.beeps(at), [[0, 70], [160, 70]]);
});

t.test('an alert blinks red and beeps three times long until it is resolved', async (t) => {
  const r = rig(t);
  r.feedback.start();
  const at = r.time.clock();
  r.feedback.committed([alert]);
  t.same(runs(r.watch(1000)), [['red', 250], ['off', 250], ['red', 250], ['off', 250]]);
  t.same(r.beeps(at), [[0, 350], [500, 350]], 'the third beep is still to come');
  r.time.advance(1000);
  t.same(r.beeps(at), [[0, 350], [500, 350], [1000, 350]]);
  t.equal(r.feedback.health().light, 'attention');
  // The shopper scans it late: the item is added and the alert resolved in one commit.
  r.feedback.committed([{ ...add, atSec: 2 }, resolved]);
  r.time.advance(600);
  t.equal(r.colour(), 'green');
  t.equal(r.feedback.health().light, 'ready');
});

t.test('attention wins over an accepted item in the same commit', async (t) => {
  const r = rig(t);
  r.feedback.start();
  const at = r.time.clock();
  r.feedback.committed([add, { ...alert, alertId: 8 }]);
  r.time.advance(2000);
  t.same(r.beeps(at).map(([, len]) => len), [350, 350, 350]);
});

t.test('alerts still open in the saved basket show at start', async (t) => {
  const r = rig(t, { openAlertIds: [3] });
  r.feedback.start();
  t.equal(r.feedback.health().light, 'attention');
  t.equal(r.colour(), 'red');
});

t.test('a cart not fit to shop blinks blue slowly, whatever else is open', async (t) => {
  const r = rig(t, { openAlertIds: [3] });
  r.condition.fitToShop = false;
  r.feedback.start();
  t.same(runs(r.watch(4000)), [['blue', 1000], ['off', 1000], ['blue', 1000], ['off', 1000]]);
});

t.test('decisions that change nothing for the shopper make no sound', async (t) => {
  const r = rig(t);
  r.feedback.start();
  r.feedback.committed([{ kind: 'scan-open', atSec: 1, scanId: 1, gtin: '05901592598225' }, { kind: 'scan-expired', atSec: 21, scanId: 1, gtin: '05901592598225' }]);
  r.time.advance(500);
  t.same(r.beeps(0), []);
  t.equal(r.colour(), 'green');
});

t.test('a bouncing press of "help" reaches the cart once, with its monotonic time, and clicks once saved', async (t) => {
  const r = rig(t);
  r.feedback.start();
  r.time.advance(1000);
  for (const level of [PRESSED, RELEASED, PRESSED, RELEASED, PRESSED] as const) {
    r.board.drive(config.pins.help, level);
    r.time.advance(2);
  }
  r.time.advance(100);
  t.same(r.presses, [{ kind: 'button', atSec: 1.039, name: 'help', pressed: true }], 'stamped when the debounce confirmed it: 30 ms after the last bounce, on a whole-ms timer');
  t.same(r.beeps(1), [[39, 30]]);
  r.board.drive(config.pins.help, RELEASED);
  r.time.advance(100);
  t.same(r.presses.map((p) => p.pressed), [true, false]);
  t.same(r.beeps(1).length, 1, 'a release does not click');
});

t.test('a press the cart could not save gets no click and an error line', async (t) => {
  const r = rig(t, { refusePress: true });
  r.feedback.start();
  r.board.drive(config.pins.myBag, PRESSED);
  r.time.advance(100);
  t.same(r.beeps(0), []);
  t.equal(r.lines(/ERROR .*button press could not be saved; nothing happened, the shopper can press again button=my-bag/).length, 1);
});

t.test('a stuck "my bag" button gives one press, one warning, and nothing more until released', async (t) => {
  const r = rig(t);
  r.feedback.start();
  r.board.drive(config.pins.myBag, PRESSED);
  r.time.advance(30_000);
  t.same(r.presses.map((p) => [p.name, p.pressed]), [['my-bag', true]]);
  t.equal(r.lines(/WARN .*button held too long: taken for stuck/).length, 1);
  t.equal(r.feedback.health().status, 'warning');
  t.equal(r.feedback.health().buttons['my-bag'], 'stuck');
  r.board.drive(config.pins.myBag, RELEASED);
  r.time.advance(100);
  t.same(r.presses.length, 1, 'the release of a stuck button is not passed on');
  t.equal(r.feedback.health().buttons['my-bag'], 'released');
});

t.test('a button held at start asks for nothing', async (t) => {
  const r = rig(t);
  r.board.drive(config.pins.help, PRESSED);
  r.feedback.start();
  r.time.advance(15_000);
  t.same(r.presses, []);
  t.equal(r.lines(/WARN .*button held down at start/).length, 1);
});

t.test('a pin that cannot be exported stops the start with the pin named', async (t) => {
  const r = rig(t);
  r.board.refuseExport(config.pins.buzzer, 'EACCES: permission denied, open /sys/class/gpio/export');
  t.throws(() => r.feedback.start(), /cannot export GPIO BCM 18 for the buzzer/);
});

t.test('stop turns the light and the buzzer off and unexports every pin', async (t) => {
  const r = rig(t);
  r.feedback.start();
  r.feedback.committed([alert]);
  r.time.advance(100);
  r.feedback.stop();
  t.same(r.board.exported(), []);
  t.ok(r.board.changes.filter((c) => c.atSec === r.time.clock()).every((c) => c.level === 0));
});
