// What cart-cal draws in a terminal: plain where the terminal is plain.
import t from 'tap';
import type { LiveReading, ScaleInfo } from '../../firmware/control/index.js';
import { historyText } from '../../calibration/terminal/history.js';
import { renderLive } from '../../calibration/terminal/live.js';
import { drawTrace } from '../../calibration/terminal/trace.js';
import type { Style } from '../../calibration/terminal/style.js';

const plain: Style = { tty: true, color: false, unicode: false, columns: 80 };
const rich: Style = { tty: true, color: true, unicode: true, columns: 80 };
const info: ScaleInfo = {
  cartId: 'cart-7', intervalGrams: 10, capacityGrams: 30_000, calibration: [], counters: { calibration: 3, configuration: 1 }, maintenance: null,
};
const reading = (over: Partial<LiveReading> = {}): LiveReading => ({
  atSec: 12, cornersGrams: [1250.1, 1249.9, 1250.3, 1249.7], totalGrams: 5000, state: 'stable', deadChannels: [],
  cornersCounts: [0, 0, 0, 0], health: 'ok', channels: ['ok', 'ok', 'ok', 'ok'], ...over,
});
// Nothing on the basket for 5 s, then 5 kg.
const step = Array.from({ length: 100 }, (_, i) => ({ atSec: i / 10, grams: i < 50 ? 0 : 5000 }));

t.test('the trace: ASCII where the terminal has no UTF-8, block characters where it has', async (t) => {
  const ascii = drawTrace(step, { spanSec: 10, width: 40, rows: 4, unicode: false });
  t.equal(ascii.length, 4);
  t.ok(ascii.every((l) => /^[\x20-\x7e]*$/.test(l)), 'ASCII only');
  t.match(ascii[0], /^ {2}5000\.0 g \| {20}#{20}$/, 'the step on the right half, labelled with the top');
  t.match(ascii[3], /^ {5}0\.0 g \| {20}#{20}$/);
  const blocks = drawTrace(step, { spanSec: 10, width: 40, rows: 4, unicode: true });
  t.match(blocks[0], /█{20}$/);
  t.match(drawTrace([], { spanSec: 10, width: 40, rows: 2, unicode: false })[1], /no readings yet/);
});

t.test('the live screen: corners, total, state, motion and the boards, with colour only when the terminal has it', async (t) => {
  const lines = renderLive({ info, via: 'service', reading: reading(), trace: step, traceSec: 10 }, plain);
  const screen = lines.join('\n');
  t.notMatch(screen, /\x1b/, 'no escape codes on a plain terminal');
  t.match(screen, /cart cart-7 {2}via service {2}e = 10 g {2}Max = 30000 g {2}counters: calibration 3, configuration 1/);
  t.match(screen, /state stable {6}stable yes {2}motion no {3}load cells ok \(fl ok, fr ok, rl ok, rr ok\)/);
  t.match(screen, /1250\.1 g {4}1249\.9 g {4}1250\.3 g {4}1249\.7 g {6}5000\.0 g/);
  const moving = renderLive({ info, via: 'direct', reading: reading({ state: 'moving', health: 'warning', channels: ['ok', 'failed', 'ok', 'ok'] }), trace: step, traceSec: 10 }, plain).join('\n');
  t.match(moving, /stable no {3}motion yes {2}load cells warning \(fl ok, fr failed, rl ok, rr ok\)/);
  t.match(renderLive({ info, via: 'service', reading: reading(), trace: step, traceSec: 10 }, rich).join('\n'), /\x1b\[32mstable/);
});

t.test('history: the counters, then each change with its old and new values', async (t) => {
  const text = historyText({
    counters: { calibration: 1, configuration: 1 },
    entries: [
      { seq: 3, kind: 'configuration', counter: 1, wall: 'w3', by: 'service start', what: 'calibration.intervalGrams', old: { 'calibration.intervalGrams': 10 }, new: { 'calibration.intervalGrams': 20 }, details: null },
      { seq: 2, kind: 'calibration', counter: 1, wall: 'w2', by: 'alice', what: 'zero', old: [{ offset: 0, countsPerGram: 100 }], new: [{ offset: 12.5, countsPerGram: 100 }], details: null },
      { seq: 1, kind: 'configuration', counter: 0, wall: 'w1', by: 'service start', what: 'baseline', old: null, new: {}, details: null },
    ],
  });
  t.match(text, /^Sealing counters: calibration 1, configuration 1\n/);
  t.match(text, /#3 {2}configuration 1 {2}calibration\.intervalGrams {2}by service start {2}at w3\n {6}calibration\.intervalGrams: 10 -> 20/);
  t.match(text, /#2 {2}calibration 1 {2}zero {2}by alice {2}at w2\n {6}fl {2}zero 0\.0 -> 12\.5 counts {3}gain 100\.0000 -> 100\.0000 counts\/g/);
  t.match(text, /baseline, not a change/);
});
