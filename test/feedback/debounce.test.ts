// A button's contact, debounced on given times: bounces make one press, a
// spike makes none, a held button is stuck once and never repeats.
import t from 'tap';
import { Debouncer, type ButtonEvent } from '../../firmware/feedback/debounce.js';

const options = { debounceSec: 0.03, stuckAfterSec: 10 };

/** Feeds contact levels at given times (seconds), settling at each and at every due time in between. */
function run(d: Debouncer, contact: [atSec: number, pressed: boolean][], untilSec: number): [number, ButtonEvent][] {
  const out: [number, ButtonEvent][] = [];
  const settleUntil = (sec: number) => {
    for (let due = d.nextDueSec(); due !== null && due <= sec; due = d.nextDueSec()) {
      for (const e of d.settle(due)) out.push([Math.round(due * 1000) / 1000, e]);
    }
  };
  for (const [atSec, pressed] of contact) {
    settleUntil(atSec);
    d.observe(pressed, atSec);
  }
  settleUntil(untilSec);
  return out;
}

t.test('a bouncing contact is one press and one release, each once it has held for 30 ms', async (t) => {
  const d = new Debouncer(options, false, 0);
  const bounce: [number, boolean][] = [[1.0, true], [1.002, false], [1.004, true], [1.007, false], [1.009, true]];
  const events = run(d, [...bounce, [1.5, false], [1.503, true], [1.505, false]], 3);
  t.same(events, [[1.039, 'press'], [1.535, 'release']]);
});

t.test('a spike shorter than the debounce time is no press', async (t) => {
  const d = new Debouncer(options, false, 0);
  t.same(run(d, [[1, true], [1.01, false]], 2), []);
  t.equal(d.condition, 'released');
});

t.test('a button held for 10 s is stuck: one press, one warning, no repeats, and its release is no release', async (t) => {
  const d = new Debouncer(options, false, 0);
  const events = run(d, [[1, true], [40, false]], 45);
  t.same(events, [[1.03, 'press'], [11, 'stuck'], [40.03, 'unstuck']]);
  t.equal(d.condition, 'released');
  t.same(run(d, [[50, true], [50.2, false]], 51), [[50.03, 'press'], [50.23, 'release']], 'it works again after');
});

t.test('a button held down at start is stuck from the start and asks for nothing', async (t) => {
  const d = new Debouncer(options, true, 0);
  t.equal(d.condition, 'stuck');
  t.same(run(d, [[5, false]], 6), [[5.03, 'unstuck']]);
});

t.test('nothing pending, no timer needed', async (t) => {
  const d = new Debouncer(options, false, 0);
  t.equal(d.nextDueSec(), null);
  d.observe(true, 2);
  t.equal(d.nextDueSec(), 2.03);
});
