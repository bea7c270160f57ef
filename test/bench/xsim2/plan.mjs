// xsim2 planner: decides what the shopper and the cart do during one trip and
// derives the expected outcome (truth). The physics that turns this plan into
// ADC counts is in render.mjs. All numbers are explained in README.md.
import { Rng, fitsProduct, unitTol, fittingCombos, clamp, r3, r4, r1, gs1Check } from './lib.mjs';
import { buildCatalog } from './catalog.mjs';

export const CATALOG = buildCatalog();
const BY_GTIN = new Map(CATALOG.map((p) => [p.gtin, p]));
const FIXED = CATALOG.filter((p) => !p.byWeight);
const BW = CATALOG.filter((p) => p.byWeight);

const OPEN_S = 25;      // planner treats a scan as possibly open for 25 s (page: at least 20 s)
const MAX_SCAN_TO_CHANGE = 18; // honest: change begins at most 18 s after its scan
const MOTION_SETTLE = 0.9;      // s after the cart stops until the basket is at rest

// twin pairs: different products whose units can weigh the same (ambiguity)
const TWIN_NAMES = [
  ['Penne 500 g', 'Fusilli 500 g'],
  ['Unsalted butter 250 g', 'Salted butter 250 g'],
  ['Whole milk 1 l', 'Semi-skimmed milk 1 l'],
  ['Orange juice 1 l', 'Apple juice 1 l'],
  ['Chopped tomatoes 400 g', 'Kidney beans 400 g'],
];
const byName = (n) => CATALOG.find((p) => p.name === n);

export class Planner {
  constructor(seed, idx, honest) {
    this.rng = new Rng('xsim2-plan', seed, idx);
    this.seed = seed; this.idx = idx; this.honest = honest;
    const R = this.rng;
    this.dur = r3(R.range(180, 360));
    this.rateHz = R.chance(0.8) ? 80 : 10;
    this.geometry = R.pick([{ widthMm: 500, depthMm: 350 }, { widthMm: 520, depthMm: 380 }, { widthMm: 460, depthMm: 330 }]);
    this.scanner = { aim: R.chance(0.5), suffix: R.pick(['CR', 'LF', 'CRLF']) };
    this.objs = []; this.transients = []; this.motions = []; this.bumps = []; this.scans = [];
    this.buttons = []; this.actions = []; this.rearranged = [];
    this.nextUnit = 0;
    this.reserved = new Set(); // gtins not to be touched by random episodes
    this.lateScanUsed = false;
    this.ambiguous = []; // {removed, other}
    this.quietAfter = 0; // no new weight change may begin before this
    this.T = R.range(1.5, 4);
    this.cartNo = R.int(1, 12);
  }

  // ---------------------------------------------------------------- helpers
  inBasket() { return this.objs.filter((o) => o.tOut === null && o.charged); }
  physical() { return this.objs.filter((o) => o.tOut === null); }
  openScans(t) { // catalog scans not used up by an add that may still be open at t
    return this.scans.filter((s) => s.p && s.consumed !== 'add' && s.t <= t && s.t >= t - OPEN_S);
  }
  latestCatalogScanT() { let m = -1e9; for (const s of this.scans) if (s.p && s.t > m) m = s.t; return m; }
  // frauds start only when no catalog scan of any kind happened in the last 26 s
  fraudStart() {
    let t = this.startT(2);
    const ls = this.latestCatalogScanT();
    if (ls > t - OPEN_S - 1) t = ls + OPEN_S + 1;
    this.T = t;
    return t;
  }
  anyUnconsumedScan(t) { return this.scans.some((s) => s.consumed !== 'add' && s.p && s.t >= t - OPEN_S && s.t <= t); }
  unitWeight(p) {
    if (p.byWeight) return r1(p.grams * this.rng.range(0.45, 1.7));
    return r1(this.rng.normClip(p.grams, p.gramsSd, 2.5));
  }
  pickFixed(filter = () => true) {
    const c = FIXED.filter((p) => !this.reserved.has(p.gtin) && filter(p));
    return this.rng.pick(c);
  }
  placeUV() { return [this.rng.range(0.1, 0.9), this.rng.range(0.1, 0.9)]; }

  addMotionAdjust(t0, rest) {
    for (const m of this.motions) if (m.t0 <= rest && m.t1 >= t0 - 0.2) rest = Math.max(rest, m.t1 + MOTION_SETTLE);
    return rest;
  }

  scan(t, p, role, extra = {}) {
    const R = this.rng;
    const s = { t: r4(t), p, gtin: p ? p.gtin : null, role, consumed: false, ...extra };
    if (R.chance(0.12)) s.dup = { dt: R.chance(0.4) ? 0 : r4(R.range(0.15, 0.9)) }; // scanner repeats itself
    this.scans.push(s);
    return s;
  }
  nonCatalogCode(kind) {
    const R = this.rng;
    const dig = (n) => { let s = ''; for (let i = 0; i < n; i++) s += String(R.int(0, 9)); return s; };
    if (kind === 'loyalty') {
      if (R.chance(0.5)) return { sym: 'code128', data: 'LOY' + dig(10) };
      const b = '29' + dig(10); return { sym: 'ean13', data: b + gs1Check(b) };
    }
    if (kind === 'coupon') { const b = '99' + dig(10); return { sym: 'ean13', data: b + gs1Check(b) }; }
    // unknown product: valid EAN-13 that is not in the catalog
    for (;;) {
      const b = R.pick(['400', '500', '800', '871']) + dig(9); const c = b + gs1Check(b);
      if (!BY_GTIN.has(c.padStart(14, '0'))) return { sym: 'ean13', data: c };
    }
  }

  newObj(p, w, tIn, mode, extra = {}) {
    const R = this.rng;
    const [u, v] = extra.uv || this.placeUV();
    const o = { id: this.nextUnit++, p, gtin: p ? p.gtin : extra.gtin, w, u, v, u0: u, v0: v, tIn: r4(tIn), tOut: null,
      moves: [], partial: [], charged: false, unit: null };
    if (mode === 'drop') {
      const h = R.range(0.05, 0.35); // drop height m
      o.add = { kind: 'drop', A: clamp(0.6 + 6 * h + R.normal() * 0.3, 0.4, 3.5), f: R.range(6.5, 11), z: R.range(0.12, 0.28) };
      const tau = clamp(Math.log(Math.max(o.add.A * w, 1.5) / 1.0) / (o.add.z * 2 * Math.PI * o.add.f), 0.25, 3);
      o.rest = o.tIn + tau + 0.25;
    } else {
      o.add = { kind: 'gentle', d: R.range(0.3, 0.9), press: R.range(0, 0.15) };
      o.rest = o.tIn + o.add.d + 0.45;
    }
    o.rest = r3(this.addMotionAdjust(o.tIn, o.rest));
    this.objs.push(o);
    return o;
  }
  removeObj(o, t) {
    const R = this.rng;
    o.tOut = r4(t);
    o.out = { d: R.range(0.3, 0.9), press: R.range(0, 0.1) };
    o.outRest = r3(this.addMotionAdjust(o.tOut, o.tOut + o.out.d + 0.4));
    return o.outRest;
  }
  act(o, op, t, restAt, fields) {
    const a = { t: r4(t), restAt: r3(restAt), op, gtin: o.gtin, grams: r1(fields.grams ?? o.w),
      scanned: fields.scanned, charged: fields.charged, alert: fields.alert ?? null, unit: o.id };
    for (const k of Object.keys(fields)) if (!(k in a)) a[k] = fields[k];
    if (a.grams === undefined) a.grams = r1(o.w);
    this.actions.push(a);
    return a;
  }
  // honest scanned add of o whose scan is s
  chargeAdd(o, s, extra = {}) {
    o.charged = true; s.consumed = 'add';
    this.act(o, 'add', o.tIn, o.rest, { scanned: true, charged: true, ...extra });
  }
  // would another open scan (different gtin) also explain weight w at t?
  conflicts(t, w, gtin) {
    return this.openScans(t).some((s) => s.gtin !== gtin && fitsProduct(s.p, w));
  }
  // combos of physical contents fitting w (see README, fit rules)
  groups(excludeIds = new Set()) {
    const g = new Map(); const out = [];
    for (const o of this.physical()) {
      if (excludeIds.has(o.id)) continue;
      if (o.charged && !o.p.byWeight && !o.opened) {
        const k = o.gtin;
        if (!g.has(k)) { g.set(k, { key: k, nominal: o.p.grams, sd: o.p.gramsSd, count: 0 }); out.push(g.get(k)); }
        g.get(k).count++;
      } else out.push({ key: 'obj' + o.id, nominal: o.curW ?? o.w, sd: 3, count: 1 });
    }
    return out;
  }
  keyOf(o) { return o.charged && !o.p.byWeight && !o.opened ? o.gtin : 'obj' + o.id; }

  // rolling / sliding of a loose item (sum unchanged, corners change)
  roll(t0, dur, why) {
    const R = this.rng;
    const cand = this.physical().filter((o) => o.tIn + 0.5 < t0 && !o.noRoll && (o.p?._roll || R.chance(0.2)));
    if (!cand.length) return;
    const o = R.pick(cand);
    const [u1, v1] = [clamp(o.u + R.range(-0.3, 0.3), 0.06, 0.94), clamp(o.v + R.range(-0.35, 0.35), 0.06, 0.94)];
    o.moves.push({ t0: r4(t0), t1: r4(t0 + dur), u1, v1 });
    o.u = u1; o.v = v1; // position after the move (planner keeps the latest)
    this.rearranged.push([r3(t0), r3(t0 + dur), why, o.gtin]);
  }

  // ---------------------------------------------------------------- motion
  walk(len, dropItem = null) {
    const R = this.rng;
    const t0 = Math.max(this.T, this.quietAfter + 0.3), t1 = t0 + len;
    const m = { t0: r4(t0), t1: r4(t1), speed: R.range(0.6, 1.4), tile: R.range(0.3, 0.6),
      accel: R.range(0.4, 1.1), decel: R.range(0.5, 1.3), turns: [], bumps: [] };
    let tt = t0 + 1.5;
    while (tt < t1 - 3) {
      if (R.chance(0.5)) { const d = R.range(1.2, 3); m.turns.push({ t0: tt, t1: Math.min(tt + d, t1 - 1), ay: R.sign() * R.range(0.3, 1.0) }); tt += d; }
      tt += R.range(2, 6);
    }
    const nb = R.weighted([[0, 0.5], [1, 0.35], [2, 0.15]]);
    for (let i = 0; i < nb; i++) m.bumps.push({ t: t0 + R.range(0.8, Math.max(1, len - 0.8)), a: R.range(0.25, 0.8) });
    this.motions.push(m);
    // items may slide when the cart brakes
    if (R.chance(0.3)) this.roll(t1 - R.range(0.3, 0.9), R.range(0.4, 1.0), 'braking');
    this.quietAfter = Math.max(this.quietAfter, t1 + MOTION_SETTLE);
    this.T = t1 + R.range(0.8, 2.5);
    return m;
  }

  // ---------------------------------------------------------------- transients
  handRest(t, dur) {
    const R = this.rng;
    this.transients.push({ kind: 'hand', t0: r4(t), t1: r4(t + dur), u: R.range(0.1, 0.9), v: R.range(0.93, 1.0),
      amp: R.range(250, 1500), trem: R.range(6, 10), ph: R.range(0, 6.28) });
  }
  bagRest(t, dur) {
    const R = this.rng;
    this.transients.push({ kind: 'bag', t0: r4(t), t1: r4(t + dur), u: R.pick([R.range(0.0, 0.08), R.range(0.92, 1.0)]), v: R.range(0.5, 1.0),
      amp: R.range(900, 4000), trem: R.range(0.9, 1.6), ph: R.range(0, 6.28) });
  }
  cartBump(t) {
    const R = this.rng;
    this.bumps.push({ t: r4(t), heave: R.range(0.15, 0.5) * R.sign(), pitch: R.range(0.1, 0.4) * R.sign(), roll: R.range(0.1, 0.4) * R.sign(), shove: R.range(0.5, 2.0) * R.sign() });
    if (R.chance(0.5)) this.roll(t + 0.05, R.range(0.3, 0.9), 'bumped');
  }
  // occupy a waiting period [a,b] with possible hand/bag resting (not overlapping changes)
  decorate(a, b) {
    const R = this.rng;
    if (b - a < 1.8) return;
    if (R.chance(0.25)) { const d = Math.min(R.range(0.5, 2.5), b - a - 1.2); const s = a + 0.4 + R.range(0, b - a - d - 1.0); this.handRest(s, d); }
    else if (R.chance(0.1)) { const d = Math.min(R.range(1.0, 3.0), b - a - 1.2); if (d > 0.8) { const s = a + 0.4 + R.range(0, b - a - d - 1.0); this.bagRest(s, d); } }
  }

  // ---------------------------------------------------------------- episodes (honest)
  startT(minGap = 1.2) { this.T = Math.max(this.T, this.quietAfter + minGap); return this.T; }

  epScanAdd(p = null, opts = {}) {
    const R = this.rng;
    const t = this.startT();
    const fixedP = !!p;
    for (let tries = 0; ; tries++) {
      if (!fixedP) p = opts.bw ? R.pick(BW) : this.pickFixed();
      const w = opts.w ?? this.unitWeight(p);
      if (!fixedP && tries < 10 && this.conflicts(t + 5, w, p.gtin)) continue;
      const s = this.scan(t, p, 'item', p.byWeight ? { bagGrams: w } : {});
      const wait = R.chance(0.15) ? R.range(7, MAX_SCAN_TO_CHANGE) : R.range(0.8, 6);
      this.decorate(t, t + wait);
      const mode = p._fragile || R.chance(0.55) ? 'gentle' : 'drop';
      const o = this.newObj(p, w, t + wait, mode, opts.uv ? { uv: opts.uv } : {});
      this.chargeAdd(o, s);
      this.quietAfter = o.rest; this.T = o.rest + R.range(0.5, 3);
      return o;
    }
  }
  epMulti() { // several units of one product
    const R = this.rng;
    const p = this.pickFixed((q) => q.grams < 2500);
    const k = R.int(2, 3);
    if (R.chance(0.5)) { for (let i = 0; i < k; i++) this.epScanAdd(p); return; } // scan, put, scan, put
    // scan every unit (deliberately, >1.2 s apart), then put them in together
    let t = this.startT();
    const ss = [];
    for (let i = 0; i < k; i++) { ss.push(this.scan(t, p, 'item')); t += R.range(1.3, 4); }
    const tin = t + R.range(0.3, 3);
    const objs = [];
    for (let i = 0; i < k; i++) objs.push(this.newObj(p, this.unitWeight(p), tin, 'gentle'));
    const d = objs[0].add.d;
    for (const o of objs) { o.add.d = d; o.rest = objs[0].rest; }
    objs.forEach((o, i) => this.chargeAdd(o, ss[i], { together: true }));
    this.quietAfter = objs[0].rest; this.T = this.quietAfter + R.range(0.5, 3);
  }
  epTwoThenAdd() {
    const R = this.rng;
    const a = this.pickFixed(); let b = this.pickFixed((q) => q.gtin !== a.gtin && Math.abs(q.grams - a.grams) > unitTol(a) + unitTol(q) + 30);
    let t = this.startT();
    const sa = this.scan(t, a, 'item'); t += R.range(1.2, 4);
    const sb = this.scan(t, b, 'item');
    const oa = this.newObj(a, this.unitWeight(a), t + R.range(0.8, 3), 'gentle');
    const ob = this.newObj(b, this.unitWeight(b), oa.rest + R.range(0.8, 3), R.chance(0.5) ? 'gentle' : 'drop');
    this.chargeAdd(oa, sa); this.chargeAdd(ob, sb);
    this.quietAfter = ob.rest; this.T = ob.rest + R.range(0.5, 3);
  }
  epLateScan() { // put in first, scan right after (see README: judged honest)
    const R = this.rng;
    const t = this.startT();
    if (this.anyUnconsumedScan(t + 3)) return this.epScanAdd();
    const p = this.pickFixed((q) => q.grams >= 80);
    const o = this.newObj(p, this.unitWeight(p), t, 'gentle');
    const s = this.scan(o.rest + R.range(0.5, 2.5), p, 'late');
    o.charged = true; s.consumed = 'add';
    this.act(o, 'add', o.tIn, o.rest, { scanned: true, charged: true, lateScan: true });
    this.lateScanUsed = true;
    this.quietAfter = s.t + 0.5; this.T = s.t + R.range(1, 3);
  }
  epMoveDrop(fraud = false) { // item dropped in while the cart is moving
    const R = this.rng;
    const t = fraud ? this.fraudStart() : this.startT();
    let p, s = null;
    if (fraud) {
      p = this.pickFixed((q) => q.grams >= 80 && !this.openScans(t + 6).some((x) => fitsProduct(x.p, q.grams)));
    } else {
      p = this.pickFixed((q) => !q._fragile);
      s = this.scan(t, p, 'item');
    }
    this.T = t + R.range(0.6, 2);
    const len = R.range(5, 16);
    const w = this.unitWeight(p);
    const tDrop = this.T + R.range(0.8, Math.min(4, len - 3));
    const m = this.walk(len);
    const o = this.newObj(p, w, tDrop, 'drop');
    if (p._roll || R.chance(0.4)) { // it slides while the cart moves
      const ts = tDrop + R.range(0.5, Math.max(0.6, m.t1 - tDrop - 1.5));
      const u1 = clamp(o.u + R.range(-0.3, 0.3), 0.06, 0.94), v1 = clamp(o.v + R.range(-0.4, 0.4), 0.06, 0.94);
      o.moves.push({ t0: r4(ts), t1: r4(ts + R.range(0.3, 1.0)), u1, v1 });
      this.rearranged.push([r3(ts), r3(ts + 1), 'sliding', p.gtin]);
      o.u = u1; o.v = v1;
    }
    if (fraud) {
      this.act(o, 'add', o.tIn, o.rest, { scanned: false, charged: false, alert: 'unscanned-item', whileMoving: true });
    } else this.chargeAdd(o, s, { whileMoving: true });
    this.quietAfter = o.rest + (fraud ? 3.5 : 0); this.T = Math.max(this.T, this.quietAfter + R.range(0.5, 2));
    return true;
  }
  removalCandidate(filter = () => true) {
    return this.inBasket().filter((o) => !this.reserved.has(o.gtin) && !o.opened && filter(o));
  }
  uniqueFit(o) {
    const { combos, capped } = fittingCombos(this.groups(), o.curW ?? o.w, 1.6);
    const k = this.keyOf(o);
    return !capped && combos.length === 1 && combos[0].counts.size === 1 && combos[0].counts.get(k) === 1;
  }
  epRemove(scanned) {
    const R = this.rng;
    const c = this.removalCandidate();
    if (!c.length) return this.epScanAdd();
    const o = R.pick(c);
    let t = this.startT();
    if (!scanned && (!this.uniqueFit(o) || this.anyUnconsumedScan(t))) scanned = true;
    let s = null;
    if (scanned) { s = this.scan(t, o.p, 'removal', o.p.byWeight ? { bagGrams: o.w } : {}); s.consumed = 'removal'; t += R.range(1, 8); }
    const rest = this.removeObj(o, t);
    this.act(o, 'remove', t, rest, { scanned, charged: true });
    this.quietAfter = rest; this.T = rest + R.range(0.5, 3);
    // a scanned-for-removal product is not added again soon (no open-scan confusion)
    return o;
  }
  epPutBack() { // take an item out (e.g. to read the label) and put it back
    const R = this.rng;
    const t = this.startT();
    const c = this.removalCandidate((o) => !o.p.byWeight);
    if (!c.length || this.anyUnconsumedScan(t + 10)) return this.epScanAdd();
    const o = R.pick(c);
    const rest = this.removeObj(o, t);
    const o2 = this.newObj(o.p, o.w, rest + R.range(1.5, 7), 'gentle');
    o2.id = o.id; this.nextUnit--; o2.charged = true;
    this.act(o, 'remove', t, rest, { scanned: false, charged: true, putBack: true });
    this.act(o2, 'add', o2.tIn, o2.rest, { scanned: false, charged: true, putBack: true });
    this.quietAfter = o2.rest; this.T = o2.rest + R.range(0.5, 3);
  }
  epSwap() { // honest swap: take A out, scan B of similar weight, put B in
    const R = this.rng;
    const c = this.removalCandidate((o) => !o.p.byWeight && this.uniqueFit(o));
    const t = this.startT();
    if (!c.length || this.anyUnconsumedScan(t)) return this.epScanAdd();
    const o = R.pick(c);
    const similar = FIXED.filter((q) => q.gtin !== o.gtin && Math.abs(q.grams - o.p.grams) < 0.12 * o.p.grams + 15 && !this.reserved.has(q.gtin));
    if (!similar.length) return this.epScanAdd();
    const q = R.pick(similar);
    const rest = this.removeObj(o, t);
    this.act(o, 'remove', t, rest, { scanned: false, charged: true, swap: true });
    this.T = rest + R.range(1, 4);
    this.quietAfter = rest;
    this.epScanAdd(q);
  }
  epAbandon() { // scan, then change of mind: nothing goes in
    const R = this.rng;
    const t = this.startT();
    const p = this.pickFixed();
    this.scan(t, p, 'abandoned');
    this.T = t + R.range(2, 5);
    if (this.T < this.dur - 40) this.walk(R.range(6, 14));
  }
  epNonCatalog(kind) {
    const R = this.rng;
    const t = this.startT(0.5);
    this.scan(t, null, kind, { code: this.nonCatalogCode(kind) });
    this.T = t + R.range(1.5, 4);
  }

  // ---------------------------------------------------------------- frauds
  fraudUnscanned() {
    const R = this.rng;
    const v = R.weighted([['gentle', 0.35], ['drop', 0.25], ['moving', 0.2], ['uncatalogued', 0.2]]);
    let t = this.fraudStart();
    if (v === 'moving') { if (this.epMoveDrop(true)) return true; }
    let code = null;
    if (v === 'uncatalogued') { code = this.nonCatalogCode('unknown'); this.scan(t, null, 'not-in-catalog', { code }); t += R.range(1, 4); }
    const p = this.pickFixed((q) => q.grams >= 80 && q.grams <= 4000);
    const w = this.unitWeight(p);
    const o = this.newObj(p, w, t, v === 'drop' ? 'drop' : 'gentle');
    if (code) { o.gtin = code.data.padStart(14, '0'); }
    this.act(o, 'add', o.tIn, o.rest, { scanned: false, charged: false, alert: 'unscanned-item', ...(code ? { notInCatalog: true, catalogTwin: p.gtin } : {}) });
    this.quietAfter = o.rest + 3.5; this.T = this.quietAfter + R.range(0.5, 2);
    return true;
  }
  latestScanT() { return this.scans.length ? this.scans[this.scans.length - 1].t : 0; }
  fraudMismatch() {
    const R = this.rng;
    let t = this.fraudStart();
    for (let tries = 0; tries < 50; tries++) {
      const a = this.pickFixed((q) => q.priceCents <= 250 && q.grams < 2500);
      const tolA = unitTol(a);
      const b = this.pickFixed((q) => q.priceCents > a.priceCents &&
        Math.abs(q.grams - a.grams) >= Math.max(100, 0.3 * a.grams, 4 * tolA) && q.grams <= 4500);
      if (!b) continue;
      const s = this.scan(t, a, 'mismatch');
      const o = this.newObj(b, this.unitWeight(b), t + R.range(0.8, 6), R.chance(0.6) ? 'gentle' : 'drop');
      s.consumed = 'add';
      this.act(o, 'add', o.tIn, o.rest, { scanned: true, charged: false, alert: 'weight-mismatch', scannedGtin: a.gtin });
      this.quietAfter = o.rest + 3.5; this.T = this.quietAfter + R.range(0.5, 2);
      return true;
    }
    return false;
  }
  setupPack() { // an honest multipack that will later be opened
    const packs = FIXED.filter((q) => q._units > 1 && q.grams / q._units >= 40 && !this.reserved.has(q.gtin));
    const p = this.rng.pick(packs);
    const o = this.epScanAdd(p);
    o.packForOpening = true; this.reserved.add(p.gtin);
    return o;
  }
  fraudUnknownRemoval() {
    const R = this.rng;
    const packs = this.inBasket().filter((o) => o.packForOpening && !o.opened);
    if (!packs.length) return false;
    let t = this.fraudStart();
    const o = packs[0];
    const groups = this.groups();
    let dw = null;
    for (const k of R.shuffle([...Array(o.p._units - 1).keys()].map((i) => i + 1))) { // take out k of the units
      const w = r1(k * o.p.grams / o.p._units * R.range(0.96, 1.04));
      if (w < 40) continue;
      const { combos, capped } = fittingCombos(groups, w, 1.6, 25);
      if (!capped && !combos.length) { dw = w; break; }
    }
    if (dw === null) return false;
    const d = R.range(0.6, 1.5);
    o.partial.push({ t0: r4(t), d, dw });
    o.opened = true; o.curW = o.w - dw;
    const rest = r3(this.addMotionAdjust(t, t + d + 0.45));
    this.act(o, 'remove', t, rest, { grams: dw, scanned: false, charged: false, alert: 'unknown-removal', partial: true });
    this.quietAfter = rest + 3.5; this.T = this.quietAfter + R.range(0.5, 2);
    return true;
  }
  setupTwins() {
    const R = this.rng;
    const pairs = TWIN_NAMES.map(([a, b]) => [byName(a), byName(b)]).filter(([a, b]) => !this.reserved.has(a.gtin) && !this.reserved.has(b.gtin)
      && !this.inBasket().some((o) => o.gtin === a.gtin || o.gtin === b.gtin));
    if (!pairs.length) return null;
    const [a, b] = R.shuffle(R.pick(pairs).slice());
    this.reserved.add(a.gtin); this.reserved.add(b.gtin);
    const mid = (a.grams + b.grams) / 2;
    const wa = r1(mid + R.range(-1, 1)), wb = r1(wa + R.range(-1.2, 1.2));
    const uv = this.placeUV();
    const oa = this.epScanAdd(a, { w: wa, uv });
    const ob = this.epScanAdd(b, { w: wb, uv: [clamp(uv[0] + R.range(-0.005, 0.005), 0.08, 0.92), clamp(uv[1] + R.range(-0.005, 0.005), 0.08, 0.92)] });
    oa.noRoll = ob.noRoll = true;
    this.twins = [oa, ob];
    return this.twins;
  }
  fraudAmbiguous() {
    const R = this.rng;
    if (!this.twins || this.twins.some((o) => o.tOut !== null)) return false;
    let t = this.fraudStart();
    let [x, y] = R.shuffle(this.twins.slice());
    const clean = (o, other) => {
      const { combos, capped } = fittingCombos(this.groups(), o.w, 1.0);
      const keys = combos.map((c) => [...c.counts.entries()]);
      return !capped && combos.length === 2 && keys.every((k) => k.length === 1 && k[0][1] === 1 && (k[0][0] === o.gtin || k[0][0] === other.gtin));
    };
    if (!clean(x, y)) { [x, y] = [y, x]; if (!clean(x, y)) return false; }
    const rest = this.removeObj(x, t);
    this.act(x, 'remove', t, rest, { scanned: false, charged: true, alert: 'ambiguous-removal', fitsAlso: y.gtin });
    this.ambiguous.push({ removed: x.gtin, other: y.gtin });
    this.quietAfter = rest + 3.5; this.T = this.quietAfter + R.range(0.5, 2);
    return true;
  }

  // ---------------------------------------------------------------- trip
  plan() {
    const R = this.rng;
    const fraudKinds = [];
    if (!this.honest) {
      const k = R.weighted([[1, 0.45], [2, 0.35], [3, 0.2]]);
      for (let i = 0; i < k; i++) fraudKinds.push(R.weighted([['unscanned-item', 0.35], ['weight-mismatch', 0.25], ['unknown-removal', 0.2], ['ambiguous-removal', 0.2]]));
      // at most one ambiguous-removal per trip (keeps basketAlternatives small)
      let seenAmb = false;
      for (let i = 0; i < fraudKinds.length; i++) { if (fraudKinds[i] === 'ambiguous-removal') { if (seenAmb) fraudKinds[i] = 'unscanned-item'; seenAmb = true; } }
    }
    const k = fraudKinds.length;
    // removal frauds first (they need a small basket to be clear-cut), then the others
    fraudKinds.sort((a, b) => (a.endsWith('removal') ? 0 : 1) - (b.endsWith('removal') ? 0 : 1));
    const targets = fraudKinds.map((kind, j) => ({ kind, t: kind.endsWith('removal') ? R.range(35, 75) + 45 * j : this.dur * (0.2 + 0.65 * (j + R.range(0.1, 0.7)) / Math.max(k, 1)), done: false }));
    const needTwins = fraudKinds.includes('ambiguous-removal');
    const needPack = fraudKinds.includes('unknown-removal');

    if (R.chance(0.35)) this.epNonCatalog('loyalty');
    this.epScanAdd();
    if (needTwins) this.setupTwins();
    if (needPack) { if (R.chance(0.5)) this.walk(R.range(4, 10)); this.setupPack(); }

    while (this.T < this.dur - 45) {
      const tg = targets.find((x) => !x.done && this.T >= x.t);
      if (tg) {
        tg.done = true;
        let ok = false;
        if (tg.kind === 'unscanned-item') ok = this.fraudUnscanned();
        else if (tg.kind === 'weight-mismatch') ok = this.fraudMismatch();
        else if (tg.kind === 'unknown-removal') ok = this.fraudUnknownRemoval();
        else if (tg.kind === 'ambiguous-removal') ok = this.fraudAmbiguous();
        if (!ok && (tg.tries = (tg.tries || 0) + 1) < 4 && this.T < this.dur - 70) { tg.done = false; tg.t = this.T + 12; continue; }
        if (!ok) this.fraudUnscanned();
        continue;
      }
      if (R.chance(0.45)) { this.walk(R.range(3, 18)); continue; }
      if (R.chance(0.05)) { const tb = this.startT(0.5) + R.range(0, 1); this.cartBump(tb); this.quietAfter = tb + 2; this.T = tb + 2.5; continue; }
      if (R.chance(0.06)) { this.buttons.push({ t: r4(this.T + 0.3), name: 'help', hold: R.range(0.12, 0.6) }); }
      const ep = R.weighted([
        ['scanAdd', 42], ['multi', 8], ['two', 6], ['bw', 8], ['late', this.lateScanUsed ? 0 : 3], ['moveDrop', 8],
        ['remScan', 5], ['remUnscan', 5], ['putBack', 5], ['swap', 4], ['abandon', 3], ['coupon', 3]]);
      switch (ep) {
        case 'scanAdd': this.epScanAdd(); break;
        case 'multi': this.epMulti(); break;
        case 'two': this.epTwoThenAdd(); break;
        case 'bw': this.epScanAdd(null, { bw: true }); break;
        case 'late': this.epLateScan(); break;
        case 'moveDrop': this.epMoveDrop(false); break;
        case 'remScan': this.epRemove(true); break;
        case 'remUnscan': this.epRemove(false); break;
        case 'putBack': this.epPutBack(); break;
        case 'swap': this.epSwap(); break;
        case 'abandon': this.epAbandon(); break;
        case 'coupon': this.epNonCatalog('coupon'); break;
      }
    }
    // missed fraud targets (loop ended early): do them now if time allows
    for (const tg of targets) if (!tg.done) { tg.done = true; if (!(tg.kind === 'weight-mismatch' ? this.fraudMismatch() : false)) this.fraudUnscanned(); }
    // last walk to the checkout, then standing still
    if (this.T < this.dur - 20) this.walk(Math.min(R.range(5, 15), this.dur - this.T - 10));
    const lastEvent = Math.max(this.quietAfter, this.T, ...this.scans.map((s) => s.t + 2), ...this.transients.map((x) => x.t1), ...this.motions.map((m) => m.t1 + 2));
    this.dur = r3(clamp(Math.max(this.dur, lastEvent + 6), 180, 360));
    if (lastEvent + 4 > this.dur) throw new Error('plan overran trip length');
    this.actions.sort((a, b) => a.t - b.t || a.unit - b.unit);
    return this;
  }
  twinsHave(g) { return (this.twins || []).some((o) => o.gtin === g); }
  packHas(g) { return this.objs.some((o) => o.packForOpening && o.gtin === g); }

  // ---------------------------------------------------------------- truth
  truth(tripName) {
    const basket = new Map();
    for (const a of this.actions) {
      if (!a.charged) continue;
      basket.set(a.gtin, (basket.get(a.gtin) || 0) + (a.op === 'add' ? 1 : -1));
    }
    const toList = (m) => [...m.entries()].filter(([, q]) => q > 0).sort((x, y) => (x[0] < y[0] ? -1 : 1)).map(([gtin, qty]) => ({ gtin, qty }));
    const alerts = this.actions.filter((a) => a.alert).map((a) => ({ kind: a.alert, t: a.restAt })).sort((a, b) => a.t - b.t);
    const out = { basket: toList(basket), alerts, actions: this.actions };
    if (this.ambiguous.length) {
      let alts = [new Map(basket)];
      for (const { removed, other } of this.ambiguous) {
        const next = [];
        for (const b of alts) {
          next.push(b);
          const m = new Map(b); m.set(removed, (m.get(removed) || 0) + 1); m.set(other, (m.get(other) || 0) - 1);
          next.push(m);
        }
        alts = next;
      }
      out.basketAlternatives = alts.map(toList);
    }
    out.honest = this.honest;
    out.trip = tripName; out.generator = 'xsim2'; out.seed = this.seed;
    out.durationS = this.dur;
    out.rateHz = this.rateHz;
    out.scanner = this.scanner;
    out.scans = this.scans.map((s) => ({ t: s.t, gtin: s.gtin, role: s.role, ...(s.code ? { code: s.code.data } : {}), ...(s.dup ? { repeatAfter: s.dup.dt } : {}) }));
    out.motion = this.motions.map((m) => [r3(m.t0), r3(m.t1)]);
    out.rearranged = this.rearranged;
    out.transients = this.transients.map((x) => ({ kind: x.kind, t0: r3(x.t0), t1: r3(x.t1), grams: Math.round(x.amp) }));
    out.cartBumps = this.bumps.map((b) => r3(b.t));
    return out;
  }
}
