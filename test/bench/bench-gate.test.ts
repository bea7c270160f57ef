// The bench as a gate: a fixed set of generated trips (deterministic seeds,
// every profile) replayed through the firmware and scored. The build
// fails when the score drops below the agreed figures of the basket issue:
// at least 98 % of trips exactly right, at most 0.02 false alerts per honest
// trip, at least 97 % of expected alerts raised, median latency 300 ms.
// And the same kind of trips read at the rates a cart's boards are read at
// (an M5Stack unit 10 Hz, a DFRobot board 25 Hz), where a change takes
// longer to come to rest (docs/bench.md, slower boards).
import t, { type Test } from 'tap';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TripSet } from './generate-args.js';
import { generateTrips } from './generate.js';
import { replayTrace } from './replay.js';
import { scoreTrip, summarise, type Summary, type Truth } from './score.js';

const sets = [
  { profile: 'gentle', seed: 1, count: 4 },
  { profile: 'typical', seed: 2, count: 8 },
  { profile: 'harsh', seed: 3, count: 12 },
  { profile: 'field', seed: 4, count: 6 },
] as const;

/** Generates the sets into a directory of their own, replays and scores every trip. */
async function scoreSets(t: Test, generate: Omit<TripSet, 'out'>[]): Promise<Summary> {
  const dir = mkdtempSync(join(tmpdir(), 'cart-bench-gate-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const set of generate) await generateTrips({ ...set, out: dir });
  const scored = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    const path = join(dir, file);
    const truth = JSON.parse(readFileSync(path.replace(/\.jsonl$/, '.truth.json'), 'utf8')) as Truth;
    const score = scoreTrip(await replayTrace(path), truth);
    if (!score.exact) t.comment(`${file}: ${score.problems.join('; ')}`);
    scored.push({ truth, score });
  }
  return summarise(scored);
}

t.test('the firmware scores the agreed figures on the fixed bench set', async (t) => {
  const s = await scoreSets(t, [...sets]);
  t.equal(s.trips, 30);
  t.ok(s.exactTrips / s.trips >= 0.98, `exact trips ${s.exactTrips} of ${s.trips}`);
  t.ok(s.falseAlertsOnHonestTrips / s.honestTrips <= 0.02, `false alerts ${s.falseAlertsOnHonestTrips} on ${s.honestTrips} honest trips`);
  t.ok(s.matchedAlerts / s.expectedAlerts >= 0.97, `alerts raised ${s.matchedAlerts} of ${s.expectedAlerts}`);
  t.ok(s.latencyMedianSec! <= 0.3, `median latency ${Math.round(s.latencyMedianSec! * 1000)} ms after rest (trace time)`);
});

for (const [rateHz, latencySec] of [[10, 1.5], [25, 0.6]] as const) {
  t.test(`read at ${rateHz} Hz, 20 field and harsh trips come out right`, async (t) => {
    const s = await scoreSets(t, [
      { profile: 'field', seed: 4, count: 10, rateHz },
      { profile: 'harsh', seed: 3, count: 10, rateHz },
    ]);
    t.equal(s.trips, 20);
    t.ok(s.exactTrips >= 19, `exact trips ${s.exactTrips} of ${s.trips}`);
    t.ok(s.falseAlertsOnHonestTrips <= 1, `false alerts ${s.falseAlertsOnHonestTrips} on ${s.honestTrips} honest trips`);
    t.ok(s.matchedAlerts >= s.expectedAlerts - 1, `alerts raised ${s.matchedAlerts} of ${s.expectedAlerts}`);
    t.ok(s.latencyMedianSec! <= latencySec, `median latency ${Math.round(s.latencyMedianSec! * 1000)} ms after rest (trace time)`);
  });
}
