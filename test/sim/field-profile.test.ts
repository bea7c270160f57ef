// The field profile (issue 13) draws what docs/bench-simulator.md says it
// does: each physical quantity within its stated range, and the same trip
// from the same seed.
import { createHash } from 'node:crypto';
import t from 'tap';
import { CellBank } from '../bench/sim/cells.js';
import { zeroCorners, type Corners } from '../bench/sim/corners.js';
import { Ramp } from '../bench/sim/forces.js';
import { Hand } from '../bench/sim/hand.js';
import { profiles } from '../bench/sim/profiles.js';
import { Random } from '../bench/sim/random.js';
import { generateTrip } from '../bench/sim/trip.js';
import { median, readSamples, restingNoise, robustSd, sd } from './measure.js';

const field = profiles.field;
const RAIL = [-8388608, 8388607];

t.test('cells: noise 0.8-2 g, zero 15 g off, 1 cart in 4 with one or two reversed cells', async (t) => {
  let reversedCarts = 0;
  let twoReversed = 0;
  let mostReversed = 0;
  const zeroErrors: number[] = [];
  const carts = 400;
  for (let seed = 0; seed < carts; seed++) {
    const cells = new CellBank(new Random(seed), field.cells, 80);
    const cal = cells.calibration();
    const reversed = cal.filter((c) => c.countsPerGram < 0).length;
    mostReversed = Math.max(mostReversed, reversed);
    if (reversed > 0) reversedCarts++;
    if (reversed === 2) twoReversed++;
    // Empty basket, averaged over a second at the start of a trip: the zero error of each cell.
    const sums = [0, 0, 0, 0];
    let n = 0;
    for (let i = 1; i <= 80; i++) {
      const raw = cells.read(i / 80, zeroCorners(), zeroCorners());
      if (raw.some((v) => v === null || RAIL.includes(v))) continue;
      raw.forEach((v, c) => (sums[c]! += v!));
      n++;
    }
    sums.forEach((s, c) => zeroErrors.push((s / n - cal[c]!.offset) / cal[c]!.countsPerGram));
  }
  t.equal(mostReversed, 2, 'never more than two cells reversed');
  t.ok(reversedCarts / carts > 0.2 && reversedCarts / carts < 0.3, `${reversedCarts} of ${carts} carts with a reversed cell`);
  t.ok(twoReversed / reversedCarts > 0.35 && twoReversed / reversedCarts < 0.65, `${twoReversed} of them with two`);
  const zeroSd = sd(zeroErrors);
  t.ok(zeroSd > 13 && zeroSd < 17, `zero error sd ${zeroSd.toFixed(1)} g a cell (15 claimed)`);
  const [lo, hi] = field.cells.noiseCounts;
  const [gLo, gHi] = field.cells.countsPerGram;
  t.ok(lo / gHi >= 0.8 && hi / gLo <= 2.0, `noise ${(lo / gHi).toFixed(2)}-${(hi / gLo).toFixed(2)} g`);
});

t.test('shoppers: 6-30 items, half the trips dishonest with 1-3 offences', async (t) => {
  let dishonest = 0;
  const wrong: string[] = [];
  let beyond = 0;
  const trips = 60;
  for (let seed = 100; seed < 100 + trips; seed++) {
    const { truth } = generateTrip({ profile: 'field', seed });
    const alerts = truth.alerts.length;
    if (!truth.honest) dishonest++;
    if (alerts > 3) wrong.push(`trip ${seed}: ${alerts} alerts`);
    const bought = truth.actions.filter((a) => a.op === 'add' && a.charged).length;
    if (bought < 6) wrong.push(`trip ${seed}: ${bought} items bought`);
    // An offence can bring a pair of look-alikes in (two more, again if the removal could not be done yet).
    if (bought > 30 + 2 * alerts) beyond++;
  }
  t.same(wrong, [], 'every trip within the ranges');
  t.ok(beyond <= trips / 20, `${beyond} trips with more than 30 items and the look-alikes of their offences`);
  t.ok(dishonest / trips > 0.35 && dishonest / trips < 0.65, `${dishonest} of ${trips} trips dishonest`);
});

t.test('a rendered field trip: clock 2-4 % off with jitter, lines missing, the bus failing, spikes at the rails', async (t) => {
  const offsets: number[] = [];
  let gaps = 0;
  let busNulls = 0;
  let rails = 0;
  let readings = 0;
  const noise: number[] = [];
  for (const seed of [201, 202, 203]) {
    const trip = generateTrip({ profile: 'field', seed });
    const s = readSamples(trip.lines());
    const raw = [...trip.lines()].slice(1).filter((l) => l.includes('"adc"')).map((l) => (JSON.parse(l) as { raw: (number | null)[] }).raw);
    const dts = s.t.slice(1).map((x, i) => x - s.t[i]!);
    const typical = median(dts);
    const steady = dts.filter((d) => d < 1.8 * typical);
    const period = steady.reduce((a, b) => a + b, 0) / steady.length;
    offsets.push(Math.abs(period * s.header.rateHz - 1));
    gaps += dts.length - steady.length;
    busNulls += raw.filter((r) => r.every((v) => v === null)).length;
    rails += raw.flat().filter((v) => v !== null && RAIL.includes(v)).length;
    readings += 4 * raw.length;
    noise.push(...restingNoise(s, trip.truth));
    t.ok(sd(steady) > 0.0005, `seed ${seed}: time stamps jittered`);
  }
  for (const o of offsets) t.ok(o > 0.019 && o < 0.041, `clock ${(o * 100).toFixed(2)} % off the header's rate`);
  t.ok(gaps > 10, `${gaps} gaps where sample lines are missing`);
  t.ok(busNulls > 0, `${busNulls} samples with every channel null`);
  t.ok(rails > 0, `${rails} saturated readings`);
  t.ok(rails / readings < 1e-3, 'saturation is rare');
  const m = median(noise);
  t.ok(m > 0.8 && m < 2, `noise at rest ${m.toFixed(2)} g a cell`);
});

t.test('the same seed gives the same field trip, another seed another', async (t) => {
  const digest = (seed: number) => {
    const h = createHash('sha256');
    for (const line of generateTrip({ profile: 'field', seed }).lines()) h.update(line + '\n');
    return h.digest('hex');
  };
  t.equal(digest(301), digest(301));
  t.not(digest(302), digest(301));
});

t.test('hands: one placement or removal in six one edge first, the rest held still for up to 1.2 s', async (t) => {
  const hand = new Hand(new Random(7), field.hand);
  const load: Corners = [250, 250, 250, 250];
  let edgeFirst = 0;
  const holds: number[] = [];
  const n = 600;
  for (let i = 0; i < n; i++) {
    const { forces } = hand.place(10, load);
    const ramps = forces.filter((f) => f instanceof Ramp);
    if (ramps.length < 2) continue;
    edgeFirst++;
    holds.push(ramps[1]!.startS - ramps[0]!.endS);
    const onFirst = ramps[0]!.settled.reduce((a, b) => a + b, 0);
    t.ok(onFirst >= 300 && onFirst <= 700, `the basket takes ${onFirst.toFixed(0)} g of 1000 g first`);
  }
  t.ok(edgeFirst / n > 0.13 && edgeFirst / n < 0.21, `${edgeFirst} of ${n} placements edge first`);
  t.ok(Math.min(...holds) >= 0.3 && Math.max(...holds) <= 1.2, 'held 0.3-1.2 s');
  const lifts = Array.from({ length: n }, () => hand.lift(10, load).forces.filter((f) => f instanceof Ramp).length);
  const edgeLifts = lifts.filter((r) => r === 2).length;
  t.ok(edgeLifts / n > 0.13 && edgeLifts / n < 0.21, `${edgeLifts} of ${n} removals lifted one edge first`);
  const harshHand = new Hand(new Random(7), profiles.harsh.hand);
  t.ok(Array.from({ length: 100 }, () => harshHand.place(10, load)).every((g) => g.forces.filter((f) => f instanceof Ramp).length === 1), 'harsh hands never do');
});

t.test('shoppers lift an item out, hold it 1.5-6 s and put it back', async (t) => {
  const held: number[] = [];
  for (let seed = 400; seed < 420; seed++) {
    for (const [a, b] of generateTrip({ profile: 'field', seed }).truth.rearranged) if (b - a > 1.5) held.push(b - a);
  }
  t.ok(held.length >= 5, `${held.length} items lifted out and put back in 20 trips`);
  t.ok(Math.max(...held) < 7, 'none held longer than 6 s (and the gesture)');
});

t.test('a board read at 10 Hz converts at the HX711 slow rate: 50/90 of the noise', async (t) => {
  // The same cells (same seed) read at 80 Hz and at 10 Hz, empty basket:
  // the spread of sample-to-sample steps, in counts, blind to the odd spike.
  const stepSd = (readHz: number) => {
    const cells = new CellBank(new Random(7), field.cells, readHz);
    const steps: number[] = [];
    let last: (number | null)[] | null = null;
    for (let i = 1; i <= 20_000; i++) {
      const raw = cells.read(i / readHz, zeroCorners(), zeroCorners());
      if (last && raw[0] !== null && last[0] !== null && !RAIL.includes(raw[0]!) && !RAIL.includes(last[0]!)) steps.push(raw[0]! - last[0]!);
      last = raw;
    }
    return robustSd(steps);
  };
  const at80 = stepSd(80);
  const ratio = stepSd(10) / at80;
  t.ok(Math.abs(ratio - 50 / 90) < 0.05, `10 Hz noise ${ratio.toFixed(3)} of the 80 Hz noise (50/90 = 0.556)`);
  t.ok(stepSd(25) / at80 > 0.9, 'read at 25 Hz, the board still converts at 80');
});
