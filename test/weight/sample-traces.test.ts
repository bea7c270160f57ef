// The recorded sample trips as a regression case (not the tuning target):
// every change found, nothing false, weights within the 3 g.
import t from 'tap';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadTrip, replay, score, scaleFactory, summarize, traceFiles } from '../bench/weight-eval.js';

// shared/ sits beside the repository, on a developer's machine and in CI alike.
const examples = fileURLToPath(new URL('../../../shared/bench/examples/', import.meta.url));

t.test('the sample trips: every change found, nothing false', { skip: existsSync(examples) ? false : `no sample traces at ${examples}` }, async (t) => {
  const scores = traceFiles([examples]).map((file) => {
    const trip = loadTrip(file);
    return score(trip.name, trip.truth, replay(trip, scaleFactory).deltas);
  });
  t.ok(scores.length > 0, 'sample traces found');
  for (const s of scores) {
    t.same(
      s.missed.map((m) => `${m.grams.toFixed(1)} g at ${m.restAt}`),
      [],
      `${s.name}: no change missed`,
    );
    t.same(
      s.falses.map((f) => `${f.delta.grams.toFixed(1)} g at ${f.delta.restAtSec.toFixed(2)} (${f.where})`),
      [],
      `${s.name}: no false change`,
    );
  }
  const all = summarize(scores);
  t.ok(all.errSd < 3, `weight error sd ${all.errSd.toFixed(2)} g`);
  t.ok(all.latencyMedian < 0.3, `median latency ${all.latencyMedian.toFixed(2)} s`);
});
