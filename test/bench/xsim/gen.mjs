#!/usr/bin/env node
// Independent cart-trace generator.
//   node gen.mjs --seed S --count N --out DIR
// writes DIR/trip-NNN.jsonl and DIR/trip-NNN.truth.json, deterministic for S.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRng, hashSeed } from './rng.mjs';
import { headerCatalog } from './catalog.mjs';
import { makeCart, render, GEOM } from './physics.mjs';
import { makeScannerConfig } from './scanner.mjs';
import { planTrip } from './shopper.mjs';

function args(argv) {
  const a = { seed: 1, count: 10, out: 'out' };
  for (let i = 2; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--seed') a.seed = Number(argv[++i]);
    else if (k === '--count') a.count = Number(argv[++i]);
    else if (k === '--out') a.out = argv[++i];
    else throw new Error(`unknown argument ${k}`);
  }
  if (!Number.isInteger(a.seed) || !Number.isInteger(a.count) || a.count < 1) throw new Error('bad --seed/--count');
  return a;
}

export function generateTrip(seed, index, honest) {
  const tripName = `trip-${String(index).padStart(3, '0')}`;
  for (let attempt = 0; attempt < 200; attempt++) {
    const rng = makeRng(hashSeed('xsim', seed, index, attempt));
    const cart = makeCart(rng, index);
    const scfg = makeScannerConfig(rng);
    const res = planTrip(rng, cart, scfg, { honest, tripName });
    const t = res.truth;
    if (t.durationS < 178 || t.durationS > 365) continue;       // trips of 3-6 minutes
    if (honest !== t.honest) continue;                             // a planned fraud could not be placed
    const nAdds = t.actions.filter((x) => x.op === 'add').length;
    if (nAdds < 6 || nAdds > 32) continue;
    const { samples, stats } = render(rng, cart, res.plan);
    return { tripName, cart, res, samples, stats, attempt };
  }
  throw new Error(`could not generate ${tripName}`);
}

function traceText(cart, res, samples) {
  const header = {
    kind: 'header', format: 'cart-trace', version: 1,
    cart: cart.name, rateHz: cart.rateHz,
    channels: ['fl', 'fr', 'rl', 'rr'],
    geometry: { widthMm: GEOM.widthMm, depthMm: GEOM.depthMm },
    calibration: cart.cells.map((c) => ({ offset: c.offHdr, countsPerGram: c.cpgHdr })),
    catalog: headerCatalog(),
  };
  const events = [
    ...res.serial.map((s) => ({ t: s.t, line: JSON.stringify({ t: s.t, kind: 'serial', data: s.data }) })),
    ...res.buttons.map((b) => ({ t: b.t, line: JSON.stringify({ t: b.t, kind: 'button', name: b.name, pressed: b.pressed }) })),
  ].sort((a, b) => a.t - b.t);
  const lines = [JSON.stringify(header)];
  let j = 0;
  for (const s of samples) {
    while (j < events.length && events[j].t < s.t) lines.push(events[j++].line);
    lines.push(`{"t":${s.t},"kind":"adc","raw":[${s.raw.map((r) => (r === null ? 'null' : r)).join(',')}]}`);
  }
  while (j < events.length) lines.push(events[j++].line);
  return lines.join('\n') + '\n';
}

function truthText(seed, gen) {
  const { cart, res, stats, attempt } = gen;
  const t = res.truth;
  const out = {
    basket: t.basket,
    alerts: t.alerts,
    actions: t.actions,
    // everything below is informative; readers ignore unknown fields
    honest: t.honest,
    trip: t.trip,
    generator: 'xsim',
    seed, attempt,
    durationS: t.durationS,
    frauds: t.frauds,
    ...(t.basketAlternatives ? { basketAlternatives: t.basketAlternatives } : {}),
    ownItem: t.ownItem,
    rateHz: cart.rateHz,
    trueRateHz: Math.round(cart.trueRate * 1000) / 1000,
    scanner: t.scanner,
    scans: t.scans,
    motion: t.motion,
    rearranged: t.rearranged,
    cells: cart.cells.map((c) => ({
      gainErrPct: Math.round(c.gainErr * 1e5) / 1e3, offsetErrG: Math.round(c.offErrG * 10) / 10,
      reversed: c.cpgHdr < 0, noiseG: Math.round(c.noiseG * 100) / 100,
      nonlinG: Math.round(c.nlG * 10) / 10, driftG: Math.round(c.driftG * 10) / 10,
    })),
    basketTareG: Math.round(cart.basketG),
    faults: stats,
  };
  // one action per line, like the samples
  const s = JSON.stringify(out, null, 1);
  const oneLine = (m) => m.replace(/\n\s*/g, '');
  return s.replace(/\[\n[^[\]{}]*?\n\s*\]/g, oneLine).replace(/\{\n[^{}]*?\n\s*\}/g, oneLine) + '\n';
}

function main() {
  const a = args(process.argv);
  mkdirSync(a.out, { recursive: true });
  // exactly half of the trips are planned honest, in a seeded order
  const plan = makeRng(hashSeed('honesty', a.seed));
  const honest = Array.from({ length: a.count }, (_, i) => i < Math.ceil(a.count / 2));
  plan.shuffle(honest);
  for (let i = 1; i <= a.count; i++) {
    const g = generateTrip(a.seed, i, honest[i - 1]);
    writeFileSync(join(a.out, `${g.tripName}.jsonl`), traceText(g.cart, g.res, g.samples));
    writeFileSync(join(a.out, `${g.tripName}.truth.json`), truthText(a.seed, g));
    process.stderr.write(`${g.tripName}: ${g.res.truth.durationS}s ${g.cart.rateHz}Hz ` +
      `${g.res.truth.actions.length} actions, alerts ${g.res.truth.alerts.map((x) => x.kind).join(',') || '-'}` +
      ` (attempt ${g.attempt})\n`);
  }
}

main();
