// What has happened so far on a simulated trip: the items in the basket, the
// scans, the forces and pushes the renderer will play, and the truth's
// records. The shopper decides; this keeps the account.
import type { BasketGeometry, Gtin, Seconds } from '../../../firmware/domain.js';
import { centreOf, clampSpot, randomSpot, type Unit } from './basket-units.js';
import type { StockedProduct } from './catalog.js';
import { cornerShares, plus, scaled, type Corners } from './corners.js';
import type { Draft } from './draft.js';
import { Ramp, type Force } from './forces.js';
import type { Gesture, Hand } from './hand.js';
import type { Profile } from './profiles.js';
import { Push } from './push.js';
import type { Random } from './random.js';
import type { ReadTimes, Scanner } from './scanner.js';
import type { AlertKind, ScanRole, TruthAction, TruthScan } from './truth.js';

/**
 * How long the truth assumes a firmware might keep an unused scan open.
 * Nothing whose outcome such a scan could change happens within this time.
 */
export const SCAN_FORGOTTEN_S = 60;

export interface ButtonEvent {
  t: Seconds;
  name: 'help' | 'my-bag';
  pressed: boolean;
}

export interface ScanRecord extends TruthScan {
  /** Spent on a placement, a removal or a mismatch; null while open. */
  spentOn: 'placement' | 'removal' | 'mismatch' | null;
}

export interface PlannedTrip {
  forces: Force[];
  pushes: Push[];
  buttons: ButtonEvent[];
  actions: TruthAction[];
  scans: TruthScan[];
  motion: [Seconds, Seconds][];
  rearranged: [Seconds, Seconds][];
  durationS: Seconds;
}

export const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

export class Timeline {
  /** The shopper's clock: where the next step begins. */
  now: Seconds;
  /** When the basket last came to rest. */
  restS: Seconds = 0;
  readonly units: Unit[] = [];
  readonly scans: ScanRecord[] = [];
  private readonly actions: TruthAction[] = [];
  readonly forces: Force[] = [];
  private readonly pushes: Push[] = [];
  private readonly buttons: ButtonEvent[] = [];
  private readonly motion: [Seconds, Seconds][] = [];
  readonly rearranged: [Seconds, Seconds][] = [];

  constructor(
    private readonly rng: Random,
    private readonly profile: Profile,
    private readonly geometry: BasketGeometry,
    private readonly scanner: Scanner,
    private readonly hand: Hand,
    startS: Seconds,
  ) {
    this.now = startS;
  }

  present(): Unit[] {
    return this.units.filter((u) => u.grams > 0);
  }

  basketGrams(): number {
    return this.units.reduce((sum, u) => sum + u.grams, 0);
  }

  /** Scans not spent on a placement or removal, recent enough that a firmware may still hold them open at time t. */
  lingeringScans(t: Seconds): ScanRecord[] {
    // A scan spent on a mismatch lingers too: a firmware need not spend it.
    const announcing: readonly ScanRole[] = ['item', 'abandoned', 'mismatch'];
    return this.scans.filter((s) => announcing.includes(s.role) && s.spentOn !== 'placement' && s.spentOn !== 'removal' && t - s.t < SCAN_FORGOTTEN_S && s.t <= t);
  }

  /** No scan lingers that could make an item put in look scanned, or name what is taken out. */
  isQuiet(): boolean {
    return this.lingeringScans(this.now).length === 0;
  }

  readLabel(t: Seconds, product: StockedProduct): ReadTimes {
    return this.scanner.read(t, product.gtin, product.dataBar);
  }

  recordScan(read: ReadTimes, gtin: Gtin, role: ScanRole, spentOn: ScanRecord['spentOn'] = null): ScanRecord {
    const record: ScanRecord = { t: read.t, gtin, role, spentOn };
    this.scans.push(record);
    for (const t of read.repeats) this.scans.push({ t, gtin, role: 'duplicate', spentOn: null });
    return record;
  }

  pressButton(name: ButtonEvent['name'], t: Seconds): void {
    const down = round(t, 4);
    this.buttons.push({ t: down, name, pressed: true }, { t: round(down + this.rng.uniform(0.2, 0.4), 4), name, pressed: false });
  }

  addUnit(product: StockedProduct | null, grams: number, load: Corners, status: Unit['status']): Unit {
    const unit: Unit = { id: this.units.length, product, placedGrams: grams, grams, load, status, tampered: false };
    this.units.push(unit);
    return unit;
  }

  /** Time passes with the cart standing: now and then someone knocks it. */
  idle(durS: Seconds): void {
    const m = this.profile.motion;
    const from = this.now + 0.4;
    const to = this.now + durS - 0.4;
    for (let t = from + this.rng.exponential(60 / m.knocksPerMin); m.knocksPerMin > 0 && t < to; t += this.rng.exponential(60 / m.knocksPerMin)) {
      const grams = this.rng.logUniform(...m.knockGrams) * this.rng.sign();
      this.forces.push(this.hand.knock(t, scaled(cornerShares(randomSpot(this.rng, this.geometry), this.geometry), grams)));
    }
    this.now += durS;
  }

  /** The shopper's own bag, announced with the my-bag button: not charged, no alert. */
  placeOwnBag(t0: Seconds, grams: number, load: Corners): Gesture {
    const gesture = this.hand.place(t0, load);
    this.forces.push(...gesture.forces);
    const unit = this.addUnit(null, grams, load, 'personal');
    this.actions.push({ t: round(t0, 4), restAt: round(gesture.endS, 3), op: 'add', gtin: null, grams: unit.placedGrams, scanned: false, charged: false, alert: null, unit: unit.id, personal: true });
    this.restS = gesture.endS;
    return gesture;
  }

  /** Records a draft the judge accepted; returns the products put in, in order. */
  commitDraft(draft: Draft): StockedProduct[] {
    const records = draft.scans.map((s) => this.recordScan(this.readLabel(s.t, s.product), s.product.gtin, 'item'));
    if (draft.push) this.commitPush(draft.push.startS, draft.push.endS);
    const placed: StockedProduct[] = [];
    let endS = this.now;
    for (const group of draft.groups) {
      let restAt = Math.max(...group.placements.map((p) => p.gesture.endS));
      const push = draft.push;
      if (push && push.startS < restAt && push.endS > restAt) restAt = push.endS;
      for (const p of group.placements) {
        this.forces.push(...p.gesture.forces);
        const status = group.outcome === 'charged' ? 'charged' : 'unpaid';
        const unit = this.addUnit(p.product, p.grams, p.load, status);
        const scan = p.scan === null ? null : records[p.scan]!;
        let alert: AlertKind | null = null;
        if (scan) scan.spentOn = group.outcome === 'mismatch' ? 'mismatch' : 'placement';
        if (group.outcome === 'mismatch') {
          alert = 'weight-mismatch';
          scan!.role = 'mismatch';
        } else if (group.outcome === 'unscanned') {
          alert = 'unscanned-item';
        }
        const action: TruthAction = {
          t: round(p.gesture.forces[0]!.startS, 4), restAt: round(restAt, 3), op: 'add', gtin: p.product.gtin, grams: p.grams,
          scanned: scan !== null, charged: status === 'charged', alert, unit: unit.id,
        };
        if (group.outcome === 'mismatch') action.scannedGtin = draft.scans[p.scan!]!.product.gtin;
        this.actions.push(action);
        placed.push(p.product);
      }
      endS = Math.max(endS, restAt);
    }
    if (draft.push) endS = Math.max(endS, draft.push.endS);
    this.now = this.restS = endS;
    return placed;
  }

  /** Takes `load` (all of the unit, or with `grams` part of it) out of the basket. */
  commitRemoval(unit: Unit, t0: Seconds, load: Corners, how: { scanned: boolean; charged: boolean; alert: AlertKind | null; grams?: number }): Gesture {
    const gesture = this.hand.lift(t0, load);
    this.forces.push(...gesture.forces);
    const grams = round(how.grams ?? unit.grams, 1);
    const action: TruthAction = {
      t: round(t0, 4), restAt: round(gesture.endS, 3), op: 'remove', gtin: unit.product?.gtin ?? null, grams,
      scanned: how.scanned, charged: how.charged, alert: how.alert, unit: unit.id,
    };
    if (how.grams !== undefined) {
      action.partial = true;
      unit.tampered = true;
    }
    this.actions.push(action);
    unit.load = plus(unit.load, scaled(load, -1));
    unit.grams = how.grams === undefined ? 0 : unit.grams - how.grams;
    this.now = this.restS = gesture.endS;
    return gesture;
  }

  /** A push: the load swings, and the items slide a little as the cart starts, turns and stops. */
  commitPush(startS: Seconds, endS: Seconds): void {
    const m = this.profile.motion;
    this.pushes.push(new Push(this.rng, startS, endS, this.rng.logUniform(...m.swing)));
    this.restS = Math.max(this.restS, endS);
    this.motion.push([round(startS, 3), round(endS, 3)]);
    for (const unit of this.present()) {
      const centre = centreOf(unit.load, this.geometry);
      const moved = clampSpot({ xMm: centre.xMm + this.rng.normal(0, m.slideMm), yMm: centre.yMm + this.rng.normal(0, m.slideMm) }, this.geometry);
      const load = scaled(cornerShares(moved, this.geometry), unit.grams);
      this.forces.push(new Ramp(startS, endS - startS, plus(load, scaled(unit.load, -1)), true));
      unit.load = load;
    }
  }

  result(): PlannedTrip {
    const byTime = <T extends { t: Seconds }>(a: T, b: T) => a.t - b.t;
    return {
      forces: this.forces,
      pushes: this.pushes,
      buttons: [...this.buttons].sort(byTime),
      actions: [...this.actions].sort(byTime),
      scans: this.scans.map(({ t, gtin, role }) => ({ t, gtin, role })).sort(byTime),
      motion: this.motion,
      rearranged: this.rearranged,
      durationS: round(this.now, 3),
    };
  }
}
