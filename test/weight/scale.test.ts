import t from 'tap';
import fc from 'fast-check';
import { HX711_MAX } from '../../firmware/weight/calibration.js';
import { Scale, defaultScaleConfig } from '../../firmware/weight/scale.js';
import { calibration, deltasOf, geometry, pushing, ramp, run, samples, shares, statusesOf } from './synth.js';
import { sd } from '../sim/measure.js';

const newScale = () => new Scale(calibration, geometry, defaultScaleConfig);
const basket = [120, 130, 110, 140];
const withItem = (t: number, atSec: number, grams: number, share: number[], rampSec = 0.3) =>
  basket.map((b, c) => b + grams * (share[c] ?? 0) * ramp(t, atSec, rampSec));

t.test('a 250 g item placed on a quiet basket gives one change of 250 g', async (t) => {
  const events = run(newScale(), samples({ durationSec: 6, corners: (s) => withItem(s, 3, 250, shares(0, 0)) }));
  const deltas = deltasOf(events);
  t.equal(deltas.length, 1);
  const d = deltas[0]!;
  t.ok(Math.abs(d.grams - 250) < 3 * d.sdGrams, `grams ${d.grams} ± ${d.sdGrams}`);
  t.ok(d.sdGrams < 2, 'a quiet basket measures a change to a gram or so');
  t.ok(d.beganAtSec >= 3 && d.beganAtSec < 3.2, `began ${d.beganAtSec}`);
  t.ok(d.restAtSec >= 3.2 && d.restAtSec < 3.45, `came to rest ${d.restAtSec}`);
  t.ok(d.atSec - d.restAtSec < 0.6, 'reported soon after rest');
  t.ok(d.atSec >= d.restAtSec, 'never before rest');
});

t.test('an item put in at a corner is placed at that corner', async (t) => {
  const x = -200;
  const y = 150;
  const [d] = deltasOf(run(newScale(), samples({ durationSec: 5, corners: (s) => withItem(s, 2, 800, shares(x, y)) })));
  t.ok(d?.centre, 'a centre is given');
  t.ok(Math.abs(d!.centre!.xMm - x) < 5 && Math.abs(d!.centre!.yMm - y) < 5, JSON.stringify(d!.centre));
  t.equal(d!.onFloor, true, 'on the floor');
});

t.test('a cell whose zero steps, another stepping the other way, is a change off the floor', async (t) => {
  const drift = (s: number) => basket.map((b, c) => b + (c === 0 ? 40 : c === 1 ? -25 : 0) * ramp(s, 2, 0.3));
  const [d] = deltasOf(run(newScale(), samples({ durationSec: 5, corners: drift })));
  t.ok(d && Math.abs(d.grams - 15) < 3, `a change of 15 g: ${d?.grams}`);
  t.equal(d!.onFloor, false, JSON.stringify(d!.centre));
});

t.test('the scale says how well it placed a change: the centres of one item put in again and again scatter as it says', async (t) => {
  // 60 g at (100, -50) mm on cells of 1.5 g noise, 40 times with fresh noise: the spread of the centres against the sd reported.
  const placed = Array.from({ length: 40 }, (_, i) =>
    deltasOf(run(newScale(), samples({ durationSec: 5, seed: 100 + i, noiseGrams: 1.5, corners: (s) => withItem(s, 2, 60, shares(100, -50)) })))[0]!);
  const spread = (axis: 'xMm' | 'yMm') => sd(placed.map((d) => d.centre![axis]));
  for (const axis of ['xMm', 'yMm'] as const) {
    const said = placed.reduce((a, d) => a + d.centreSdMm![axis], 0) / placed.length;
    const ratio = spread(axis) / said;
    t.ok(ratio > 0.5 && ratio < 2, `${axis}: scatter ${spread(axis).toFixed(2)} mm, said ${said.toFixed(2)} mm`);
  }
  const [heavy] = deltasOf(run(newScale(), samples({ durationSec: 5, noiseGrams: 1.5, corners: (s) => withItem(s, 2, 800, shares(100, -50)) })));
  t.ok(heavy!.centreSdMm!.xMm < placed[0]!.centreSdMm!.xMm / 5, 'a heavy item is placed far more closely');
});

t.test('a removal is a negative change', async (t) => {
  const deltas = deltasOf(run(newScale(), samples({ durationSec: 5, corners: (s) => withItem(s, 0, 500, shares(50, 0)).map((g, c) => g - 500 * (shares(50, 0)[c] ?? 0) * ramp(s, 2.5)) })));
  t.equal(deltas.length, 1);
  t.ok(Math.abs(deltas[0]!.grams + 500) < 3, `grams ${deltas[0]!.grams}`);
});

t.test('7 g taken out of a tin at rest is a change', async (t) => {
  // Someone eats from an open tin: part of an item, on a noisy cart (1.5 g a cell).
  const share = shares(-80, 60);
  const deltas = deltasOf(run(newScale(), samples({ durationSec: 10, noiseGrams: 1.5, corners: (s) => withItem(s, 0, 400, share).map((g, c) => g - 7 * (share[c] ?? 0) * ramp(s, 6, 0.4)) })));
  t.equal(deltas.length, 1, deltas.map((d) => d.grams.toFixed(1)).join(' '));
  t.ok(Math.abs(deltas[0]!.grams + 7) < 3 * deltas[0]!.sdGrams, `grams ${deltas[0]!.grams.toFixed(2)} ± ${deltas[0]!.sdGrams.toFixed(2)}`);
});

t.test('the start of a small change is not learnt as drift: light removals are not read short', async (t) => {
  // On a noisy cart (1.5 g a cell) a 20 g change leaves rest only when the
  // window's mean has moved; the samples before that must not pull the level before.
  const share = shares(60, 40);
  let sum = 0;
  const seeds = 16;
  for (let seed = 1; seed <= seeds; seed++) {
    const stream = samples({ durationSec: 10, seed, noiseGrams: 1.5, corners: (s) => withItem(s, 0, 400, share).map((g, c) => g - 20 * (share[c] ?? 0) * ramp(s, 6, 0.4)) });
    const deltas = deltasOf(run(newScale(), stream));
    t.equal(deltas.length, 1, `seed ${seed}: one change`);
    sum += (deltas[0]?.grams ?? 0) + 20;
  }
  t.ok(Math.abs(sum / seeds) < 0.5, `mean error ${(sum / seeds).toFixed(2)} g`);
});

t.test('pushing the cart gives no change and is reported as moving', async (t) => {
  const events = run(newScale(), samples({ durationSec: 12, corners: (s) => basket.map((b) => b + pushing(s, 2, 9)) }));
  t.equal(deltasOf(events).length, 0);
  const states = statusesOf(events).map((e) => e.state);
  t.ok(states.includes('moving'), states.join(' '));
  t.equal(states[states.length - 1], 'stable', 'stable again once the cart stops');
});

t.test('an item dropped in while the cart is pushed is reported once the cart stops', async (t) => {
  const share = shares(-100, 50);
  const events = run(newScale(), samples({ durationSec: 12, corners: (s) => withItem(s, 4, 430, share, 0.2).map((g) => g + pushing(s, 2, 8)) }));
  const deltas = deltasOf(events);
  t.equal(deltas.length, 1, 'one change');
  t.ok(Math.abs(deltas[0]!.grams - 430) < 3, `grams ${deltas[0]!.grams}`);
  t.ok(deltas[0]!.restAtSec >= 8, 'at rest only after the motion');
});

t.test('a few grams dropped in during a long push are too few to report alone, and come with the return to rest', async (t) => {
  // 20 s unweighed: what a push does to nothing is several grams, so 7 g is no change of its own; the
  // basket may still need it as the rest of a light item let go as the cart set off.
  const share = shares(40, -30);
  const events = run(newScale(), samples({ durationSec: 30, corners: (s) => withItem(s, 12, 7, share, 0.2).map((g) => g + pushing(s, 3, 23)) }));
  t.same(deltasOf(events), []);
  const back = statusesOf(events).filter((e) => e.smallChange);
  t.equal(back.length, 1, 'one return to rest tells of it');
  t.equal(back[0]!.state, 'stable');
  t.ok(Math.abs(back[0]!.smallChange!.grams - 7) < 3 * back[0]!.smallChange!.sdGrams, `grams ${back[0]!.smallChange!.grams} sd ${back[0]!.smallChange!.sdGrams}`);
  t.ok(back[0]!.smallChange!.beganAtSec <= 3.5, 'dated from when the push began');
});

t.test('a hand resting on the item holds the change back until it lets go', async (t) => {
  const share = shares(0, 0);
  const tremor = (s: number) => (s > 2.3 && s < 4.5 ? 25 + 12 * Math.sin(2 * Math.PI * 9 * s) + 6 * Math.sin(2 * Math.PI * 3.1 * s) : 0);
  const events = run(newScale(), samples({ durationSec: 7, corners: (s) => withItem(s, 2, 300, share).map((g, c) => g + tremor(s) * (share[c] ?? 0)) }));
  const deltas = deltasOf(events);
  t.equal(deltas.length, 1);
  t.ok(deltas[0]!.restAtSec >= 4.5, `rest at ${deltas[0]!.restAtSec}`);
  t.ok(Math.abs(deltas[0]!.grams - 300) < 3);
  t.ok(statusesOf(events).some((e) => e.state === 'settling'));
});

t.test('a light item lowered slowly is one change, at the end, with its full weight', async (t) => {
  // 25 g let go over 1.6 s on a noisy cart (1.5 g a cell): the tail of the
  // ramp is a few grams over the last rest window, which a two-sided test
  // at some sample of the way takes for noise.
  const share = shares(40, -30);
  for (let seed = 1; seed <= 20; seed++) {
    const stream = samples({ durationSec: 11, seed, noiseGrams: 1.5, corners: (s) => withItem(s, 6, 25, share, 1.6) });
    const deltas = deltasOf(run(newScale(), stream));
    t.equal(deltas.length, 1, `seed ${seed}: one change`);
    const d = deltas[0]!;
    t.ok(Math.abs(d.grams - 25) < 3 * d.sdGrams, `seed ${seed}: grams ${d.grams.toFixed(2)} ± ${d.sdGrams.toFixed(2)}, rest at ${d.restAtSec.toFixed(2)}`);
  }
});

t.test('lifting an item and putting it back elsewhere gives no change', async (t) => {
  const from = shares(-150, 100);
  const to = shares(150, -100);
  const corners = (s: number) => {
    const lifted = ramp(s, 3, 0.3) - ramp(s, 3.45, 0.3);
    const moved = ramp(s, 3.45, 0.3);
    return basket.map((b, c) => b + 600 * ((from[c] ?? 0) * (1 - lifted - moved) + (to[c] ?? 0) * moved));
  };
  t.equal(deltasOf(run(newScale(), samples({ durationSec: 6, corners }))).length, 0);
});

t.test('an item held still in the air for half a second while being moved is not a removal', async (t) => {
  const from = shares(-150, 100);
  const to = shares(150, -100);
  const corners = (s: number) => {
    const lifted = ramp(s, 3, 0.3) - ramp(s, 3.8, 0.3);
    const moved = ramp(s, 3.8, 0.3);
    return basket.map((b, c) => b + 600 * ((from[c] ?? 0) * (1 - lifted - moved) + (to[c] ?? 0) * moved));
  };
  t.equal(deltasOf(run(newScale(), samples({ durationSec: 6, corners }))).length, 0);
});

t.test('a removal is still reported once the item stays out', async (t) => {
  const share = shares(-150, 100);
  const events = run(newScale(), samples({ durationSec: 6, corners: (s) => basket.map((b, c) => b + 600 * (share[c] ?? 0) * (1 - ramp(s, 3, 0.3))) }));
  const deltas = deltasOf(events);
  t.equal(deltas.length, 1);
  t.ok(Math.abs(deltas[0]!.grams + 600) < 3);
  t.ok(deltas[0]!.atSec - deltas[0]!.restAtSec < 1.2, 'within a second of rest');
});

t.test('a half-minute push while the cells drift: the item dropped in is weighed without the drift', async (t) => {
  // 3 g a minute on every cell, 12 g a minute on the total: 6 g over the push.
  const drift = (s: number) => (3 / 60) * s;
  const share = shares(60, -40);
  const corners = (s: number) => withItem(s, 20, 350, share, 0.2).map((g) => g + drift(s) + pushing(s, 10, 40));
  const deltas = deltasOf(run(newScale(), samples({ durationSec: 50, corners })));
  t.equal(deltas.length, 1, deltas.map((d) => d.grams.toFixed(1)).join(' '));
  t.ok(Math.abs(deltas[0]!.grams - 350) < 3, `grams ${deltas[0]!.grams}`);
});

t.test('a loaded basket pushed and stopped on a tilt, on cells of slightly unequal gain, gives no change; an item dropped in on the way still does', async (t) => {
  // 15 kg in the basket; the push leaves 1.5 kg more on the rear cells than
  // before. The front cells read 0.5 % high and the rear ones 0.5 % low, so
  // the total reads 15 g less although nothing came or went.
  const loaded = [3800, 3700, 3700, 3800];
  const tilt = [-750, -750, 750, 750];
  const gain = [1.005, 1.005, 0.995, 0.995];
  const pushed = (s: number, item: number) =>
    loaded.map((g, c) => ((g + (tilt[c] ?? 0) * ramp(s, 6, 18) + item * 0.25 * ramp(s, 12, 0.2)) * (gain[c] ?? 1) + pushing(s, 5, 25)));
  const nothing = deltasOf(run(newScale(), samples({ durationSec: 30, corners: (s) => pushed(s, 0) })));
  t.equal(nothing.length, 0, nothing.map((d) => `${d.grams.toFixed(1)} ± ${d.sdGrams.toFixed(1)}`).join(' '));
  const item = deltasOf(run(newScale(), samples({ durationSec: 30, corners: (s) => pushed(s, 60) })));
  t.equal(item.length, 1, 'the item is seen');
  const d = item[0]!;
  t.ok(Math.abs(d.grams - 60) < 3 * d.sdGrams, `grams ${d.grams.toFixed(1)} ± ${d.sdGrams.toFixed(1)}: the shift is within its uncertainty`);
  t.ok(d.sdGrams > 5, 'an uncertainty that owns the load moved between corners');
});

t.test('a push that leaves every cell 2 g higher in its hysteresis loop gives no change; an item dropped in on the way still does', async (t) => {
  // Each cell reads a load up to 2 g apart as it was reached from above or
  // below; shaken, it rests anywhere within that. Here all four rest 2 g
  // high: 8 g on the total, which is no item.
  const pushed = (s: number, item: number) => basket.map((g) => g + 2 * ramp(s, 10, 0.5) + item * 0.25 * ramp(s, 7, 0.2) + pushing(s, 3, 12));
  const nothing = deltasOf(run(newScale(), samples({ durationSec: 20, corners: (s) => pushed(s, 0) })));
  t.equal(nothing.length, 0, nothing.map((d) => `${d.grams.toFixed(1)} ± ${d.sdGrams.toFixed(1)}`).join(' '));
  const item = deltasOf(run(newScale(), samples({ durationSec: 20, corners: (s) => pushed(s, 25) })));
  t.equal(item.length, 1, 'a 25 g item is seen');
  t.ok(Math.abs(item[0]!.grams - 33) < 3 * item[0]!.sdGrams, `grams ${item[0]!.grams.toFixed(1)} ± ${item[0]!.sdGrams.toFixed(1)}`);
});

t.test('an item put in at rest is not widened by the hysteresis of a push', async (t) => {
  const events = run(newScale(), samples({ durationSec: 8, corners: (s) => withItem(s, 4, 25, shares(0, 0)) }));
  const deltas = deltasOf(events);
  t.equal(deltas.length, 1);
  t.ok(deltas[0]!.sdGrams < 2, `sd ${deltas[0]!.sdGrams.toFixed(2)}: the cells were not shaken`);
});

t.test('a long gentle push the vibration test misses leaves the noise floor alone: a light item after it is still seen', async (t) => {
  const gentle = (s: number) => (s > 5 && s < 75 ? 0.1 * pushing(s, 5, 75) : 0);
  const share = shares(0, 0);
  const corners = (s: number) => withItem(s, 78, 25, share).map((g) => g + gentle(s));
  const deltas = deltasOf(run(newScale(), samples({ durationSec: 82, corners })));
  t.equal(deltas.length, 1, deltas.map((d) => d.grams.toFixed(1)).join(' '));
  t.ok(Math.abs(deltas[0]!.grams - 25) < 3, `grams ${deltas[0]!.grams}`);
});

t.test('spikes on any channel give no change', async (t) => {
  const fault = (s: number, c: number) => (Math.abs(s - 2 - c) < 0.012 ? (c % 2 ? 5_000_000 : -3_000_000) : undefined);
  const events = run(newScale(), samples({ durationSec: 7, corners: () => basket, fault }));
  t.equal(deltasOf(events).length, 0);
  t.notOk(statusesOf(events).some((e) => e.state === 'settling' && e.atSec > 1), 'not even a wobble');
});

t.test('a channel missing or saturated for a few samples gives no change and no degraded mode', async (t) => {
  const fault = (s: number, c: number) => (c === 1 && s > 2 && s < 2.1 ? null : c === 3 && s > 4 && s < 4.1 ? HX711_MAX : undefined);
  const events = run(newScale(), samples({ durationSec: 6, corners: () => basket, fault }));
  t.equal(deltasOf(events).length, 0);
  t.notOk(statusesOf(events).some((e) => e.deadChannels.length > 0));
});

t.test('a channel dead for longer declares degraded mode, and changes are estimated on three cells', async (t) => {
  const share = shares(-60, 40);
  const fault = (s: number, c: number) => (c === 2 && s > 2 && s < 9 ? null : undefined);
  const events = run(newScale(), samples({ durationSec: 12, corners: (s) => withItem(s, 4, 600, share), fault }));
  const statuses = statusesOf(events);
  const degraded = statuses.find((e) => e.state === 'degraded');
  t.ok(degraded, 'degraded declared');
  t.same(degraded!.deadChannels, [2]);
  t.ok(degraded!.atSec > 2.2 && degraded!.atSec < 2.6, `declared at ${degraded!.atSec}`);
  const deltas = deltasOf(events);
  t.equal(deltas.length, 1, 'the item is still seen');
  const d = deltas[0]!;
  t.ok(d.sdGrams > 10, 'with an honest, wider uncertainty');
  t.ok(Math.abs(d.grams - 600) < 3 * d.sdGrams, `grams ${d.grams} ± ${d.sdGrams}`);
  t.equal(d.centre, null, 'not placed from three cells');
  t.equal(statuses[statuses.length - 1]!.state, 'stable', 'healthy again once the channel is back');
  t.same(statuses[statuses.length - 1]!.deadChannels, []);
});

t.test('a board silent for a second while an item is placed: the change waits for it, is exact, and is dated when the item came to rest', async (t) => {
  const share = shares(120, -80);
  const fault = (s: number, c: number) => (c === 1 && s > 2.8 && s < 3.9 ? null : undefined);
  const events = run(newScale(), samples({ durationSec: 7, corners: (s) => withItem(s, 3, 700, share), fault }));
  const deltas = deltasOf(events);
  t.equal(deltas.length, 1);
  const d = deltas[0]!;
  t.ok(d.atSec > 3.9, 'reported after the board answered');
  t.ok(d.restAtSec < 3.7, `dated when the item came to rest, not when the board answered: ${d.restAtSec}`);
  t.ok(Math.abs(d.grams - 700) < 3, `grams ${d.grams}`);
  t.ok(d.sdGrams < 3, 'measured on four cells');
  t.ok(d.centre && Math.abs(d.centre.xMm - 120) < 10 && Math.abs(d.centre.yMm + 80) < 10, JSON.stringify(d.centre));
  t.ok(statusesOf(events).some((e) => e.deadChannels.includes(1)), 'the silence was declared');
});

t.test('a board silent while an item settles far from the others: the step its reading makes is the estimate\'s error, and the rest goes on', async (t) => {
  // Field 8099 trip 39: the estimate of a silent corner missed 20 g of a 470 g item; when the board answered the
  // rest began again, and the change was dated 1.1 s after the item came to rest.
  const fault = (s: number, c: number) => (c === 2 && s > 2.9 && s < 3.9 ? null : undefined);
  const events = run(newScale(), samples({ durationSec: 7, corners: (s) => withItem(s, 3, 470, shares(-150, 120)), fault }));
  const deltas = deltasOf(events);
  t.equal(deltas.length, 1);
  const d = deltas[0]!;
  t.ok(d.atSec > 3.9, 'reported after the board answered');
  t.ok(d.restAtSec < 3.6, `dated when the item came to rest (3.3 s), not after the board answered: ${d.restAtSec}`);
  t.ok(Math.abs(d.grams - 470) < 3, `grams ${d.grams}`);
});

t.test('a dead channel coming back is not a change', async (t) => {
  const fault = (s: number, c: number) => (c === 0 && s > 2 && s < 4 ? null : undefined);
  const events = run(newScale(), samples({ durationSec: 8, corners: () => basket, fault }));
  t.equal(deltasOf(events).length, 0);
});

t.test('an overload is declared and reports nothing', async (t) => {
  const perCorner = defaultScaleConfig.capacityGrams / 4 + 1000;
  const events = run(newScale(), samples({ durationSec: 6, corners: (s) => basket.map((b) => b + perCorner * ramp(s, 2)) }));
  t.ok(statusesOf(events).some((e) => e.state === 'overloaded'));
  t.equal(deltasOf(events).length, 0);
});

t.test('a heavy basket is still weighed: a third 9.2 kg pack onto 32.8 kg', async (t) => {
  // A shopping cart, not a kitchen scale: a capacity of 40 kg once left this pack unweighed, and so uncharged.
  const heavy = [8300, 8100, 8200, 8200];
  const pack = shares(-100, 60);
  const events = run(newScale(), samples({ durationSec: 6, corners: (s) => heavy.map((b, c) => b + 9200 * (pack[c] ?? 0) * ramp(s, 3)) }));
  t.notOk(statusesOf(events).some((e) => e.state === 'overloaded'));
  const deltas = deltasOf(events);
  t.equal(deltas.length, 1);
  t.ok(Math.abs(deltas[0]!.grams - 9200) < 3 * deltas[0]!.sdGrams, `grams ${deltas[0]?.grams} ± ${deltas[0]?.sdGrams}`);
});

t.test('slow drift near zero is tracked to zero; the same drift under load is not, and neither gives a change', async (t) => {
  // 0.5 g a minute on each corner: creep and temperature.
  const drift = (s: number) => (0.5 / 60) * s;
  const nearZero = newScale();
  const events = run(nearZero, samples({ durationSec: 60, corners: (s) => [0, 0, 0, 0].map(() => drift(s)) }));
  t.equal(deltasOf(events).length, 0);
  t.ok(Math.abs(nearZero.reading().totalGrams) < 0.5, `shows ${nearZero.reading().totalGrams}`);

  const loaded = newScale();
  const loadedEvents = run(loaded, samples({ durationSec: 60, corners: (s) => basket.map((b) => b + drift(s)) }));
  t.equal(deltasOf(loadedEvents).length, 0);
  t.ok(Math.abs(loaded.reading().totalGrams - (500 + 2)) < 1, `shows ${loaded.reading().totalGrams}`);
});

t.test('zero tracking does not follow a fast change near zero', async (t) => {
  const scale = newScale();
  run(scale, samples({ durationSec: 8, corners: (s) => [1, 1, 1, 1].map((g) => g * 0.75 * ramp(s, 3, 0.1)) }));
  t.ok(Math.abs(scale.reading().totalGrams - 3) < 0.6, `shows ${scale.reading().totalGrams}`);
});

t.test('tare makes the stable load zero, and is refused while settling', async (t) => {
  const scale = newScale();
  const stream = samples({ durationSec: 4, corners: (s) => withItem(s, 2, 300, shares(0, 0)) });
  run(scale, stream.filter((s) => s.atSec < 2.1));
  t.equal(scale.tare(2.1), false, 'refused mid-change');
  run(scale, stream.filter((s) => s.atSec >= 2.1));
  t.equal(scale.tare(4), true);
  t.ok(Math.abs(scale.reading().totalGrams) < 0.01);
});

t.test('a new calibration keeps the state: no change, still stable', async (t) => {
  const scale = newScale();
  const stream = samples({ durationSec: 8, corners: () => basket });
  run(scale, stream.filter((s) => s.atSec < 4));
  const before = scale.reading().totalGrams;
  // The technician finds cell fr reads 2 % high and its zero 300 counts off.
  scale.setCalibration(calibration.map((c, i) => (i === 1 ? { offset: c.offset + 300, countsPerGram: c.countsPerGram * 1.02 } : c)));
  const events = run(scale, stream.filter((s) => s.atSec >= 4));
  t.equal(deltasOf(events).length, 0);
  t.notOk(statusesOf(events).some((e) => e.state !== 'stable'));
  t.ok(Math.abs(scale.reading().totalGrams - before) < 10, 'the total moves only by the recalibration');
});

t.test('the same trip replays to the same events', async (t) => {
  const stream = samples({ durationSec: 10, corners: (s) => withItem(s, 2, 450, shares(30, 30)).map((g) => g + pushing(s, 5, 7)) });
  t.same(run(newScale(), stream), run(newScale(), stream));
});

t.test('any item of 20 g or more, anywhere, is seen once within its uncertainty', async (t) => {
  fc.assert(
    fc.property(
      fc.double({ min: 20, max: 3000, noNaN: true }),
      fc.double({ min: -240, max: 240, noNaN: true }),
      fc.double({ min: -170, max: 170, noNaN: true }),
      fc.integer({ min: 1, max: 1_000_000 }),
      (grams, x, y, seed) => {
        const deltas = deltasOf(run(newScale(), samples({ durationSec: 4, seed, corners: (s) => withItem(s, 1.5, grams, shares(x, y)) })));
        return deltas.length === 1 && Math.abs(deltas[0]!.grams - grams) < 5 * deltas[0]!.sdGrams;
      },
    ),
    { numRuns: 40 },
  );
});

t.test('an item placed while every board is silent: the change is dated from the silence, and the status says when it began', async (t) => {
  const scale = newScale();
  const load = (s: number) => shares(0, 0).map((k) => 300 * k * ramp(s, 3.2));
  const fault = (s: number) => (s > 3 && s < 3.7 ? null : undefined);
  const events = run(scale, samples({ durationSec: 7, corners: load, fault, seed: 12 }));
  const [d] = deltasOf(events);
  t.ok(d, 'the change is measured once the boards answer');
  t.ok(Math.abs(d!.grams - 300) < 3, `300 g, measured ${d!.grams.toFixed(1)} g`);
  t.ok(d!.beganAtSec <= 3.2 && d!.beganAtSec > 2.5, `began when the boards fell silent, not when they answered (${d!.beganAtSec.toFixed(2)} s)`);
  const left = statusesOf(events).find((e) => e.state === 'settling' && e.atSec > 3);
  t.equal(left?.changeBeganAtSec, d!.beganAtSec, 'the settling status carries when the change began');
});

t.test('a cart twice as noisy as the prior comes to rest within two seconds of starting: an item put in at 2.5 s is a change, not the empty basket', async (t) => {
  const events = run(newScale(), samples({ durationSec: 7, noiseGrams: 2, seed: 4, corners: (s) => withItem(s, 2.5, 220, shares(100, -50)) }));
  const firstRest = statusesOf(events).find((s) => s.state === 'stable');
  t.ok(firstRest && firstRest.atSec < 2.5, `first rest at ${firstRest?.atSec.toFixed(2)} s`);
  const deltas = deltasOf(events);
  t.equal(deltas.length, 1);
  t.ok(Math.abs(deltas[0]!.grams - 220) < 3 * deltas[0]!.sdGrams, `grams ${deltas[0]?.grams.toFixed(1)} ± ${deltas[0]?.sdGrams.toFixed(1)}`);
});

t.test('an item taken out comes to rest and every board falls silent before the scale can tell: the rest is dated from when it began', async (t) => {
  // The last readings before the silence are held, one noisy sample each; the step from them to the readings back is not motion.
  const share = shares(90, -40);
  const load = (s: number) => basket.map((b, c) => b + 400 * (share[c] ?? 0) * (1 - ramp(s, 6, 0.3)));
  const fault = (s: number) => (s > 6.6 && s < 7.8 ? null : undefined);
  const [d] = deltasOf(run(newScale(), samples({ durationSec: 11, noiseGrams: 1.5, corners: load, fault, seed: 1 })));
  t.ok(d, 'the removal is measured once the boards answer');
  t.ok(Math.abs(d!.grams + 400) < 3, `-400 g, measured ${d!.grams.toFixed(1)} g`);
  t.ok(d!.atSec > 7.8, 'told after the boards answered');
  t.ok(d!.restAtSec < 6.6, `at rest since before the silence (${d!.restAtSec.toFixed(2)} s), not since the boards answered`);
});

t.test('weight taken out while every board is silent ends the rest the scale saw before: the change is at rest from when the boards answered', async (t) => {
  const share = shares(90, -40);
  const load = (s: number) => basket.map((b, c) => b + (share[c] ?? 0) * (600 - 400 * ramp(s, 6, 0.3) - 150 * ramp(s, 7, 0.3)));
  const fault = (s: number) => (s > 6.6 && s < 7.8 ? null : undefined);
  const [d, more] = deltasOf(run(newScale(), samples({ durationSec: 11, noiseGrams: 1.5, corners: load, fault, seed: 1 })));
  t.ok(d, 'one change once the boards answer');
  t.notOk(more, 'only one');
  t.ok(Math.abs(d!.grams + 550) < 3, `-550 g, measured ${d!.grams.toFixed(1)} g`);
  t.ok(d!.restAtSec > 7.7, `at rest once the boards answered (${d!.restAtSec.toFixed(2)} s)`);
});

t.test('an item taken out, and the bus hangs for longer than the scale waits for a silent board: the removal is told once the boards answer, not lost', async (t) => {
  const share = shares(90, -40);
  const load = (s: number) => basket.map((b, c) => b + 400 * (share[c] ?? 0) * (1 - ramp(s, 6, 0.3)));
  const fault = (s: number) => (s > 6.6 && s < 10 ? null : undefined);
  const deltas = deltasOf(run(newScale(), samples({ durationSec: 14, noiseGrams: 1.5, corners: load, fault, seed: 1 })));
  t.equal(deltas.length, 1, 'one change');
  t.ok(Math.abs((deltas[0]?.grams ?? Number.NaN) + 400) < 3, `-400 g, measured ${deltas[0]?.grams.toFixed(1)} g`);
  t.ok((deltas[0]?.atSec ?? 0) > 10, 'told after the boards answered');
});
