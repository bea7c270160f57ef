// One trip: pick what the shopper buys and what goes wrong, run the planner,
// and write down the truth.

import { CATALOG } from './catalog.mjs';
import { Planner, RULES, round1 } from './plan.mjs';
import { classify } from './fit.mjs';

// ------------------------------------------------------------ product pools

/** different products whose packs weigh within a few grams of each other */
const TWINS = (() => {
  const out = [];
  const fixed = CATALOG.filter((p) => !p.byWeight);
  for (let i = 0; i < fixed.length; i++) {
    for (let j = i + 1; j < fixed.length; j++) {
      const a = fixed[i], b = fixed[j];
      if (Math.abs(a.grams - b.grams) <= 5 && Math.abs(a.gramsSd - b.gramsSd) <= 4) out.push([a, b]);
    }
  }
  return out;
})();

/**
 * Swap frauds: scan a cheap product, put in a dear one whose weight clearly
 * misses the cheap one's (anything else is undetectable by weight and not
 * what the page's weight-mismatch is about).
 */
const SWAPS = (() => {
  const out = [];
  const fixed = CATALOG.filter((p) => !p.byWeight);
  for (const a of fixed) {
    if (a.priceCents > 250) continue;
    for (const b of fixed) {
      if (b.priceCents < Math.max(2 * a.priceCents, a.priceCents + 300)) continue;
      const lo = b.grams - 2 * b.gramsSd, hi = b.grams + 2 * b.gramsSd;
      if (classify(lo, [{ product: a }]) !== 'miss' || classify(hi, [{ product: a }]) !== 'miss') continue;
      out.push([a, b]);
    }
  }
  return out;
})();

/** packs a shopper can take part of: multipacks and big produce bags */
const SPLITTABLE = CATALOG.filter((p) => p.multi || (p.byWeight && p.grams >= 500));

const TWIN_GTINS = new Set(TWINS.flat().map((p) => p.gtin));

function pickProduct(rng, chosen, avoid) {
  const regular = chosen.filter((a) => !a.twin && !TWIN_GTINS.has(a.product.gtin));
  if (regular.length && rng.chance(0.2)) return rng.pick(regular).product; // buys two
  for (;;) {
    const p = rng.pick(CATALOG);
    // the 9 kg water pack is bought now and then, not every trip
    if (p.grams > 5000 && !rng.chance(0.2)) continue;
    if (p.byWeight && rng.chance(0.4)) continue;
    if (avoid.some((w) => Math.abs(p.grams - w) < Math.max(40, 0.06 * w))) continue;
    return p;
  }
}

function pickFraudProduct(rng) {
  for (;;) {
    const p = rng.pick(CATALOG);
    // at least 60 g: more than any shift the cart's own imperfections cause
    if (p.grams >= 60 && p.grams < 5000) return p;
  }
}

const INCIDENTS = [
  [20, 'unscanned-plain'], [12, 'unscanned-motion'], [8, 'unscanned-noncat'],
  [6, 'putback'], [22, 'swap'], [16, 'partial'], [16, 'ambiguous'],
];

function pickIncidents(rng) {
  const n = rng.weighted([[50, 1], [35, 2], [15, 3]]);
  const out = [];
  while (out.length < n) {
    const k = rng.weighted(INCIDENTS);
    if (['partial', 'ambiguous', 'putback'].includes(k) && out.includes(k)) continue;
    out.push(k);
  }
  return out;
}

// ------------------------------------------------------------------ agenda

function buildAgenda(rng, nItems, honest) {
  const incidents = honest ? [] : pickIncidents(rng);
  const adds = [];
  const extras = [];
  const twinAdds = [];
  const avoid = []; // weights the rest of the shopping must keep away from
  let group = 0;
  let fraudAdds = 0;
  // two near-equal items, then `kind`, the entry that takes one of them out
  const twins = (kind) => {
    const [p, q] = rng.pick(TWINS);
    group++;
    const a = { kind: 'add', product: p, twin: group }, b = { kind: 'add', product: q, twin: group };
    twinAdds.push(a, b);
    avoid.push(p.grams);
    extras.push({ entry: { kind, group }, after: [a, b], soon: true });
  };
  for (const inc of incidents) {
    if (inc === 'ambiguous') {
      twins('ambiguous');
    } else if (inc === 'partial') {
      const a = { kind: 'add', product: rng.pick(SPLITTABLE), reserve: true };
      adds.push(a);
      extras.push({ entry: { kind: 'partial' }, after: [a] });
    } else if (inc === 'swap') {
      const [cheap, dear] = rng.pick(SWAPS);
      extras.push({ entry: { kind: 'swap', cheap, dear }, after: [] });
      fraudAdds++;
    } else if (inc === 'putback') {
      extras.push({ entry: { kind: 'putback' }, minAdds: 3 });
    } else {
      const variant = inc.slice('unscanned-'.length);
      extras.push({ entry: { kind: 'unscanned', product: pickFraudProduct(rng), variant }, after: [] });
      fraudAdds++;
    }
  }
  // twins in an honest trip: the shopper scans the one taken out
  if (honest && rng.chance(0.35)) twins('scanRemove');
  while (adds.length + twinAdds.length + fraudAdds < nItems) {
    adds.push({ kind: 'add', product: pickProduct(rng, adds, avoid) });
  }
  rng.shuffle(adds);

  const agenda = groupAdds(rng, adds);
  // near-equal pairs go in early, while the basket is small: in a full
  // basket some set of items fits almost any weight, and a clear second
  // removal is then rare
  for (let i = 0; i < twinAdds.length; i += 2) {
    const ia = rng.int(0, Math.min(2, agenda.length));
    agenda.splice(ia, 0, twinAdds[i]);
    agenda.splice(rng.int(ia + 1, Math.min(ia + 3, agenda.length)), 0, twinAdds[i + 1]);
  }
  const nRemove = rng.weighted([[30, 0], [40, 1], [20, 2], [10, 3]]);
  for (let i = 0; i < nRemove; i++) extras.push({ entry: { kind: 'remove' }, minAdds: 2 });
  if (rng.chance(0.25)) extras.push({ entry: { kind: 'removeRescan' }, minAdds: 3 });
  if (rng.chance(0.35)) extras.push({ entry: { kind: 'abandon' }, minAdds: 0 });

  for (const x of rng.shuffle(extras)) {
    let minIdx = 0;
    for (const dep of x.after ?? []) {
      const idx = agenda.findIndex((e) => e === dep || (e.members && e.members.includes(dep)));
      minIdx = Math.max(minIdx, idx + 1);
    }
    if (x.minAdds) {
      let seen = 0;
      for (let i = 0; i < agenda.length; i++) {
        if (agenda[i].kind === 'add') seen++;
        else if (agenda[i].products) seen += agenda[i].products.length;
        if (seen >= x.minAdds) { minIdx = Math.max(minIdx, i + 1); break; }
      }
    }
    const maxIdx = x.soon ? Math.min(agenda.length, minIdx + 1) : agenda.length;
    agenda.splice(rng.int(minIdx, maxIdx), 0, x.entry);
  }
  return { agenda, incidents };
}

/** some items go in together (one weight change) or scanned as a batch */
function groupAdds(rng, adds) {
  const out = [];
  const groupable = (x) => x && !x.twin && !x.reserve && !x.product.byWeight && x.product.grams < 5000;
  for (let i = 0; i < adds.length;) {
    if (groupable(adds[i]) && rng.chance(0.2)) {
      const k = rng.chance(0.7) ? 2 : 3;
      const run = adds.slice(i, i + k);
      if (run.length === k && run.every(groupable)) {
        out.push({ kind: rng.chance(0.5) ? 'multi' : 'batch', products: run.map((x) => x.product), members: run });
        i += k;
        continue;
      }
    }
    out.push(adds[i]);
    i++;
  }
  return out;
}

// ------------------------------------------------------------------ runner

function addEntry(P, e) {
  const r = P.rng;
  let grams;
  if (e.twin) {
    // the second twin weighs within 2.5 g of the first: a firmware cannot
    // tell them apart by weight, whatever its tolerance
    const mate = P.units.find((u) => u.twin === e.twin && u.present);
    if (mate) {
      const lo = e.product.grams - 2 * e.product.gramsSd, hi = e.product.grams + 2 * e.product.gramsSd;
      grams = round1(Math.max(lo, Math.min(hi, mate.grams + r.uniform(-2.5, 2.5))));
    }
  }
  const u = P.honestAdd(e.product, { grams });
  if (u && (e.twin || e.reserve)) {
    u.twin = e.twin ?? null;
    u.reserved = true;
  }
  return !!u;
}

function execEntry(P, e, upcoming, done) {
  switch (e.kind) {
    case 'add': return addEntry(P, e);
    case 'multi': return P.multiDrop(e.products) || e.members.every((m) => addEntry(P, m));
    case 'batch': return P.batchAdd(e.products) || e.members.every((m) => addEntry(P, m));
    case 'remove': return !!P.honestRemove();
    case 'removeRescan': return P.removeAndRescan();
    case 'scanRemove': return P.scanThenRemove(e.group);
    case 'abandon': return P.abandonScan(upcoming);
    default: break;
  }
  // incidents: if the basket does not allow this one right now, the
  // shopper slips an unscanned item in instead, so the trip stays dishonest
  let ok = false;
  if (e.kind === 'unscanned') ok = P.unscannedAdd(e.product, e.variant);
  else if (e.kind === 'swap') ok = P.swap(e.cheap, e.dear);
  else if (e.kind === 'partial') ok = P.partialRemoval();
  else if (e.kind === 'ambiguous') ok = P.ambiguousRemoval(e.group);
  else if (e.kind === 'putback') ok = P.putBackUnscanned();
  if (ok) { done.push(e.kind === 'unscanned' ? `unscanned-${e.variant}` : e.kind); return true; }
  if (P.unscannedAdd(pickFraudProduct(P.rng), 'plain')) { done.push(`unscanned-plain (instead of ${e.kind})`); return true; }
  return false;
}

function runTrip(P, agenda, target) {
  const r = P.rng;
  // the shopper takes the cart: standing (a first rest to zero on), or
  // already pushing it away from the corral
  if (r.chance(0.8)) P.t = r.uniform(1.5, 4);
  else { const m = P.addMotion(r.uniform(0, 0.3), r.uniform(3, 12)); P.t = m.t1 + r.uniform(1.2, 3); }
  if (r.chance(0.1)) P.t = P.toggleBag(P.t) + r.uniform(1.5, 3);
  if (r.chance(0.35)) P.scanNonCatalog('loyalty'); // loyalty card first
  const done = [];
  for (let i = 0; i < agenda.length; i++) {
    const remaining = agenda.length - i;
    const budget = (target.durationS - 10 - P.t - remaining * 9) / remaining;
    P.passTime(P.t + clamp(budget, 0.5, 45) * r.uniform(0.5, 1.5));
    const upcoming = agenda.slice(i + 1, i + 4).filter((x) => x.kind === 'add').map((x) => x.product);
    execEntry(P, agenda[i], upcoming, done);
    if (P.t > RULES.latestEnd) return null;
  }
  // on to the checkout, then stand still until the trace ends
  if (P.t < target.durationS - 8) P.passTime(target.durationS - 5, { scans: false });
  const durationS = Math.round(Math.max(target.durationS, P.t + 3) * 1000) / 1000;
  if (durationS > 600) return null;
  return { durationS, done };
}

/**
 * Plan a whole trip. Returns null if the shopper could not fit the agenda
 * into 10 minutes (the caller then tries again with another sub-seed).
 */
export function planTrip(rng, cart, target) {
  const { agenda, incidents } = buildAgenda(rng.fork('agenda'), target.nItems, target.honest);
  const P = new Planner(rng, cart, target);
  const res = runTrip(P, agenda, target);
  if (!res) return null;
  const truth = buildTruth(P, target, res);
  if (target.honest !== (truth.alerts.length === 0)) return null;
  const nAdded = new Set(P.actions.filter((a) => a.op === 'add').map((a) => a.unit)).size;
  if (nAdded < 6 || nAdded > 30) return null;
  return { planner: P, truth, durationS: res.durationS, incidentsPlanned: incidents };
}

function buildTruth(P, target, res) {
  const basketMap = new Map();
  for (const u of P.units) {
    if (u.present && u.charged) basketMap.set(u.product.gtin, (basketMap.get(u.product.gtin) ?? 0) + 1);
  }
  const basket = [...basketMap].sort(([a], [b]) => (a < b ? -1 : 1)).map(([gtin, qty]) => ({ gtin, qty }));
  const actions = P.actions
    .map((a) => ({ ...a, t: r4(a.t), restAt: r3(a.restAt) }))
    .sort((a, b) => a.t - b.t || a.unit - b.unit);
  const alerts = actions.filter((a) => a.alert).map((a) => ({ kind: a.alert, t: a.restAt }))
    .sort((a, b) => a.t - b.t);
  const scans = P.scanLog.slice().sort((a, b) => a.t - b.t).map((s) => {
    const o = { t: r4(s.t), code: s.code, gtin: s.gtin, role: s.role };
    if (s.label) o.label = s.label;
    return o;
  });
  return {
    basket,
    alerts,
    actions,
    honest: alerts.length === 0,
    incidents: res.done,
    scans,
    motion: P.motions.map((m) => [r3(m.t0), r3(m.t1)]),
    rearranged: P.rearranged.map(([a, b, kind, unit]) => ({ t: r3(a), end: r3(b), kind, unit })),
    hands: P.hands.map((h) => ({ t: r3(h.t0), end: r3(h.t1 + h.offset), kind: h.kind, grams: Math.round(h.grams) })),
    bumps: P.bumps.map((b) => r3(b.t)),
    bags: P.bags.map((b) => [r3(b.t0), b.t1 === Infinity ? null : r3(b.t1)]),
  };
}

function clamp(x, lo, hi) { return Math.max(lo, Math.min(hi, x)); }
function r3(x) { return Math.round(x * 1000) / 1000; }
function r4(x) { return Math.round(x * 10000) / 10000; }
