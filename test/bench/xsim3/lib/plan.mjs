// The shopper: what happens during one trip, in time order, and the truth
// that follows from it by the format page's rules.
//
// The planner walks forward in time. It runs an agenda of episodes (add an
// item, take one out, a fraud ...) and fills the time between them with
// what shoppers do anyway: push the cart, stand, lean on it, bump it, hang
// a bag on it, scan a loyalty card. Every episode checks, before it
// commits, that the page's rules give one clear answer for it (fit.mjs);
// when a left-over scan could muddle the answer, the shopper first walks on
// until that scan is stale.

import { CATALOG } from './catalog.mjs';
import { addIsClear, removalVerdict, drawUnitGrams, keyOf, classify, verdicts } from './fit.mjs';
import { productPayload, nonCatalogPayload, toReads } from './scanner.mjs';
import { GEOMETRY } from './cart.mjs';
import * as E from './events.mjs';

const BW = GEOMETRY.widthMm / 1000;
const BD = GEOMETRY.depthMm / 1000;

export const RULES = {
  // page: a scan stays open at least 20 s counted to the moment the weight
  // change begins. Honest scans come 0.9-17.8 s before it: 2 s of margin.
  leadMin: 0.9,
  leadMax: 17.8,
  // a generous firmware may keep scans open longer than 20 s. Frauds and
  // adds are only planned when no scan of the last 60 s could explain them
  // differently.
  staleS: 60,
  // page: the same code again within 1 s is the scanner repeating itself.
  // A deliberate second scan comes at least 1.6 s after the last read.
  repeatGap: 1.6,
  quietHonest: [2.0, 3.5],   // quiet after an honest change has come to rest
  quietAlert: [3.5, 5.0],    // longer after an alert: its 3 s window stays clean
  latestEnd: 592,            // trips end by 600 s
};

const ROLLERS = new Set(['can', 'bottle', 'jar']);
const MAX_SHIFT_G = 15;

/** share of a load at p on the cells fl, fr, rl, rr */
function bilinear(p) {
  const u = clamp(p.x / BW, 0, 1), v = clamp(p.y / BD, 0, 1);
  return [(1 - u) * (1 - v), u * (1 - v), (1 - u) * v, u * v];
}

export class Planner {
  constructor(rng, cart, target) {
    this.rng = rng.fork('plan');
    this.srng = rng.fork('scanner');
    this.cart = cart;
    this.target = target;
    this.t = 0;
    this.units = [];
    this.scanLog = [];
    this.reads = [];
    this.actions = [];
    this.motions = [];
    this.hands = [];
    this.bumps = [];
    this.bags = [];
    this.rearranged = [];
    this.buttons = [];
    this.scannerFreeAt = 0;
    this.lastReadOf = new Map();
    this.bagOn = null;
  }

  // ------------------------------------------------------------ basket state

  newUnit(product, grams) {
    const u = {
      id: this.units.length, product, grams, originalGrams: grams,
      present: false, charged: false, partial: false, reserved: false,
      pos: null, events: [], busyUntil: 0,
    };
    this.units.push(u);
    return u;
  }

  present() { return this.units.filter((u) => u.present); }

  /** what the cart may charge for, as members for the fit rules */
  chargedMembers(exclude = null, extra = null) {
    const out = [];
    for (const u of this.units) {
      if (!u.present || !u.charged || u === exclude) continue;
      out.push({ product: u.product, grams: u.grams, measuredOnly: u.partial, unit: u });
    }
    if (extra) out.push({ product: extra.product, grams: extra.grams, unit: extra });
    return out;
  }

  /** in the cart but not charged (frauds), plus the pre-split weight of
   *  packs someone took part of: only used to stay clear of grey zones */
  otherMembers() {
    const out = [];
    for (const u of this.units) {
      if (!u.present) continue;
      if (!u.charged) out.push({ product: u.product, grams: u.grams, measuredOnly: u.partial });
      else if (u.partial) out.push({ product: u.product, grams: u.originalGrams });
    }
    return out;
  }

  removable() {
    return this.units.filter((u) => u.present && u.charged && !u.partial && !u.reserved
      && u.busyUntil <= this.t);
  }

  pushEvent(u, ev) {
    if (u.events.length && ev.t0 < u.events[u.events.length - 1].end) return false;
    u.events.push(ev);
    u.busyUntil = ev.end;
    return true;
  }

  // ------------------------------------------------------------- scanning

  /** earliest time the scanner can read `code` again as a new scan */
  scanTime(t, code) {
    t = Math.max(t, this.scannerFreeAt);
    const last = this.lastReadOf.get(code);
    if (last !== undefined) t = Math.max(t, last + RULES.repeatGap);
    return t;
  }

  commitScan(t, item, role, netGrams) {
    const cfg = this.cart.scanner;
    const payload = item.product
      ? productPayload(this.srng, cfg, item.product, netGrams) : item.noncat.payload;
    const { reads, tDone, dups } = toReads(this.srng, cfg, t, payload);
    this.reads.push(...reads);
    const code = item.product ? item.product.gtin : item.noncat.code;
    const scan = {
      t: tDone, tFirst: t, code,
      gtin: item.product ? item.product.gtin : item.noncat.gtin,
      product: item.product ?? null, label: item.noncat?.label ?? null,
      role, usedByAdd: false, payload,
    };
    this.scanLog.push(scan);
    for (const d of dups) {
      this.scanLog.push({ t: d, code, gtin: scan.gtin, product: null, label: scan.label, role: 'duplicate', payload });
    }
    const lastT = Math.max(reads[reads.length - 1].t, ...dups);
    this.lastReadOf.set(code, lastT);
    this.scannerFreeAt = lastT + 0.3;
    return scan;
  }

  /** catalog scans a generous firmware might still hold open at tRef */
  openScans(tRef) {
    return this.scanLog.filter((s) => s.product && s.role !== 'duplicate' && !s.usedByAdd
      && s.t >= tRef - RULES.staleS);
  }

  /** walk on (push, stand) until the oldest open scan is stale */
  waitOutScans(tRef) {
    const open = this.openScans(tRef);
    if (!open.length) return true;
    const until = Math.min(...open.map((s) => s.t)) + RULES.staleS + 0.5 + (tRef - this.t);
    if (until > RULES.latestEnd - 60) return false;
    this.passTime(until, { scans: false });
    return true;
  }

  // -------------------------------------------------------------- geometry

  randomPos() {
    const r = this.rng;
    const x = r.uniform(0.06, 0.94) * BW;
    // shoppers stand at the handle: most things land in the rear half
    const y = (r.chance(0.6) ? r.uniform(0.45, 0.94) : r.uniform(0.06, 0.55)) * BD;
    return { x, y };
  }

  /** where a rolling item stops: against a side of the basket */
  wallPos(from, dir) {
    const r = this.rng;
    if (dir === 'front') return { x: clamp(from.x + r.uniform(-0.05, 0.05), 0.03, BW - 0.03), y: 0.03 };
    if (dir === 'rear') return { x: clamp(from.x + r.uniform(-0.05, 0.05), 0.03, BW - 0.03), y: BD - 0.03 };
    return r.pick([
      { x: 0.03, y: from.y }, { x: BW - 0.03, y: from.y },
      { x: from.x, y: 0.03 }, { x: from.x, y: BD - 0.03 },
    ]);
  }

  /**
   * How much the calibrated sum of the four cells changes when an item of w
   * grams moves from a to b. Zero with a perfect calibration; with cell
   * gains a fraction of a percent apart it is a few grams. Moves that would
   * shift the sum by more than MAX_SHIFT_G are not made: such a shift
   * would look like an item going in or out, and the truth would no longer
   * be clear-cut.
   */
  sumShift(w, a, b) {
    const sa = bilinear(a), sb = bilinear(b);
    let d = 0;
    this.cart.cells.forEach((c, i) => { d += (sb[i] - sa[i]) * (c.trueCpg / c.storedCpg - 1); });
    return Math.abs(w * d);
  }

  movable(u, a, b) { return this.sumShift(u.grams, a, b) <= MAX_SHIFT_G; }

  // -------------------------------------------------------------- physics

  /** put unit u in the basket from t0; returns when everything settled */
  landUnit(u, t0, mode, opts = {}) {
    const r = this.rng;
    const pos = this.randomPos();
    const ev = mode === 'place' ? E.placeEvent(r, t0, pos)
      : E.dropEvent(r, t0, pos, u.product.shape, mode === 'toss', u.grams);
    if (!this.pushEvent(u, ev)) throw new Error(`unit ${u.id} lands while busy`);
    u.present = true;
    u.pos = pos;
    let end = ev.end;
    const shape = u.product.shape;
    const rollP = opts.noRoll ? 0 : ROLLERS.has(shape) ? 0.35 : shape === 'produce' ? 0.15 : 0;
    const rollTo = this.wallPos(pos, 'any');
    if (r.chance(rollP) && this.movable(u, pos, rollTo)) {
      const to = rollTo;
      const rv = E.rollEvent(r, end, pos, to, true);
      this.pushEvent(u, rv);
      u.pos = to;
      end = rv.end;
    } else if (!opts.noRoll && ['soft', 'bag', 'produce', 'tray'].includes(shape) && r.chance(0.5)) {
      const to = { x: clamp(pos.x + r.uniform(-0.04, 0.04), 0.03, BW - 0.03),
        y: clamp(pos.y + r.uniform(-0.04, 0.04), 0.03, BD - 0.03) };
      const sv = E.settleEvent(r, end, pos, to);
      this.pushEvent(u, sv);
      u.pos = to;
      end = sv.end;
    }
    return end;
  }

  liftUnit(u, t0) {
    const ev = E.liftEvent(this.rng, t0);
    if (!this.pushEvent(u, ev)) throw new Error(`unit ${u.id} lifted while busy`);
    u.present = false;
    return ev.end;
  }

  /**
   * The cart pushed from t0 for dur seconds (plus a ring-down). Floor
   * vibration, a lurch when it starts and stops, turns; loose cans and
   * bottles may roll when it starts or stops.
   */
  addMotion(t0, dur) {
    const r = this.rng;
    const ringDown = r.uniform(0.3, 0.7);
    const m = {
      t0, dur, t1: t0 + dur + ringDown, ringDown,
      rms: this.target.floorRms * r.uniform(0.6, 1.4),
      speed: r.uniform(0.5, 1.3),
      tilePitch: r.pick([0.3, 0.4, 0.6]),
      startLurch: { a: r.uniform(0.4, 1.5), dur: Math.min(r.uniform(0.5, 1.2), dur / 3) },
      stopLurch: { a: r.uniform(0.5, 2.0), dur: Math.min(r.uniform(0.4, 1.0), dur / 3) },
      turns: [],
      index: this.motions.length,
    };
    for (let k = 0; k < Math.floor(dur / 8); k++) {
      const td = r.uniform(1, 3);
      const tt = t0 + r.uniform(1, Math.max(1.1, dur - td - 1));
      m.turns.push({ t: tt, dur: td, a: r.signed(0.3, 1.0) });
    }
    // carts knock into shelves and other carts while moving
    if (dur > 4 && r.chance(0.2)) this.addBump(t0 + r.uniform(1, dur - 1), { during: true });
    this.motions.push(m);
    this.motionRolls(m);
    return m;
  }

  motionRolls(m) {
    const r = this.rng;
    for (const u of this.present()) {
      if (!ROLLERS.has(u.product.shape) || u.busyUntil > m.t0) continue;
      const back = this.wallPos(u.pos, 'rear');
      if (r.chance(0.25) && this.movable(u, u.pos, back)) { // starting off: loose bottles roll back
        const ev = E.rollEvent(r, m.t0 + r.uniform(0.1, 0.5), u.pos, back, true);
        if (ev.end <= m.t1 && this.pushEvent(u, ev)) u.pos = ev.to;
      }
      const fwd = this.wallPos(u.pos, 'front');
      if (r.chance(0.3) && this.movable(u, u.pos, fwd)) { // stopping: they roll forward
        const ts = m.t0 + m.dur - m.stopLurch.dur + r.uniform(0, 0.2);
        const ev = E.rollEvent(r, ts, u.pos, fwd, true);
        if (ev.t0 >= u.busyUntil && ev.end <= m.t1 && this.pushEvent(u, ev)) u.pos = ev.to;
        else if (ev.t0 >= u.busyUntil) {
          ev.end = m.t1; ev.dur = Math.max(0.2, m.t1 - ev.t0 - (ev.thud ? 6 * ev.thud.tau : 0) - 0.05);
          if (ev.dur > 0.2 && this.pushEvent(u, ev)) u.pos = ev.to;
        }
      }
    }
  }

  addBump(t, opts = {}) {
    const r = this.rng;
    const b = {
      t, amp: r.uniform(0.2, 1.2), hz: r.uniform(8, 15), tau: r.uniform(0.05, 0.15),
      jolt: r.signed(1, 4), end: 0,
    };
    b.end = t + 6 * b.tau + 0.1;
    this.bumps.push(b);
    // a knock can set a loose can rolling
    if (!opts.during) {
      const loose = this.present().filter((u) => ROLLERS.has(u.product.shape) && u.busyUntil <= t);
      if (loose.length && r.chance(0.3)) {
        const u = r.pick(loose);
        const to = this.wallPos(u.pos, 'any');
        const ev = E.rollEvent(r, t + 0.05, u.pos, to, true);
        if (this.movable(u, u.pos, to) && this.pushEvent(u, ev)) { u.pos = ev.to; b.end = Math.max(b.end, ev.end); }
      }
    }
    return b.end;
  }

  // --------------------------------------------------------- filler activity

  /** time passes until `until`: the shopper pushes on or stands */
  passTime(until, opts = {}) {
    const r = this.rng;
    let guard = 0;
    while (this.t < until - 0.5 && guard++ < 200) {
      const left = until - this.t;
      const choice = r.weighted([[0.55, 'push'], [0.25, 'idle'], [opts.noDisturb ? 0 : 0.2, 'disturb']]);
      if (choice === 'push' && left > 3.5) {
        const dur = Math.min(left - 2, r.chance(0.15) ? r.uniform(20, 40) : r.uniform(3, 20));
        if (dur < 2) { this.t += left; break; }
        const m = this.addMotion(this.t + r.uniform(0.2, 0.8), dur);
        this.t = m.t1 + r.uniform(1.2, 3);
      } else if (choice === 'disturb' && left > 6) {
        this.disturb(opts);
      } else {
        this.t += Math.min(left, r.uniform(1, 5));
      }
    }
    if (this.t < until) this.t = until;
  }

  /** one of the things that happen to a cart that are not shopping */
  disturb(opts = {}) {
    const r = this.rng;
    const t0 = this.t + r.uniform(0.3, 1.0);
    const kind = r.weighted([
      [0.18, 'lean'], [0.18, 'hand'], [0.12, 'bump'], [0.14, 'liftReturn'], [0.1, 'slide'],
      [0.08, 'bag'], [0.06, 'help'], [opts.scans === false ? 0 : 0.14, 'noncat'],
    ]);
    let end = t0;
    if (kind === 'lean' || kind === 'hand') end = this.addHand(t0, kind);
    else if (kind === 'bump') end = this.addBump(t0);
    else if (kind === 'liftReturn' || kind === 'slide') end = this.moveItem(t0, kind);
    else if (kind === 'bag') end = this.toggleBag(t0);
    else if (kind === 'help') {
      const up = t0 + r.uniform(0.1, 0.6);
      this.buttons.push({ t: t0, name: 'help', pressed: true }, { t: up, name: 'help', pressed: false });
      end = up;
    } else if (kind === 'noncat') {
      this.t = t0;
      end = this.scanNonCatalog(r.weighted([[3, 'coupon'], [2, 'loyalty'], [1, 'qr'], [2, 'unknown']]));
    }
    this.t = end + r.uniform(1.5, 3);
  }

  /** a coupon, loyalty card or unlisted product: announces nothing */
  scanNonCatalog(label) {
    const nc = nonCatalogPayload(this.srng, this.cart.scanner, label);
    const scan = this.commitScan(this.scanTime(this.t + 0.2, nc.code), { noncat: nc }, 'non-catalog');
    this.t = scan.t + this.rng.uniform(1, 3);
    return scan.t;
  }

  /**
   * A shopper leaning on the basket rim (1-6 kg), or resting a hand on it
   * (0.5-1.5 kg). Human force is never steady: it wanders (postural sway,
   * 6-14 % of the load, correlation 0.4-1 s), trembles (physiological
   * tremor 8-12 Hz, 1-2.5 %) and follows breathing (0.2-0.33 Hz, 2-5 %).
   * Even the lightest hand wanders by 40 g or more within a second. So the
   * basket never rests under it and it is no item: no action, no alert.
   */
  addHand(t0, kind) {
    const r = this.rng;
    const lean = kind === 'lean';
    const dur = lean ? r.uniform(3, 20) : r.uniform(2, 12);
    const grams = lean ? r.uniform(1000, 6000) : r.uniform(500, 1500);
    const pos = lean ? { x: r.uniform(0.1, 0.9) * BW, y: BD }
      : r.pick([{ x: 0, y: r.uniform(0, BD) }, { x: BW, y: r.uniform(0, BD) },
        { x: r.uniform(0, BW), y: BD }, { x: r.uniform(0, BW), y: 0 }]);
    const h = {
      kind, t0, t1: t0 + dur, grams, x: pos.x, y: pos.y,
      onset: r.uniform(0.3, 0.8), offset: r.uniform(0.3, 0.8),
      ouSigma: lean ? r.uniform(0.06, 0.12) : r.uniform(0.08, 0.14), ouTau: r.uniform(0.4, 1.0),
      tremorHz: r.uniform(8, 12), tremorAmp: r.uniform(0.01, 0.025),
      breathHz: r.uniform(0.2, 0.33), breathAmp: r.uniform(0.02, 0.05),
      index: this.hands.length,
    };
    this.hands.push(h);
    return h.t1 + h.offset;
  }

  /** move an item in the basket without taking it out (rearranging) */
  moveItem(t0, kind) {
    const r = this.rng;
    const cands = this.present().filter((u) => u.busyUntil <= t0 && u.grams <= 3000);
    if (!cands.length) return t0;
    const u = r.pick(cands);
    const to = this.randomPos();
    if (!this.movable(u, u.pos, to)) return t0;
    const ev = kind === 'liftReturn' ? E.liftReturnEvent(r, t0, to) : E.slideEvent(r, t0, u.pos, to);
    if (!this.pushEvent(u, ev)) return t0;
    u.pos = to;
    this.rearranged.push([t0, ev.end, kind, u.id]);
    return ev.end;
  }

  /**
   * A bag hung on the handle. The handle is on the chassis, not the
   * weighed basket: the cells see only frame flex (a gram or two, rear up,
   * front down) and the swing of the bag coupled through the frame, a few
   * grams at ~1 Hz dying out in seconds. Re-excited when the cart moves.
   */
  toggleBag(t0) {
    const r = this.rng;
    if (this.bagOn) {
      this.bagOn.t1 = t0;
      this.bagOn = null;
      return t0 + 0.5;
    }
    const bag = {
      t0, t1: Infinity, swingG: r.uniform(2, 8), swingHz: r.uniform(0.7, 1.2),
      tau: r.uniform(2, 5), stepG: r.uniform(0.5, 2.5),
    };
    this.bags.push(bag);
    this.bagOn = bag;
    return t0 + 0.5;
  }

  // ------------------------------------------------------------ episodes

  pickLead() {
    const r = this.rng;
    return r.weighted([[65, () => r.uniform(0.9, 4)], [22, () => r.uniform(4, 10)],
      [13, () => r.uniform(10, RULES.leadMax - 0.3)]])();
  }

  pickMode(product, allowMotion = true) {
    const soft = ['soft', 'produce', 'bag'].includes(product.shape);
    return this.rng.weighted([[0.5, 'place'], [0.3, 'drop'], [soft ? 0.1 : 0, 'toss'],
      [allowMotion ? 0.12 : 0, 'motion']]);
  }

  /** how an item goes in while the cart is moving */
  motionLanding(product) {
    const soft = ['soft', 'produce', 'bag'].includes(product.shape);
    return this.rng.weighted([[0.2, 'place'], [0.6, 'drop'], [soft ? 0.2 : 0, 'toss']]);
  }

  record(a) {
    const act = {
      t: a.t, restAt: a.restAt, op: a.op, gtin: a.unit.product.gtin,
      grams: round1(a.grams ?? a.unit.grams), scanned: a.scanned, charged: a.charged,
      alert: a.alert ?? null, unit: a.unit.id,
    };
    if (a.scannedGtin) act.scannedGtin = a.scannedGtin;
    if (a.partial) act.partial = true;
    if (a.note) act.note = a.note;
    this.actions.push(act);
    return act;
  }

  quiet(alert) {
    const [lo, hi] = alert ? RULES.quietAlert : RULES.quietHonest;
    return this.rng.uniform(lo, hi);
  }

  /**
   * Scan a product and put it in. opts.unit: put back a unit that was taken
   * out; opts.grams: a chosen weight (twins); opts.noMotion.
   */
  honestAdd(product, opts = {}) {
    const r = this.rng;
    for (let attempt = 0; attempt < 4; attempt++) {
      const grams = opts.unit ? opts.unit.grams : (opts.grams ?? drawUnitGrams(r, product));
      const mode = this.pickMode(product, !opts.noMotion);
      let lead = this.pickLead();
      const tScan = this.scanTime(this.t + r.uniform(0.2, 1.2), product.gtin);
      const cands = this.openScans(tScan).map((s) => s.product);
      if (!addIsClear(grams, [...cands, product], product.gtin)) {
        if (!this.waitOutScans(tScan)) return false;
        continue;
      }
      const net = product.byWeight ? grams - r.uniform(4, 8) : undefined; // minus the bag
      const scan = this.commitScan(tScan, { product }, 'item', net);
      const latest = scan.tFirst + RULES.leadMax;
      let begin;
      let restFloor = 0;
      let landing = mode;
      if (mode === 'motion') {
        // scan, start pushing, drop it in on the way; rest comes when the
        // cart stops, possibly many seconds later (page: that is allowed)
        const m0 = scan.t + r.uniform(0.3, 1.5);
        begin = Math.min(m0 + r.uniform(0.8, 5), latest - 0.2);
        const m = this.addMotion(m0, begin - m0 + r.uniform(1.5, 12));
        restFloor = m.t1;
        landing = this.motionLanding(product);
      } else {
        begin = scan.t + lead;
        if (begin > latest) begin = latest;
        if (lead > 6 && r.chance(0.6)) {
          // scanned, walked on a bit, then put it in
          const pushDur = begin - scan.t - 0.5 - r.uniform(1.5, 2.5) - 0.7;
          if (pushDur >= 2) this.addMotion(scan.t + 0.5, pushDur);
        }
      }
      const u = opts.unit ?? this.newUnit(product, grams);
      const end = this.landUnit(u, begin, landing);
      const restAt = Math.max(end, restFloor);
      scan.usedByAdd = true;
      u.charged = true;
      this.record({ op: 'add', t: begin, restAt, unit: u, scanned: true, charged: true });
      this.t = restAt + this.quiet(false);
      return u;
    }
    return false;
  }

  /** several scanned items put in together: one weight change */
  multiDrop(products) {
    const r = this.rng;
    const grams = products.map((p) => drawUnitGrams(r, p));
    const times = [];
    let t = this.t + r.uniform(0.2, 1);
    for (const p of products) {
      t = this.scanTime(t, p.gtin);
      // the same product twice: a deliberate second scan, past the repeat window
      const prev = times.findLast((x) => x.p === p);
      if (prev) t = Math.max(t, prev.t + RULES.repeatGap + 0.9);
      times.push({ p, t });
      t += r.uniform(0.8, 2.5);
    }
    const cands = this.openScans(times[0].t).map((s) => s.product);
    const total = grams.reduce((a, b) => a + b, 0);
    if (!addIsClear(total, [...cands, ...products], keyOf(products.map((p) => ({ product: p }))))) {
      return false;
    }
    const scans = times.map(({ p, t: ts }) => this.commitScan(this.scanTime(ts, p.gtin), { product: p }, 'item'));
    const first = scans[0].tFirst;
    const last = scans[scans.length - 1].t;
    let begin = last + r.uniform(0.9, 3.5);
    begin = Math.min(begin, first + RULES.leadMax - 0.8);
    if (begin < last + 0.5) return this.abortScans(scans);
    const mode = r.chance(0.7) ? 'drop' : 'place';
    let restAt = 0;
    const placed = [];
    products.forEach((p, j) => {
      const u = this.newUnit(p, grams[j]);
      const tj = begin + (j === 0 ? 0 : r.uniform(0.05, 0.35) * j);
      const end = this.landUnit(u, tj, mode);
      restAt = Math.max(restAt, end);
      placed.push({ u, tj });
    });
    for (const s of scans) s.usedByAdd = true;
    for (const { u, tj } of placed) {
      u.charged = true;
      this.record({ op: 'add', t: tj, restAt, unit: u, scanned: true, charged: true, note: 'together' });
    }
    this.t = restAt + this.quiet(false);
    return true;
  }

  /** never happens in practice (begin window too short) but keep truth sane */
  abortScans(scans) {
    for (const s of scans) s.role = 'abandoned';
    this.t = this.scannerFreeAt + 1;
    return true;
  }

  /** scan two or three items in a row, then put them in one by one */
  batchAdd(products) {
    const r = this.rng;
    const grams = products.map((p) => drawUnitGrams(r, p));
    let t = this.t + r.uniform(0.2, 1);
    const planned = products.map((p) => { t = this.scanTime(t, p.gtin); const x = t; t += r.uniform(0.6, 1.8); return x; });
    // every item must be the only clear explanation at its turn
    const base = this.openScans(planned[0]).map((s) => s.product);
    for (let j = 0; j < products.length; j++) {
      const open = [...base, ...products.slice(j)];
      if (!addIsClear(grams[j], open, products[j].gtin)) return false;
    }
    const scans = products.map((p, j) => this.commitScan(this.scanTime(planned[j], p.gtin), { product: p }, 'item'));
    let begin = scans[scans.length - 1].t + r.uniform(0.9, 2.5);
    for (let j = 0; j < products.length; j++) {
      if (begin > scans[j].tFirst + RULES.leadMax) begin = scans[j].tFirst + RULES.leadMax;
      const u = this.newUnit(products[j], grams[j]);
      const end = this.landUnit(u, begin, 'place', { noRoll: true });
      scans[j].usedByAdd = true;
      u.charged = true;
      this.record({ op: 'add', t: begin, restAt: end, unit: u, scanned: true, charged: true, note: 'batch' });
      this.t = end + this.quiet(false);
      begin = end + r.uniform(2.0, 2.8);
    }
    return true;
  }

  /** take out an item whose weight says clearly which it is */
  honestRemove(opts = {}) {
    const r = this.rng;
    const pool = opts.unit ? [opts.unit] : r.shuffle(this.removable());
    for (const u of pool) {
      const v = removalVerdict(u.grams, this.chargedMembers(), this.otherMembers(), u.product.gtin);
      if (v !== 'clear') continue;
      const scanned = opts.scanned ?? r.chance(0.3);
      this.removeUnit(u, scanned, null);
      return u;
    }
    return null;
  }

  removeUnit(u, scanned, alert) {
    const r = this.rng;
    let t = this.t + r.uniform(0.3, 1.5);
    if (scanned) {
      // page: "nothing else tells which" - a scan before taking it out does
      const scan = this.commitScan(this.scanTime(t, u.product.gtin), { product: u.product }, 'removal');
      t = scan.t + r.uniform(0.8, 6);
    }
    const restAt = this.liftUnit(u, t);
    this.record({ op: 'remove', t, restAt, unit: u, scanned, charged: u.charged, alert });
    this.t = restAt + this.quiet(alert !== null);
    return restAt;
  }

  /** twin products in the basket: scan the one taken out, so no alert */
  scanThenRemove(group) {
    const twins = this.units.filter((u) => u.twin === group && u.present && u.charged);
    if (twins.length < 2) return false;
    const u = this.rng.pick(twins);
    const v = removalVerdict(u.grams, this.chargedMembers(), this.otherMembers(), u.product.gtin);
    if (v !== 'ambiguous') return false;
    if (this.openScans(this.t).length) this.waitOutScans(this.t);
    this.removeUnit(u, true, null);
    for (const x of twins) x.reserved = false;
    return true;
  }

  /** take one out, walk a bit, scan it again and put it back */
  removeAndRescan() {
    const u = this.honestRemove();
    if (!u) return false;
    this.passTime(this.t + this.rng.uniform(4, 25), { scans: false });
    return this.honestAdd(u.product, { unit: u });
  }

  /**
   * Scan something, then decide against it. The product is chosen so that
   * its weight clearly differs from the next items the shopper puts in;
   * otherwise a firmware holding the scan open could charge the wrong one.
   */
  abandonScan(upcoming) {
    const r = this.rng;
    if (upcoming.some((q) => q.byWeight)) return false;
    const pool = CATALOG.filter((p) => !p.byWeight && upcoming.every((q) =>
      classify(q.grams, [{ product: p }]) === 'miss' && q !== p));
    if (!pool.length) return false;
    const p = r.pick(pool);
    const scan = this.commitScan(this.scanTime(this.t + r.uniform(0.3, 1), p.gtin), { product: p }, 'abandoned');
    this.t = scan.t + r.uniform(2, 6);
    return true;
  }

  // ------------------------------------------------------------ incidents

  /** no open scan anywhere near: make sure, walking on if needed */
  clearOfScans() {
    for (let i = 0; i < 3; i++) {
      if (!this.openScans(this.t).length) return true;
      if (!this.waitOutScans(this.t)) return false;
    }
    return !this.openScans(this.t).length;
  }

  /** an item put in with no scan. variant: plain | motion | noncat */
  unscannedAdd(product, variant) {
    const r = this.rng;
    if (!this.clearOfScans()) return false;
    const grams = drawUnitGrams(r, product);
    let begin;
    let restFloor = 0;
    let landing = this.pickMode(product, false);
    if (variant === 'motion') {
      const m0 = this.t + r.uniform(0.3, 1);
      begin = m0 + r.uniform(1, 6);
      const m = this.addMotion(m0, begin - m0 + r.uniform(1.5, 10));
      restFloor = m.t1;
      landing = this.motionLanding(product);
    } else if (variant === 'noncat') {
      // a coupon or loyalty card scanned first: it announces nothing
      const label = r.pick(['coupon', 'loyalty', 'unknown', 'qr']);
      const nc = nonCatalogPayload(this.srng, this.cart.scanner, label);
      const scan = this.commitScan(this.scanTime(this.t + 0.5, nc.code), { noncat: nc }, 'non-catalog');
      begin = scan.t + r.uniform(1, 8);
    } else {
      begin = this.t + r.uniform(0.5, 3);
    }
    const u = this.newUnit(product, grams);
    const end = this.landUnit(u, begin, landing);
    const restAt = Math.max(end, restFloor);
    u.charged = false;
    this.record({ op: 'add', t: begin, restAt, unit: u, scanned: false, charged: false,
      alert: 'unscanned-item', note: `unscanned-${variant}` });
    this.t = restAt + this.quiet(true);
    return true;
  }

  /** scan the cheap one, put the expensive one in */
  swap(cheap, dear) {
    const r = this.rng;
    if (!this.clearOfScans()) return false;
    const grams = drawUnitGrams(r, dear);
    if (!addIsClear(grams, [cheap], '')) return false;
    const scan = this.commitScan(this.scanTime(this.t + r.uniform(0.3, 1), cheap.gtin), { product: cheap }, 'mismatch');
    const begin = Math.min(scan.t + r.uniform(0.9, 10), scan.tFirst + RULES.leadMax);
    const u = this.newUnit(dear, grams);
    const end = this.landUnit(u, begin, this.pickMode(dear, false));
    u.charged = false;
    // the scan stays "open" for the planner's stale-scan rule: a firmware
    // may keep waiting for the cheap item
    this.record({ op: 'add', t: begin, restAt: end, unit: u, scanned: true, charged: false,
      alert: 'weight-mismatch', scannedGtin: cheap.gtin, note: 'swap' });
    this.t = end + this.quiet(true);
    return true;
  }

  /** take part of a pack out: one pot, one can, one banana */
  partialRemoval() {
    const r = this.rng;
    const pool = r.shuffle(this.units.filter((u) => u.present && u.charged && !u.partial
      && u.busyUntil <= this.t && (u.product.multi || (u.product.byWeight && u.grams >= 250))));
    for (const u of pool) {
      // a multipack splits into its units; produce into pieces of any size,
      // so try a few until one fits nothing in the cart
      const tries = u.product.multi ? 1 : 5;
      let grams = null;
      for (let k = 0; k < tries && grams === null; k++) {
        const piece = round1(u.product.multi
          ? u.product.multi.grams * r.uniform(0.97, 1.03)
          : clamp(u.grams * r.uniform(0.12, 0.3), 60, 300));
        if (u.grams - piece < 50) continue;
        if (removalVerdict(piece, this.chargedMembers(), this.otherMembers(), null) === 'unknown') grams = piece;
      }
      if (grams === null) continue;
      const t = this.t + r.uniform(0.3, 1.5);
      const ev = E.partialEvent(r, t, grams);
      if (!this.pushEvent(u, ev)) continue;
      u.grams = round1(u.grams - grams);
      u.partial = true;
      this.record({ op: 'remove', t, restAt: ev.end, unit: u, grams, scanned: false, charged: false,
        alert: 'unknown-removal', partial: true, note: 'partial' });
      this.t = ev.end + this.quiet(true);
      return true;
    }
    return false;
  }

  /**
   * One of two near-equal items taken out, unscanned: ambiguous. Right
   * after, the shopper takes out the other one too, so the final basket
   * does not depend on which one the cart guessed.
   */
  ambiguousRemoval(group) {
    const r = this.rng;
    const twins = r.shuffle(this.units.filter((u) => u.twin === group && u.present && u.charged
      && !u.partial && u.busyUntil <= this.t));
    if (twins.length < 2) return false;
    let [u1, u2] = twins;
    // nothing else may tell which: no recent scan of any product the
    // weight fits (walk on until such scans are stale)
    const fitGtins = () => {
      const v = verdicts(u1.grams, this.chargedMembers());
      return new Set([...v].filter(([k, x]) => k && x !== 'miss').flatMap(([k]) => k.split('+')));
    };
    const recent = this.scanLog.filter((s) => s.gtin && fitGtins().has(s.gtin) && s.t >= this.t - RULES.staleS);
    if (recent.length) this.passTime(Math.max(...recent.map((s) => s.t)) + RULES.staleS + 1, { scans: false });
    // try both orders: the first removal must be ambiguous, the follow-up
    // clear whichever one the cart kept
    const works = (a, b) => {
      if (removalVerdict(a.grams, this.chargedMembers(), this.otherMembers(), a.product.gtin) !== 'ambiguous') return false;
      if (removalVerdict(b.grams, this.chargedMembers(a), this.otherMembers(), b.product.gtin) !== 'clear') return false;
      return removalVerdict(b.grams, this.chargedMembers(b), this.otherMembers(), a.product.gtin) === 'clear';
    };
    if (!works(u1, u2)) {
      if (!works(u2, u1)) return false;
      [u1, u2] = [u2, u1];
    }
    this.removeUnit(u1, false, 'ambiguous-removal');
    this.passTime(this.t + r.uniform(3, 15), { scans: false, noDisturb: true });
    this.removeUnit(u2, false, null);
    return true;
  }

  /** take an item out, then put it back in without scanning it again */
  putBackUnscanned() {
    const r = this.rng;
    if (!this.clearOfScans()) return false;
    const u = this.honestRemove({ scanned: false });
    if (!u) return false;
    this.passTime(this.t + r.uniform(5, 25), { scans: false });
    if (!this.clearOfScans()) return false;
    const begin = this.t + r.uniform(0.5, 2);
    const end = this.landUnit(u, begin, this.pickMode(u.product, false));
    u.charged = false;
    this.record({ op: 'add', t: begin, restAt: end, unit: u, scanned: false, charged: false,
      alert: 'unscanned-item', note: 'put-back-unscanned' });
    this.t = end + this.quiet(true);
    return true;
  }
}

function clamp(x, lo, hi) { return Math.max(lo, Math.min(hi, x)); }
export function round1(x) { return Math.round(x * 10) / 10; }
