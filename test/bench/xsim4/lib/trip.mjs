// Plans one trip (who shops, what, which incidents), runs the shopper, renders the devices,
// and writes the expected outcome. Trip i of seed N depends only on (N, i).

import { Rng } from './prng.mjs';
import { fleet, FLEET_SIZE } from './fleet.mjs';
import { CATALOG, headerCatalog } from './catalog.mjs';
import { TripBuilder, TWIN_PAIRS, r4 } from './shopper.mjs';
import { Scene } from './physics.mjs';
import { renderAdc } from './hx711.mjs';
import { renderSerial } from './scanner.mjs';

const PROFILES = [
  [0.25, { name: 'quick', items: [6, 10], dur: [180, 270] }],
  [0.42, { name: 'regular', items: [10, 20], dur: [240, 420] }],
  [0.23, { name: 'big', items: [18, 30], dur: [360, 580] }],
  [0.10, { name: 'stock-up', items: [10, 22], dur: [300, 540], heavyKg: [32, 50] }],
];

const INCIDENTS = [[0.34, 'unscanned'], [0.22, 'swap'], [0.14, 'doubleScan'], [0.15, 'replaceHeavier'], [0.15, 'partial']];

const clamp = (x, lo, hi) => Math.max(lo, Math.min(hi, x));

function pickLines(rng, profile, nItems) {
  const ps = CATALOG.products;
  const heavy = ps.filter((p) => p.heavy);
  const lines = [];
  let mass = 0, count = 0;
  if (profile.heavyKg) {
    const target = rng.uniform(...profile.heavyKg) * 1000;
    while (mass < target && count < nItems - 3) {
      const p = rng.weighted(heavy.map((h) => [h.pop, h]));
      lines.push({ p, qty: 1 }); mass += p.grams; count++;
    }
  }
  let guard = 0;
  while (count < nItems && guard++ < 500) {
    const p = rng.weighted(ps.map((q) => [q.heavy && !profile.heavyKg ? q.pop * 0.12 : q.pop, q]));
    let qty = rng.chance(0.12) ? (rng.chance(0.25) ? 3 : 2) : 1;
    if (p.byWeight || p.heavy) qty = rng.chance(0.05) ? 2 : 1;
    qty = Math.min(qty, nItems - count);
    if (mass + qty * p.grams > 58000) continue;
    lines.push({ p, qty }); count += qty; mass += qty * p.grams;
  }
  return rng.shuffle(lines);
}

function makeIntents(rng, lines) {
  const singles = [];
  const intents = [];
  for (const { p, qty } of lines) {
    if (qty >= 2 && rng.chance(0.6)) intents.push({ type: 'same', ps: Array(qty).fill(p), together: qty === 2 && !p.heavy && rng.chance(0.3) });
    else for (let i = 0; i < qty; i++) singles.push(p);
  }
  let i = 0;
  while (i < singles.length) {
    const left = singles.length - i;
    const p = singles[i];
    const r = rng.float();
    if (r < 0.13 && left >= 2) {
      const k = Math.min(left, rng.int(2, 4));
      intents.push({ type: 'multi', ps: singles.slice(i, i + k) }); i += k;
    } else if (r < 0.19 && left >= 2 && !p.heavy && !singles[i + 1].heavy) {
      intents.push({ type: 'two', ps: [p, singles[i + 1]] }); i += 2;
    } else if (r < 0.31) { intents.push({ type: 'placeScan', p }); i++; }
    else if (r < 0.37 && !p.fragile && !p.heavy) { intents.push({ type: 'toss', p }); i++; }
    else { intents.push({ type: 'scanPlace', p }); i++; }
  }
  return rng.shuffle(intents);
}

function insertAt(rng, list, item, minPos = 1) {
  const pos = rng.int(Math.min(minPos, list.length), list.length);
  list.splice(pos, 0, item);
  return pos;
}

function estimate(it) {
  switch (it.type) {
    case 'multi': case 'same': case 'two': return 5 + 5 * it.ps.length;
    case 'twinRemove': return 28;
    case 'incident': return 14;
    default: return 8;
  }
}

function tryTrip(seed, index, attempt) {
  const pickRng = new Rng('xsim4-pick-cart', seed, index);
  const cart = fleet(seed)[pickRng.int(0, FLEET_SIZE - 1)];
  const rng = new Rng('xsim4-trip', seed, index, attempt);
  const profile = rng.weighted(PROFILES);
  const nItems = rng.int(...profile.items);
  const targetDur = rng.uniform(...profile.dur);
  const lines = pickLines(rng, profile, nItems);
  const intents = makeIntents(rng, lines);

  // incidents: half the trips are dishonest, with 1-3 incidents
  const dishonest = rng.chance(0.5);
  const incidentKinds = [];
  if (dishonest) {
    const n = rng.weighted([[0.55, 1], [0.3, 2], [0.15, 3]]);
    for (let k = 0; k < n; k++) incidentKinds.push(rng.weighted(INCIDENTS));
    if (incidentKinds.includes('partial') && !lines.some((l) => l.p.multi || l.p.piece)) {
      const mp = rng.pick(CATALOG.products.filter((p) => (p.multi || p.piece) && !p.heavy));
      insertAt(rng, intents, { type: 'scanPlace', p: mp }, 0);
    }
  }
  for (const kind of incidentKinds) insertAt(rng, intents, { type: 'incident', kind }, 2);

  // honest extras
  const extras = [];
  if (rng.chance(0.12)) extras.push({ type: 'foreign', kind: 'phone', stay: rng.uniform(5, 40) });
  if (rng.chance(0.06)) extras.push({ type: 'foreign', kind: 'toy', stay: rng.uniform(10, 90) });
  if (rng.chance(0.05)) extras.push({ type: 'unknownProduct' });
  if (rng.chance(0.22)) extras.push({ type: 'help' });
  if (rng.chance(0.05)) extras.push({ type: 'help' });
  if (rng.chance(0.25)) extras.push({ type: 'abandoned', p: rng.weighted(CATALOG.products.map((p) => [p.pop, p])) });
  const nRemovals = rng.poisson(profile.name === 'big' ? 1.0 : 0.6);
  for (let k = 0; k < nRemovals; k++) extras.push({ type: 'return', minPos: 3 });
  for (let k = 0; k < rng.poisson(0.8); k++) extras.push({ type: 'rearrange', minPos: 2 });
  for (let k = 0; k < rng.poisson(0.8); k++) extras.push({ type: 'lean' });
  for (let k = 0; k < rng.poisson(0.4); k++) extras.push({ type: 'press', minPos: 1 });
  for (const x of extras) insertAt(rng, intents, x, x.minPos ?? 1);
  if (rng.chance(0.1) && TWIN_PAIRS.length) {
    const [a, b] = rng.pick(TWIN_PAIRS);
    const i1 = insertAt(rng, intents, { type: 'twinA', p: a, q: b }, 0);
    const i2 = insertAt(rng, intents, { type: 'twinB', p: b }, i1 + 1);
    insertAt(rng, intents, { type: 'twinRemove' }, i2 + 2);
  }

  // stops: 1-3 things per stop
  const stops = [];
  for (let i = 0; i < intents.length;) {
    const k = rng.weighted([[0.45, 1], [0.35, 2], [0.2, 3]]);
    stops.push(intents.slice(i, i + k));
    i += k;
  }
  const est = intents.reduce((a, it) => a + estimate(it), 0);
  const startMoving = rng.chance(0.3);
  const perPush = clamp((targetDur - est - 30) / (stops.length + 1), 3, 45);

  const B = new TripBuilder(rng, cart);
  B.t = startMoving ? rng.uniform(0.5, 1.5) : rng.uniform(3, 10);
  if (startMoving) B.push(rng.uniform(4, 15));
  if (rng.chance(0.35)) { B.scanOther(B.t + rng.uniform(0.5, 3), 'loyalty'); B.t += rng.uniform(3, 6); }
  if (rng.chance(0.15)) B.foreignItem('bag', null);

  let twin = null;
  let skipped = 0;
  for (const stop of stops) {
    B.runPending();
    if (B.t > 520) { skipped += stop.length; continue; }
    const pushDur = clamp(perPush * rng.uniform(0.5, 1.5), 2.5, 50);
    B.push(pushDur);
    const frozen = stop.some((it) => (it.p && it.p.frozen) || (it.ps && it.ps.some((p) => p.frozen)));
    const stopStart = B.t;
    for (const it of stop) {
      B.runPending();
      if (B.t > 540) { skipped++; continue; }
      switch (it.type) {
        case 'scanPlace': B.scanThenPlace(it.p); break;
        case 'placeScan': B.placeThenScan(it.p); break;
        case 'toss': B.tossWhileMoving(it.p); break;
        case 'multi': B.scanMany(it.ps, false); break;
        case 'two': B.scanMany(it.ps, true); break;
        case 'same': B.scanMany(it.ps, it.together); break;
        case 'foreign': B.foreignItem(it.kind, it.stay); break;
        case 'unknownProduct': B.unknownProduct(); break;
        case 'help': B.helpButton(); break;
        case 'abandoned': B.abandonedScan(it.p); break;
        case 'return': B.returnToShelf(); break;
        case 'rearrange': B.moveThingsAround(); break;
        case 'lean': B.leanOnBasket(); break;
        case 'press': B.pressItemDown(); break;
        case 'twinA': {
          // a weight both twins fit well
          const [a, b] = [it.p, it.q];
          const lo = Math.max(a.grams - 1.2 * a.sd, b.grams - 1.2 * b.sd);
          const hi = Math.min(a.grams + 1.2 * a.sd, b.grams + 1.2 * b.sd);
          const w = rng.uniform(Math.min(lo, hi), Math.max(lo, hi));
          const e = B.scanThenPlace(a, { mass: w });
          if (e.unit.product === a) { e.reserved = true; twin = { a: e, w, bProduct: b }; }
          break;
        }
        case 'twinB': {
          if (!twin) { B.scanThenPlace(it.p); break; }
          const e = B.scanThenPlace(twin.bProduct, { mass: twin.w + rng.uniform(-1.5, 1.5) });
          if (e.unit.product === twin.bProduct) { e.reserved = true; twin.b = e; } else twin = null;
          break;
        }
        case 'twinRemove':
          if (twin && twin.b && B.present.includes(twin.a) && B.present.includes(twin.b)) B.ambiguousRemoval([twin.a, twin.b]);
          break;
        case 'incident':
          switch (it.kind) {
            case 'unscanned': B.unscannedAdd(rng.chance(0.5) ? rng.pick(CATALOG.products.filter((p) => p.steal)) : rng.weighted(CATALOG.products.filter((p) => !p.heavy).map((p) => [p.pop, p]))); break;
            case 'swap': B.swap(); break;
            case 'doubleScan': B.doubleScanOnce(rng.weighted(CATALOG.products.map((p) => [p.pop, p]))); break;
            case 'replaceHeavier': B.replaceHeavier(); break;
            case 'partial': B.partialRemoval(); break;
          }
          break;
      }
    }
    if (frozen) B.freezer.push([stopStart - 12, B.t + 6, rng.uniform(3, 7)]);
  }
  B.runPending(true);
  // to the checkout
  B.push(rng.uniform(5, 20));
  if (rng.chance(0.15)) { B.scanOther(B.t + rng.uniform(1, 4), 'coupon'); B.t += rng.uniform(4, 7); }
  while (B.t < 178) B.push(clamp(186 - B.t, 3, 30));
  const duration = Math.round((Math.max(B.t, B.lastQuiet) + rng.uniform(6, 15)) * 1000) / 1000;

  const { problems } = B.finalize(duration);
  for (const u of B.units) {
    u.segs.sort((a, b) => a.t0 - b.t0);
    for (let k = 1; k < u.segs.length; k++) if (u.segs[k].t0 < u.segs[k - 1].t1 - 1e-9) problems.push(`unit ${u.id} segments overlap`);
  }
  const charged = B.present.filter((e) => e.charged);
  const contentEnd = B.present.reduce((a, e) => a + e.unit.curMass, 0);
  if (contentEnd > 62000) problems.push('basket too heavy');
  if (problems.length) return { ok: false, problems };

  // ---- environment: temperatures ----
  const tempStore = rng.uniform(19, 23);
  const tc = rng.float();
  const tempStart = tc < 0.25 ? rng.uniform(3, 14) : tc < 0.33 ? rng.uniform(26, 33) : tempStore + rng.uniform(-1.5, 1.5);
  const freezer = B.freezer;
  const smooth = (x) => (x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x));
  const env = {
    duration,
    tempStart,
    tempCal: rng.uniform(19, 23),
    thermTau: rng.uniform(150, 500),
    rateTrim: 1 + rng.normal(0, 0.001),
    airTemp: (t) => {
      let T = tempStore;
      for (const [a, b, d] of freezer) T -= d * Math.min(smooth((t - a) / 8), smooth((b - t) / 8));
      return T;
    },
  };

  // ---- devices ----
  const scene = new Scene(cart, { units: B.units, hands: B.hands, transients: B.transients, motions: B.motions, tilts: B.tilts }, new Rng('xsim4-vibration', seed, index, attempt));
  const adc = renderAdc(scene, cart, env, new Rng('xsim4-adc', seed, index, attempt));
  const emissions = [...B.emissions].sort((a, b) => a.t - b.t);
  const serial = renderSerial(emissions, cart.scanner, new Rng('xsim4-serial', seed, index, attempt));
  const other = [];
  for (const b of [...B.buttons].sort((x, y) => x.t - y.t)) {
    const t = r4(b.t);
    other.push({ t, s: `{"t":${t},"kind":"button","name":"help","pressed":${b.pressed}}` });
  }
  if (cart.tempLines) for (const x of adc.temps) { const t = r4(x.t); other.push({ t, s: `{"t":${t},"kind":"board-temp","celsius":${x.celsius}}` }); }

  const header = {
    kind: 'header', format: 'cart-trace', version: 1,
    cart: cart.id, rateHz: cart.rateHz, channels: cart.channels, geometry: cart.geometry,
    calibration: cart.calibration, catalog: headerCatalog(),
    board: { adc: 'HX711', gain: 128 },
  };
  const all = [...adc.lines, ...serial, ...other].sort((a, b) => a.t - b.t);
  const text = JSON.stringify(header) + '\n' + all.map((l) => l.s).join('\n') + '\n';

  // ---- truth ----
  const basketMap = new Map();
  for (const e of charged) basketMap.set(e.unit.product.gtin, (basketMap.get(e.unit.product.gtin) || 0) + 1);
  const basket = [...basketMap].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([gtin, qty]) => ({ gtin, qty }));
  const actions = B.actions.map((a) => {
    const { t, restAt, op, gtin, quiet, ...rest } = a;
    return { t: r4(t), restAt: r4(restAt), op, gtin, ...rest };
  });
  const alerts = actions.filter((a) => a.alert).map((a) => ({ kind: a.alert, t: a.restAt })).sort((a, b) => a.t - b.t);
  const truth = {
    basket, alerts, actions,
    trip: `trip-${String(index).padStart(3, '0')}`,
    seed, generator: 'xsim4', attempt,
    cart: cart.id, rateHz: cart.rateHz, boardQuality: cart.quality, durationS: duration,
    profile: profile.name, honest: !dishonest,
    incidents: B.incidents,
    scanner: { aim: cart.scanner.aim, suffix: { '\r': 'CR', '\n': 'LF', '\r\n': 'CRLF' }[cart.scanner.suffix], iface: cart.scanner.iface },
    scans: [...B.scans].sort((a, b) => a.t - b.t),
    motion: B.motionSpans,
    disturbances: B.disturbances,
    temperature: { startC: r1(tempStart), storeC: r1(tempStore), freezerStops: freezer.map(([a, b, d]) => [r1(a), r1(b), r1(d)]) },
    endGrams: Math.round(contentEnd),
    skippedIntents: skipped,
    adcStats: adc.stats,
  };
  return { ok: true, text, truth };
}

function r1(x) { return Math.round(x * 10) / 10; }

export function generateTrip(seed, index) {
  let last = null;
  for (let attempt = 0; attempt < 40; attempt++) {
    const res = tryTrip(seed, index, attempt);
    if (res.ok) return res;
    last = res.problems;
  }
  throw new Error(`seed ${seed} trip ${index}: no clean trip after 40 attempts: ${last.join('; ')}`);
}
