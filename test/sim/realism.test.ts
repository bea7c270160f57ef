// The simulator against what it claims in docs/bench-simulator.md: 'typical'
// measures like the eight sample traces, 'gentle' calmer, 'harsh' harsher.
import t from 'tap';
import { profiles, type ProfileName } from '../bench/sim/profiles.js';
import { generateTrip } from '../bench/sim/trip.js';
import type { Truth } from '../bench/sim/truth.js';
import { between, isolatedActions, measuredChange, median, quietWindows, readSamples, restingNoise, sd, total, type Samples } from './measure.js';

interface Measured {
  samples: Samples;
  truth: Truth;
}

const seeds = [31, 32, 33];
const trips: Record<ProfileName, Measured[]> = { gentle: [], typical: [], harsh: [], field: [] };
for (const profile of ['gentle', 'typical', 'harsh'] as const) {
  for (const seed of seeds) {
    const trip = generateTrip({ profile, seed });
    trips[profile].push({ samples: readSamples(trip.lines()), truth: trip.truth });
  }
}

/** Sample period (ms) and the jitter of each stamp about a steady clock (ms). */
function timing({ samples }: Measured): { periodMs: number; jitterMs: number } {
  const t0 = samples.t;
  const n = t0.length;
  const mi = (n - 1) / 2;
  const mt = t0.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  t0.forEach((x, i) => {
    num += (i - mi) * (x - mt);
    den += (i - mi) ** 2;
  });
  const slope = num / den;
  return { periodMs: slope * 1000, jitterMs: sd(t0.map((x, i) => x - mt - slope * (i - mi))) * 1000 };
}

function restTimes(m: Measured): number[] {
  return isolatedActions(m.truth).map((a) => a.restAt - a.t);
}

/** sd of the total while pushed, as a share of the load then plus the basket's own mass. */
function swings(m: Measured, tareGrams: number): number[] {
  return m.truth.motion.map(([a, b]) => {
    const before = median(between(m.samples, a - 1, a).map((i) => total(m.samples.grams[i]!)));
    const during = between(m.samples, a + 0.5, b - 0.5).map((i) => total(m.samples.grams[i]!));
    return sd(during) / (before + tareGrams);
  });
}

/** Single-sample outliers on one channel (over 12 g, neighbours within 8 g) per minute at rest. */
function spikesPerMinute(m: Measured): { count: number; minutes: number } {
  let count = 0;
  let minutes = 0;
  for (const [a, b] of quietWindows(m.truth)) {
    const idx = between(m.samples, a, b);
    minutes += (b - a) / 60;
    for (let c = 0; c < 4; c++) {
      for (let k = 1; k + 1 < idx.length; k++) {
        const [p, x, n] = [idx[k - 1]!, idx[k]!, idx[k + 1]!].map((i) => m.samples.grams[i]![c]!);
        if (Math.abs(x! - (p! + n!) / 2) > 12 && Math.abs(p! - n!) < 8) count++;
      }
    }
  }
  return { count, minutes };
}

const all = (p: ProfileName) => trips[p];

t.test('samples come at 80 Hz on a clock a little off, each stamp jittered', async (t) => {
  for (const m of all('gentle')) t.ok(Math.abs(timing(m).periodMs - 12.5) < 0.01, 'gentle: an exact clock');
  for (const m of all('typical')) {
    const { periodMs, jitterMs } = timing(m);
    t.ok(Math.abs(periodMs - 12.5) < 12.5 * 0.03, `typical period ${periodMs.toFixed(3)} ms`);
    t.ok(jitterMs > 0.1 && jitterMs < 0.3, `typical jitter ${jitterMs.toFixed(3)} ms (samples: 0.2)`);
  }
  t.ok(median(all('harsh').map((m) => timing(m).jitterMs)) > median(all('typical').map((m) => timing(m).jitterMs)), 'harsh jitters more');
});

t.test('at rest each cell is as noisy as a sample trace\'s, gentle less, harsh more', async (t) => {
  const noise = (p: ProfileName) => median(all(p).flatMap((m) => restingNoise(m.samples, m.truth)));
  const typical = noise('typical');
  t.ok(typical > 0.57 && typical < 1.15, `typical ${typical.toFixed(2)} g (samples: 0.57-1.15, median 0.81)`);
  t.ok(noise('gentle') < typical, 'gentle is quieter');
  t.ok(noise('harsh') > 1.3 * typical, 'harsh is noisier');
});

t.test('a placement comes to rest as fast as in the samples, and the truth\'s restAt is rest', async (t) => {
  const typical = median(all('typical').flatMap(restTimes));
  t.ok(typical > 0.55 && typical < 1.0, `typical restAt - t ${typical.toFixed(2)} s (samples: median 0.75)`);
  t.ok(median(all('harsh').flatMap(restTimes)) > typical, 'harsh settles more slowly');

  let settled = 0;
  let count = 0;
  const errors: number[] = [];
  for (const m of all('typical')) {
    for (const a of isolatedActions(m.truth)) {
      const { before, after } = measuredChange(m.samples, a);
      const change = after - before;
      errors.push(Math.abs(Math.abs(change) - a.grams));
      const blocks = [];
      for (let from = a.restAt + 0.05; from < a.restAt + 1; from += 0.1) {
        blocks.push(median(between(m.samples, from, from + 0.1).map((i) => total(m.samples.grams[i]!))));
      }
      count++;
      if (blocks.every((b) => Math.abs(b - after) <= Math.max(6, 0.02 * Math.abs(change)))) settled++;
    }
  }
  t.ok(count >= 20, `${count} isolated actions to judge by`);
  t.ok(settled / count >= 0.85, `${settled} of ${count} at rest from restAt on`);
  t.ok(median(errors) < 1.5, `the change measures as the truth's grams: median error ${median(errors).toFixed(2)} g`);
});

t.test('a push swings the load by as much as in the samples, harsh by more', async (t) => {
  const swing = (p: ProfileName) => median(all(p).flatMap((m) => swings(m, profiles[p].motion.tareGrams)));
  const typical = swing('typical');
  t.ok(typical > 0.05 && typical < 0.16, `typical ${(typical * 100).toFixed(1)} % (samples: median 10.5 %)`);
  t.ok(swing('gentle') < typical, 'gentle swings less');
  t.ok(swing('harsh') > 1.5 * typical, 'harsh swings more');
});

t.test('spikes and failed reads come as often as each profile says', async (t) => {
  for (const p of ['gentle', 'typical', 'harsh'] as const) {
    const sums = all(p).map(spikesPerMinute).reduce((a, b) => ({ count: a.count + b.count, minutes: a.minutes + b.minutes }));
    const ratio = sums.count / sums.minutes / profiles[p].cells.spikesPerMin;
    t.ok(ratio > 0.5 && ratio < 1.6, `${p}: ${(sums.count / sums.minutes).toFixed(2)} spikes a minute at rest, ${profiles[p].cells.spikesPerMin} claimed`);
  }
  const channels = all('typical').reduce((n, m) => n + 4 * m.samples.t.length, 0);
  const nulls = all('typical').reduce((n, m) => n + m.samples.grams.flat().filter((x) => Number.isNaN(x)).length, 0);
  t.ok(nulls / channels > 1e-5 && nulls / channels < 2e-4, `typical: ${nulls} nulls in ${channels} readings (samples: 5.6e-5)`);
});
