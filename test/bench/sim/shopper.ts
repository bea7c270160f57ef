// The simulated shopper: walks the store scanning and placing items, pushes
// the cart between stops, changes their mind, rearranges, presses buttons,
// and in a dishonest trip does what the cart must catch. Each step is drafted,
// checked (draft.ts, judge.ts) so that its outcome is beyond dispute, and only
// then committed to the timeline, which keeps the account.
import type { BasketGeometry, Gtin, Seconds } from '../../../firmware/domain.js';
import { catalogExpectation, loadAt, randomSpot, removalCandidate } from './basket-units.js';
import type { StockedProduct } from './catalog.js';
import { plus, scaled } from './corners.js';
import { judgeDraft, type Draft, type PlannedPlacement } from './draft.js';
import { corruptDigit, randomGtin, symbolDigits } from './gtin.js';
import type { Hand } from './hand.js';
import { measureSd, onlyExplanation, verdictOf } from './judge.js';
import type { Profile } from './profiles.js';
import type { Random } from './random.js';
import type { Scanner } from './scanner.js';
import { round, SCAN_FORGOTTEN_S, Timeline, type PlannedTrip } from './timeline.js';

/** After an alert for an item put in, a scan this soon could be taken as the late scan of it (the reconciler's lateScanSec, with margin). */
const LATE_SCAN_S = 12;
/** A deliberate second scan of one product comes at least this long after the first: the scanner's own repeats are within 1 s. */
const RESCAN_S = 1.5;
/** The firmware zeroes the empty basket first; samples: the first weight change at 4.8 s at the earliest. */
const FIRST_CHANGE_S = 4.5;
/** Part of an item taken out weighs at least this much: samples 59 g and 131 g; less would sink into drift on a harsh cart. */
const MIN_PART_GRAMS = 25;

export type Offence = 'unscanned' | 'mismatch' | 'partial' | 'ambiguous';

export class Shopper {
  private readonly trip: Timeline;
  private lastProduct: StockedProduct | null = null;
  /** How many of lastProduct went in in a row. */
  private run = 0;
  private readonly lightest: StockedProduct;
  private readonly longPushes: boolean;
  /** Products in the catalog with a look-alike of a different GTIN. */
  private readonly twins: [StockedProduct, StockedProduct][];

  constructor(
    private readonly rng: Random,
    private readonly profile: Profile,
    private readonly catalog: readonly StockedProduct[],
    private readonly geometry: BasketGeometry,
    private readonly scanner: Scanner,
    private readonly hand: Hand,
  ) {
    this.trip = new Timeline(rng, profile, geometry, scanner, hand, rng.uniform(2.5, 5.5));
    this.longPushes = rng.chance(profile.motion.longPushTripShare);
    this.twins = this.findTwins();
    this.lightest = catalog.reduce((a, b) => (b.grams < a.grams ? b : a));
  }

  plan(honest: boolean): PlannedTrip {
    const s = this.profile.shopper;
    if (this.rng.chance(s.myBagShare)) this.bringOwnBag();
    let itemsLeft = this.rng.int(...s.items);
    const offences: { kind: Offence; fromStep: number; tries: number }[] = [];
    if (!honest) {
      const count = this.rng.int(...s.offences);
      for (let i = 0; i < count; i++) {
        offences.push({
          kind: this.rng.weighted([['unscanned', 0.3], ['mismatch', 0.25], ['partial', 0.25], ['ambiguous', 0.2]] as const),
          fromStep: this.rng.int(2, Math.max(2, itemsLeft)),
          tries: 0,
        });
      }
    }
    for (let step = 0; (itemsLeft > 0 || offences.length > 0) && step < 500; step++) {
      const due = offences.find((o) => o.fromStep <= step || itemsLeft <= 0);
      if (due) {
        // An offence that cannot be done yet (nothing to take part of, an open scan) waits while the shopping
        // goes on; after a few tries in quiet it becomes a mismatch, which can always be done.
        const kind = due.tries >= 4 ? 'mismatch' : due.kind;
        if (this.trip.isQuiet()) due.tries++;
        if (this.commitOffence(kind)) offences.splice(offences.indexOf(due), 1);
        else if (itemsLeft <= 0 && !this.trip.isQuiet()) this.waitUntilQuiet();
        else itemsLeft -= this.shoppingStep(itemsLeft);
      } else {
        itemsLeft -= this.shoppingStep(itemsLeft);
      }
      itemsLeft -= this.afterStep(itemsLeft);
      if (this.basketFull()) itemsLeft = Math.min(itemsLeft, 0);
    }
    this.trip.idle(this.rng.uniform(5, 30));
    return this.trip.result();
  }

  // --- steps -------------------------------------------------------------

  /** One step of honest shopping; returns how many items it put in. */
  private shoppingStep(itemsLeft: number): number {
    const s = this.profile.shopper;
    const kind = this.rng.weighted([
      ['pair', itemsLeft >= 2 ? s.pairShare : 0],
      ['abandon', s.abandonShare],
      ['remove-scanned', s.removeScannedShare],
      ['remove-unscanned', s.removeUnscannedShare],
      ['rearrange', s.rearrangeShare],
      ['look', s.lookShare],
      ['help', s.helpShare],
      ['foreign', s.unknownCodeShare],
      ['misread', s.misreadShare],
      ['single', 1],
    ] as const);
    switch (kind) {
      case 'pair':
        if (this.placePair()) return 2;
        break;
      case 'abandon':
        this.abandonScan();
        return 0;
      case 'remove-scanned':
        if (this.removeUnit(true)) return 0;
        break;
      case 'remove-unscanned':
        if (this.removeUnit(false)) return 0;
        break;
      case 'rearrange':
        if (this.rearrange()) return 0;
        break;
      case 'look':
        if (this.liftAndPutBack()) return 0;
        break;
      case 'help':
        this.trip.pressButton('help', this.trip.now + this.rng.uniform(0, 1));
        return 0;
      case 'foreign':
        this.scanForeignCode();
        return 0;
      case 'misread':
        return this.misreadThenPlace() ? 1 : 0;
      case 'single':
        break;
    }
    return this.placeSingle() ? 1 : 0;
  }

  /** Between steps: a pause, and often a push to the next shelf. Returns how many items were dropped in on the way. */
  private afterStep(itemsLeft: number): number {
    this.trip.idle(this.rng.uniform(...this.profile.shopper.idleS));
    if (!this.rng.chance(this.profile.motion.pushShare)) return 0;
    if (itemsLeft > 0 && this.rng.chance(this.profile.motion.dropWhilePushShare) && this.dropWhilePushing()) {
      this.trip.idle(this.rng.uniform(0.5, 3));
      return 1;
    }
    const endS = this.trip.now + this.pushDuration();
    this.trip.commitPush(this.trip.now, endS);
    this.trip.now = endS;
    this.trip.idle(this.rng.uniform(0.5, 3));
    return 0;
  }

  private placeSingle(product?: StockedProduct, grams?: number): boolean {
    return this.attempt(() => {
      const p = product ?? this.chooseProduct();
      const scanT = this.trip.now;
      const placement = this.planPlacement(p, scanT + this.scanLag(), 0, grams);
      const draft: Draft = { scans: [{ t: scanT, product: p }], groups: [{ placements: [placement], outcome: 'charged' }], push: null };
      if (this.rng.chance(this.profile.motion.pushShare * this.profile.motion.dropThenPushShare)) {
        const startS = placement.gesture.forces[0]!.startS + this.rng.uniform(0.5, 1.3);
        draft.push = { startS, endS: startS + this.pushDuration() };
      }
      return draft;
    });
  }

  /** Two scans, then both items: one after the other, the second before the first settles, or both at once. */
  private placePair(): boolean {
    return this.attempt(() => {
      const a = this.chooseProduct();
      const b = this.rng.chance(0.4) ? a : this.chooseProduct();
      const scanA = this.trip.now;
      const scanB = scanA + (a === b ? this.rng.uniform(RESCAN_S, 3) : this.rng.uniform(0.7, 2));
      const first = this.planPlacement(a, scanB + this.scanLag(), 0);
      const t0 = first.gesture.forces[0]!.startS;
      const mode = this.rng.weighted([['separate', 0.2], ['overlap', 0.6], ['together', 0.2]] as const);
      const scans = [{ t: scanA, product: a }, { t: scanB, product: b }];
      if (mode === 'separate') {
        const second = this.planPlacement(b, first.gesture.endS + this.restGap(), 1);
        return { scans, groups: [{ placements: [first], outcome: 'charged' }, { placements: [second], outcome: 'charged' }], push: null };
      }
      const startB = mode === 'together' ? t0 : t0 + Math.min(this.rng.uniform(0.3, 0.8), 0.6 * (first.gesture.endS - t0));
      const second = this.planPlacement(b, startB, 1);
      return { scans, groups: [{ placements: [first, second], outcome: 'charged' }], push: null };
    });
  }

  /** Scans an item, sets off pushing, and drops the item in on the way. */
  private dropWhilePushing(): boolean {
    return this.attempt(() => {
      const p = this.chooseProduct();
      const scanT = this.trip.now;
      const startS = scanT + this.rng.uniform(0.6, 2);
      const endS = startS + this.pushDuration();
      const placement = this.planPlacement(p, startS + this.rng.uniform(0.5, Math.min(endS - startS - 0.5, 10)), 0);
      return { scans: [{ t: scanT, product: p }], groups: [{ placements: [placement], outcome: 'charged' }], push: { startS, endS } };
    });
  }

  private abandonScan(): void {
    const placed = this.trip.units.filter((u) => u.product && u.status === 'charged');
    const last = placed.at(-1)?.product;
    const product = last && this.rng.chance(0.5) ? last : this.chooseProduct();
    this.trip.recordScan(this.trip.readLabel(this.trip.now, product), product.gtin, 'abandoned');
  }

  /** A code from another store or a product this one does not list: announces nothing. */
  private scanForeignCode(): void {
    const known = new Set(this.catalog.map((p) => p.gtin));
    let gtin: Gtin;
    do gtin = randomGtin(this.rng, 'ean13');
    while (known.has(gtin));
    this.trip.recordScan(this.scanner.read(this.trip.now, gtin, false), gtin, 'not-in-catalog');
  }

  /** A smudged label reads with a wrong check digit; the cart does not beep, so the shopper scans again. */
  private misreadThenPlace(): boolean {
    const product = this.chooseProduct();
    const code = corruptDigit(this.rng, symbolDigits(product.gtin));
    this.trip.recordScan(this.scanner.readDigits(this.trip.now, code), code.padStart(14, '0'), 'misread');
    this.trip.now += this.rng.uniform(RESCAN_S, 3);
    return this.placeSingle(product);
  }

  private removeUnit(scanned: boolean): boolean {
    if (!this.trip.isQuiet()) return false;
    const choices = this.trip.units.filter((u) => u.product && u.status === 'charged' && !u.tampered);
    const rng = this.rng;
    for (let tries = 0; tries < 6 && choices.length > 0; tries++) {
      const unit = rng.pick(choices);
      const product = unit.product!;
      // With a scan, a firmware weighs only the units of the scanned product.
      const candidates = this.trip.present().filter((u) => !scanned || u.product === product).map((u) => removalCandidate(u, this.profile.resolution));
      if (!onlyExplanation(unit.grams, candidates, [product.gtin], this.profile.resolution, { fewestFirst: true })) continue;
      let t0 = this.notBefore(this.trip.now);
      if (scanned) {
        this.trip.recordScan(this.trip.readLabel(this.trip.now, product), product.gtin, 'removal', 'removal');
        t0 += rng.uniform(0.7, 2.4);
      }
      this.trip.commitRemoval(unit, t0, unit.load, { scanned, charged: true, alert: null });
      return true;
    }
    return false;
  }

  /** Lifts (part of) an item and sets it down elsewhere: no net change. */
  private rearrange(): boolean {
    const choices = this.trip.present();
    if (choices.length === 0) return false;
    const unit = this.rng.pick(choices);
    const share = this.rng.chance(0.5) ? 1 : this.rng.uniform(0.6, 0.95);
    const from = scaled(unit.load, share);
    const to = loadAt(unit.grams * share, randomSpot(this.rng, this.geometry), this.geometry);
    const t0 = this.notBefore(this.trip.now);
    const gesture = this.hand.move(t0, from, to);
    this.trip.forces.push(...gesture.forces);
    unit.load = plus(plus(unit.load, scaled(from, -1)), to);
    this.trip.rearranged.push([round(t0, 3), round(gesture.putDownS, 3)]);
    this.trip.now = this.trip.restS = gesture.endS;
    return true;
  }

  /**
   * Lifts an item out, holds it for seconds (reads its label, makes room) and
   * puts it back: nothing bought, nothing to alert. Only an item the weight
   * alone names (the only explanation of its weight in the basket), and with
   * no scan open that the put-back could be taken for.
   */
  private liftAndPutBack(): boolean {
    if (!this.trip.isQuiet()) return false;
    const res = this.profile.resolution;
    const candidates = this.trip.present().map((u) => removalCandidate(u, res));
    const choices = this.trip.units.filter((u) => u.product && u.status === 'charged' && !u.tampered && u.grams > 0
      && onlyExplanation(u.grams, candidates, [u.product.gtin], res, { fewestFirst: true }));
    if (choices.length === 0) return false;
    const unit = this.rng.pick(choices);
    const to = loadAt(unit.grams, randomSpot(this.rng, this.geometry), this.geometry);
    const t0 = this.notBefore(this.trip.now);
    const gesture = this.hand.move(t0, unit.load, to, this.rng.uniform(...this.profile.shopper.lookS));
    this.trip.forces.push(...gesture.forces);
    unit.load = to;
    this.trip.rearranged.push([round(t0, 3), round(gesture.putDownS, 3)]);
    this.trip.now = this.trip.restS = gesture.endS;
    return true;
  }

  /** The shopper presses "my bag" and puts their own bag in first. */
  private bringOwnBag(): void {
    this.trip.pressButton('my-bag', this.trip.now);
    const grams = round(this.rng.logUniform(40, 600), 1);
    const t0 = this.notBefore(this.trip.now + this.rng.uniform(1, 4));
    const load = loadAt(grams, randomSpot(this.rng, this.geometry), this.geometry);
    const gesture = this.trip.placeOwnBag(t0, grams, load);
    this.trip.now = gesture.endS + this.rng.uniform(...this.profile.shopper.idleS);
  }

  // --- offences ----------------------------------------------------------

  private commitOffence(kind: Offence): boolean {
    switch (kind) {
      case 'unscanned':
        return this.placeUnscanned();
      case 'mismatch':
        return this.placeMismatch();
      case 'partial':
        return this.takePart();
      case 'ambiguous':
        return this.removeAmbiguously();
    }
  }

  private placeUnscanned(): boolean {
    if (!this.trip.isQuiet()) return false;
    const done = this.attempt(() => ({
      scans: [],
      groups: [{ placements: [this.planPlacement(this.chooseProduct(), this.trip.now, null)], outcome: 'unscanned' }],
      push: null,
    }));
    if (done) this.trip.idle(this.rng.uniform(LATE_SCAN_S, LATE_SCAN_S + 8));
    return done;
  }

  /** Scans one product and puts in another whose weight does not fit it. */
  private placeMismatch(): boolean {
    const done = this.attempt(() => {
      const scanned = this.chooseProduct();
      const other = this.rng.pick(this.catalog);
      const scanT = this.trip.now;
      const placement = this.planPlacement(other, scanT + this.scanLag(), 0);
      return { scans: [{ t: scanT, product: scanned }], groups: [{ placements: [placement], outcome: 'mismatch' }], push: null };
    });
    if (done) this.trip.idle(this.rng.uniform(LATE_SCAN_S, LATE_SCAN_S + 8));
    return done;
  }

  /** Takes part of an item out (one can of a multipack, a few lemons from a bag): fits nothing in the basket. */
  private takePart(): boolean {
    if (!this.trip.isQuiet()) return false;
    const choices = this.trip.units.filter((u) => u.product && u.status === 'charged' && !u.tampered && 0.6 * u.grams >= MIN_PART_GRAMS);
    for (let tries = 0; tries < 8 && choices.length > 0; tries++) {
      const unit = this.rng.pick(choices);
      const grams = unit.grams * this.rng.uniform(Math.max(0.15, MIN_PART_GRAMS / unit.grams), 0.6);
      const candidates = this.trip.present().map((u) => removalCandidate(u, this.profile.resolution));
      if (!onlyExplanation(grams, candidates, [], this.profile.resolution)) continue;
      this.trip.commitRemoval(unit, this.notBefore(this.trip.now), scaled(unit.load, grams / unit.grams), { scanned: false, charged: false, alert: 'unknown-removal', grams });
      return true;
    }
    return false;
  }

  /**
   * Takes out one of two look-alikes without scanning; alerted, the shopper
   * scans what they took out, which tells the cart which it was. If the basket
   * holds no look-alikes yet, the shopper puts a pair in first.
   */
  private removeAmbiguously(): boolean {
    if (!this.trip.isQuiet()) return false;
    if (this.removeLookAlike()) return true;
    if (this.twins.length === 0) return false;
    const [a, b] = this.rng.pick(this.twins);
    if (!this.placeSingle(a)) return false;
    const first = this.trip.units.at(-1)!;
    this.trip.idle(this.rng.uniform(...this.profile.shopper.idleS));
    // The second weighs what the first does, to within what the scale can tell.
    const close = round(first.placedGrams + this.rng.normal(0, 0.2 * measureSd(first.placedGrams, this.profile.resolution)), 1);
    if (!this.placeSingle(b, close)) return false;
    this.trip.idle(this.rng.uniform(...this.profile.shopper.idleS));
    return this.removeLookAlike();
  }

  private removeLookAlike(): boolean {
    const res = this.profile.resolution;
    const candidates = this.trip.present().map((u) => removalCandidate(u, res));
    const target = this.trip.units.find((u) => u.product && u.status === 'charged' && !u.tampered && u.grams > 0
      && onlyExplanation(u.grams, candidates, [u.product.gtin], res, { rivals: 'some', fewestFirst: true }));
    if (!target?.product) return false;
    const product = target.product;
    const gesture = this.trip.commitRemoval(target, this.notBefore(this.trip.now), target.load, { scanned: false, charged: true, alert: 'ambiguous-removal' });
    const scanT = gesture.endS + this.rng.uniform(1.5, 5);
    this.trip.recordScan(this.trip.readLabel(scanT, product), product.gtin, 'resolution', 'removal');
    this.trip.now = scanT + 0.5;
    this.trip.idle(this.rng.uniform(LATE_SCAN_S, LATE_SCAN_S + 8));
    return true;
  }

  // --- planning helpers ----------------------------------------------------

  /** Tries a drafting function until the judge accepts a draft, then commits it. */
  private attempt(make: () => Draft, tries = 8): boolean {
    const productOf = (gtin: string) => {
      const p = this.catalog.find((c) => c.gtin === gtin);
      if (!p) throw new Error(`scan of ${gtin}, which is not in the catalog`);
      return p;
    };
    for (let i = 0; i < tries; i++) {
      const draft = make();
      if (judgeDraft(draft, (t) => this.trip.lingeringScans(t), productOf, this.profile.resolution)) {
        for (const product of this.trip.commitDraft(draft)) {
          this.run = this.lastProduct === product ? this.run + 1 : 1;
          this.lastProduct = product;
        }
        return true;
      }
    }
    return false;
  }

  private planPlacement(product: StockedProduct, t0: Seconds, scan: number | null, grams?: number): PlannedPlacement {
    const g = grams ?? this.unitGrams(product);
    const load = loadAt(g, randomSpot(this.rng, this.geometry), this.geometry);
    return { product, grams: g, load, gesture: this.hand.place(this.notBefore(t0), load), scan };
  }

  /** A weight change starts only once the basket has rested a while, so that each change settles on its own. */
  private notBefore(t: Seconds): Seconds {
    return Math.max(t, this.trip.restS + this.profile.shopper.minRestS, FIRST_CHANGE_S);
  }

  private restGap(): Seconds {
    const min = this.profile.shopper.minRestS;
    return this.rng.uniform(min, min + 2);
  }

  /** One unit's weight: near its catalog weight (a bag: anything the product plausibly weighs). */
  private unitGrams(p: StockedProduct): number {
    if (p.byWeight) return round(Math.max(0.3 * p.grams, this.rng.truncatedNormal(p.grams, p.gramsSd, 2)), 1);
    return round(this.rng.truncatedNormal(p.grams, p.gramsSd, 2.2), 1);
  }

  /** The next product off the shelf: often the same as the last (up to a run of maxRun), never one the basket cannot take. */
  private chooseProduct(): StockedProduct {
    const s = this.profile.shopper;
    const room = s.maxBasketGrams - this.trip.basketGrams();
    const fits = (p: StockedProduct) => p.grams + 2.5 * p.gramsSd <= room;
    const last = this.lastProduct;
    if (last && fits(last) && this.run < s.maxRun && this.rng.chance(s.repeatShare)) return last;
    const choices = this.catalog.filter(fits);
    return choices.length > 0 ? this.rng.pick(choices) : this.lightest;
  }

  /** Nearly full: the shopper heads for the till. */
  private basketFull(): boolean {
    return this.trip.basketGrams() > this.profile.shopper.maxBasketGrams - 2500;
  }

  private scanLag(): Seconds {
    return 0.4 + Math.min(8, this.rng.exponential(this.profile.shopper.scanLagMeanS));
  }

  private pushDuration(): Seconds {
    const m = this.profile.motion;
    return this.rng.uniform(...(this.longPushes ? m.longPushS : m.shortPushS));
  }

  private waitUntilQuiet(): void {
    const last = Math.max(...this.trip.lingeringScans(this.trip.now).map((s) => s.t));
    this.trip.idle(Math.max(1, last + SCAN_FORGOTTEN_S - this.trip.now + this.rng.uniform(0.5, 3)));
  }

  /** Look-alike products of different GTINs: each unit of one clearly fits the other. */
  private findTwins(): [StockedProduct, StockedProduct][] {
    const res = this.profile.resolution;
    const solid = this.catalog.filter((p) => !p.byWeight);
    const pairs: [StockedProduct, StockedProduct][] = [];
    for (const a of solid) {
      for (const b of solid) {
        if (a.gtin < b.gtin && Math.abs(a.grams - b.grams) < 0.25 * Math.min(a.gramsSd, b.gramsSd)
          && verdictOf(a.grams, [catalogExpectation(b)], res) === 'fits') pairs.push([a, b]);
      }
    }
    return pairs;
  }
}
