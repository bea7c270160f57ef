// Each fault a board can have, on both board types: detected, counted, logged
// once per episode, retried with backoff, reported as health, and recovered
// from when the fault clears.
import t from 'tap';
import { HX711_MAX } from '../../../drivers/loadcell/board.js';
import { STUCK_AFTER_SEC } from '../../../drivers/loadcell/channel.js';
import type { BoardModel, ChannelName, SimulatedFault } from '../../../drivers/loadcell/index.js';
import { ADDRESSES, RATE_HZ, movingLoad, rig, type Rig } from './harness.js';

const NAMES: ChannelName[] = ['fl', 'fr', 'rl', 'rr'];

/** What a healthy board returns for a sample stamped `atSec` (the M5Stack converts 10 times a second). */
function expected(model: BoardModel, channel: number, atSec: number): number {
  return movingLoad(channel, model === 'm5stack' ? Math.floor(atSec * 10) / 10 : atSec);
}

function channelValues(r: Rig, channel: number, fromSec: number, toSec = Infinity) {
  return r.samples.filter((s) => s.atSec >= fromSec && s.atSec < toSec).map((s) => s.raw[channel]);
}

const logged = (r: Rig, level: string, message: string, channel: number, fault?: string) =>
  r.lines(new RegExp(`^${level} +loadcell ${message}[^=]* channel=${NAMES[channel]} .*${fault ? `fault=${fault}` : ''}`)).length;

/** Times at which the board at `address` saw bus traffic, polled every 10 ms for `sec`. */
async function trafficTimes(r: Rig, address: number, sec: number): Promise<number[]> {
  const times: number[] = [];
  let seen = r.bus.stats(address).transfers;
  for (let i = 0; i < sec * 100; i++) {
    await r.time.advance(0.01);
    const now = r.bus.stats(address).transfers;
    if (now !== seen) times.push(r.time.clock());
    seen = now;
  }
  return times;
}

for (const model of ['m5stack', 'dfrobot'] as const) {
  const addr = ADDRESSES[model];
  const periodSec = 1 / RATE_HZ[model];

  t.test(`${model}: healthy boards`, async (t) => {
    t.test('after the HX711 settles, every sample carries the true load of each corner', async (t) => {
      const r = await rig(t, model);
      r.cells.sampler.start();
      await r.time.advance(1.5);
      const settled = r.samples.filter((s) => s.atSec >= 0.45);
      t.ok(settled.length > 10);
      t.same(
        settled.map((s) => s.raw),
        settled.map((s) => [0, 1, 2, 3].map((ch) => expected(model, ch, s.atSec))),
      );
      t.ok(r.samples.filter((s) => s.atSec < 0.35).every((s) => s.raw.every((v) => v === null)), 'null while settling');
      t.equal(r.cells.sampler.health().status, 'ok');
    });
  });

  t.test(`${model}: a read that fails once is retried at the next tick, without failing the channel`, async (t) => {
    const r = await rig(t, model);
    r.cells.sampler.start();
    await r.time.advance(1);
    r.bus.setFault(addr[1]!, 'io');
    await r.time.advance(periodSec * 1.2);
    r.bus.setFault(addr[1]!, null);
    await r.time.advance(1);

    const fr = r.cells.sampler.health().channels[1]!;
    t.ok(fr.faults.io.count >= 1 && fr.faults.io.count <= 2, `failed reads: ${fr.faults.io.count}`);
    t.equal(fr.faults.io.episodes, 1);
    t.equal(fr.status, 'ok');
    t.equal(logged(r, 'WARN', 'load cell fault', 1, 'io'), 1);
    t.equal(logged(r, 'INFO', 'load cell fault cleared', 1, 'io'), 1);
    t.equal(logged(r, 'ERROR', 'load cell failed', 1), 0, 'never declared failed');
    t.ok(channelValues(r, 1, 1, 1 + periodSec * 3).includes(null), 'the failed read gave null');
    t.notOk(channelValues(r, 1, 1.5).includes(null), 'values again once it answers');
    t.notOk(channelValues(r, 0, 0.45).includes(null), 'other corners unaffected');
  });

  for (const [fault, kind] of [
    ['io', 'io'],
    ['gone', 'no-answer'],
    ['bad-answer', 'bad-answer'],
  ] as [SimulatedFault, string][]) {
    t.test(`${model}: a board with a lasting ${fault} fault fails, is retried with backoff, and recovers`, async (t) => {
      const r = await rig(t, model);
      r.cells.sampler.start();
      await r.time.advance(1);
      r.bus.setFault(addr[2]!, fault);
      await r.time.advance(0.5);

      let health = r.cells.sampler.health();
      t.equal(health.channels[2]!.status, 'failed');
      t.same(health.failedChannels, ['rl']);
      t.equal(health.status, 'warning', 'three corners left: degraded, not failed');
      t.equal(health.channels[2]!.lastError?.kind, kind);
      t.ok(health.channels[2]!.retryAtSec !== null);

      const traffic = await trafficTimes(r, addr[2]!, 5);
      const ticks = 5 / periodSec;
      t.ok(traffic.length >= 3 && traffic.length < ticks / 10, `${traffic.length} bus attempts in ${ticks} ticks`);
      if (fault !== 'bad-answer') {
        // bad-answer boards pass init and fail on the read after settling, so each attempt is two transfers.
        const gaps = traffic.slice(1).map((at, i) => at - traffic[i]!);
        t.ok(gaps.every((g, i) => i === 0 || g > gaps[i - 1]!), `gaps grow: ${gaps.map((g) => g.toFixed(2)).join(' ')}`);
      }
      t.ok(channelValues(r, 2, 1.2).every((v) => v === null), 'null while failed');
      t.notOk(channelValues(r, 3, 1).includes(null), 'the other corners keep giving values');

      r.bus.setFault(addr[2]!, null);
      await r.time.advance(6);
      health = r.cells.sampler.health();
      t.equal(health.channels[2]!.status, 'ok');
      t.equal(health.status, 'ok');
      const counts = health.channels[2]!.faults[kind as 'io'];
      t.ok(counts.count >= 3, `counted ${counts.count}`);
      t.equal(counts.episodes, 1);
      t.equal(logged(r, 'WARN', 'load cell fault', 2, kind), 1, 'logged once when it began');
      t.equal(logged(r, 'ERROR', 'load cell failed', 2), 1, 'failed once');
      t.equal(logged(r, 'INFO', 'load cell fault cleared', 2, kind), 1, 'logged once when it cleared');
      t.equal(r.lines(/^(INFO|WARN|ERROR) .*channel=rl /).length, 4, 'set up at start, fault, failed, cleared: the retries are quiet');
      const last = r.samples.at(-1)!;
      t.equal(last.raw[2], expected(model, 2, last.atSec), 'the true load again; an M5Stack that lost power has its filters off again');
    });
  }

  t.test(`${model}: a board repeating one value for ${STUCK_AFTER_SEC} s is stuck, fails, and recovers when it converts again`, async (t) => {
    const r = await rig(t, model);
    r.cells.sampler.start();
    await r.time.advance(1);
    r.bus.setFault(addr[0]!, 'stuck');
    await r.time.advance(STUCK_AFTER_SEC + 0.5);

    const during = channelValues(r, 0, 1.1, 1 + STUCK_AFTER_SEC - 0.2);
    t.equal(new Set(during).size, 1, 'the stuck value is passed on until it has lasted long enough to tell');
    t.ok(channelValues(r, 0, 1.2 + STUCK_AFTER_SEC).every((v) => v === null), 'then null');
    const fl = r.cells.sampler.health().channels[0]!;
    t.equal(fl.status, 'failed');
    t.equal(fl.faults.stuck.episodes, 1);
    t.equal(logged(r, 'WARN', 'load cell fault', 0, 'stuck'), 1);

    await r.time.advance(3);
    t.equal(logged(r, 'WARN', 'load cell fault', 0, 'stuck'), 1, 'retries that find it still stuck are not logged again');
    r.bus.setFault(addr[0]!, null);
    await r.time.advance(6);
    t.equal(r.cells.sampler.health().channels[0]!.status, 'ok');
    t.equal(logged(r, 'INFO', 'load cell fault cleared', 0, 'stuck'), 1);
    const last = r.samples.at(-1)!;
    t.equal(last.raw[0], expected(model, 0, last.atSec));
  });

  t.test(`${model}: a saturated cell passes its limit value on, as a warning, not a failure`, async (t) => {
    const r = await rig(t, model);
    r.cells.sampler.start();
    await r.time.advance(1);
    r.bus.setFault(addr[3]!, 'saturated-high');
    await r.time.advance(STUCK_AFTER_SEC + 1);

    const rr = r.cells.sampler.health().channels[3]!;
    t.equal(rr.status, 'warning');
    t.ok(rr.faults.saturated.count > 10);
    t.equal(rr.faults.saturated.episodes, 1);
    t.same(new Set(channelValues(r, 3, 1.1)), new Set([HX711_MAX]), 'the limit, never null: what a saturated HX711 itself reads');
    t.equal(logged(r, 'WARN', 'load cell fault', 3, 'saturated'), 1);

    r.bus.setFault(addr[3]!, null);
    await r.time.advance(0.5);
    t.equal(r.cells.sampler.health().channels[3]!.status, 'ok');
    t.equal(logged(r, 'INFO', 'load cell fault cleared', 3, 'saturated'), 1);
  });
}

t.test('two failed corners fail the scale: the weight cannot be measured on two', async (t) => {
  const r = await rig(t, 'm5stack');
  r.cells.sampler.start();
  await r.time.advance(1);
  r.bus.setFault(ADDRESSES.m5stack[0]!, 'gone');
  r.bus.setFault(ADDRESSES.m5stack[3]!, 'io');
  await r.time.advance(0.5);
  const health = r.cells.sampler.health();
  t.equal(health.status, 'failed');
  t.same(health.failedChannels, ['fl', 'rr']);
  t.same(r.samples.at(-1)!.raw.map((v) => v === null), [true, false, false, true]);
});

t.test('m5stack: a disconnected cell is no-cell within three samples, long before a stuck value would be', async (t) => {
  const r = await rig(t, 'm5stack');
  r.cells.sampler.start();
  await r.time.advance(1);
  r.bus.setFault(ADDRESSES.m5stack[1]!, 'cell-disconnected');
  const from = r.time.clock();
  // Three failed reads fail a channel: three ticks and a little.
  await r.time.advance(3.5 / RATE_HZ.m5stack);

  let fr = r.cells.sampler.health().channels[1]!;
  t.equal(fr.status, 'failed', 'failed after three samples');
  t.equal(fr.lastError?.kind, 'no-cell');
  await r.time.advance(3);
  fr = r.cells.sampler.health().channels[1]!;
  t.equal(fr.faults.stuck.count, 0, 'never taken for a stuck board');
  t.ok(channelValues(r, 1, from + 1 / RATE_HZ.m5stack).every((v) => v === null), 'no value passed on from a unit that converts nothing');
  t.equal(logged(r, 'WARN', 'load cell fault', 1, 'no-cell'), 1);

  r.bus.setFault(ADDRESSES.m5stack[1]!, null);
  await r.time.advance(6);
  t.equal(r.cells.sampler.health().channels[1]!.status, 'ok', 'the cell plugged back in reads again');
  t.equal(logged(r, 'INFO', 'load cell fault cleared', 1, 'no-cell'), 1);
});

for (const model of ['m5stack', 'dfrobot'] as const) {
  t.test(`${model}: SDA held low takes out all four corners; the bus is reopened, and they come back`, async (t) => {
    const r = await rig(t, model);
    r.cells.sampler.start();
    await r.time.advance(1);
    r.bus.holdSdaLow({ releasedByReopen: true });
    await r.time.advance(1);
    t.ok(r.bus.reopens >= 1, `reopened ${r.bus.reopens} times`);
    await r.time.advance(2);

    const health = r.cells.sampler.health();
    t.equal(health.status, 'ok', 'all four corners give values again');
    t.equal(health.bus.status, 'ok');
    t.equal(health.bus.episodes, 1);
    t.equal(r.lines(/^ERROR +loadcell all four load cells failed: the I2C bus itself is suspect/).length, 1);
    t.equal(r.lines(/^INFO +loadcell I2C bus answers again reopens=1 /).length, 1);
    const last = r.samples.at(-1)!;
    t.same(last.raw, [0, 1, 2, 3].map((ch) => expected(model, ch, last.atSec)));
  });

  t.test(`${model}: a bus that stays wedged is reopened with growing gaps, logged once, until it is freed`, async (t) => {
    const r = await rig(t, model);
    r.cells.sampler.start();
    await r.time.advance(1);
    r.bus.holdSdaLow({ releasedByReopen: false });
    const reopenTimes: number[] = [];
    let seen = r.bus.reopens;
    for (let i = 0; i < 1600; i++) {
      await r.time.advance(0.01);
      if (r.bus.reopens !== seen) reopenTimes.push(r.time.clock());
      seen = r.bus.reopens;
    }
    const gaps = reopenTimes.slice(1).map((at, i) => at - reopenTimes[i]!);
    t.ok(reopenTimes.length >= 4 && reopenTimes.length <= 6, `${reopenTimes.length} reopens in 16 s`);
    t.ok(gaps.every((g, i) => i === 0 || g > gaps[i - 1]! * 1.5), `gaps grow: ${gaps.map((g) => g.toFixed(2)).join(' ')}`);
    const health = r.cells.sampler.health();
    t.equal(health.status, 'failed');
    t.equal(health.bus.status, 'recovering');
    t.ok(health.bus.nextReopenAtSec !== null);
    t.equal(r.lines(/^ERROR +loadcell all four load cells failed/).length, 1, 'one line for the episode, not one a reopen');

    r.bus.holdSdaLow(null);
    await r.time.advance(20);
    t.equal(r.cells.sampler.health().status, 'ok');
    t.equal(r.lines(/^INFO +loadcell I2C bus answers again/).length, 1);
  });
}
