// The bench as a gate: a fixed set of generated trips (deterministic seeds,
// every profile) replayed through the firmware and scored. The build
// fails when the score drops below the agreed figures of the basket issue:
// at least 98 % of trips exactly right, at most 0.02 false alerts per honest
// trip, at least 97 % of expected alerts raised, median latency 300 ms.
// And the same kind of trips read at the rates a cart's boards are read at
// (an M5Stack unit 10 Hz, a DFRobot board 25 Hz), where a change takes
// longer to come to rest (docs/bench.md, slower boards). And trips from the
// four simulators written apart from the project (test/bench/xsim, xsim2,
// xsim3, xsim4), which the project's own generator cannot stand in for.
import t, { type Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

function tripDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'cart-bench-gate-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Generates the sets into a directory of their own, replays and scores every trip. */
async function scoreSets(t: Test, generate: Omit<TripSet, 'out'>[]): Promise<Summary> {
  const dir = tripDir(t);
  for (const set of generate) await generateTrips({ ...set, out: dir });
  return scoreDir(t, dir);
}

/** Replays and scores every trip of a directory against the truth beside it. */
async function scoreDir(t: Test, dir: string): Promise<Summary> {
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

// Before the basket took a scan made straight after an item as that item's
// (8d075a1 and the two commits before it), xsim2's ten came out 8 of 10.
// xsim4's ten came out 6 of 10 before a change lighter than anything sold
// became no item, 7 before a push's hysteresis was in the sd of a change, 9
// before an item put in waited 2.25 s for its scan (docs/bench.md, the fourth
// simulator), and 10 since: it is held to the others' bar.
for (const sim of [{ name: 'xsim', seed: 7001, exact: 9 }, { name: 'xsim2', seed: 8002, exact: 9 }, { name: 'xsim3', seed: 9001, exact: 9 }, { name: 'xsim4', seed: 101, exact: 9 }]) {
  t.test(`10 trips from ${sim.name}, a simulator written apart, come out right`, async (t) => {
    const dir = tripDir(t);
    const gen = fileURLToPath(new URL(`./${sim.name}/gen.mjs`, import.meta.url));
    execFileSync(process.execPath, [gen, '--seed', String(sim.seed), '--count', '10', '--out', dir], { stdio: 'ignore' });
    const s = await scoreDir(t, dir);
    t.equal(s.trips, 10);
    t.ok(s.exactTrips >= sim.exact, `exact trips ${s.exactTrips} of ${s.trips}`);
    t.ok(s.falseAlertsOnHonestTrips <= 1, `false alerts ${s.falseAlertsOnHonestTrips} on ${s.honestTrips} honest trips`);
    t.ok(s.matchedAlerts >= s.expectedAlerts - 1, `alerts raised ${s.matchedAlerts} of ${s.expectedAlerts}`);
  });
}
