#!/usr/bin/env node
// xsim4 trip generator: node gen.mjs --seed N --count K --out DIR
// Writes DIR/trip-001.jsonl + DIR/trip-001.truth.json ... Trip i depends only on (N, i).
import { parseArgs } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTrip } from './lib/trip.mjs';

const { values } = parseArgs({ options: { seed: { type: 'string' }, count: { type: 'string', default: '1' }, out: { type: 'string' }, first: { type: 'string', default: '1' } } });
if (values.seed === undefined || !values.out) {
  console.error('usage: node gen.mjs --seed N --count K --out DIR [--first I]');
  process.exit(2);
}
const seed = Number(values.seed);
const count = Number(values.count);
const first = Number(values.first);
if (!Number.isInteger(seed) || !Number.isInteger(count) || count < 1 || !Number.isInteger(first) || first < 1) {
  console.error('seed, count and first must be integers (count, first >= 1)');
  process.exit(2);
}
mkdirSync(values.out, { recursive: true });
const width = Math.max(3, String(first + count - 1).length);
for (let i = first; i < first + count; i++) {
  const name = `trip-${String(i).padStart(width, '0')}`;
  const { text, truth } = generateTrip(seed, i);
  truth.trip = name;
  writeFileSync(join(values.out, `${name}.jsonl`), text);
  writeFileSync(join(values.out, `${name}.truth.json`), formatTruth(truth));
}

/** readable JSON: one action / alert / scan per line */
function formatTruth(t) {
  const lines = ['{'];
  const keys = Object.keys(t);
  keys.forEach((k, i) => {
    const v = t[k];
    const comma = i < keys.length - 1 ? ',' : '';
    if (Array.isArray(v) && v.length && typeof v[0] === 'object') {
      lines.push(` ${JSON.stringify(k)}: [`);
      v.forEach((x, j) => lines.push(`  ${JSON.stringify(x)}${j < v.length - 1 ? ',' : ''}`));
      lines.push(` ]${comma}`);
    } else lines.push(` ${JSON.stringify(k)}: ${JSON.stringify(v)}${comma}`);
  });
  lines.push('}');
  return lines.join('\n') + '\n';
}
