// What a push does to nothing, as the scale weighs it: every change and
// small change whose span holds one of the truth's pushes (3 s or longer)
// and no action of the truth's, as its grams over the scale's sd of a change
// of nothing. Where the scale's model is right these are a standard normal;
// wider, and a step after a push comes out a false alert.
//   npx tsx test/bench/push-steps.ts DIR...   (trips with truth files that list `motion`)
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SmallChange, StableDelta } from '../../firmware/domain.js';
import { replayTrace } from './replay.js';
import { quantile, type Truth } from './score.js';

export interface PushTruth extends Truth {
  /** [start, end] of each push, s. */
  motion?: [number, number][];
}

type Change = Pick<StableDelta | SmallChange, 'grams' | 'sdGrams' | 'beganAtSec' | 'restAtSec'>;

const minSpanSec = 3;
/** An action this close to a change's span may be what it weighed. */
const actionMarginSec = 0.5;

/** The changes of one trip that are a push and nothing else: their grams and their grams in sd. */
export function pushSteps(changes: readonly Change[], truth: PushTruth): { z: number; grams: number }[] {
  const pushes = truth.motion ?? [];
  return changes
    .filter((c) => c.restAtSec - c.beganAtSec >= minSpanSec)
    .filter((c) => pushes.some(([a, b]) => a < c.restAtSec && b > c.beganAtSec))
    .filter((c) => !truth.actions.some((a) => a.t < c.restAtSec + actionMarginSec && a.restAt > c.beganAtSec - actionMarginSec))
    .map((c) => ({ z: c.grams / c.sdGrams, grams: c.grams }));
}

async function stepsOfDir(dir: string): Promise<{ z: number; grams: number }[]> {
  const steps: { z: number; grams: number }[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.truth.json')).sort()) {
    const truth = JSON.parse(readFileSync(join(dir, name), 'utf8')) as PushTruth;
    if (!truth.motion?.length) continue;
    const changes: Change[] = [];
    await replayTrace(join(dir, name.replace(/\.truth\.json$/, '.jsonl')), {
      onWeightEvent: (e) => {
        if (e.kind === 'stable-delta') changes.push(e);
        else if (e.smallChange) changes.push(e.smallChange);
      },
    });
    steps.push(...pushSteps(changes, truth));
  }
  return steps;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) {
    console.error('usage: npx tsx test/bench/push-steps.ts DIR...');
    process.exit(2);
  }
  const fmt = (x: number | null) => (x === null ? '-' : x.toFixed(2));
  console.log('set\tpushes\tmedian |z|\t90 %\t99 %\tlargest\tbeyond 4 sd\tlargest g');
  for (const dir of dirs) {
    const steps = await stepsOfDir(dir);
    const az = steps.map((s) => Math.abs(s.z)).sort((a, b) => a - b);
    const largestGrams = Math.max(0, ...steps.map((s) => Math.abs(s.grams)));
    console.log([dir, az.length, fmt(quantile(az, 0.5)), fmt(quantile(az, 0.9)), fmt(quantile(az, 0.99)), fmt(az.at(-1) ?? null), az.filter((x) => x > 4).length, fmt(largestGrams)].join('\t'));
  }
}
