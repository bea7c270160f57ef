#!/usr/bin/env node
// xsim2 trip generator: node gen.mjs --seed S --count N --out DIR
// Writes DIR/trip-001.jsonl + DIR/trip-001.truth.json ... (cart-trace v1).
// Output is a pure function of (seed, count): same seed -> byte-identical files.
import fs from 'node:fs';
import path from 'node:path';
import { Rng } from './lib.mjs';
import { Planner } from './plan.mjs';
import { render } from './render.mjs';

function args(argv) {
  const a = { seed: null, count: 8, out: null, first: 1 };
  for (let i = 2; i < argv.length; i++) {
    const k = argv[i], v = argv[i + 1];
    if (k === '--seed') { a.seed = v; i++; }
    else if (k === '--count') { a.count = Number(v); i++; }
    else if (k === '--out') { a.out = v; i++; }
    else if (k === '--help' || k === '-h') { a.help = true; }
    else throw new Error('unknown argument ' + k);
  }
  return a;
}

// truth JSON: top-level keys on their own lines, one array element per line
export function formatTruth(obj) {
  const parts = [];
  for (const [k, v] of Object.entries(obj)) {
    if (Array.isArray(v) && v.length) parts.push(` ${JSON.stringify(k)}: [\n` + v.map((x) => '  ' + JSON.stringify(x)).join(',\n') + '\n ]');
    else parts.push(` ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  }
  return '{\n' + parts.join(',\n') + '\n}\n';
}

export function makeTrip(seed, idx, honest) {
  const plan = new Planner(seed, idx, honest).plan();
  const name = 'trip-' + String(idx).padStart(3, '0');
  const { text } = render(plan);
  return { name, text, truth: formatTruth(plan.truth(name)) };
}

function main() {
  const a = args(process.argv);
  if (a.help || a.seed === null || !a.out || !(a.count >= 1)) {
    console.error('usage: node gen.mjs --seed S --count N --out DIR');
    process.exit(a.help ? 0 : 2);
  }
  const seed = /^-?\d+$/.test(a.seed) ? String(BigInt(a.seed)) : a.seed; // "007" == "7"
  fs.mkdirSync(a.out, { recursive: true });
  // half the set honest (ceil), the rest with 1-3 frauds; which ones is seeded
  const flags = [];
  for (let i = 0; i < a.count; i++) flags.push(i < Math.ceil(a.count / 2));
  new Rng('xsim2-set', seed, a.count).shuffle(flags);
  for (let i = 1; i <= a.count; i++) {
    const t = makeTrip(seed, i, flags[i - 1]);
    fs.writeFileSync(path.join(a.out, t.name + '.jsonl'), t.text);
    fs.writeFileSync(path.join(a.out, t.name + '.truth.json'), t.truth);
    console.log(`${t.name} ${flags[i - 1] ? 'honest' : 'fraud '} ${(t.text.length / 1e6).toFixed(2)} MB`);
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('gen.mjs')) main();
