// cart-bench run: the real cart-firmware process, fed by playback boards and
// a scanner on a pseudo-terminal, in real time. The firmware runs its own
// clock, timers, SQLite and store link, yet must decide what a replay of
// the same trace decides, at the same trace times.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { M5stackWeightUnit } from '../../drivers/loadcell/m5stack.js';
import { SimulatedI2cBus } from '../../drivers/loadcell/index.js';
import { RecordedLoad } from '../../drivers/loadcell/sim/recorded-load.js';
import { createLogger, memorySink } from '../../firmware/log.js';
import { replayTrace } from './replay.js';
import { runTrace } from './run.js';
import { writeShortTrip } from './short-trip.js';
import { resultFromStore } from './store-result.js';
import type { StoreEvent } from './store-sim.js';

t.test('a playback board gives each recorded conversion once at its own rate, and a missing value as a failed transfer', async (t) => {
  const dir = t.testdir({});
  const path = join(dir, 'tiny.jsonl');
  // A board clock 1 % fast: 80.8 conversions a second where the header says 80.
  const periodSec = 1 / 80.8;
  const header = { kind: 'header', format: 'cart-trace', version: 1, cart: 'c', rateHz: 80, channels: ['fl', 'fr', 'rl', 'rr'] };
  const adc = [0, 1, 2, 3, 4, 5].map((k) => ({ t: Number((k * periodSec).toFixed(4)), kind: 'adc', raw: [k, 10 + k, k === 3 ? null : 20 + k, 30 + k] }));
  writeFileSync(path, [header, { t: 0.02, kind: 'serial', data: '123\r' }, ...adc].map((l) => JSON.stringify(l)).join('\n') + '\n');

  const starts: number[] = [];
  const recording = RecordedLoad.fromTrace(path, ({ originSec }) => starts.push(originSec));
  t.equal(Number(recording.measuredRateHz.toFixed(1)), 80.8);
  // Reads on the sampler's grid, from an arbitrary clock time, each a little late as timers are.
  const first = 1000.25;
  const read = (k: number, channel: number) => recording.load(channel, first + k * periodSec + 0.002);
  t.same([0, 1, 2].map((k) => read(k, 1)), [10, 11, 12], 'line k at read k');
  t.same(starts, [first + 0.002], 'the trace clock starts at the first read');
  t.throws(() => read(3, 2), { code: 'EIO' }, 'the null of line 3');
  t.same([3, 4, 5].map((k) => read(k, 1)), [13, 14, 15], 'one missing value does not hold up the others');

  // Through the bus and the real board driver: the null is an I/O fault of that board only.
  const again = RecordedLoad.fromTrace(path);
  let now = first;
  const bus = new SimulatedI2cBus({ model: 'm5stack', addresses: [0x26, 0x27, 0x28, 0x29], clock: () => now, load: again.load, convertAtRead: true });
  const boards = [0x26, 0x28].map((a) => new M5stackWeightUnit(bus, a));
  for (const b of boards) await b.init();
  const raws: (number | string)[][] = [];
  for (let k = 0; k < 5; k++) {
    now = first + k * periodSec;
    raws.push(await Promise.all(boards.map((b) => b.readRaw().catch((err: { kind: string }) => err.kind))));
  }
  t.same(raws, [[0, 20], [1, 21], [2, 22], [3, 'io'], [4, 24]]);
});

t.test('a short trip played into the firmware process ends as its replay ends, at the same trace times', async (t) => {
  const dir = t.testdir({});
  // Two items scanned and put in within 22 s; the trip's next step is under way at the cut.
  const trace = writeShortTrip(dir, 'typical', 2, 22);
  const replayed = await replayTrace(trace);
  t.equal(replayed.changes.length, 2, 'the replay adds both items');

  const firmware: string[] = [];
  const report = await runTrace(trace, { log: createLogger(memorySink('info'), 'bench'), onFirmwareLine: (l) => firmware.push(l) });
  t.same(report.problems, [], 'a clean stop, and every event at the store once');
  t.match(firmware.join('\n'), /INFO +playback trace clock started originSec=[\d.]+ wallMs=[\d.]+[\s\S]*INFO +main goodbye/);
  const { result } = report;
  t.same(result.basket.map((l) => [l.gtin, l.qty]), replayed.basket.map((l) => [l.gtin, l.qty]), 'the same basket');
  t.same(result.changes.map((c) => [c.op, c.gtin]), replayed.changes.map((c) => [c.op, c.gtin]), 'the same changes in the same order');
  t.same(result.alerts.map((a) => a.kind), replayed.alerts.map((a) => a.kind));
  // Trace time on both sides: a wrong origin would put the changes seconds apart.
  result.changes.forEach((c, i) => t.ok(Math.abs(c.t - replayed.changes[i]!.t) < 1, `change ${i + 1} at ${c.t} s, replayed at ${replayed.changes[i]!.t} s`));
  t.equal(report.buttonLinesSkipped, 0);
});

t.test('the result from the store: trace times, and nothing the cart decided after the trace ended', async (t) => {
  const originSec = 100;
  let seq = 0;
  const event = (atSec: number, body: object) => ({
    v: 1, stream: '0123456789abcdef', seq: ++seq, id: `0123456789abcdef-${seq}`, boot: 1, logSeq: seq, atSec, reason: { rule: 'test' },
    cartId: 'c', receivedAtMs: 0, ...body,
  }) as StoreEvent;
  const events = [
    event(105.5, { type: 'basket', kind: 'add', unitId: 1, gtin: '00000000000017', grams: 250.4 }),
    event(109.25, { type: 'basket', kind: 'alert', alertId: 2, alert: 'unscanned-item', grams: 61.94 }),
    // On the held last sample, 0.4 s after the trace's last line at 12 s.
    event(112.4, { type: 'basket', kind: 'add', unitId: 3, gtin: '00000000000024', grams: 99.9 }),
  ];
  const snapshot = {
    v: 1 as const, stream: '0123456789abcdef', seq: 3, boot: 1, session: null, locked: false, openAlerts: [], personalItems: 0, catalogVersion: 1,
    lines: [{ gtin: '00000000000017', qty: 1, grams: 250.4 }, { gtin: '00000000000024', qty: 1, grams: 99.9 }],
  };
  const { result, afterEnd } = resultFromStore(events, snapshot, originSec, 12);
  t.same(result, {
    basket: [{ gtin: '00000000000017', qty: 1, grams: 250.4 }],
    alerts: [{ t: 9.25, kind: 'unscanned-item', grams: 61.9 }],
    changes: [{ t: 5.5, op: 'add', gtin: '00000000000017', qty: 1 }],
  });
  t.equal(afterEnd.length, 1);
});
