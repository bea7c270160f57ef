// The sampler's timing, on fake time: ticks on the ideal timeline, slow reads
// skipped rather than queued, stalls counted and visible.
import t from 'tap';
import { ADDRESSES, RATE_HZ, rig } from './harness.js';

/** How far a stamp may sit from its ideal tick: fake time moves in whole milliseconds. */
const STEP_SEC = 0.0011;

for (const model of ['m5stack', 'dfrobot'] as const) {
  t.test(`${model}: samples stay on the ideal timeline however long each read takes`, async (t) => {
    const periodSec = 1 / RATE_HZ[model];
    const r = await rig(t, model);
    r.cells.sampler.start();
    await r.time.advance(5.1);
    // Ticks due in the first 5 s; the reads of the last ones finish during the extra 0.1 s.
    const samples = r.samples.filter((s) => s.atSec < 5 + periodSec / 2);
    const ticks = samples.map((s) => Math.round(s.atSec / periodSec));
    t.equal(samples.length, Math.floor(5 / periodSec) + 1, 'one sample per tick, none lost, none extra');
    t.same(ticks, ticks.map((_, i) => i), 'tick after tick');
    t.ok(samples.every((s, i) => Math.abs(s.atSec - i * periodSec) < STEP_SEC), 'no drift');
    const health = r.cells.sampler.health().sampling;
    t.equal(health.ticksSkippedBusy, 0);
    t.equal(health.ticksMissedLate, 0);
    t.ok(Math.abs(health.maxGapSec - periodSec) < STEP_SEC, `max gap ${health.maxGapSec}`);
  });
}

t.test('reads slower than a tick: ticks are skipped, not queued, and no board has two reads at once', async (t) => {
  const periodSec = 1 / RATE_HZ.m5stack;
  const r = await rig(t, 'm5stack');
  r.cells.sampler.start();
  await r.time.advance(1);
  const before = { samples: r.samples.length, skipped: r.cells.sampler.health().sampling.ticksSkippedBusy };
  // The M5Stack driver reads the raw register twice: two 10 ms transfers make a 20 ms read.
  r.bus.setLatency(ADDRESSES.m5stack[1]!, 0.01);
  await r.time.advance(2);

  const sampling = r.cells.sampler.health().sampling;
  const samples = r.samples.length - before.samples;
  const skipped = sampling.ticksSkippedBusy - before.skipped;
  // The read started by the last tick may still be under way: not yet a sample.
  const ticks = Math.round(2 / periodSec);
  t.ok(samples + skipped === ticks || samples + skipped === ticks - 1, `every tick either read or skipped (${samples} + ${skipped} of ${ticks})`);
  t.ok(skipped >= samples - 1 && skipped <= samples + 1, `a 20 ms read skips every other 12.5 ms tick (${samples} read, ${skipped} skipped)`);
  t.equal(sampling.ticksMissedLate, 0, 'the timer itself was on time');
  t.ok(sampling.maxReadSec >= 0.02);
  for (const address of ADDRESSES.m5stack) t.equal(r.bus.stats(address).maxInFlight, 1, `one transfer at a time on 0x${address.toString(16)}`);
  t.ok(r.samples.every((s) => Math.abs(s.atSec / periodSec - Math.round(s.atSec / periodSec)) * periodSec < STEP_SEC), 'stamps stay on tick times');
  t.equal(r.cells.sampler.health().status, 'warning');
  t.equal(r.lines(/WARN +loadcell sampling behind/).length, 1, 'logged once, not per skipped tick');

  r.bus.setLatency(ADDRESSES.m5stack[1]!, 0);
  await r.time.advance(1.5);
  t.equal(r.lines(/INFO +loadcell sampling keeps up again/).length, 1);
  t.equal(r.cells.sampler.health().status, 'ok');
});

t.test('a stalled event loop shows as missed ticks and a gap; the missed ticks are not made up', async (t) => {
  const periodSec = 1 / RATE_HZ.m5stack;
  const r = await rig(t, 'm5stack');
  r.cells.sampler.start();
  await r.time.advance(1);
  const countBefore = r.samples.length;
  r.time.stall(0.5);
  await r.time.advance(1.5);

  const sampling = r.cells.sampler.health().sampling;
  t.ok(sampling.ticksMissedLate >= 39 && sampling.ticksMissedLate <= 40, `missed ${sampling.ticksMissedLate} ticks of 12.5 ms in 0.5 s`);
  t.ok(sampling.maxGapSec >= 0.5 && sampling.maxGapSec < 0.5 + 2 * periodSec, `max gap ${sampling.maxGapSec}`);
  const after = r.samples.slice(countBefore);
  const gaps = after.slice(1).map((s, i) => s.atSec - after[i]!.atSec);
  t.ok(gaps.every((g) => g > periodSec - STEP_SEC), 'no burst of catch-up samples after the stall');
  t.equal(r.lines(/WARN +loadcell sampling stalled/).length, 1);
  t.equal(r.lines(/INFO +loadcell sampling on time again/).length, 1);
});

t.test('stop waits for the reads under way, and no sample or bus traffic comes after', async (t) => {
  const r = await rig(t, 'dfrobot');
  r.cells.sampler.start();
  await r.time.advance(1.005); // inside a read: the DFRobot waits 22 ms after its command
  let stopped = false;
  const stopping = r.cells.sampler.stop().then(() => {
    stopped = true;
  });
  await r.time.advance(0.001);
  t.notOk(stopped, 'still waiting for the board');
  await r.time.advance(0.05);
  await stopping;
  const samples = r.samples.length;
  const transfers = ADDRESSES.dfrobot.map((a) => r.bus.stats(a).transfers);
  await r.time.advance(1);
  t.equal(r.samples.length, samples);
  t.same(ADDRESSES.dfrobot.map((a) => r.bus.stats(a).transfers), transfers);
});

t.test('a listener that throws is logged and sampling goes on', async (t) => {
  const r = await rig(t, 'm5stack');
  r.cells.sampler.on('sample', () => {
    throw new Error('downstream broke');
  });
  r.cells.sampler.start();
  await r.time.advance(0.1);
  t.ok(r.samples.length >= 8);
  t.ok(r.lines(/ERROR +loadcell a sample listener threw error="downstream broke"/).length >= 8);
});

t.test('starting twice is an error', async (t) => {
  const r = await rig(t, 'm5stack');
  r.cells.sampler.start();
  t.throws(() => r.cells.sampler.start(), /already running/);
});
