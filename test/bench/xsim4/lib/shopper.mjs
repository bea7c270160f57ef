// One shopping trip: what the shopper does, as physical events on the basket, scanner
// emissions and button presses, and the expected outcome (truth) that follows from them.
//
// The truth is decided by the rules of the format page plus the judgement calls listed in
// README.md ("What the truth decides"). The builder only creates situations whose outcome
// those rules decide without doubt: it delays or reshapes an episode rather than create a
// case where a reasonable cart could go either way (see the "readiness" helpers).

import { CATALOG } from './catalog.mjs';
import { AIM, elementString, withCheck } from './gs1.mjs';

const G = 9.80665;
const SCAN_OPEN = 20;        // format page: a scan stays open at least 20 s
const SCAN_MAX_DELAY = 16;   // we place within 16 s of the scan (margin under 20 s)
const STALE = 60;            // an unused scan might still be held open by a cart this long
const LATE_SCAN_MAX = 1.8;   // place-then-scan: scan at most this long after rest
const QUIET_AFTER_ALERT = 4.2;

const clamp = (x, lo, hi) => Math.max(lo, Math.min(hi, x));

// ---------------------------------------------------------------------------------------
// Fit rules used to keep the truth decidable (generous on purpose: a removal is called
// unique only if no other item or set of up to 3 items could be taken for it by any
// reasonable tolerance).

/** could a cart say that weight w is the set S? S: [{w, mu, sd, exact}] */
function looseFit(w, S, widen = 1) {
  let act = 0, mu = 0, v = 0, allExact = true;
  for (const e of S) {
    act += e.w;
    if (e.exact) mu += e.w; else { mu += e.mu; v += e.sd * e.sd; allExact = false; }
  }
  const tolAct = widen * (15 + 0.008 * act);
  if (Math.abs(w - act) <= tolAct) return true;
  if (allExact) return false;
  const tolCat = widen * (3.5 * Math.sqrt(v) + 15 + 0.008 * mu);
  return Math.abs(w - mu) <= tolCat;
}

/** all sets of 1..3 pool entries that fit w */
function fittingSets(w, pool, widen = 1) {
  const out = [];
  const n = pool.length;
  for (let i = 0; i < n; i++) {
    if (looseFit(w, [pool[i]], widen)) out.push([pool[i]]);
    for (let j = i + 1; j < n; j++) {
      if (looseFit(w, [pool[i], pool[j]], widen)) out.push([pool[i], pool[j]]);
      for (let k = j + 1; k < n; k++) if (looseFit(w, [pool[i], pool[j], pool[k]], widen)) out.push([pool[i], pool[j], pool[k]]);
    }
  }
  return out;
}

/** do two catalog products overlap in weight (a cart could mistake one for the other)? */
function lookAlike(a, b) {
  const ra = a.byWeight ? 3 * a.sd : 3.5 * a.sd + 15 + 0.01 * a.grams;
  const rb = b.byWeight ? 3 * b.sd : 3.5 * b.sd + 15 + 0.01 * b.grams;
  return Math.abs(a.grams - b.grams) <= ra + rb;
}

/** is weight w clearly NOT product p (nor 2 or 3 of it)? */
function clearlyNot(w, p) {
  for (const k of [1, 2, 3]) {
    const mu = k * p.grams;
    const band = p.byWeight ? 3.5 * p.sd * Math.sqrt(k) + 60 : 4 * p.sd * Math.sqrt(k) + 30 + 0.04 * mu;
    if (Math.abs(w - mu) <= band) return false;
  }
  return true;
}

// Pairs of catalog products that weigh the same to a cart (for ambiguous removals).
const TWIN_PAIRS = (() => {
  const ps = CATALOG.products.filter((p) => !p.byWeight && !p.heavy);
  const out = [];
  for (let i = 0; i < ps.length; i++) for (let j = i + 1; j < ps.length; j++) {
    const a = ps[i], b = ps[j];
    if (Math.abs(a.grams - b.grams) <= Math.min(a.sd, b.sd) + 1) out.push([a, b]);
  }
  return out;
})();

// ---------------------------------------------------------------------------------------

export class TripBuilder {
  constructor(rng, cart, opts) {
    this.rng = rng;
    this.cart = cart;
    this.opts = opts;
    this.t = 0;
    this.units = [];
    this.present = [];       // entries in the basket: {unit, charged, foreign, partial, reserved, key}
    this.activities = [];    // [t0, t1] spans when the basket is not at rest
    this.actions = [];
    this.scans = [];         // truth list
    this.emissions = [];     // scanner transmissions
    this.buttons = [];
    this.stale = [];         // unused scans a cart may still hold open: {gtin, t, until}
    this.lastScanT = -1e9;
    this.hands = [];
    this.transients = [];
    this.motions = [];
    this.tilts = [];
    this.freezer = [];
    this.incidents = [];
    this.disturbances = [];
    this.motionSpans = [];
    this.pending = [];       // deferred removals {due, entry, why}
    this.lastQuiet = 0;
    this.nextUnitId = 0;
    this.contentMass = 0;
  }

  // ---- small helpers -------------------------------------------------------------------
  gap() { return this.rng.uniform(0.6, 2.5); }
  activity(t0, t1) { this.activities.push([t0, t1]); this.lastQuiet = Math.max(this.lastQuiet, t1); }
  staleFreeAt() { return this.stale.reduce((m, s) => Math.max(m, s.until), 0); }
  addStale(gtin, t) {
    const s = this.stale.find((x) => x.gtin === gtin && x.until > t);
    if (s) s.until = Math.max(s.until, t + STALE); else this.stale.push({ gtin, t, until: t + STALE });
  }
  /** would a cart holding stale scans confuse product p with one of them at time t? */
  staleConflict(p, t) {
    return this.stale.some((s) => s.until > t && s.gtin !== p.gtin && lookAlike(CATALOG.byGtin.get(s.gtin), p));
  }
  /** move on (push the cart about, or just wait) until time tReq */
  waitUntil(tReq) {
    if (tReq <= this.t) return;
    const gap = tReq - this.t;
    if (gap > 7) {
      this.push(gap - this.rng.uniform(1.5, 3));
    }
    this.t = Math.max(this.t, tReq);
  }
  /** time from which an add that no scan explains can happen cleanly */
  unexplainedReadyAt() { return Math.max(this.lastQuiet + 2.2, this.staleFreeAt() + 0.5); }

  newUnit(product, mass, extra = {}) {
    const r = this.rng;
    if (mass === undefined) {
      if (product.byWeight) mass = clamp(r.truncNormal(product.grams, product.sd, 1.8), Math.max(80, product.grams * 0.35), product.grams * 2.2);
      else mass = r.truncNormal(product.grams, product.sd, 2.0);
    }
    mass = Math.round(mass * 10) / 10;
    const unit = { id: this.nextUnitId++, product, name: product ? product.name : extra.name, mass, curMass: mass, segs: [], pos: null, cond: null, ...extra };
    this.units.push(unit);
    return unit;
  }
  pickPos(unit) {
    const r = this.rng;
    if (unit.product && unit.product.heavy) return { u: r.uniform(0.2, 0.8), v: r.uniform(0.5, 0.85) };
    return { u: r.uniform(0.08, 0.92), v: r.uniform(0.08, 0.92) };
  }
  styleFor(p) {
    const r = this.rng;
    if (!p || p.fragile) return 'gentle';
    if (p.heavy) return r.chance(0.75) ? 'gentle' : 'drop';
    return r.chance(0.6) ? 'gentle' : 'drop';
  }
  entryOf(unit) { return this.present.find((e) => e.unit === unit); }
  condAt(unit, t) {
    if (!unit.cond || t <= unit.cond.t0) return 0;
    return unit.cond.grams * (1 - Math.exp(-(t - unit.cond.t0) / unit.cond.tau));
  }
  massAt(unit, t) { return unit.curMass + this.condAt(unit, t); }
  pool(t, except = null) {
    return this.present.filter((e) => e !== except).map((e) => {
      const w = this.massAt(e.unit, t);
      if (e.partial) {
        // the cart never learnt which unit lost the piece: it may believe the unit's old weight
        return { entry: e, key: e.key, w, mu: (w + e.unit.mass) / 2, sd: (e.unit.mass - w) / 3 + 1, exact: false };
      }
      return {
        entry: e,
        key: e.key,
        w,
        mu: e.unit.product ? e.unit.product.grams : 0,
        sd: e.unit.product ? e.unit.product.sd : 0,
        exact: e.foreign || !e.unit.product || e.unit.product.byWeight,
      };
    });
  }
  isUniqueRemoval(entry, t) {
    const w = this.massAt(entry.unit, t);
    const sets = fittingSets(w, this.pool(t));
    return sets.every((S) => S.length === 1 && S[0].key === entry.key);
  }
  isUnknownRemoval(grams, t) {
    return fittingSets(grams, this.pool(t), 2).length === 0;
  }

  // ---- scanner ---------------------------------------------------------------------------
  /** data a scanner sends for a product label (without AIM id and suffix) and its AIM id */
  labelFor(p, unit) {
    const r = this.rng;
    const sc = this.cart.scanner;
    switch (p.sym) {
      case 'upca': return sc.aim ? [AIM.ean13, '0' + p.code] : [AIM.ean13, sc.upcDigits === 12 ? p.code : '0' + p.code];
      case 'ean8': return [AIM.ean8, p.code];
      case 'itf14': return [AIM.itf14, p.code];
      case 'case': return r.chance(0.5) ? [AIM.itf14, p.code] : [AIM.gs1_128, elementString([['01', p.gtin], ['10', 'L' + r.int(1000, 9999)]])];
      case 'dm':
        if (r.chance(0.4)) return [AIM.ean13, p.code];
        return [AIM.gs1dm, elementString([['01', p.gtin], ['17', `2${r.int(6, 8)}${String(r.int(1, 12)).padStart(2, '0')}28`], ['10', 'B' + r.int(10000, 99999)], ['21', String(r.int(1e9, 9e9))]])];
      case 'var': {
        // in-store scale label: net weight (bag about 4 g off) in kg with 3 decimals, AI 3103
        const net = Math.max(1, Math.round(unit.mass - r.uniform(2, 6)));
        const w = String(net).padStart(6, '0');
        const price = String(Math.round((p.price * net) / 1000));
        const tmpl = p.index % 3;
        if (tmpl === 0) return [AIM.databar, elementString([['01', p.gtin], ['3103', w]])];
        if (tmpl === 1) return [AIM.databar, elementString([['01', p.gtin], ['3922', price], ['3103', w]])];
        return [AIM.databar, elementString([['01', p.gtin], ['3103', w], ['15', '2612' + String(r.int(1, 28)).padStart(2, '0')]])];
      }
      default: return [AIM.ean13, p.code];
    }
  }
  emit(t, aim, data) {
    const sc = this.cart.scanner;
    const bytes = (sc.aim ? aim : '') + data + sc.suffix;
    this.emissions.push({ t, bytes });
    return bytes;
  }
  /** one deliberate scan; the scanner may repeat it within 1 s (a duplicate read) */
  scanProduct(t, p, unit, role) {
    // a new scan of a product that a cart may still hold a stale scan for keeps one open longer
    if (this.stale.some((s) => s.gtin === p.gtin && s.until > t)) this.addStale(p.gtin, t);
    const [aim, data] = this.labelFor(p, unit);
    this.emit(t, aim, data);
    this.scans.push({ t: r4(t), gtin: p.gtin, code: data, role });
    this.lastScanT = Math.max(this.lastScanT, t);
    if (this.rng.chance(this.cart.scanner.dupProb)) {
      const t2 = t + this.rng.uniform(0.05, 0.8);
      this.emit(t2, aim, data);
      this.scans.push({ t: r4(t2), gtin: p.gtin, code: data, role: 'duplicate' });
    }
    return t;
  }
  scanOther(t, kind) {
    const r = this.rng;
    let aim, data;
    if (kind === 'loyalty') {
      if (r.chance(0.5)) { aim = AIM.ean13; data = withCheck('2' + r.int(1, 9) + digits(r, 10)); }
      else { aim = AIM.code128; data = '9440' + digits(r, 12); }
    } else if (kind === 'coupon') {
      const k = r.float();
      if (k < 0.5) { aim = AIM.ean13; data = withCheck('99' + digits(r, 10)); }
      else if (k < 0.8) { aim = AIM.databar; data = '8110' + '1' + digits(r, 7) + '1' + digits(r, 6) + '0' + digits(r, 4); }
      else { aim = AIM.qr; data = 'https://app.shop.example/c/' + digits(r, 8); }
    }
    this.emit(t, aim, data);
    this.scans.push({ t: r4(t), gtin: null, code: data, role: kind });
    if (this.rng.chance(this.cart.scanner.dupProb)) {
      const t2 = t + this.rng.uniform(0.05, 0.8);
      this.emit(t2, aim, data);
      this.scans.push({ t: r4(t2), gtin: null, code: data, role: 'duplicate' });
    }
  }
  scanForeignProduct(t, fp) {
    this.emit(t, AIM.ean13, fp.code);
    this.scans.push({ t: r4(t), gtin: null, code: fp.code, role: 'not-in-catalog' });
  }

  // ---- physical primitives ---------------------------------------------------------------
  impact(t0, m, h, pos, soft) {
    const r = this.rng;
    const v = Math.sqrt(2 * G * h);
    const e = soft ? r.uniform(0, 0.1) : r.uniform(0.1, 0.35);
    const I = (m / 1000) * v * (1 + e); // N s
    const dur = soft ? r.uniform(0.04, 0.12) : r.uniform(0.015, 0.05);
    const peak = (I * Math.PI / (2 * dur)) / G * 1000; // half-sine pulse of area I, in gf
    this.transients.push({ type: 'pulse', t0, t1: t0 + dur, dur, amp: peak, u: pos.u, v: pos.v });
    if (r.chance(soft ? 0.05 : 0.3)) {
      const tb = t0 + r.uniform(0.06, 0.2);
      const db = r.uniform(0.01, 0.03);
      this.transients.push({ type: 'pulse', t0: tb, t1: tb + db, dur: db, amp: peak * r.uniform(0.05, 0.2) * dur / db, u: pos.u, v: pos.v });
    }
    // the basket rings on the cells: f = f0 * sqrt(M0 / M), M0 ~ empty basket
    const Mtot = this.cart.tare.grams + this.contentMass + m;
    const f = this.cart.ringF0 * Math.sqrt(4500 / Mtot);
    const w = 2 * Math.PI * f;
    const sigma = this.cart.ringZeta * w;
    const A = r.uniform(0.03, 0.12) * (soft ? 0.4 : 1) * I * w / G * 1000;
    const life = Math.log(Math.max(A, 1.5) / 1.0) / sigma;
    this.transients.push({ type: 'ring', t0, t1: t0 + life + 0.05, amp: A, omega: w * Math.sqrt(1 - this.cart.ringZeta ** 2), sigma, u: pos.u, v: pos.v });
    return t0 + Math.max(dur, life) + r.uniform(0.05, 0.15);
  }

  /** put a unit in the basket; returns the time its own motion is over */
  place(unit, t0, style, pos = this.pickPos(unit)) {
    const r = this.rng;
    const m = unit.mass;
    unit.pos = pos;
    let quiet;
    if (style === 'gentle') {
      const d = r.uniform(0.25, 0.9) * (m > 4000 ? 1.7 : 1);
      unit.segs.push({ t0, t1: t0 + d, m0: 0, m1: m, u0: pos.u, v0: pos.v, u1: pos.u, v1: pos.v,
        tremor: r.uniform(0.02, 0.06) * m + r.uniform(2, 8), tf: r.uniform(7, 12), ph: r.uniform(0, 6.283),
        press: r.uniform(0, 0.1) * m + (m < 300 ? r.uniform(0, 120) : r.uniform(0, 60)) });
      quiet = t0 + d + r.uniform(0.12, 0.3);
    } else {
      const soft = unit.product ? unit.product.soft : true;
      const h = style === 'toss' ? r.uniform(0.15, 0.45) : (m > 4000 ? r.uniform(0.03, 0.1) : r.uniform(0.04, 0.3));
      unit.segs.push({ t0, t1: t0, m0: 0, m1: m, u0: pos.u, v0: pos.v, u1: pos.u, v1: pos.v });
      quiet = this.impact(t0, m, h, pos, soft);
      if (unit.product && unit.product.roll && r.chance(0.5)) {
        const ta = t0 + 0.05, tb = ta + r.uniform(0.3, 1.2);
        const to = { u: clamp(pos.u + r.uniform(-0.3, 0.3), 0.06, 0.94), v: clamp(pos.v + r.uniform(-0.3, 0.3), 0.06, 0.94) };
        unit.segs.push({ t0: ta, t1: tb, m0: m, m1: m, u0: pos.u, v0: pos.v, u1: to.u, v1: to.v });
        this.transients.push({ type: 'pulse', t0: tb, t1: tb + 0.03, dur: 0.03, amp: m * r.uniform(0.2, 0.8), u: to.u, v: to.v });
        unit.pos = to;
        quiet = Math.max(quiet, tb + 0.3);
      }
    }
    if (unit.product && unit.product.frozen) unit.cond = { t0: quiet, grams: r.uniform(0.5, 2.5), tau: r.uniform(120, 300) };
    this.contentMass += m;
    this.activity(t0, quiet);
    return quiet;
  }

  /** take a whole unit out; returns quiet time */
  takeOut(unit, t0) {
    const r = this.rng;
    const m = unit.curMass;
    const p = unit.pos;
    const grip = r.uniform(0.2, 0.45);
    const lift = r.uniform(0.2, 0.5) * (m > 4000 ? 1.8 : 1);
    unit.segs.push({ t0, t1: t0 + grip, m0: m, m1: m, u0: p.u, v0: p.v, u1: p.u, v1: p.v,
      press: r.uniform(0.03, 0.1) * m + r.uniform(30, 200), tremor: r.uniform(0.01, 0.03) * m + 3, tf: r.uniform(7, 12), ph: r.uniform(0, 6.283) });
    unit.segs.push({ t0: t0 + grip, t1: t0 + grip + lift, m0: m, m1: 0, u0: p.u, v0: p.v, u1: p.u, v1: p.v,
      tremor: r.uniform(0.02, 0.05) * m + 3, tf: r.uniform(7, 12), ph: r.uniform(0, 6.283) });
    const quiet = t0 + grip + lift + r.uniform(0.15, 0.3);
    this.contentMass -= m;
    this.activity(t0, quiet);
    return quiet;
  }

  /** take part of a unit out (one can from a pack, some fruit from a bag) */
  takePart(unit, grams, t0) {
    const r = this.rng;
    const m = unit.curMass;
    const p = unit.pos;
    const dur = r.uniform(0.8, 2.5);
    unit.segs.push({ t0, t1: t0 + dur, m0: m, m1: m - grams, u0: p.u, v0: p.v, u1: p.u, v1: p.v,
      press: r.uniform(0.03, 0.15) * m + r.uniform(50, 300), tremor: r.uniform(0.02, 0.05) * m + 10, tf: r.uniform(6, 11), ph: r.uniform(0, 6.283) });
    unit.curMass = m - grams;
    this.contentMass -= grams;
    const quiet = t0 + dur + r.uniform(0.2, 0.4);
    this.activity(t0, quiet);
    return quiet;
  }

  /** move a unit inside the basket (slide, or lift and set down elsewhere) */
  rearrange(unit, t0) {
    const r = this.rng;
    const m = unit.curMass;
    const a = unit.pos;
    const b = { u: clamp(a.u + r.uniform(-0.5, 0.5), 0.06, 0.94), v: clamp(a.v + r.uniform(-0.5, 0.5), 0.06, 0.94) };
    let end;
    if (r.chance(0.5)) {
      end = t0 + r.uniform(0.5, 1.5);
      unit.segs.push({ t0, t1: end, m0: m, m1: m, u0: a.u, v0: a.v, u1: b.u, v1: b.v,
        press: r.uniform(200, 1500), tremor: r.uniform(30, 150), tf: r.uniform(6, 11), ph: r.uniform(0, 6.283) });
    } else {
      const up = r.uniform(0.2, 0.35), hold = r.uniform(0.1, 0.4), down = r.uniform(0.2, 0.5); // held up < 0.5 s: never a rest
      unit.segs.push({ t0, t1: t0 + up, m0: m, m1: 0, u0: a.u, v0: a.v, u1: a.u, v1: a.v, tremor: 0.03 * m, tf: 9, ph: 0 });
      unit.segs.push({ t0: t0 + up + hold, t1: t0 + up + hold + down, m0: 0, m1: m, u0: b.u, v0: b.v, u1: b.u, v1: b.v,
        tremor: r.uniform(0.02, 0.05) * m + 3, tf: r.uniform(7, 12), ph: r.uniform(0, 6.283), press: r.uniform(0, 0.1) * m });
      end = t0 + up + hold + down;
    }
    unit.pos = b;
    const quiet = end + r.uniform(0.2, 0.35);
    this.activity(t0, quiet);
    return quiet;
  }

  hand(t0, dur, pos, F, kind, o = {}) {
    const r = this.rng;
    const sway = r.uniform(0.08, 0.25), trem = r.uniform(0.01, 0.04);
    this.hands.push({ t0, t1: t0 + dur, u: pos.u, v: pos.v, F, ramp: Math.min(dur / 3, r.uniform(0.2, 0.5)),
      sway: o.sway ?? sway, swayF: r.uniform(0.2, 0.6), swayPh: r.uniform(0, 6.283),
      trem: o.trem ?? trem, tremF: r.uniform(7, 12), tremPh: r.uniform(0, 6.283) });
    const quiet = t0 + dur + r.uniform(0.2, 0.35);
    this.activity(t0, quiet);
    this.disturbances.push({ kind, t0: r4(t0), t1: r4(t0 + dur), grams: Math.round(F) });
    return quiet;
  }

  /** push the cart for dur seconds; a unit may be tossed in on the way */
  push(dur, toss = null) {
    const r = this.rng;
    const t0 = Math.max(this.t, this.lastQuiet + 0.6);
    const t1 = t0 + dur;
    const ta = Math.min(dur / 3, r.uniform(0.5, 1.2));
    const td = Math.min(dur / 3, r.uniform(0.5, 1.3));
    const heavy = this.contentMass > 25000;
    const mo = {
      t0, t1, ta, td,
      A: r.uniform(0.05, 0.18), Dc: r.uniform(0.06, 0.25),
      aRms: this.cart.floorFactor * r.uniform(0.004, 0.014) * (heavy ? 0.75 : 1),
      tileF: r.uniform(1.8, 4), tileAmp: r.uniform(0.2, 0.8), tilePh: r.uniform(0, 6.283),
      casterF: r.uniform(9, 22), casterAmp: r.uniform(0.2, 0.7), casterPh: r.uniform(0, 6.283),
      turns: [], bumps: [],
      settle: r.uniform(0.35, 0.8),
    };
    const fStop = this.cart.ringF0 * Math.sqrt(4500 / (this.cart.tare.grams + this.contentMass)) * 0.6;
    mo.stopOmega = 2 * Math.PI * fStop;
    mo.stopSigma = Math.log(mo.Dc * 100 / 0.0005 + 1) / mo.settle / 1.2; // decays well within settle
    mo.stopAmp = mo.Dc * 0.3;
    const cruise0 = t0 + ta, cruise1 = t1 - td;
    if (cruise1 - cruise0 > 2.5) {
      const nTurns = r.poisson((cruise1 - cruise0) / 10);
      for (let i = 0; i < nTurns; i++) {
        const d = r.uniform(1.2, 3);
        const tc = r.uniform(cruise0, Math.max(cruise0, cruise1 - d));
        mo.turns.push({ t0: tc, dur: d, a: r.sign() * r.uniform(0.05, 0.25) });
      }
      const nBumps = r.poisson((cruise1 - cruise0) / 20);
      for (let i = 0; i < nBumps; i++) {
        const f = r.uniform(6, 18);
        const zeta = r.uniform(0.08, 0.25);
        const big = r.chance(0.05);
        mo.bumps.push({ t0: r.uniform(cruise0, Math.max(cruise0, cruise1 - 1)), amp: big ? r.uniform(0.8, 1.5) : r.uniform(0.05, 0.5), omega: 2 * Math.PI * f, sigma: zeta * 2 * Math.PI * f });
      }
    }
    // things that roll when the cart speeds up, brakes or turns
    for (const e of this.present) {
      const u = e.unit;
      if (!u.product || !u.product.roll || dur < 3 || !r.chance(0.3)) continue;
      const lastEnd = u.segs.length ? u.segs[u.segs.length - 1].t1 : 0;
      let te, du = 0, dv = 0;
      const which = r.float();
      if (which < 0.35) { te = t0 + ta * 0.5; dv = r.uniform(0.05, 0.35); }
      else if (which < 0.7 || mo.turns.length === 0) { te = t1 - td * 0.6; dv = -r.uniform(0.05, 0.35); }
      else { const tr = r.pick(mo.turns); te = tr.t0 + tr.dur * 0.4; du = Math.sign(tr.a) * r.uniform(0.05, 0.35); }
      if (te <= lastEnd + 0.05) continue;
      const tb = te + r.uniform(0.3, 1.0);
      if (tb > t1 + 0.25) continue;
      const a = u.pos;
      const b = { u: clamp(a.u + du, 0.06, 0.94), v: clamp(a.v + dv, 0.06, 0.94) };
      u.segs.push({ t0: te, t1: tb, m0: u.curMass, m1: u.curMass, u0: a.u, v0: a.v, u1: b.u, v1: b.v });
      this.transients.push({ type: 'pulse', t0: tb, t1: tb + 0.03, dur: 0.03, amp: u.curMass * r.uniform(0.1, 0.5), u: b.u, v: b.v });
      u.pos = b;
    }
    let tossQuiet = 0;
    if (toss) tossQuiet = this.place(toss.unit, toss.t, 'toss');
    this.motions.push(mo);
    // the floor where the cart stops: mostly flat, sometimes a slight slope (ramps, drains)
    const deg = Math.PI / 180;
    const slope = r.chance(0.4) ? r.uniform(0.2, 1.5) : r.uniform(0, 0.15);
    const dir = r.uniform(0, 2 * Math.PI);
    this.tilts.push({ t0: t1 - td, t1, pitch: slope * deg * Math.cos(dir), roll: slope * deg * Math.sin(dir) });
    const quiet = Math.max(t1 + mo.settle, tossQuiet);
    this.activity(t0, quiet);
    this.motionSpans.push([r4(t0), r4(quiet)]);
    this.t = quiet;
    return quiet;
  }

  // ---- truth records ---------------------------------------------------------------------
  addAction(rec) {
    const u = rec.unit;
    const a = {
      t: rec.t, quiet: rec.quiet, op: rec.op,
      gtin: u.product ? u.product.gtin : null,
      name: u.name,
      grams: Math.round(rec.grams * 10) / 10,
      scanned: rec.scanned, charged: rec.charged, alert: rec.alert || null,
      unit: u.id,
      ...rec.extra,
    };
    this.actions.push(a);
    return a;
  }
  enter(unit, charged, extra = {}) {
    const e = { unit, charged, foreign: !unit.product, partial: false, reserved: false, key: unit.product ? unit.product.gtin : `foreign:${unit.id}`, addedAt: this.t, ...extra };
    this.present.push(e);
    return e;
  }
  leave(entry) { this.present = this.present.filter((e) => e !== entry); }

  // ---- honest episodes -------------------------------------------------------------------
  /** an honest product choice that no stale scan could be confused with; else a substitute */
  honestProduct(p, t) {
    if (!this.staleConflict(p, t)) return p;
    const pool = CATALOG.products.filter((q) => !q.heavy && !this.staleConflict(q, t));
    return pool.length ? this.rng.pick(pool) : p;
  }

  scanThenPlace(p0, opts = {}) {
    const r = this.rng;
    const ts = this.t + r.uniform(0.4, 2.5);
    const p = this.honestProduct(p0, ts);
    // a mass chosen for p0 (a twin's) is not the substitute's
    const unit = this.newUnit(p, p === p0 ? opts.mass : undefined);
    this.scanProduct(ts, p, unit, 'item');
    const t0 = Math.max(ts + r.logUniform(0.3, 5), this.lastQuiet + 0.6);
    const quiet = this.place(unit, t0, this.styleFor(p));
    this.addAction({ t: t0, quiet, op: 'add', unit, grams: unit.mass, scanned: true, charged: true, extra: { how: 'scan-then-place', scanT: r4(ts) } });
    const e = this.enter(unit, true);
    this.t = quiet + this.gap();
    return e;
  }

  placeThenScan(p0) {
    const r = this.rng;
    const ready = this.unexplainedReadyAt();
    if (ready - this.t > 25) return this.scanThenPlace(p0);
    this.waitUntil(ready);
    const t0 = Math.max(this.t + r.uniform(0.3, 1.5), this.unexplainedReadyAt());
    const p = this.honestProduct(p0, t0);
    const unit = this.newUnit(p);
    const quiet = this.place(unit, t0, this.styleFor(p));
    const ts = quiet + r.uniform(0.2, LATE_SCAN_MAX);
    this.scanProduct(ts, p, unit, 'late');
    this.addAction({ t: t0, quiet, op: 'add', unit, grams: unit.mass, scanned: true, charged: true, extra: { how: 'place-then-scan', scanT: r4(ts) } });
    this.enter(unit, true);
    this.t = Math.max(ts + 0.5, quiet + QUIET_AFTER_ALERT);
    this.lastQuiet = Math.max(this.lastQuiet, quiet + QUIET_AFTER_ALERT - 0.6);
  }

  /** scan several items, then put them in one after the other (or two at once) */
  scanMany(ps0, together = false) {
    const r = this.rng;
    let ts = this.t + r.uniform(0.4, 2);
    const items = [];
    for (const p0 of ps0) {
      const p = this.honestProduct(p0, ts);
      const unit = this.newUnit(p);
      this.scanProduct(ts, p, unit, 'item');
      items.push({ p, unit, ts });
      ts += r.uniform(1.6, 3.2);
    }
    const lastScan = items[items.length - 1].ts;
    const order = r.chance(0.7) ? items : r.shuffle([...items]);
    let tp = Math.max(lastScan + r.uniform(0.5, 2.5), this.lastQuiet + 0.6);
    let quietMax = 0;
    if (together) {
      const style = items.some((it) => it.p.fragile || it.p.heavy) ? 'gentle' : (r.chance(0.6) ? 'gentle' : 'drop');
      for (const it of items) {
        const q = this.place(it.unit, tp, style);
        quietMax = Math.max(quietMax, q);
        this.addAction({ t: tp, quiet: q, op: 'add', unit: it.unit, grams: it.unit.mass, scanned: true, charged: true, extra: { how: 'together', scanT: r4(it.ts) } });
        this.enter(it.unit, true);
      }
    } else {
      for (const it of order) {
        if (tp - it.ts > SCAN_MAX_DELAY) tp = Math.max(it.ts + SCAN_MAX_DELAY - 1, tp - 5);
        const q = this.place(it.unit, tp, this.styleFor(it.p));
        quietMax = Math.max(quietMax, q);
        this.addAction({ t: tp, quiet: q, op: 'add', unit: it.unit, grams: it.unit.mass, scanned: true, charged: true, extra: { how: 'scan-several', scanT: r4(it.ts) } });
        this.enter(it.unit, true);
        tp += r.uniform(0.6, 3);
      }
    }
    this.t = quietMax + this.gap();
  }

  /** scan at the shelf, push off, and drop the item in while the cart moves */
  tossWhileMoving(p0) {
    const r = this.rng;
    const ts = this.t + r.uniform(0.3, 1.5);
    const p = this.honestProduct(p0, ts);
    const unit = this.newUnit(p);
    this.scanProduct(ts, p, unit, 'item');
    this.t = Math.max(ts + r.uniform(0.4, 1.5), this.lastQuiet + 0.6);
    const dur = r.uniform(6, 20);
    const tossT = Math.min(this.t + r.uniform(1.5, dur - 1.5), ts + 14);
    const quiet = this.push(dur, { unit, t: tossT });
    this.addAction({ t: tossT, quiet, op: 'add', unit, grams: unit.mass, scanned: true, charged: true, extra: { how: 'tossed-while-moving', scanT: r4(ts) } });
    this.enter(unit, true);
    this.t = quiet + this.gap();
  }

  /** take something out to put it back on the shelf (scanning it first, or not) */
  returnToShelf() {
    const r = this.rng;
    const cands = this.present.filter((e) => e.charged && !e.partial && !e.reserved && e.addedAt < this.t - 8);
    if (!cands.length) return;
    const entry = r.pick(cands);
    const unit = entry.unit;
    let t0 = Math.max(this.t + r.uniform(0.5, 2), this.lastQuiet + 0.6);
    let scanned = r.chance(0.4) || !this.isUniqueRemoval(entry, t0);
    let ts = null;
    if (scanned) {
      ts = t0;
      this.scanProduct(ts, unit.product, unit, 'removal');
      this.addStale(unit.product.gtin, ts);
      t0 = ts + r.uniform(0.5, 3);
    }
    const grams = this.massAt(unit, t0);
    const quiet = this.takeOut(unit, t0);
    this.addAction({ t: t0, quiet, op: 'remove', unit, grams, scanned, charged: true, extra: { how: scanned ? 'scanned-removal' : 'removal', ...(ts !== null ? { scanT: r4(ts) } : {}) } });
    this.leave(entry);
    this.t = quiet + this.gap();
  }

  moveThingsAround() {
    const r = this.rng;
    const cands = this.present.filter((e) => e.unit.curMass < 6000);
    if (!cands.length) return;
    const e = r.pick(cands);
    const t0 = Math.max(this.t + r.uniform(0.3, 1), this.lastQuiet + 0.6);
    const q = this.rearrange(e.unit, t0);
    this.disturbances.push({ kind: 'rearrange', t0: r4(t0), t1: r4(q), unit: e.unit.id });
    this.t = q + this.gap();
  }

  leanOnBasket() {
    const r = this.rng;
    const t0 = Math.max(this.t + r.uniform(0.3, 2), this.lastQuiet + 0.6);
    const rim = r.pick([{ u: r.uniform(0.2, 0.8), v: 0.97 }, { u: r.uniform(0.2, 0.8), v: 0.97 }, { u: 0.03, v: r.uniform(0.3, 0.7) }, { u: 0.97, v: r.uniform(0.3, 0.7) }, { u: r.uniform(0.2, 0.8), v: 0.03 }]);
    // an adult leaning on the rim, or a child (in the seat or walking beside) hanging on it:
    // a child's hand is lighter but fidgets more, so it never looks like a resting item
    const child = r.chance(0.3);
    const q = child
      ? this.hand(t0, r.uniform(2, 12), rim, r.uniform(300, 2500), 'child-hand', { sway: r.uniform(0.2, 0.4), trem: r.uniform(0.04, 0.1) })
      : this.hand(t0, r.uniform(1, 8), rim, r.uniform(500, 6000), 'lean');
    this.t = q + this.gap();
  }

  pressItemDown() {
    const r = this.rng;
    const cands = this.present.filter((e) => e.unit.product && e.unit.product.soft);
    const pos = cands.length ? r.pick(cands).unit.pos : { u: r.uniform(0.2, 0.8), v: r.uniform(0.2, 0.8) };
    const t0 = Math.max(this.t + r.uniform(0.3, 1.5), this.lastQuiet + 0.6);
    const q = this.hand(t0, r.uniform(0.5, 2.5), pos, r.uniform(800, 4000), 'press');
    this.t = q + this.gap();
  }

  helpButton() {
    const r = this.rng;
    const t0 = this.t + r.uniform(0.5, 3);
    const t1 = t0 + r.uniform(0.12, 0.6);
    for (const [t, pressed] of [[t0, true], [t1, false]]) {
      this.buttons.push({ t, pressed });
      if (this.cart.buttonBounce) {
        // contact bounce: a few extra edges within ~10 ms
        let tb = t;
        for (let k = 0; k < this.rng.int(1, 2); k++) {
          tb += r.uniform(0.001, 0.004); this.buttons.push({ t: tb, pressed: !pressed });
          tb += r.uniform(0.001, 0.004); this.buttons.push({ t: tb, pressed });
        }
      }
    }
    this.t = t1 + r.uniform(3, 20); // waits a little for staff
  }

  abandonedScan(p) {
    const r = this.rng;
    const ts = this.t + r.uniform(0.4, 2);
    const unit = this.newUnit(p);
    unit.segs = [];
    this.scanProduct(ts, p, unit, 'abandoned');
    this.addStale(p.gtin, ts);
    this.t = ts + r.uniform(2, 6);
  }

  /** something that is not merchandise goes in: the shopper's bag, phone, a child's toy */
  foreignItem(kind, stayFor) {
    const r = this.rng;
    this.waitUntil(this.unexplainedReadyAt());
    const t0 = Math.max(this.t + r.uniform(0.3, 1.5), this.unexplainedReadyAt());
    const spec = {
      bag: () => ({ name: r.chance(0.6) ? "shopper's tote bag" : "shopper's handbag", grams: r.chance(0.6) ? r.uniform(60, 160) : r.uniform(350, 900) }),
      phone: () => ({ name: "shopper's phone", grams: r.uniform(150, 235) }),
      toy: () => ({ name: "child's toy", grams: r.uniform(40, 400) }),
    }[kind]();
    const unit = this.newUnit(null, spec.grams, { name: spec.name, what: kind });
    const style = kind === 'toy' && r.chance(0.6) ? 'drop' : 'gentle';
    const quiet = this.place(unit, t0, style);
    this.addAction({ t: t0, quiet, op: 'add', unit, grams: unit.mass, scanned: false, charged: false, alert: 'unscanned-item', extra: { how: 'personal-item', what: kind } });
    const entry = this.enter(unit, false);
    this.t = quiet + QUIET_AFTER_ALERT;
    if (stayFor) this.pending.push({ due: quiet + stayFor, entry, why: 'personal item taken back' });
  }

  unknownProduct() {
    const r = this.rng;
    this.waitUntil(this.unexplainedReadyAt());
    const fp = r.pick(CATALOG.foreignProducts);
    const ts = Math.max(this.t + r.uniform(0.4, 2), this.unexplainedReadyAt() - 1);
    this.scanForeignProduct(ts, fp);
    const unit = this.newUnit(null, r.truncNormal(fp.grams, fp.sd, 2), { name: fp.name, what: 'not-in-catalog', code: fp.code });
    const t0 = Math.max(ts + r.uniform(0.5, 4), this.unexplainedReadyAt());
    const quiet = this.place(unit, t0, r.chance(0.7) ? 'gentle' : 'drop');
    this.addAction({ t: t0, quiet, op: 'add', unit, grams: unit.mass, scanned: false, charged: false, alert: 'unscanned-item', extra: { how: 'product-not-in-catalog', code: fp.code } });
    const entry = this.enter(unit, false);
    this.t = quiet + QUIET_AFTER_ALERT;
    if (r.chance(0.5)) this.pending.push({ due: quiet + r.uniform(6, 30), entry, why: 'unlisted product handed back' });
  }

  /** remove one of two items that weigh the same (twin pair), without a scan */
  ambiguousRemoval(pair) {
    const r = this.rng;
    const [ea, eb] = pair;
    const ready = Math.max(this.lastQuiet + 2.2, this.lastScanT + SCAN_OPEN + 0.5, this.staleFreeAt() + 0.5);
    this.waitUntil(ready);
    const first = r.chance(0.5) ? ea : eb;
    const second = first === ea ? eb : ea;
    const t0 = Math.max(this.t + r.uniform(0.5, 2), ready);
    const grams = this.massAt(first.unit, t0);
    const quiet = this.takeOut(first.unit, t0);
    this.addAction({ t: t0, quiet, op: 'remove', unit: first.unit, grams, scanned: false, charged: true, alert: 'ambiguous-removal', extra: { how: 'removal-of-one-of-twins', twinUnit: second.unit.id, twinGtin: second.unit.product.gtin } });
    this.leave(first);
    this.incidents.push({ type: 'ambiguous-removal', t: r4(t0), gtins: [first.unit.product.gtin, second.unit.product.gtin], honest: true });
    this.t = quiet + QUIET_AFTER_ALERT;
    this.pending.push({ due: quiet + r.uniform(8, 40), entry: second, why: 'other twin put back too', twin: true });
  }

  // ---- dishonest episodes ----------------------------------------------------------------
  unscannedAdd(p0) {
    const r = this.rng;
    this.waitUntil(this.unexplainedReadyAt());
    const p = p0;
    const unit = this.newUnit(p);
    const entryT = Math.max(this.t + r.uniform(0.5, 2), this.unexplainedReadyAt());
    let quiet, t0, how;
    if (!p.fragile && !p.heavy && r.chance(0.2)) {
      // slipped in while pushing: comes to rest when the cart stops
      this.t = entryT;
      const dur = r.uniform(5, 15);
      t0 = this.t + 0.6 + r.uniform(1.5, dur - 1.5);
      quiet = this.push(dur, { unit, t: t0 });
      how = 'unscanned-while-moving';
    } else {
      t0 = entryT;
      quiet = this.place(unit, t0, r.chance(0.7) ? 'gentle' : this.styleFor(p));
      how = 'unscanned';
    }
    this.addAction({ t: t0, quiet, op: 'add', unit, grams: unit.mass, scanned: false, charged: false, alert: 'unscanned-item', extra: { how } });
    const entry = this.enter(unit, false);
    this.incidents.push({ type: 'unscanned-item', t: r4(t0), gtin: p.gtin });
    this.t = quiet + QUIET_AFTER_ALERT;
    if (r.chance(0.3)) this.pending.push({ due: quiet + r.uniform(5, 25), entry, why: 'put back after the warning' });
  }

  /** scan a cheap product, put in a dearer one that weighs clearly otherwise */
  swap() {
    const r = this.rng;
    const ps = CATALOG.products;
    let x = null, y = null;
    for (let k = 0; k < 200 && !y; k++) {
      const a = r.pick(ps), b = r.pick(ps);
      if (b.price <= a.price * 1.3 || b.byWeight || b.heavy) continue;
      if (!clearlyNot(b.grams - 3 * b.sd, a) || !clearlyNot(b.grams + 3 * b.sd, a) || !clearlyNot(b.grams, a)) continue;
      x = a; y = b;
    }
    if (!y) return this.unscannedAdd(r.pick(ps.filter((p) => p.steal)));
    this.waitUntil(this.unexplainedReadyAt());
    const ts = Math.max(this.t + r.uniform(0.4, 2), this.unexplainedReadyAt() - 0.5);
    const unit = this.newUnit(y);
    const fake = this.newUnit(x); // the unit whose label was scanned (stays on the shelf)
    this.scanProduct(ts, x, fake, 'mismatch');
    this.addStale(x.gtin, ts);
    const t0 = Math.max(ts + r.uniform(0.5, 4), this.lastQuiet + 2.2);
    const quiet = this.place(unit, t0, this.styleFor(y));
    this.addAction({ t: t0, quiet, op: 'add', unit, grams: unit.mass, scanned: true, charged: false, alert: 'weight-mismatch', extra: { how: 'scanned-another-product', scannedGtin: x.gtin, scanT: r4(ts) } });
    const entry = this.enter(unit, false);
    this.incidents.push({ type: 'weight-mismatch', t: r4(t0), gtin: y.gtin, scannedGtin: x.gtin });
    this.t = quiet + QUIET_AFTER_ALERT;
    if (r.chance(0.25)) this.pending.push({ due: quiet + r.uniform(5, 25), entry, why: 'put back after the warning' });
  }

  /** the same product scanned twice on purpose, one unit put in */
  doubleScanOnce(p0) {
    const r = this.rng;
    const ts = this.t + r.uniform(0.4, 2);
    const p = this.honestProduct(p0, ts);
    const unit = this.newUnit(p);
    this.scanProduct(ts, p, unit, 'item');
    const ts2 = ts + r.uniform(1.6, 4);
    this.scanProduct(ts2, p, unit, 'extra');
    this.addStale(p.gtin, ts2);
    const t0 = Math.max(ts2 + r.uniform(0.5, 4), this.lastQuiet + 0.6);
    const quiet = this.place(unit, t0, this.styleFor(p));
    this.addAction({ t: t0, quiet, op: 'add', unit, grams: unit.mass, scanned: true, charged: true, extra: { how: 'scanned-twice-put-in-once', scanT: r4(ts) } });
    this.enter(unit, true);
    this.incidents.push({ type: 'scanned-twice-put-in-once', t: r4(t0), gtin: p.gtin });
    this.t = quiet + this.gap();
  }

  /** take a paid item out without scanning, then put in a heavier one without scanning */
  replaceHeavier() {
    const r = this.rng;
    const cands = this.present.filter((e) => e.charged && !e.partial && !e.reserved && e.unit.curMass < 3000 && e.addedAt < this.t - 5);
    r.shuffle(cands);
    const entry = cands.find((e) => this.isUniqueRemoval(e, this.t + 2));
    if (!entry) return this.unscannedAdd(r.pick(CATALOG.products.filter((p) => p.steal)));
    const w = entry.unit.curMass;
    const heavier = CATALOG.products.filter((p) => !p.byWeight && !p.heavy && p.grams - 3 * p.sd > w + Math.max(100, 0.2 * w) && p.grams < 3000);
    if (!heavier.length) return this.unscannedAdd(r.pick(CATALOG.products.filter((p) => p.steal)));
    const q = r.pick(heavier);
    const t0 = Math.max(this.t + r.uniform(0.5, 2), this.lastQuiet + 0.6);
    const grams = this.massAt(entry.unit, t0);
    const quiet1 = this.takeOut(entry.unit, t0);
    this.addAction({ t: t0, quiet: quiet1, op: 'remove', unit: entry.unit, grams, scanned: false, charged: true, extra: { how: 'removal' } });
    this.leave(entry);
    this.t = quiet1 + r.uniform(1.5, 8);
    this.waitUntil(this.unexplainedReadyAt());
    const unit = this.newUnit(q);
    const t1 = Math.max(this.t, this.unexplainedReadyAt());
    const quiet2 = this.place(unit, t1, 'gentle');
    this.addAction({ t: t1, quiet: quiet2, op: 'add', unit, grams: unit.mass, scanned: false, charged: false, alert: 'unscanned-item', extra: { how: 'replaced-by-heavier', replacedUnit: entry.unit.id } });
    this.enter(unit, false);
    this.incidents.push({ type: 'replaced-by-heavier', t: r4(t0), removedGtin: entry.unit.product.gtin, gtin: q.gtin });
    this.t = quiet2 + QUIET_AFTER_ALERT;
  }

  /** one can out of a pack, some fruit out of a weighed bag */
  partialRemoval() {
    const r = this.rng;
    const ready = Math.max(this.lastQuiet + 2.2, this.lastScanT + 8, this.staleFreeAt() + 0.5);
    const cands = this.present.filter((e) => e.charged && !e.partial && !e.reserved && e.unit.product && (e.unit.product.multi || e.unit.product.piece));
    r.shuffle(cands);
    for (const entry of cands) {
      const p = entry.unit.product;
      let grams;
      if (p.multi) grams = p.multi.grams * r.uniform(0.985, 1.015);
      else {
        const k = r.int(1, 3);
        grams = 0;
        for (let i = 0; i < k; i++) grams += r.uniform(p.piece.lo, p.piece.hi);
      }
      grams = Math.round(grams * 10) / 10;
      if (grams > entry.unit.curMass - 60 || grams < 35) continue;
      if (!this.isUnknownRemoval(grams, Math.max(this.t, ready))) continue;
      this.waitUntil(ready);
      const t0 = Math.max(this.t + r.uniform(0.5, 2), ready, this.lastQuiet + 2.2);
      if (!this.isUnknownRemoval(grams, t0)) continue;
      const quiet = this.takePart(entry.unit, grams, t0);
      entry.partial = true;
      this.addAction({ t: t0, quiet, op: 'remove', unit: entry.unit, grams, scanned: false, charged: false, alert: 'unknown-removal', extra: { how: 'part-of-a-unit', partial: true } });
      this.incidents.push({ type: 'unknown-removal', t: r4(t0), gtin: p.gtin, grams });
      this.t = quiet + QUIET_AFTER_ALERT;
      return;
    }
    return this.unscannedAdd(r.pick(CATALOG.products.filter((p) => p.steal)));
  }

  // ---- deferred removals -------------------------------------------------------------------
  runPending(force = false) {
    const r = this.rng;
    this.pending.sort((a, b) => a.due - b.due);
    while (this.pending.length && (force || this.pending[0].due <= this.t)) {
      const job = this.pending.shift();
      const entry = job.entry;
      if (!this.present.includes(entry)) continue;
      let t0 = Math.max(this.t + r.uniform(0.3, 1.5), this.lastQuiet + 0.6);
      let scanned = false, ts = null;
      if (!this.isUniqueRemoval(entry, t0)) {
        if (!job.twin) continue; // stays in the basket to the end
        scanned = true;
        ts = t0;
        this.scanProduct(ts, entry.unit.product, entry.unit, 'removal');
        this.addStale(entry.unit.product.gtin, ts);
        t0 = ts + r.uniform(0.5, 2.5);
      }
      const grams = this.massAt(entry.unit, t0);
      const quiet = this.takeOut(entry.unit, t0);
      this.addAction({ t: t0, quiet, op: 'remove', unit: entry.unit, grams, scanned, charged: entry.charged, extra: { how: job.why, ...(ts !== null ? { scanT: r4(ts) } : {}), ...(entry.foreign ? { what: entry.unit.what } : {}) } });
      this.leave(entry);
      this.t = quiet + this.gap();
    }
  }

  // ---- finishing -----------------------------------------------------------------------------
  finalize(duration) {
    // connected spans of activity: a rest shorter than 0.5 s does not count as rest
    const acts = [...this.activities].sort((a, b) => a[0] - b[0]);
    const comps = [];
    for (const [a, b] of acts) {
      const last = comps[comps.length - 1];
      if (last && a < last[1] + 0.5) last[1] = Math.max(last[1], b);
      else comps.push([a, b]);
    }
    const compOf = (t) => comps.find(([a, b]) => t >= a - 1e-9 && t <= b + 1e-9);
    this.actions.sort((a, b) => a.t - b.t || a.unit - b.unit);
    for (const a of this.actions) {
      const c = compOf(a.t);
      a.restAt = c ? c[1] : a.quiet;
    }
    const problems = [];
    // every alert stands alone: no other action in its span, nothing for 3.5 s after its rest
    for (const a of this.actions.filter((x) => x.alert)) {
      const c = compOf(a.t);
      for (const b of this.actions) {
        if (b === a) continue;
        if (b.t >= c[0] - 2 && b.t <= a.restAt + 3.5) problems.push(`action ${b.unit}@${b.t.toFixed(2)} too near alert ${a.alert}@${a.restAt.toFixed(2)}`);
      }
      if (a.restAt > duration - 4) problems.push('alert too near the end');
    }
    // scan-first items must start within the open window of their scan
    for (const a of this.actions) {
      if (a.op === 'add' && a.scanned && a.how !== 'place-then-scan' && a.t - a.scanT > SCAN_MAX_DELAY + 0.01) problems.push(`unit ${a.unit} placed ${(a.t - a.scanT).toFixed(1)} s after scan`);
      if (a.how === 'place-then-scan' && a.scanT > a.restAt + LATE_SCAN_MAX + 0.01) problems.push(`late scan too late for unit ${a.unit}`);
    }
    if (this.lastQuiet > duration - 3) problems.push('activity runs into the end of the trace');
    return { problems, comps };
  }
}

export function r4(x) { return Math.round(x * 1e4) / 1e4; }
function digits(rng, n) { let s = ''; for (let i = 0; i < n; i++) s += String(rng.int(0, 9)); return s; }

export { TWIN_PAIRS, lookAlike };
