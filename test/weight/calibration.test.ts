import t from 'tap';
import { centreOfPressure, centreSd, countsToGrams, isUsable, onFloor, recalibrateGrams, HX711_MAX, HX711_MIN } from '../../firmware/weight/calibration.js';
import { gaussian, geometry, random, shares } from './synth.js';
import { sd } from '../sim/measure.js';

t.test('counts become grams through offset and gain, a reversed cell included', async (t) => {
  t.equal(countsToGrams(-81234 + 104.7 * 500, { offset: -81234, countsPerGram: 104.7 }), 500);
  t.equal(countsToGrams(230551 - 111.3 * 200, { offset: 230551, countsPerGram: -111.3 }), 200);
});

t.test('null and the two ends of the 24-bit range are not readings', async (t) => {
  t.notOk(isUsable(null));
  t.notOk(isUsable(HX711_MIN));
  t.notOk(isUsable(HX711_MAX));
  t.ok(isUsable(HX711_MAX - 1));
});

t.test('a recalibrated cell reads the same counts in the new terms', async (t) => {
  const before = { offset: 1000, countsPerGram: 100 };
  const after = { offset: 1500, countsPerGram: 102 };
  const counts = 1000 + 100 * 750;
  t.ok(Math.abs(recalibrateGrams(750, before, after) - countsToGrams(counts, after)) < 1e-9);
});

t.test('a load on one corner sits at that corner', async (t) => {
  const w = geometry.widthMm / 2;
  const d = geometry.depthMm / 2;
  t.same(centreOfPressure([400, 0, 0, 0], geometry), { xMm: -w, yMm: d }, 'front left');
  t.same(centreOfPressure([0, 0, 0, 400], geometry), { xMm: w, yMm: -d }, 'rear right');
  t.same(centreOfPressure([100, 100, 100, 100], geometry), { xMm: 0, yMm: 0 }, 'even load in the middle');
  t.equal(centreOfPressure([0, 0, 0, 0], geometry), null, 'no load, no centre');
});

t.test('a load lies between the cells; a drift of one cell up and another down lies outside them', async (t) => {
  t.ok(onFloor(centreOfPressure([400, 0, 0, 0], geometry)!, geometry), 'a load on one corner is on the floor, at its edge');
  t.ok(onFloor(centreOfPressure([100, 50, 80, 20], geometry)!, geometry), 'a load anywhere between the cells');
  t.notOk(onFloor(centreOfPressure([30, -20, 0, 0], geometry)!, geometry), 'one front cell up 30 g, the other down 20 g');
  t.notOk(onFloor(centreOfPressure([0, 12, 0, -4], geometry)!, geometry), 'right cells drifting apart');
});

t.test('the sd of a centre is the scatter of centres placed from noisy corners, off to one side too', async (t) => {
  // 80 g at (150, -60) mm, the total known to 2 g (each corner to 1 g): 20,000 placements with fresh corner noise.
  const [x, y, grams, variance] = [150, -60, 80, 4];
  const rand = random(7);
  const placed = Array.from({ length: 20_000 }, () => centreOfPressure(shares(x, y).map((f) => f * grams + Math.sqrt(variance / 4) * gaussian(rand)), geometry)!);
  const scatter = (axis: 'xMm' | 'yMm') => sd(placed.map((c) => c[axis]));
  const said = centreSd({ xMm: x, yMm: y }, grams, variance, geometry);
  for (const axis of ['xMm', 'yMm'] as const) {
    t.ok(Math.abs(scatter(axis) / said[axis] - 1) < 0.05, `${axis}: scatter ${scatter(axis).toFixed(2)} mm, said ${said[axis].toFixed(2)} mm`);
  }
  t.ok(said.xMm > centreSd({ xMm: 0, yMm: y }, grams, variance, geometry).xMm * 1.1, 'placed less well along the axis it is off to');
});
