// The shopper: a trip as a sequence of pushes and stops at shelves, scans,
// placements, removals and (in dishonest trips) frauds. Produces the load
// terms/forces/motions for the physics, the serial and button lines, and the
// truth.
//
// Labelling rules are in README.md; the checks that keep labels unambiguous
// are in fits.mjs.

import { CATALOG, BY_GTIN, nonCatalogCode } from './catalog.mjs';
import { cellShares, tareLoads, measuredSum, makeMotion, motionRestAt, GEOM } from './physics.mjs';
import { productSymbol, otherSymbol, scanChunks } from './scanner.mjs';
import { classify, multisetKey, isUnique, isNone, isAmbiguous } from './fits.mjs';

const SCAN_OPEN_MAX = 17.5;   // a scanned item's weight change begins <= 17.5 s after its scan (spec: >= 20 s open)
const LINGER_S = 60;          // an unconsumed scan is treated as possibly still open for 60 s
const REPEAT_GAP = 2.2;       // a deliberate second scan of a code comes >= 2.2 s after the previous read

const PACKAGED = CATALOG.filter((p) => !p.byWeight);
const BYWEIGHT = CATALOG.filter((p) => p.byWeight);
const TWIN_GROUPS = (() => {
  const g = {};
  for (const p of CATALOG) if (p.twin) (g[p.twin] ||= []).push(p);
  return Object.values(g).filter((a) => a.length >= 2);
})();

const OWN_ITEMS = [
  ['handbag', 450, 1400], ['umbrella', 280, 520], ['water bottle', 520, 820],
  ['rain jacket', 350, 700], ['laptop bag', 1300, 2600], ['child\'s backpack', 400, 1100],
];

function r3(x) { return Math.round(x * 1000) / 1000; }
function r4(x) { return Math.round(x * 10000) / 10000; }
function r1(x) { return Math.round(x * 10) / 10; }

export function planTrip(rng, cart, scfg, opts) {
  const { honest, tripName } = opts;
  // ------------------------------------------------------------ state
  const units = [];            // physical things in the basket
  const terms = [], forces = [], motions = [], serial = [], buttons = [];
  const actions = [], alerts = [], scansLog = [], rearranged = [], motionLog = [];
  const unconsumed = [];       // scans no item consumed: {gtin, t}
  const frauds = [];
  const lastScanOf = new Map(); // gtin/code -> time its last read ended
  let lastSerialEnd = -10;
  let busy = 0;                // the basket is at rest from here on
  let clock = 0;               // the shopper's hands are free from here on
  let noMoreRemovals = false;
  let own = null;              // the shopper's own thing, in the basket from the start
  let nextUnitId = 0;

  const quiet = () => rng.uniform(1.5, 3.0);

  function staticLoads(extra = []) {
    const l = tareLoads(cart);
    const all = units.filter((u) => u.present).concat(extra);
    if (own && own.present) all.push(own);
    for (const u of all) {
      const s = cellShares(u.x, u.y);
      for (let i = 0; i < 4; i++) l[i] += s[i] * u.grams;
    }
    return l;
  }
  const measured = (extra) => measuredSum(cart, staticLoads(extra));
  const totalLoad = () => staticLoads().reduce((a, b) => a + b, 0);

  function randPos() {
    return { x: rng.uniform(45, GEOM.widthMm - 45), y: rng.uniform(35, GEOM.depthMm - 35) };
  }

  function drawGrams(p) {
    if (p.byWeight) return Math.max(0.35 * p.grams, rng.truncGauss(p.grams, p.gramsSd, 1.5));
    return rng.truncGauss(p.grams, p.gramsSd, 2.5);
  }

  function commit(u, charged, measuredG) {
    u.id = nextUnitId++;
    u.present = true; u.charged = charged; u.measuredG = measuredG;
    units.push(u);
    return u;
  }
  function newUnit(p, grams) {
    const pos = randPos();
    return { id: -1, gtin: p.gtin, p, grams: grams ?? drawGrams(p), x: pos.x, y: pos.y,
      present: false, charged: false, damaged: false };
  }

  // --------------------------------------------------------- scanning
  function emitScan(sym, t, gtinOrCode, role) {
    const { chunks, repeated } = scanChunks(rng, scfg, sym, t);
    for (const c of chunks) serial.push({ t: r4(c.t), data: c.data });
    const field = role.startsWith('noncatalog') ? 'code' : 'gtin';
    scansLog.push({ t: r4(t), [field]: gtinOrCode, role });
    if (repeated) scansLog.push({ t: r4(chunks[chunks.length - 1].t), [field]: gtinOrCode, role: 'duplicate' });
    const end = chunks[chunks.length - 1].t;
    lastSerialEnd = end;
    lastScanOf.set(gtinOrCode, end);
    return end;
  }
  function scanTimeFrom(t, key) {
    let ts = Math.max(t, lastSerialEnd + 0.8);
    if (lastScanOf.has(key)) ts = Math.max(ts, lastScanOf.get(key) + REPEAT_GAP);
    return ts;
  }
  function scanProduct(p, t, role) {
    return emitScan(productSymbol(rng, scfg, p), t, p.gtin, role);
  }
  // An item of this product consumed the scan that ended at tEnd. A firmware
  // may have let it consume an older unconsumed scan of the same product
  // instead, leaving the new one open: so such older scans count as made now.
  function consumed(gtin, tEnd) {
    for (const s of unconsumed) if (s.gtin === gtin) s.t = Math.max(s.t, tEnd);
  }

  // ------------------------------------------------- hand and item forces
  // Placing: the hand lowers the item (its load ramps in over part of the
  // contact), may press on it, lets go (the basket rings: overshoot decaying
  // at 6-14 Hz), and the item may slide or roll before it comes to rest.
  function place(u, t0) {
    const m = u.grams;
    const drop = m < 1500 && rng.chance(0.15);
    const d = drop ? rng.uniform(0.3, 0.5) : 0.35 + 1.65 * Math.pow(rng.next(), 1.5);
    const tEnd = t0 + d;
    const s0 = cellShares(u.x, u.y);
    let settle = tEnd;
    if (drop) {
      const ti = tEnd - 0.04;
      terms.push({ t0: ti - 0.03, t1: ti, cw: s0.map((s) => s * m) });
      const osc = { kind: 'osc', t0: ti, amp: rng.uniform(0.3, 0.9) * m, f: rng.uniform(8, 15), tau: rng.uniform(0.04, 0.1), w: s0 };
      osc.t1 = osc.t0 + osc.tau * Math.log(Math.max(1, osc.amp / 0.05));
      forces.push(osc);
      settle = Math.max(settle, osc.t0 + osc.tau * Math.log(Math.max(1, osc.amp / 0.5)));
    } else {
      const r = rng.uniform(0.3, 0.75);
      terms.push({ t0, t1: t0 + r * d, cw: s0.map((s) => s * m) });
      const hx = Math.min(GEOM.widthMm, Math.max(0, u.x + rng.gauss(0, 40)));
      const hy = Math.min(GEOM.depthMm, Math.max(0, u.y + rng.gauss(0, 40)));
      const amp = Math.min(1500, rng.uniform(0.03, 0.3) * m + rng.uniform(10, 120));
      forces.push({ kind: 'pulse', t0: t0 + 0.8 * r * d, t1: tEnd, amp, w: cellShares(hx, hy) });
      const osc = { kind: 'osc', t0: tEnd, amp: rng.sign() * (rng.uniform(0.02, 0.1) * m + rng.uniform(1, 10)), f: rng.uniform(6, 14), tau: rng.uniform(0.04, 0.14), w: s0 };
      osc.t1 = osc.t0 + osc.tau * Math.log(Math.max(1, Math.abs(osc.amp) / 0.05));
      forces.push(osc);
      settle = Math.max(settle, osc.t0 + osc.tau * Math.log(Math.max(1, Math.abs(osc.amp) / 0.5)));
    }
    if (u.slide) {            // rolls/slides to (sx,sy) after the hand lets go
      const ts0 = tEnd, ts1 = tEnd + rng.uniform(0.2, 1.2);
      const s1 = cellShares(u.slide.x, u.slide.y);
      terms.push({ t0: ts0, t1: ts1, cw: s0.map((s) => -s * m) });
      terms.push({ t0: ts0, t1: ts1, cw: s1.map((s) => s * m) });
      const osc = { kind: 'osc', t0: ts1, amp: rng.uniform(0.01, 0.04) * m, f: rng.uniform(6, 14), tau: rng.uniform(0.04, 0.1), w: s1 };
      osc.t1 = osc.t0 + osc.tau * Math.log(Math.max(1, osc.amp / 0.05));
      forces.push(osc);
      settle = Math.max(settle, ts1 + osc.tau * Math.log(Math.max(1, osc.amp / 0.5)));
      u.x = u.slide.x; u.y = u.slide.y; delete u.slide;
    }
    return { contactEnd: tEnd, restAt: settle + 0.05 };
  }

  // Taking out (all of u, or `part` grams of it): the hand grabs (a small
  // press), lifts (load ramps out), the basket springs back a little.
  function takeOut(u, t0, part) {
    const m = part ?? u.grams;
    const d = rng.uniform(0.4, 1.8);
    const s0 = cellShares(u.x, u.y);
    forces.push({ kind: 'pulse', t0, t1: t0 + 0.35 * d, amp: rng.uniform(0, 0.12) * m + rng.uniform(5, 60), w: s0 });
    terms.push({ t0: t0 + 0.3 * d, t1: t0 + d, cw: s0.map((s) => -s * m) });
    const osc = { kind: 'osc', t0: t0 + d, amp: -(rng.uniform(0.02, 0.08) * m + rng.uniform(1, 8)), f: rng.uniform(6, 14), tau: rng.uniform(0.04, 0.12), w: s0 };
    osc.t1 = osc.t0 + osc.tau * Math.log(Math.max(1, Math.abs(osc.amp) / 0.05));
    forces.push(osc);
    const settle = osc.t0 + osc.tau * Math.log(Math.max(1, Math.abs(osc.amp) / 0.5));
    return { contactEnd: t0 + d, restAt: settle + 0.05 };
  }

  function maybeSlide(u) {
    if (!rng.chance(0.25)) return;
    const a = rng.uniform(0, 2 * Math.PI), r = rng.uniform(40, 180);
    u.slide = {
      x: Math.min(GEOM.widthMm - 40, Math.max(40, u.x + r * Math.cos(a))),
      y: Math.min(GEOM.depthMm - 30, Math.max(30, u.y + r * Math.sin(a))),
    };
  }
  function finalPos(u) { return u.slide ? { ...u, x: u.slide.x, y: u.slide.y } : u; }

  // Moving u to (x,y) over [t0,t1] must not change what the cart reads by
  // more than 3 g (gain mismatch between cells makes position matter).
  function moveOk(u, x, y) {
    const before = measured();
    const ox = u.x, oy = u.y;
    u.x = x; u.y = y;
    const after = measured();
    u.x = ox; u.y = oy;
    return Math.abs(after - before) <= 3;
  }
  function moveTerms(u, x, y, t0, t1) {
    const s0 = cellShares(u.x, u.y), s1 = cellShares(x, y);
    terms.push({ t0, t1, cw: s0.map((s) => -s * u.grams) });
    terms.push({ t0, t1, cw: s1.map((s) => s * u.grams) });
    u.x = x; u.y = y;
  }

  // ------------------------------------------------------------ pushing
  function push(tStart, dur) {
    const m = makeMotion(rng, tStart, tStart + dur);
    motions.push(m);
    // sometimes a loose item slides/rolls in the basket while moving
    const present = units.filter((u) => u.present);
    if (present.length && rng.chance(0.3)) {
      const u = rng.pick(present);
      const a = rng.uniform(0, 2 * Math.PI), r = rng.uniform(30, 150);
      const x = Math.min(GEOM.widthMm - 40, Math.max(40, u.x + r * Math.cos(a)));
      const y = Math.min(GEOM.depthMm - 30, Math.max(30, u.y + r * Math.sin(a)));
      if (moveOk(u, x, y)) {
        const t0 = rng.uniform(tStart + 0.2, tStart + dur - 1.0);
        moveTerms(u, x, y, t0, Math.min(tStart + dur - 0.2, t0 + rng.uniform(0.2, 0.8)));
      }
    }
    return m;
  }
  function endPush(m) {
    const rest = motionRestAt(m, totalLoad());
    motionLog.push([r3(m.t0), r3(rest)]);
    busy = Math.max(busy, rest);
    clock = Math.max(clock, m.t1 + rng.uniform(0.3, 1.5));
    return rest;
  }

  // ------------------------------------------------------------ checks
  // classes a firmware could match an added weight to: the scans open for it
  // plus every scan no item has consumed (some firmware keep them open
  // longer than the spec's 20 s)
  function addClasses(openGtins) {
    const c = {};
    for (const g of openGtins.concat(unconsumed.map((s) => s.gtin))) {
      const p = BY_GTIN.get(g);
      c[g] ||= { key: g, mu: p.grams, sd: p.gramsSd, count: 0 };
      c[g].count++;
    }
    return Object.values(c);
  }
  // classes a removed weight could be matched to: what the cart believes is
  // in the basket (charged units by product, uncharged ones by their weight)
  function removalClasses() {
    const c = {};
    for (const u of units) {
      if (!u.present) continue;
      if (u.charged) {
        c[u.gtin] ||= { key: u.gtin, mu: u.p.grams, sd: u.p.gramsSd, count: 0 };
        c[u.gtin].count++;
      } else {
        c['u' + u.id] = { key: 'u' + u.id, mu: u.measuredG, sd: 0.02 * u.measuredG + 2, count: 1 };
      }
    }
    return Object.values(c);
  }
  const byWeightInBasket = () => units.some((u) => u.present && u.p.byWeight);
  const lingeringSince = (t) => unconsumed.some((s) => s.t > t - LINGER_S);

  // measured weight change of adding these units (at their final positions)
  function addStep(list) {
    const before = measured();
    const after = measured(list.map(finalPos));
    return after - before;
  }
  function removeStep(u, part) {
    const before = measured();
    const g = u.grams;
    u.grams = part === undefined ? 0 : g - part;
    const after = measured();
    u.grams = g;
    return before - after;
  }

  // ---------------------------------------------------------- actions
  function recordAdd(u, t, restAt, extra = {}) {
    actions.push({ t: r4(t), restAt: r3(restAt), op: 'add', gtin: u.gtin, grams: r1(u.grams),
      scanned: true, charged: true, alert: null, unit: u.id, ...extra });
  }

  function pickProduct(prev, allowByWeight = true) {
    if (prev && rng.chance(0.15) && (allowByWeight || !prev.byWeight)) return prev; // a second one of the same
    if (allowByWeight && rng.chance(0.11)) return rng.pick(BYWEIGHT);
    for (;;) {
      const p = rng.pick(PACKAGED);
      if (p.grams > 3500 && rng.chance(0.6)) continue;          // heavy goods are rarer
      return p;
    }
  }

  // honest scanned add; returns false if it cannot be labelled cleanly
  function doAdd(p, opt = {}) {
    const u = newUnit(p, opt.grams);
    maybeSlide(u);
    const w = addStep([u]);
    const res = classify(w, addClasses([p.gtin]));
    if (!isUnique(res, multisetKey([p.gtin]))) return false;
    let ts = scanTimeFrom(Math.max(clock, busy - 1) + rng.uniform(0.5, 3), p.gtin);
    const delay = rng.weighted([[0.72, () => rng.uniform(0.8, 4)], [0.2, () => rng.uniform(4, 10)], [0.08, () => rng.uniform(10, 17)]])();
    let p0 = Math.max(ts + delay, busy + quiet());
    if (p0 - ts > SCAN_OPEN_MAX) ts = scanTimeFrom(p0 - rng.uniform(1, 4), p.gtin);
    if (p0 - ts > SCAN_OPEN_MAX || p0 < ts + 0.5) p0 = ts + rng.uniform(0.8, 3);
    const scanEnd = scanProduct(p, ts, 'item');
    consumed(p.gtin, scanEnd);
    p0 = Math.max(p0, scanEnd + 0.3);
    const pl = place(u, p0);
    commit(u, true, w);
    recordAdd(u, p0, pl.restAt);
    busy = pl.restAt;
    clock = pl.contactEnd + rng.uniform(0.3, 1.5);
    return u;
  }

  // scan now, push off, drop the item in while the cart is moving
  function doAddMoving(p) {
    if (p.byWeight) return false;
    const u = newUnit(p);
    const w = addStep([u]);
    if (!isUnique(classify(w, addClasses([p.gtin])), multisetKey([p.gtin]))) return false;
    const ts = scanTimeFrom(clock + rng.uniform(0.5, 2.5), p.gtin);
    const ms = Math.max(ts + rng.uniform(1, 4), busy + quiet());
    const d = rng.uniform(6, 14);
    const p0 = ms + rng.uniform(1, Math.min(5, d - 4));
    if (p0 - ts > SCAN_OPEN_MAX) return false;
    consumed(p.gtin, scanProduct(p, ts, 'item'));
    const m = push(ms, d);
    const pl = place(u, p0);
    commit(u, true, w);
    const rest = Math.max(pl.restAt, motionRestAt(m, totalLoad()));
    motionLog.push([r3(m.t0), r3(rest)]);
    recordAdd(u, p0, rest, { moving: true });
    busy = rest;
    clock = m.t1 + rng.uniform(0.3, 1.5);
    return true;
  }

  // two scans, both items put in together
  function doPair(a, b) {
    if (a.byWeight || b.byWeight) return false;
    const ua = newUnit(a), ub = newUnit(b);
    const w = addStep([ua, ub]);
    if (!isUnique(classify(w, addClasses([a.gtin, b.gtin])), multisetKey([a.gtin, b.gtin]))) return false;
    const ts1 = scanTimeFrom(Math.max(clock, busy - 1) + rng.uniform(0.5, 3), a.gtin);
    const e1 = scanProduct(a, ts1, 'item');
    const ts2 = scanTimeFrom(e1 + rng.uniform(1.2, 4), b.gtin);
    const e2 = scanProduct(b, ts2, 'item');
    consumed(a.gtin, e1); consumed(b.gtin, e2);
    let p0 = Math.max(e2 + rng.uniform(0.5, 3), busy + quiet());
    if (p0 - ts1 > SCAN_OPEN_MAX) throw new Error('pair timing');
    const pa = place(ua, p0);
    const p1 = p0 + rng.uniform(0.15, 0.9);
    const pb = place(ub, p1);
    commit(ua, true, ua.grams);
    commit(ub, true, ub.grams);
    const rest = Math.max(pa.restAt, pb.restAt);
    recordAdd(ua, p0, rest, { together: true });
    recordAdd(ub, p1, rest, { together: true });
    busy = rest;
    clock = Math.max(pa.contactEnd, pb.contactEnd) + rng.uniform(0.3, 1.5);
    return true;
  }

  // two scans, then the two items put in one after the other
  function doScanTwo(a, b) {
    if (a.byWeight || b.byWeight) return false;
    const ua = newUnit(a), ub = newUnit(b);
    const wa = addStep([ua]);
    if (!isUnique(classify(wa, addClasses([a.gtin, b.gtin])), multisetKey([a.gtin]))) return false;
    // b is checked with a in the basket
    const ts1 = scanTimeFrom(Math.max(clock, busy - 1) + rng.uniform(0.5, 3), a.gtin);
    const e1 = scanProduct(a, ts1, 'item');
    const ts2 = scanTimeFrom(e1 + rng.uniform(1.2, 3), b.gtin);
    const e2 = scanProduct(b, ts2, 'item');
    const p0 = Math.max(e2 + rng.uniform(0.5, 2), busy + quiet());
    if (p0 - ts1 > SCAN_OPEN_MAX) throw new Error('scan2 timing');
    consumed(a.gtin, e1);
    const pa = place(ua, p0);
    commit(ua, true, wa);
    recordAdd(ua, p0, pa.restAt);
    busy = pa.restAt;
    const wb = addStep([ub]);
    const p1 = Math.max(pa.contactEnd + rng.uniform(0.5, 2), busy + quiet());
    const okB = p1 - ts2 <= SCAN_OPEN_MAX && isUnique(classify(wb, addClasses([b.gtin])), multisetKey([b.gtin]));
    if (!okB) {
      // the shopper changes their mind about b: it stays an unconsumed scan
      scansLog.find((s) => s.t === r4(ts2) && s.gtin === b.gtin).role = 'abandoned';
      unconsumed.push({ gtin: b.gtin, t: e2 });
      clock = pa.contactEnd + rng.uniform(0.3, 1.5);
      return true;
    }
    consumed(b.gtin, e2);
    const pb = place(ub, p1);
    commit(ub, true, wb);
    recordAdd(ub, p1, pb.restAt);
    busy = pb.restAt;
    clock = pb.contactEnd + rng.uniform(0.3, 1.5);
    return true;
  }

  // an honest add of p, or of another product if p cannot be labelled cleanly
  function addAny(p, allowByWeight) {
    let r = doAdd(p);
    for (let k = 0; !r && k < 10; k++) r = doAdd(pickProduct(null, allowByWeight));
    return r;
  }

  function canRemove() { return !noMoreRemovals && !byWeightInBasket(); }

  // an honest removal of a charged item whose weight fits only its product
  function doRemove() {
    if (!canRemove()) return false;
    const cands = rng.shuffle(units.filter((u) => u.present && u.charged && !u.damaged && !u.p.byWeight));
    for (const u of cands) {
      const w = removeStep(u);
      if (!isUnique(classify(w, removalClasses()), multisetKey([u.gtin]))) continue;
      const withScan = rng.chance(0.5);
      let r0;
      if (withScan) {
        const ts = scanTimeFrom(clock + rng.uniform(0.5, 2.5), u.gtin);
        const e = scanProduct(u.p, ts, 'removal');
        unconsumed.push({ gtin: u.gtin, t: e });
        r0 = Math.max(e + rng.uniform(0.8, 3), busy + quiet());
      } else {
        r0 = Math.max(clock + rng.uniform(0.5, 3), busy + quiet());
      }
      const tk = takeOut(u, r0);
      u.present = false;
      actions.push({ t: r4(r0), restAt: r3(tk.restAt), op: 'remove', gtin: u.gtin, grams: r1(u.grams),
        scanned: withScan, charged: true, alert: null, unit: u.id });
      busy = tk.restAt;
      clock = tk.contactEnd + rng.uniform(0.3, 1.5);
      return true;
    }
    return false;
  }

  // fraud: an item put in without a scan
  function doUnscanned() {
    const p0 = Math.max(clock + rng.uniform(1, 4), busy + quiet());
    if (lingeringSince(p0) || p0 - lastSerialEnd < 2) return 'wait';
    const removed = new Set(actions.filter((a) => a.op === 'remove').map((a) => a.gtin));
    for (let k = 0; k < 30; k++) {
      const p = rng.pick(PACKAGED);
      if (removed.has(p.gtin) || p.grams < 20) continue;
      const u = newUnit(p);
      maybeSlide(u);
      const w = addStep([u]);
      if (!isNone(classify(w, addClasses([])))) continue;
      const pl = place(u, p0);
      commit(u, false, w);
      actions.push({ t: r4(p0), restAt: r3(pl.restAt), op: 'add', gtin: u.gtin, grams: r1(u.grams),
        scanned: false, charged: false, alert: 'unscanned-item', unit: u.id });
      alerts.push({ kind: 'unscanned-item', t: r3(pl.restAt) });
      frauds.push('unscanned-item');
      busy = pl.restAt;
      clock = pl.contactEnd + rng.uniform(0.3, 1.5);
      return true;
    }
    return false;
  }

  // fraud: scan something cheap, put something else in
  function doMismatch() {
    const tsMin = scanTimeFrom(clock + rng.uniform(0.5, 2.5), '');
    if (lingeringSince(tsMin)) return 'wait';
    for (let k = 0; k < 60; k++) {
      const a = rng.pick(PACKAGED), b = rng.pick(PACKAGED);
      if (a === b || b.priceCents <= a.priceCents) continue;
      const u = newUnit(b);
      maybeSlide(u);
      const w = addStep([u]);
      if (Math.abs(w - a.grams) < Math.max(0.12 * a.grams, 25)) continue;
      if (!isNone(classify(w, addClasses([a.gtin])))) continue;
      const ts = scanTimeFrom(tsMin, a.gtin);
      const e = scanProduct(a, ts, 'mismatch');
      unconsumed.push({ gtin: a.gtin, t: e });
      const p0 = Math.max(e + rng.uniform(0.8, 4), busy + quiet());
      const pl = place(u, p0);
      commit(u, false, w);
      actions.push({ t: r4(p0), restAt: r3(pl.restAt), op: 'add', gtin: u.gtin, grams: r1(u.grams),
        scanned: true, charged: false, alert: 'weight-mismatch', unit: u.id, scannedGtin: a.gtin });
      alerts.push({ kind: 'weight-mismatch', t: r3(pl.restAt) });
      frauds.push('weight-mismatch');
      busy = pl.restAt;
      clock = pl.contactEnd + rng.uniform(0.3, 1.5);
      return true;
    }
    return false;
  }

  // fraud/mistake: weight taken out that fits nothing in the basket
  function doUnknownRemoval(mode) {
    if (!canRemove()) return 'defer';
    const cls = removalClasses();
    const r0 = Math.max(clock + rng.uniform(0.5, 3), busy + quiet());
    if (mode === 'own') {
      if (!own || !own.present) return false;
      const w = removeStep(own);
      if (!isNone(classify(w, cls))) return 'defer';
      const tk = takeOut(own, r0);
      own.present = false;
      actions.push({ t: r4(r0), restAt: r3(tk.restAt), op: 'remove', gtin: null, grams: r1(own.grams),
        scanned: false, charged: false, alert: 'unknown-removal', own: own.name });
      alerts.push({ kind: 'unknown-removal', t: r3(tk.restAt) });
      frauds.push('unknown-removal');
      busy = tk.restAt;
      clock = tk.contactEnd + rng.uniform(0.3, 1.5);
      return true;
    }
    // partial: a piece out of a multipack, or some of an opened pack
    const cands = rng.shuffle(units.filter((u) => u.present && u.charged && !u.damaged && !u.p.byWeight && u.grams >= 60));
    cands.sort((a, b) => (b.p.pieces > 1) - (a.p.pieces > 1));
    for (const u of cands) {
      for (let k = 0; k < 6; k++) {
        let part;
        if (u.p.pieces > 1) {
          const n = rng.chance(0.75) ? 1 : 2;
          if (n >= u.p.pieces) continue;
          part = u.grams * 0.96 * n / u.p.pieces * rng.uniform(0.97, 1.03); // the sleeve stays
        } else {
          part = u.grams * rng.uniform(0.15, 0.5);
        }
        if (part < 20) continue;
        const w = removeStep(u, part);
        if (!isNone(classify(w, cls))) continue;
        const tk = takeOut(u, r0, part);
        u.grams -= part; u.damaged = true;
        actions.push({ t: r4(r0), restAt: r3(tk.restAt), op: 'remove', gtin: u.gtin, grams: r1(part),
          scanned: false, charged: u.charged, alert: 'unknown-removal', unit: u.id, partial: true });
        alerts.push({ kind: 'unknown-removal', t: r3(tk.restAt) });
        frauds.push('unknown-removal');
        busy = tk.restAt;
        clock = tk.contactEnd + rng.uniform(0.3, 1.5);
        return true;
      }
    }
    return 'defer';
  }

  // an item taken out whose weight fits two products in the basket
  function doAmbiguousRemoval(pair) {
    if (!canRemove()) return 'defer';
    const [ux, uy] = pair.units;
    if (!ux || !uy || !ux.present || !uy.present) return 'defer';
    const [u, other] = rng.chance(0.5) ? [ux, uy] : [uy, ux];
    const w = removeStep(u);
    const res = classify(w, removalClasses());
    if (!isAmbiguous(res, multisetKey([u.gtin])) || !res.fit.has(multisetKey([other.gtin]))) return 'defer';
    const r0 = Math.max(clock + rng.uniform(0.5, 3), busy + quiet());
    const tk = takeOut(u, r0);
    u.present = false;
    actions.push({ t: r4(r0), restAt: r3(tk.restAt), op: 'remove', gtin: u.gtin, grams: r1(u.grams),
      scanned: false, charged: true, alert: 'ambiguous-removal', unit: u.id,
      fits: [...res.fit] });
    alerts.push({ kind: 'ambiguous-removal', t: r3(tk.restAt) });
    ambiguity = { removed: u.gtin, other: other.gtin, fits: [...res.fit] };
    noMoreRemovals = true;
    busy = tk.restAt;
    clock = tk.contactEnd + rng.uniform(0.3, 1.5);
    return true;
  }
  let ambiguity = null;

  function doAbandon() {
    const p = rng.pick(PACKAGED);
    const ts = scanTimeFrom(clock + rng.uniform(0.5, 3), p.gtin);
    const e = scanProduct(p, ts, 'abandoned');
    unconsumed.push({ gtin: p.gtin, t: e });
    clock = e + rng.uniform(2, 5);     // puts it back on the shelf
    return true;
  }
  function doNonCatalog(tMin) {
    const code = nonCatalogCode(rng);
    const ts = scanTimeFrom(Math.max(tMin ?? 0, clock + rng.uniform(0.3, 2)), code.data);
    const e = emitScan(otherSymbol(rng, scfg, code), ts, code.data, 'noncatalog:' + code.kind);
    clock = Math.max(clock, e + rng.uniform(0.5, 2));
    return true;
  }
  function doHelp() {
    const t = clock + rng.uniform(0.2, 2);
    const d = rng.uniform(0.15, 1.5);
    buttons.push({ t: r4(t), name: 'help', pressed: true });
    buttons.push({ t: r4(t + d), name: 'help', pressed: false });
    clock = Math.max(clock, t + d + rng.uniform(0.5, 3));
    return true;
  }
  function doRearrange() {
    const present = units.filter((u) => u.present);
    if (!present.length) return false;
    const r0 = Math.max(clock + rng.uniform(0.5, 2), busy + quiet());
    for (let k = 0; k < 8; k++) {
      const u = rng.pick(present);
      const pos = randPos();
      if (!moveOk(u, pos.x, pos.y)) continue;
      const d = rng.uniform(0.6, 2.0);
      forces.push({ kind: 'pulse', t0: r0, t1: r0 + d, amp: rng.uniform(30, 400), w: cellShares(u.x, u.y) });
      moveTerms(u, pos.x, pos.y, r0 + 0.2 * d, r0 + 0.8 * d);
      const rest = r0 + d + 0.3;
      rearranged.push([r3(r0), r3(rest)]);
      busy = rest;
      clock = r0 + d + rng.uniform(0.3, 1.5);
      return true;
    }
    return false;
  }

  // --------------------------------------------------------- the plan
  // a trip of 3-6 minutes; about 11-12 s per item (scan, put in, walk on)
  const target = rng.uniform(182, 355);
  const nItems = rng.int(6, Math.max(6, Math.min(30, Math.floor((target - 25) / 11))));
  const tasks = [];
  let prev = null;
  let twinPair = null;
  if (rng.chance(0.14)) {
    const grp = rng.pick(TWIN_GROUPS);
    twinPair = { products: rng.shuffle(grp.slice()).slice(0, 2), units: [] };
  }
  let nAdds = nItems - (twinPair ? 2 : 0);
  while (nAdds > 0) {
    const r = rng.next();
    if (nAdds >= 2 && r < 0.08) { tasks.push({ type: 'pair', ps: [pickProduct(prev, false), pickProduct(null, false)] }); nAdds -= 2; }
    else if (nAdds >= 2 && r < 0.13) { tasks.push({ type: 'scan2', ps: [pickProduct(prev, false), pickProduct(null, false)] }); nAdds -= 2; }
    else { prev = pickProduct(prev); tasks.push({ type: 'add', p: prev }); nAdds -= 1; }
  }
  const removalTypes = [];
  if (rng.chance(0.45)) for (let i = rng.int(1, 2); i > 0; i--) removalTypes.push({ type: 'remove' });
  if (!honest) {
    const nf = rng.weighted([[0.5, 1], [0.3, 2], [0.2, 3]]);
    for (let i = 0; i < nf; i++) {
      const kind = rng.pick(['unscanned', 'mismatch', 'unknownRemoval']);
      if (kind === 'unknownRemoval') {
        const mode = !own && rng.chance(0.35) ? 'own' : 'partial';
        if (mode === 'own') {
          const [name, lo, hi] = rng.pick(OWN_ITEMS);
          const pos = randPos();
          own = { name, grams: rng.uniform(lo, hi), x: pos.x, y: pos.y, present: true, p: { byWeight: false } };
        }
        removalTypes.push({ type: 'unknownRemoval', mode, fraud: true });
      } else tasks.splice(rng.int(1, tasks.length), 0, { type: kind, fraud: true });
    }
  }
  // removal-type tasks go after the first few adds
  for (const rt of removalTypes) {
    const lo = rt.mode === 'own' ? 0 : Math.min(tasks.length, 2);
    const hi = rt.mode === 'own' ? Math.min(tasks.length, 3) : tasks.length;
    tasks.splice(rng.int(lo, hi), 0, rt);
  }
  if (twinPair) {
    // both twins in, later one of them out (the last removal of the trip)
    const i1 = rng.int(0, Math.floor(tasks.length / 2));
    tasks.splice(i1, 0, { type: 'twin', k: 0 });
    const i2 = rng.int(i1 + 1, tasks.length);
    tasks.splice(i2, 0, { type: 'twin', k: 1 });
    tasks.splice(rng.int(i2 + 1, tasks.length), 0, { type: 'ambRemove' });
  }
  // by-weight goods after the last removal-type task (see README)
  const isRem = (t) => ['remove', 'unknownRemoval', 'ambRemove'].includes(t.type);
  const lastRem = tasks.map(isRem).lastIndexOf(true);
  if (lastRem >= 0) {
    const bw = [];
    for (let i = lastRem - 1; i >= 0; i--) if (tasks[i].type === 'add' && tasks[i].p.byWeight) bw.unshift(...tasks.splice(i, 1));
    const lr = tasks.map(isRem).lastIndexOf(true);
    tasks.splice(lr + 1, 0, ...bw);
  }
  if (rng.chance(0.25)) tasks.splice(rng.int(0, tasks.length), 0, { type: 'abandon' });
  if (rng.chance(0.2)) tasks.splice(rng.int(1, tasks.length), 0, { type: 'rearrange' });
  const extras = [];
  if (rng.chance(0.3)) extras.push({ type: 'noncat', start: rng.chance(0.5) });
  if (rng.chance(0.15)) extras.push({ type: 'noncat' });
  for (let i = rng.chance(0.3) ? rng.int(1, 2) : 0; i > 0; i--) extras.push({ type: 'help' });
  for (const e of extras) {
    if (e.start) tasks.unshift(e);
    else tasks.splice(rng.int(0, tasks.length), 0, e);
  }

  // --------------------------------------------------------- execution
  const isWeightTask = (t) => !['noncat', 'help'].includes(t.type);
  clock = rng.uniform(2.5, 4.5);      // cart at rest at the start: the firmware can zero
  busy = 0;
  let queue = tasks.map((t) => ({ ...t, defers: 0 }));
  let first = true;
  let pushedAlready = false;
  let idleRounds = 0;

  while (queue.length) {
    // walk to the next shelf
    if (!pushedAlready && (!first || rng.chance(0.4))) {
      const start = Math.max(clock + rng.uniform(0.3, 2), busy + rng.uniform(1.5, 3));
      const dur = rng.chance(0.15) ? rng.uniform(12, 25) : rng.uniform(3, 12);
      endPush(push(start, dur));
    }
    first = false;
    pushedAlready = false;
    // browse at the shelf, so that the trip fills its planned length
    const left = queue.filter(isWeightTask).length;
    const stopsLeft = Math.max(1, left / 1.9);
    const slack = target - 10 - clock - left * 9 - stopsLeft * 12;
    if (slack > 0) clock += (slack / stopsLeft) * rng.uniform(0.3, 1.7);
    let n = rng.weighted([[0.45, 1], [0.35, 2], [0.2, 3]]);
    while (n > 0 && queue.length) {
      const task = queue.shift();
      let r;
      const lastAtStop = n === 1;
      switch (task.type) {
        case 'add':
          if (task.p.byWeight && queue.some(isRem)) { r = 'defer'; break; }
          if (lastAtStop && rng.chance(0.15) && doAddMoving(task.p)) { r = true; pushedAlready = true; break; }
          r = addAny(task.p, !queue.some(isRem));
          break;
        case 'twin': {
          const p = twinPair.products[task.k];
          const o = twinPair.units[1 - task.k];
          // the second twin weighs what the first does (within 1 g), so no
          // firmware can tell them apart by weight later
          const g = o ? o.grams + rng.uniform(-1, 1) : undefined;
          r = doAdd(p, { grams: g });
          if (r) twinPair.units[task.k] = r;
          break;
        }
        case 'pair': r = doPair(task.ps[0], task.ps[1]) || (addAny(task.ps[0], false) && addAny(task.ps[1], false)); break;
        case 'scan2': r = doScanTwo(task.ps[0], task.ps[1]) || (addAny(task.ps[0], false) && addAny(task.ps[1], false)); break;
        case 'remove': r = doRemove() || 'defer'; break;
        case 'unscanned': r = doUnscanned(); break;
        case 'mismatch': r = doMismatch(); break;
        case 'unknownRemoval': r = doUnknownRemoval(task.mode); break;
        case 'ambRemove': r = doAmbiguousRemoval(twinPair); break;
        case 'abandon': r = doAbandon(); break;
        case 'noncat': r = doNonCatalog(); break;
        case 'help': r = doHelp(); break;
        case 'rearrange': r = doRearrange(); break;
        default: throw new Error(task.type);
      }
      if (r === 'defer' || r === 'wait') {
        // try again after the next task or two
        task.defers++;
        task.wait = r === 'wait';
        if (task.defers <= 8) queue.splice(Math.min(queue.length, rng.int(1, 2)), 0, task);
        if (queue.length && queue.every((t) => t.defers > 0)) {
          // only blocked tasks left. Frauds waiting for old scans to expire:
          // let time pass. Removals that cannot be labelled: give them up.
          if (queue.some((t) => t.wait) && idleRounds++ < 4) {
            const clear = Math.max(...unconsumed.map((x) => x.t + LINGER_S), lastSerialEnd + 2);
            clock = Math.max(clock, clear + rng.uniform(0.5, 3));
          } else {
            queue = queue.filter((t) => !isRem(t) && !t.wait);
          }
          for (const t of queue) { t.defers = 0; t.wait = false; }
          break;
        }
      } else n--;
      if (pushedAlready) break;
    }
  }

  // come to rest, then walk on (to the checkout) until the trip is long enough
  let end = Math.max(busy + rng.uniform(3, 6), clock + 1.5, lastSerialEnd + 1.5);
  while (end < target - 8) {
    const start = Math.max(clock + rng.uniform(0.5, 4), busy + rng.uniform(1.5, 3));
    const dur = Math.min(rng.uniform(5, 20), target - start - 3);
    if (dur < 3) break;
    endPush(push(start, dur));
    if (rng.chance(0.2)) doHelp();
    end = Math.max(busy + rng.uniform(3, 6), clock + 1.5);
  }
  const durationS = Math.round(end * 1000) / 1000;

  // ------------------------------------------------------------- truth
  const basketMap = new Map();
  for (const u of units) {
    if (u.present && u.charged) basketMap.set(u.gtin, (basketMap.get(u.gtin) || 0) + 1);
  }
  const basket = [...basketMap.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([gtin, qty]) => ({ gtin, qty }));
  actions.sort((a, b) => a.t - b.t);
  alerts.sort((a, b) => a.t - b.t);
  scansLog.sort((a, b) => a.t - b.t);
  const truth = {
    basket, alerts, actions,
    honest: frauds.length === 0,
    trip: tripName,
    durationS,
    frauds,
    scanner: { aim: scfg.aim, suffix: scfg.suffix },
    scans: scansLog,
    motion: motionLog,
    rearranged,
    ownItem: own ? { name: own.name, grams: r1(own.grams) } : null,
  };
  if (ambiguity) {
    // the baskets a firmware would end with had it taken out another of the
    // fitting candidates instead (uncharged units 'u<id>' do not count)
    const toEntries = (m) => [...m.entries()].filter(([, q]) => q > 0)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([gtin, qty]) => ({ gtin, qty }));
    truth.basketAlternatives = [];
    for (const f of ambiguity.fits) {
      if (f === multisetKey([ambiguity.removed])) continue;
      const alt = new Map(basketMap);
      alt.set(ambiguity.removed, (alt.get(ambiguity.removed) || 0) + 1);
      for (const part of f.split(',')) {
        const [key, n] = part.split('x');
        if (key.startsWith('u')) continue;
        alt.set(key, (alt.get(key) || 0) - Number(n));
      }
      truth.basketAlternatives.push(toEntries(alt));
    }
  }
  return {
    truth,
    plan: {
      durationS,
      staticTerms: own ? [{ cw: cellShares(own.x, own.y).map((s) => s * own.grams) }] : [],
      terms, forces, motions,
    },
    serial, buttons,
  };
}
