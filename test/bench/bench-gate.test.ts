// The bench as a gate: a fixed set of generated trips (deterministic seeds,
// every profile) replayed through the firmware and scored. The build
// fails when the score drops below the agreed figures of the basket issue:
// at least 98 % of trips exactly right, at most 0.02 false alerts per honest
// trip, at least 97 % of expected alerts raised, median latency 300 ms.
import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTrips } from './generate.js';
import { replayTrace } from './replay.js';
import { scoreTrip, summarise, type Truth } from './score.js';

const sets = [
  { profile: 'gentle', seed: 1, count: 4 },
  { profile: 'typical', seed: 2, count: 8 },
  { profile: 'harsh', seed: 3, count: 12 },
  { profile: 'field', seed: 4, count: 6 },
] as const;

t.test('the firmware scores the agreed figures on the fixed bench set', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cart-bench-gate-'));
  for (const set of sets) await generateTrips({ ...set, out: dir });
  const scored = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    const path = join(dir, file);
    const truth = JSON.parse(readFileSync(path.replace(/\.jsonl$/, '.truth.json'), 'utf8')) as Truth;
    const score = scoreTrip(await replayTrace(path), truth);
    if (!score.exact) t.comment(`${file}: ${score.problems.join('; ')}`);
    scored.push({ truth, score });
  }
  const s = summarise(scored);
  t.equal(s.trips, 30);
  t.ok(s.exactTrips / s.trips >= 0.98, `exact trips ${s.exactTrips} of ${s.trips}`);
  t.ok(s.falseAlertsOnHonestTrips / s.honestTrips <= 0.02, `false alerts ${s.falseAlertsOnHonestTrips} on ${s.honestTrips} honest trips`);
  t.ok(s.matchedAlerts / s.expectedAlerts >= 0.97, `alerts raised ${s.matchedAlerts} of ${s.expectedAlerts}`);
  t.ok(s.latencyMedianSec! <= 0.3, `median latency ${Math.round(s.latencyMedianSec! * 1000)} ms after rest (trace time)`);
});
