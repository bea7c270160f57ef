// The rules cart-cal holds a scale to, and the maths of its span fit.
import t from 'tap';
import { leastSquares } from '../../calibration/metrology/least-squares.js';
import { verificationPlan, weighingLoads } from '../../calibration/metrology/plan.js';
import { fitSpan } from '../../calibration/metrology/span-fit.js';
import { checkClassIII, isIntervalForm, mpeGrams } from '../../calibration/metrology/tolerance.js';
import { judgeCreep, judgeRepeatability, judgeWeighings, judgeZero, judgeZeroReturn } from '../../calibration/metrology/verdict.js';

t.test('class III allowed errors step from 0.5 e to 1 e past 500 e and to 1.5 e past 2000 e (R76-1 Table 6)', async (t) => {
  const e = 10;
  t.same([0, 5000, 5000.1, 20_000, 20_000.1, 30_000].map((g) => mpeGrams(g, e)), [5, 5, 10, 10, 15, 15]);
});

t.test('e must be 1, 2 or 5 times a power of ten and Max/e within 100..10000', async (t) => {
  t.same([1, 2, 5, 10, 20, 50, 0.5, 0.2].map(isIntervalForm), Array(8).fill(true));
  t.same([3, 4, 25, 0, -10].map(isIntervalForm), Array(5).fill(false));
  t.doesNotThrow(() => checkClassIII(10, 30_000));
  t.throws(() => checkClassIII(3, 30_000), /not 1, 2 or 5/);
  t.throws(() => checkClassIII(1, 30_000), /outside 100\.\.10000/);
});

t.test('the verification plan: five loads from Min to Max through 500 e and 2000 e, 1/3 Max on each quarter, then repeatability, creep and return to zero', async (t) => {
  t.same(weighingLoads(10, 30_000), [200, 5000, 15_000, 20_000, 30_000]);
  t.same(weighingLoads(1, 3000), [20, 500, 1500, 2000, 3000]);
  t.same(weighingLoads(10, 1500), [200, 380, 750, 1130, 1500], 'Max below 500 e: quarter points, in whole e, make up the five');
  const plan = verificationPlan(10, 30_000);
  t.equal(plan.eccentricGrams, 10_000);
  t.equal(plan.repeatGrams, 15_000);
  t.same(plan.steps.map((s) => s.test), [
    'zero', ...Array(5).fill('increasing'), ...Array(4).fill('decreasing'), ...Array(4).fill('eccentricity'),
    ...Array(6).fill('repeatability'), 'creep', 'creep', 'zero-return',
  ]);
  t.same(plan.steps.filter((s) => s.test === 'eccentricity').map((s) => s.placement.where), ['fl', 'fr', 'rl', 'rr'].map((corner) => ({ at: 'quarter', corner })));
  t.throws(() => verificationPlan(7, 30_000), /not 1, 2 or 5/);
});

t.test('least squares solves an exact system and reports residuals of an inconsistent one', async (t) => {
  const exact = leastSquares([[2, 0], [0, 4], [1, 1]], [2, 8, 3]);
  t.ok(exact.x.every((x, i) => Math.abs(x - [1, 2][i]!) < 1e-12));
  t.ok(exact.residuals.every((r) => Math.abs(r) < 1e-12));
  const off = leastSquares([[1], [1]], [0, 2]);
  t.same(off.x, [1]);
  t.same(off.residuals, [1, -1]);
  t.throws(() => leastSquares([[1, 1], [2, 2]], [1, 2]), /singular/);
});

t.test('the span fit recovers gains from noiseless placements, and flags placements that disagree', async (t) => {
  const countsPerGram = [96, 104, 99, 101];
  const empty = [1000, 2000, 3000, 4000];
  const shares = [[0.7, 0.15, 0.1, 0.05], [0.15, 0.7, 0.05, 0.1], [0.1, 0.05, 0.7, 0.15], [0.05, 0.1, 0.15, 0.7], [0.25, 0.25, 0.25, 0.25]];
  const at = (s: number[], w: number) => s.map((share, c) => empty[c]! + countsPerGram[c]! * share * w);
  const inForce = countsPerGram.map(() => ({ offset: 0, countsPerGram: 100 }));
  const good = fitSpan(empty, shares.map((s) => ({ where: { at: 'centre' as const }, counts: at(s, 5000) })), 5000, 10, inForce);
  t.ok(good.pass);
  t.ok(good.calibration.every((c, i) => Math.abs(c.countsPerGram / countsPerGram[i]! - 1) < 1e-7), 'gains');
  t.same(good.calibration.map((c) => c.offset), empty, 'the empty basket is the zero');
  // One placement read 20 g heavy (the weight was bumped): no set of gains explains all five.
  const bumped = shares.map((s, k) => ({ where: { at: 'centre' as const }, counts: at(s, k === 4 ? 5020 : 5000) }));
  const bad = fitSpan(empty, bumped, 5000, 10, inForce);
  t.notOk(bad.pass);
  t.equal(bad.toleranceGrams, 5 / 3, 'a third of the MPE at 5000 g (0.5 e)');
});

t.test('verdicts hold each reading to its limit and say by how much', async (t) => {
  t.ok(judgeZero(2.5, 10).pass);
  t.notOk(judgeZero(2.6, 10).pass);
  const weighing = judgeWeighings('increasing', [{ label: 'a', loadGrams: 5000, indicationGrams: 5004.9 }, { label: 'b', loadGrams: 20_000, indicationGrams: 19_989 }], 10);
  t.same(weighing.checks.map((c) => [c.errorGrams.toFixed(1), c.limitGrams, c.pass]), [['4.9', 5, true], ['-11.0', 10, false]]);
  t.notOk(weighing.pass);
  const repeat = judgeRepeatability([15_006, 14_995, 15_000].map((g) => ({ label: 'r', loadGrams: 15_000, indicationGrams: g })), 10);
  t.ok(repeat.checks.slice(0, 3).every((c) => c.pass), 'each within ±10 g');
  t.notOk(repeat.checks[3]!.pass, 'but 11 g apart');
  t.notOk(repeat.pass);
  const creep = judgeCreep(30_000, [{ sinceSec: 0, indicationGrams: 30_000 }, { sinceSec: 900, indicationGrams: 30_003 }, { sinceSec: 1800, indicationGrams: 30_004.5 }], 1800, 10);
  t.same(creep.checks.map((c) => c.pass), [true, true], '4.5 g in 30 min, 1.5 g in the second half');
  const creeping = judgeCreep(30_000, [{ sinceSec: 0, indicationGrams: 30_000 }, { sinceSec: 900, indicationGrams: 30_001 }, { sinceSec: 1800, indicationGrams: 30_003.5 }], 1800, 10);
  t.same(creeping.checks.map((c) => c.pass), [true, false], 'the second half moved 2.5 g > 0.2 e');
  t.ok(judgeZeroReturn(0.3, 4.8, 10).pass);
  t.notOk(judgeZeroReturn(0.3, -5, 10).pass);
});
