// What a push does to nothing, as the scale weighs it: every change and
// small change whose span holds one of the truth's pushes (3 s or longer)
// and no action of the truth's, as its grams over the scale's sd of a change
// of nothing. Where the scale's model is right these are a standard normal;
// wider, and a step after a push comes out a false alert.
//   npx tsx test/bench/push-steps.ts DIR...   (trips with truth files that list `motion`)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SmallChange, StableDelta } from '../../firmware/domain.js';
import { replayTrace } from './replay.js';
import { quantile, type Truth } from './score.js';

interface PushTruth extends Truth {
  /** [start, end] of each push, s. */
  motion?: [number, number][];
}

const minSpanSec = 3;

async function steps(dir: string): Promise<{ z: number[]; grams: number[] }> {
  const z: number[] = [];
  const grams: number[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.truth.json')).sort()) {
    const truth = JSON.parse(readFileSync(join(dir, name), 'utf8')) as PushTruth;
    const pushes = truth.motion ?? [];
    if (pushes.length === 0) continue;
    const changes: (StableDelta | SmallChange)[] = [];
    await replayTrace(join(dir, name.replace(/\.truth\.json$/, '.jsonl')), {
      onWeightEvent: (e) => {
        if (e.kind === 'stable-delta') changes.push(e);
        else if (e.smallChange) changes.push(e.smallChange);
      },
    });
    for (const c of changes) {
      if (c.restAtSec - c.beganAtSec < minSpanSec) continue;
      if (!pushes.some(([a, b]) => a < c.restAtSec && b > c.beganAtSec)) continue;
      if (truth.actions.some((a) => a.t < c.restAtSec + 0.5 && a.restAt > c.beganAtSec - 0.5)) continue;
      z.push(c.grams / c.sdGrams);
      grams.push(Math.abs(c.grams));
    }
  }
  return { z, grams };
}

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: npx tsx test/bench/push-steps.ts DIR...');
  process.exit(2);
}
const fmt = (x: number | null) => (x === null ? '-' : x.toFixed(2));
console.log('set\tpushes\tmedian |z|\t90 %\t99 %\tlargest\tbeyond 4 sd\tlargest g');
for (const dir of dirs) {
  const { z, grams } = await steps(dir);
  const az = z.map(Math.abs).sort((a, b) => a - b);
  console.log([dir, az.length, fmt(quantile(az, 0.5)), fmt(quantile(az, 0.9)), fmt(quantile(az, 0.99)), fmt(az.at(-1) ?? null), az.filter((x) => x > 4).length, fmt(Math.max(0, ...grams))].join('\t'));
}
