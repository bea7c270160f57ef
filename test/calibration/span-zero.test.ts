// Zero and span on the simulated bench, through the direct session (service
// stopped): the real board drivers, sampler and Scale, a basket with known
// true gains and offsets, and a scripted technician.
import t from 'tap';
import { mpeGrams } from '../../calibration/metrology/tolerance.js';
import { runSpan } from '../../calibration/procedure/span.js';
import { runZero } from '../../calibration/procedure/zero.js';
import { openDirectSession } from '../../calibration/session/direct-session.js';
import { silentLogger } from '../../firmware/log.js';
import { monotonicSec } from '../../firmware/process.js';
import { BenchTechnician, CalibrationBench, trueCart } from './bench.js';
import { benchConfig, openRig, tempDatabase } from './rig.js';

const e = 10;
const max = 30_000;
/** What the procedure allows a corner's gain to be off by: a third of the MPE at Max, as a share of Max. */
const gainTolerance = mpeGrams(max, e) / 3 / max;

t.test('span with 5 kg recovers every corner\'s true gain within what the procedure allows, and moves the calibration counter once', async (t) => {
  const rig = await openRig();
  t.teardown(() => rig.close());
  await rig.session.enterMaintenance('bench');
  const before = (await rig.session.history()).counters;
  const outcome = await rig.run(runSpan(rig.session, rig.ctx, { weightGrams: 5000, weights: 'F1 5 kg, certificate 17' }));
  if (outcome.status !== 'stored') throw new Error(`span ${outcome.status}`);
  const gainErrors = outcome.fit.calibration.map((c, i) => c.countsPerGram / trueCart.countsPerGram[i]! - 1);
  t.comment(`gain errors ${gainErrors.map((x) => `${(x * 1e6).toFixed(1)} ppm`).join(', ')}; allowed ±${(gainTolerance * 1e6).toFixed(0)} ppm`);
  t.comment(`residuals ${outcome.fit.residualsGrams.map((r) => r.toFixed(3)).join(', ')} g; allowed ±${outcome.fit.toleranceGrams.toFixed(2)} g`);
  for (const [i, err] of gainErrors.entries()) t.ok(Math.abs(err) <= gainTolerance, `corner ${i} gain within ${gainTolerance}`);
  // The zero is the empty basket: each cell's own offset plus its share of the basket.
  const zeroErrorsGrams = outcome.fit.calibration.map((c, i) => (c.offset - trueCart.offsets[i]!) / trueCart.countsPerGram[i]! - trueCart.basketGrams / 4);
  t.ok(zeroErrorsGrams.every((g) => Math.abs(g) < 0.1), `zero per corner within 0.1 g (${zeroErrorsGrams.map((g) => g.toFixed(3)).join(', ')})`);
  t.same(rig.technician.instructions.map((i) => i.placement.where), [
    { at: 'empty' }, { at: 'corner', corner: 'fl' }, { at: 'corner', corner: 'fr' }, { at: 'corner', corner: 'rl' }, { at: 'corner', corner: 'rr' }, { at: 'centre' }, { at: 'empty' },
  ], 'empty, each corner, the middle, and empty again');
  const history = await rig.session.history();
  t.same(history.counters, { calibration: before.calibration + 1, configuration: before.configuration });
  t.match(history.entries[0], { kind: 'calibration', counter: 1, what: 'span', by: 'bench', old: benchConfigCalibration(), new: outcome.fit.calibration });
  t.same((await rig.session.info()).calibration, outcome.fit.calibration, 'the scale weighs with the new calibration at once');
});

t.test('a basket too stiff to twist: the twist of the gains cannot be measured, the weight on any corner still can', async (t) => {
  const rig = await openRig({ bench: new CalibrationBench({ ...trueCart, twistSoftness: 0 }) });
  t.teardown(() => rig.close());
  await rig.session.enterMaintenance('bench');
  const outcome = await rig.run(runSpan(rig.session, rig.ctx, { weightGrams: 5000, weights: 'F1 5 kg' }));
  if (outcome.status !== 'stored') throw new Error(`span ${outcome.status}`);
  t.ok(outcome.fit.residualsGrams.every((r) => Math.abs(r) < outcome.fit.toleranceGrams));
  // Weigh 10 kg over each corner with the new calibration.
  const cal = outcome.fit.calibration;
  for (const [u, v] of [[-1, 1], [1, 1], [-1, -1], [1, -1]] as const) {
    const shown = [0, 1, 2, 3].reduce((sum, c) => {
      const grams = 10_000 * (1 + u * [-1, 1, -1, 1][c]! + v * [1, 1, -1, -1][c]!) / 4;
      return sum + (trueCart.countsPerGram[c]! * grams) / cal[c]!.countsPerGram;
    }, 0);
    t.ok(Math.abs(shown - 10_000) < mpeGrams(10_000, e) / 3, `10 kg at corner (${u}, ${v}) reads ${shown.toFixed(2)} g`);
  }
});

t.test('zero is refused while the cart is pushed, and nothing is stored', async (t) => {
  const rig = await openRig();
  t.teardown(() => rig.close());
  await rig.session.enterMaintenance('bench');
  await rig.run(new Promise((resolve) => setTimeout(resolve, 2000)).then(() => {}), 5);
  rig.bench.push(rig.time.clock(), rig.time.clock() + 10);
  await rig.run(rig.ctx.feed.until((r) => (r.state === 'moving' ? r : undefined), 5, 'motion'));
  const outcome = await rig.run(runZero(rig.session, rig.ctx));
  t.equal(outcome.status, 'refused');
  t.match(outcome, { reason: /moving/ });
  t.same((await rig.session.history()).counters.calibration, 0);
});

t.test('zero stores the empty basket as each corner\'s zero, once; a zero declined stores nothing', async (t) => {
  const rig = await openRig();
  t.teardown(() => rig.close());
  await rig.session.enterMaintenance('bench');
  const stored = await rig.run(runZero(rig.session, rig.ctx));
  if (stored.status !== 'stored') throw new Error(`zero ${stored.status}`);
  const cal = (await rig.session.info()).calibration;
  const expected = trueCart.offsets.map((o, i) => o + trueCart.countsPerGram[i]! * trueCart.basketGrams / 4);
  t.ok(cal.every((c, i) => Math.abs(c.offset - expected[i]!) / trueCart.countsPerGram[i]! < 0.1), 'each offset within 0.1 g of the empty basket');
  t.same(cal.map((c) => c.countsPerGram), [100, 100, 100, 100], 'the gains are left alone');
  t.equal(stored.entry.counter, 1);

  const declining = new BenchTechnician(rig.bench, rig.time.clock, false);
  const declined = await rig.run(runZero(rig.session, { ...rig.ctx, guide: declining }));
  t.equal(declined.status, 'declined');
  t.same(declining.questions, ['Store this zero']);
  t.same((await rig.session.history()).counters, { calibration: 1, configuration: 0 }, 'the counter moved once in all');
});

t.test('a change of e or Max in the config file moves the configuration counter once, however often the tool opens', async (t) => {
  const databasePath = tempDatabase();
  const counters = async (overrides: Record<string, unknown>) => {
    const bench = new CalibrationBench();
    const session = await openDirectSession(benchConfig(databasePath, overrides), { loadCells: bench.loadCells(monotonicSec), clock: monotonicSec, wall: () => 'now', log: silentLogger });
    const history = await session.history();
    await session.close();
    return history;
  };
  t.same((await counters({})).counters, { calibration: 0, configuration: 0 }, 'the first settings are the baseline');
  t.same((await counters({})).counters.configuration, 0);
  const changed = await counters({ calibration: { intervalGrams: 20 } });
  t.equal(changed.counters.configuration, 1);
  t.match(changed.entries[0], { kind: 'configuration', counter: 1, what: 'calibration.intervalGrams', old: { 'calibration.intervalGrams': 10 }, new: { 'calibration.intervalGrams': 20 } });
  t.equal((await counters({ calibration: { intervalGrams: 20 } })).counters.configuration, 1, 'the same settings again: no change');
  t.equal((await counters({ calibration: { intervalGrams: 10, capacityGrams: 15_000 } })).counters.configuration, 2, 'two keys at once: one change');
});

function benchConfigCalibration() {
  return benchConfig('unused').scale.calibration;
}
