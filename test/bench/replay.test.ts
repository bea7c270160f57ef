import t from 'tap';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replayTrace } from './replay.js';
import { quantile, scoreTrip, type Truth } from './score.js';

// The shared samples sit beside the repo (../shared/bench/examples); they are
// regression cases, not the target the reconciler was tuned on.
const examples = fileURLToPath(new URL('../../../shared/bench/examples', import.meta.url));
const traces = existsSync(examples) ? readdirSync(examples).filter((f) => f.endsWith('.jsonl')).sort() : [];

t.test('every shared sample trip replays exactly right', { skip: traces.length === 0 ? 'shared samples not found' : false }, async (t) => {
  const latencies: number[] = [];
  for (const name of traces) {
    const path = join(examples, name);
    const truth = JSON.parse(readFileSync(path.replace(/\.jsonl$/, '.truth.json'), 'utf8')) as Truth;
    const score = scoreTrip(await replayTrace(path), truth);
    t.same(score.problems, [], `${name} is exactly right`);
    latencies.push(...score.latenciesSec);
  }
  // Trace time, not wall time: the same on any machine.
  const median = quantile(latencies.sort((a, b) => a - b), 0.5)!;
  t.ok(median <= 0.3, `median latency from rest to committed change is ${Math.round(median * 1000)} ms`);
});

t.test('the same trace gives the same result twice', { skip: traces.length === 0 ? 'shared samples not found' : false }, async (t) => {
  const path = join(examples, traces[traces.length - 1]!);
  t.same(await replayTrace(path), await replayTrace(path));
});
