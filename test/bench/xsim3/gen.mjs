#!/usr/bin/env node
// xsim3 trip generator: writes cart-trace v1 traces with their truth.
//
//   node gen.mjs --seed S --count N --out DIR
//
// Deterministic: the same seed and count give byte-identical files (own
// seeded PRNG, no Math.random, no clock). Trip i depends only on the seed
// and i, so trip-003 is the same whether you ask for 3 trips or 30.
//
// Seeds 9000-9999 are reserved for scoring by someone else: its author
// never generated them.

import fs from 'node:fs';
import path from 'node:path';
import { Rng } from './lib/rng.mjs';
import { CATALOG } from './lib/catalog.mjs';
import { makeCart, headerCalibration, CHANNELS, GEOMETRY, FLEET_SIZE } from './lib/cart.mjs';
import { planTrip } from './lib/trip.mjs';
import { renderAdc, makeEnvironment } from './lib/physics.mjs';

function parseArgs(argv) {
  const args = { seed: null, count: null, out: null };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--seed') { args.seed = v; i++; }
    else if (a === '--count') { args.count = Number(v); i++; }
    else if (a === '--out') { args.out = v; i++; }
    else if (a === '-h' || a === '--help') { args.help = true; }
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

function usage() {
  return 'usage: node gen.mjs --seed S --count N --out DIR   (S an integer)';
}

function main() {
  let args;
  try { args = parseArgs(process.argv); } catch (e) { console.error(e.message); console.error(usage()); process.exit(2); }
  if (args.help) { console.log(usage()); return; }
  if (args.seed === null || !/^-?\d+$/.test(args.seed) || !Number.isInteger(args.count) || args.count < 1 || !args.out) {
    console.error(usage());
    process.exit(2);
  }
  const seed = Number(args.seed);
  fs.mkdirSync(args.out, { recursive: true });
  const base = new Rng(`xsim3:${seed}`);
  const fleetRng = base.fork('fleet');
  const fleet = Array.from({ length: FLEET_SIZE }, (_, i) => makeCart(fleetRng, i));
  for (let i = 1; i <= args.count; i++) {
    const name = `trip-${String(i).padStart(3, '0')}`;
    const { lines, truth } = generateTrip(base, fleet, seed, i, name);
    fs.writeFileSync(path.join(args.out, `${name}.jsonl`), lines.join('\n') + '\n');
    fs.writeFileSync(path.join(args.out, `${name}.truth.json`), formatTruth(truth));
    const kinds = truth.alerts.map((a) => a.kind).join(',') || 'honest';
    console.log(`${name}: ${truth.durationS.toFixed(1)} s, ${truth.cart} @${truth.rateHz} Hz, `
      + `${truth.actions.filter((a) => a.op === 'add').length} adds, ${kinds}`);
  }
}

/** about half the trips honest: in each pair of trips one of each, order random */
function isHonest(base, i) {
  const pair = Math.floor((i - 1) / 2);
  const firstHonest = base.fork(`pair-${pair}`).chance(0.5);
  return ((i - 1) % 2 === 0) === firstHonest;
}

function generateTrip(base, fleet, seed, i, name) {
  const trng = base.fork(`trip-${i}`);
  const honest = isHonest(base, i);
  const cart = fleet[trng.int(0, fleet.length - 1)];
  for (let attempt = 0; attempt < 12; attempt++) {
    const arng = trng.fork(`attempt-${attempt}`);
    const durationS = Math.round(arng.uniform(180, 600) * 10) / 10;
    // time for items: about 13 s each at least, fewer on later attempts
    const maxItems = Math.max(6, Math.min(30, Math.floor((durationS - 30) / (13 + attempt * 2))));
    const nItems = arng.int(6, maxItems);
    const env = makeEnvironment(arng.fork('env'), durationS);
    const target = { durationS, nItems, honest, floorRms: env.floorRms };
    const res = planTrip(arng, cart, target);
    if (!res) continue;
    const adc = renderAdc(arng.fork('physics'), res.planner, cart, env, res.durationS);
    return assemble(name, seed, cart, env, res, adc);
  }
  throw new Error(`${name}: could not plan a trip (seed ${seed})`);
}

function header(cart) {
  return {
    kind: 'header', format: 'cart-trace', version: 1,
    cart: cart.id, rateHz: cart.rateHz,
    channels: CHANNELS, geometry: GEOMETRY,
    calibration: headerCalibration(cart),
    catalog: CATALOG.map((p) => ({
      gtin: p.gtin, name: p.name, grams: p.grams, gramsSd: p.gramsSd,
      priceCents: p.priceCents, byWeight: p.byWeight,
      category: p.category, // not in the format page: readers must ignore it
    })),
    store: 'xsim3 simulated store', // likewise an unknown field
  };
}

function assemble(name, seed, cart, env, res, adc) {
  const P = res.planner;
  const events = [];
  let seq = 0;
  for (const s of adc.samples) events.push({ t: s.t, o: seq++, line: { t: s.t, kind: 'adc', raw: s.raw } });
  for (const r of P.reads) {
    const t = r4(r.t);
    events.push({ t, o: seq++, line: { t, kind: 'serial', data: r.data } });
  }
  for (const b of P.buttons) {
    const t = r4(b.t);
    events.push({ t, o: seq++, line: { t, kind: 'button', name: b.name, pressed: b.pressed } });
  }
  // a kind the page does not define yet: readers must skip it
  for (let t = 30; t < res.durationS; t += 30) {
    events.push({ t, o: seq++, line: { t, kind: 'power', batteryV: Math.round((12.6 - t / 3000) * 100) / 100 } });
  }
  events.sort((a, b) => a.t - b.t || a.o - b.o);
  const lines = [JSON.stringify(header(cart)), ...events.map((e) => JSON.stringify(e.line))];

  const truth = {
    ...res.truth,
    sim: 'xsim3',
    trip: name,
    seed,
    durationS: res.durationS,
    cart: cart.id,
    rateHz: cart.rateHz,
    actualRateHz: Math.round(adc.rate * 1000) / 1000,
    scanner: { aim: cart.scanner.aim, suffix: cart.scanner.suffix },
    environment: {
      origin: env.origin, T0: r1(env.T0), Tstore: r1(env.Tamb), Tcalibration: r1(env.Tcal),
      floorRmsG: Math.round(env.floorRms * 1000) / 1000,
    },
    readFailures: {
      channelSilent: adc.faults.chNull.length, allSilent: adc.faults.allNull.length,
      railBursts: adc.faults.rails.length, gaps: adc.faults.gaps.length,
    },
  };
  return { lines, truth };
}

/** one entry a line, like the examples, and still plain JSON */
function formatTruth(truth) {
  const parts = Object.entries(truth).map(([k, v]) => {
    if (Array.isArray(v) && v.length && typeof v[0] === 'object') {
      return ` ${JSON.stringify(k)}: [\n${v.map((x) => `  ${JSON.stringify(x)}`).join(',\n')}\n ]`;
    }
    return ` ${JSON.stringify(k)}: ${JSON.stringify(v)}`;
  });
  return `{\n${parts.join(',\n')}\n}\n`;
}

function r1(x) { return Math.round(x * 10) / 10; }
function r4(x) { return Math.round(x * 10000) / 10000; }

main();
