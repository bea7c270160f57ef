import t from 'tap';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replayTrace } from './replay.js';
import { scoreTrip, type Truth } from './score.js';

// The shared samples sit beside the repo (../shared/bench/examples); they are
// regression cases, not the target the reconciler was tuned on.
const examples = fileURLToPath(new URL('../../../shared/bench/examples', import.meta.url));
const traces = existsSync(examples) ? readdirSync(examples).filter((f) => f.endsWith('.jsonl')).sort() : [];

t.test('every shared sample trip replays exactly right', { skip: traces.length === 0 ? 'shared samples not found' : false }, async (t) => {
  for (const name of traces) {
    const path = join(examples, name);
    const truth = JSON.parse(readFileSync(path.replace(/\.jsonl$/, '.truth.json'), 'utf8')) as Truth;
    const score = scoreTrip(await replayTrace(path), truth);
    t.same(score.problems, [], `${name} is exactly right`);
    t.ok(score.latenciesSec.every((l) => l < 1.5), `${name}: every change committed within 1.5 s of rest`);
  }
});

t.test('the same trace gives the same result twice', { skip: traces.length === 0 ? 'shared samples not found' : false }, async (t) => {
  const path = join(examples, traces[traces.length - 1]!);
  t.same(await replayTrace(path), await replayTrace(path));
});
