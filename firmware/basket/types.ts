// What goes into the reconciler and what comes out of it. Everything here is
// plain data, so that state and decisions can be written to the event log as
// JSON and read back into the same values.
import type {
  ButtonPress, CentreMm, Gtin, Grams, Product, ProductScan, ScaleStatus, Seconds, SmallChange, StableDelta, StoreCodeScan,
} from '../domain.js';

export type AlertKind = 'unscanned-item' | 'weight-mismatch' | 'unknown-removal' | 'ambiguous-removal';

/** A staff member's decision on an alert, sent by the store. */
export interface StaffResolution {
  kind: 'staff-resolution';
  atSec: Seconds;
  alertId: number;
  /** accept-personal: the item is the shopper's own; remove-line: take one unit of `gtin` off the basket; clear: close the alert as it is. */
  action: 'accept-personal' | 'remove-line' | 'clear';
  gtin?: Gtin;
}

/** Time passing, with nothing else happening: lets open scans expire. */
export interface Tick {
  kind: 'tick';
  atSec: Seconds;
}

/**
 * The basket the store last acknowledged, taken back after the cart had to
 * start from an empty database (the old one was damaged and set aside).
 */
export interface BasketRestore {
  kind: 'basket-restore';
  atSec: Seconds;
  lines: { gtin: Gtin; qty: number; grams: Grams }[];
}

export type BasketInput = ProductScan | StoreCodeScan | StableDelta | ScaleStatus | ButtonPress | StaffResolution | BasketRestore | Tick;

/**
 * One physical thing in the basket. `charged` units make the shopper's basket;
 * `unpaid` ones sit in the cart under an alert; `personal` ones are the shopper's own.
 */
export interface Unit {
  id: number;
  gtin: Gtin | null;
  status: 'charged' | 'unpaid' | 'personal';
  grams: Grams;
  sdGrams: Grams;
  centre: CentreMm | null;
  addedAtSec: Seconds;
  /** The alert that keeps an unpaid unit out of the basket. */
  alertId?: number;
}

export interface PendingScan {
  id: number;
  gtin: Gtin;
  atSec: Seconds;
  /** Weight the code itself declares (variable-measure or GS1 net weight). */
  declaredGrams?: Grams;
}

export interface OpenAlert {
  id: number;
  kind: AlertKind;
  atSec: Seconds;
  grams: Grams;
  /** For an ambiguous removal: each plausible set of GTINs taken out, the one acted on first. */
  candidates?: Gtin[][];
  /** Units a removal took out provisionally, to put back if a scan says otherwise. */
  removedUnits?: Unit[];
}

/** The last placement matched to scans: a scan still open may yet turn out to belong to it. */
export interface Placement {
  restAtSec: Seconds;
  grams: Grams;
  sdGrams: Grams;
  scans: PendingScan[];
  unitIds: number[];
  /** Weight no scan explained, taken in as the rest of this placement, with the placement as it was before; until the next change. (Absent in older saved states.) */
  absorbed?: AbsorbedRest | null;
}

export interface AbsorbedRest {
  delta: StableDelta;
  grams: Grams;
  sdGrams: Grams;
  restAtSec: Seconds;
  lastAddAtSec: Seconds | null;
  units: { id: number; grams: Grams; sdGrams: Grams }[];
}

export interface BasketState {
  nextId: number;
  lastPlacement: Placement | null;
  /** When the last weight put in, whatever it was, began to go in (older saved states: when it was decided). */
  lastAddAtSec: Seconds | null;
  units: Unit[];
  pendingScans: PendingScan[];
  openAlerts: OpenAlert[];
  /** The shopper pressed "my bag": the next placement is theirs. Holds the press time. */
  personalArmedAtSec: Seconds | null;
  scaleState: ScaleStatus['state'];
  deadChannels: number[];
  /**
   * Weight put in or taken out that nothing explains, held for
   * continuationSec before the alert: an item set down or lifted one edge
   * first comes to rest twice, and the rest of it may yet follow. (Absent in
   * states saved before it existed.)
   */
  heldChange?: StableDelta | null;
  /** The last change the basket explained, with the basket as it was before it, while the next may still be part of the same gesture. (Absent in older saved states.) */
  lastChange?: LastChange | null;
  /** When the scale last left rest (settling, moving), null while at rest. (Absent in older saved states.) */
  unstillSinceSec?: Seconds | null;
  /** Whether the cart has been pushed (the scale moving) since it last left rest. (Absent in older saved states.) */
  pushedSinceRest?: boolean;
  /** The shopper's own bag, last put in: weight that follows within continuationSec is the rest of it. (Absent in older saved states.) */
  lastPersonal?: { unitId: number; restAtSec: Seconds } | null;
  /** Items lately taken out by weight alone (no scan): one put back is the same item again. (Absent in older saved states.) */
  takenOut?: TakenOut[];
  /** The last scan taken as the shopper's answer to an alert, until the next weight change. (Absent in older saved states.) */
  answeredScan?: AnsweredScan | null;
  /** The last change too small for the scale to report alone, while the next change may still be the rest of it. (Absent in older saved states.) */
  lastSmall?: SmallChange | null;
  /** Two rests of one gesture kept apart because each spent a scan, until the next change is decided. (Absent in older saved states.) */
  keptApart?: KeptApart | null;
  /** A held change decided when its wait ran out, until the shopper's next step. (Absent in older saved states.) */
  heldTimedOut?: HeldTimedOut | null;
  /** The last change, when it was two rests of weight taken out joined as one, until the next change. (Absent in older saved states.) */
  lastGesture?: JoinedGesture | null;
}

/**
 * A held change decided when its wait ran out, with the basket as it was
 * before, and the scans the decision spent: the scale sees a change begin
 * only once it is well under way, so the next change may yet turn out to
 * have begun in time to be the rest of it.
 */
export interface HeldTimedOut {
  before: BasketState;
  held: StableDelta;
  atSec: Seconds;
  spentScans: PendingScan[];
}

/**
 * Two rests that together fit one scanned item, kept two items because the
 * second spent a scan of its own (two bags of produce scanned, then put in
 * one after the other). Weight put in next that nothing explains, and that
 * the second's scan fits, shows they were one item and the scan was for it.
 */
export interface KeptApart {
  before: BasketState;
  first: StableDelta;
  second: StableDelta;
}

/**
 * A scan taken as the shopper's answer to an alert (the late scan of an
 * unscanned item, the scan naming which item left), with the basket as it
 * was before it: the next item put in may show it was meant for that item.
 */
export interface AnsweredScan {
  scan: ProductScan;
  before: BasketState;
}

/** Items taken out together by weight alone; `measured`: the weight the scale saw leave, when all of them did. */
export interface TakenOut {
  units: Unit[];
  /** When they were out: the removal's rest, not when the scale told of it (it waits to see a lifted item is not put down elsewhere). */
  atSec: Seconds;
  measured?: { grams: Grams; sdGrams: Grams };
}

export interface LastChange {
  before: BasketState;
  delta: StableDelta;
  /** Fit cost of its explanation (negative log-likelihood). */
  cost: number;
  /** A scan named what it took out: it is revised only into a removal the scan names too. (Absent in older saved states.) */
  named?: boolean;
}

/** Two rests of weight taken out, joined as one gesture: the basket as the first left it alone, and the second rest. */
export interface JoinedGesture {
  firstAlone: BasketState;
  second: StableDelta;
}

/** Why a decision was taken: enough to explain it from the log afterwards. */
export interface Reason {
  rule: string;
  measuredGrams?: Grams;
  expectedGrams?: Grams;
  toleranceGrams?: Grams;
  scanIds?: number[];
  deltaAtSec?: Seconds;
}

export type Decision =
  | { kind: 'add'; atSec: Seconds; unitId: number; gtin: Gtin; grams: Grams; reason: Reason }
  | { kind: 'remove'; atSec: Seconds; unitId: number; gtin: Gtin; grams: Grams; reason: Reason }
  | { kind: 'alert'; atSec: Seconds; alertId: number; alert: AlertKind; grams: Grams; candidates?: Gtin[][]; likelyGtin?: Gtin; reason: Reason }
  | { kind: 'alert-resolved'; atSec: Seconds; alertId: number; alert: AlertKind; reason: Reason }
  | { kind: 'personal-item'; atSec: Seconds; unitId: number; grams: Grams; reason: Reason }
  | { kind: 'scan-open'; atSec: Seconds; scanId: number; gtin: Gtin }
  | { kind: 'scan-expired'; atSec: Seconds; scanId: number; gtin: Gtin }
  | { kind: 'scan-ignored'; atSec: Seconds; code: string; reason: Reason }
  | { kind: 'no-item'; atSec: Seconds; grams: Grams; reason: Reason }
  | { kind: 'help-requested'; atSec: Seconds }
  | { kind: 'basket-restored'; atSec: Seconds; units: number };

export interface Catalog {
  get(gtin: Gtin): Product | undefined;
  /**
   * The least any product sold may weigh: each one's weight less `sigmas` of
   * its spread (`byWeightSigmas` for one sold by weight), the smallest of
   * these; null when the catalog is empty.
   */
  leastGrams(sigmas: number, byWeightSigmas: number): Grams | null;
}

export interface ReconcilerConfig {
  /** A scan stays open for its item this long, counted to the moment the weight change begins. */
  scanWindowSec: Seconds;
  /** An unscanned item can still be scanned this long after its alert, and is then added. */
  lateScanSec: Seconds;
  /** A weight fits an item when it lies within this many standard deviations of the item's weight. */
  fitSigmas: number;
  /** Calibration is good, not exact: a share of the weight itself added to every uncertainty (1 sd). */
  relativeErrorSd: number;
  /**
   * A weight change is never taken as more certain than this (1 sd): the
   * scale reports its noise, but not the drift and creep that a long push or a
   * slow hand leave in a change.
   */
  measurementSdFloorGrams: Grams;
  /** Weight changes smaller than this are the scale settling, not something put in or taken out (a mint eaten from its tin is about 7 g). */
  minChangeGrams: Grams;
  /** A removal may be explained by up to this many units taken out together (a placement, by any set of up to eight open scans). */
  maxUnitsPerChange: number;
  /** A second explanation within this many sigmas of the best one makes a removal ambiguous. */
  ambiguitySigmas: number;
  /** "My bag" applies to a placement that begins within this time of the press. */
  personalArmSec: Seconds;
  /** A bag of produce sold by weight fits when within this many of its catalog sd from the typical weight. */
  byWeightSigmas: number;
  /**
   * Weight put in or taken out that nothing explains waits this long after
   * it came to rest for the rest of the same item to begin (s): a hand that
   * sets a pack down or lifts it one edge first holds the rest still for up
   * to a second and a half, and the scale sees two rests. When the two
   * together fit a scan or an item, they are one change. The alert comes
   * this much later; the shopper is still at the cart.
   */
  continuationSec: Seconds;
  /**
   * Weight put in that nothing explains waits at least this long after it
   * came to rest before the cart asks (s): shoppers put an item in first and
   * scan it after, up to about 1.8 s after it came to rest. The wait is as
   * long as the alert's window allows: it must come within 3 s of the item
   * coming to rest, and the scale's rest is late by up to half a second on 1
   * change in 100, the cart's tick by up to a quarter. Weight taken out waits
   * continuationSec only: no scan follows a removal but the answer to its alert.
   */
  scanAfterPlaceSec: Seconds;
  /**
   * A hand that presses an item down as it lets go lifts off within this
   * time (s) of the rest: weight that comes partly off again this soon,
   * leaving what fits, was the hand (a light item can read twice its weight
   * with the hand on it). Later, or when the change explains something
   * alone, it is a second gesture.
   */
  liftOffSec: Seconds;
  /**
   * An item taken out without a scan and put back within this time (s) is
   * back in the basket, not an unscanned item: shoppers lift items to read a
   * label or make room. It must weigh what that item weighed (within
   * putBackSigmas of the two measurements). Such a lift takes seconds (7 s
   * at most in every simulator); an item out for longer was set down
   * somewhere, what comes back may be another of its kind, and the shopper
   * is asked to scan it (docs/scale.md).
   */
  putBackSec: Seconds;
  /**
   * How many sd of its two weighings weight put back may differ from what
   * left and still be it. One item weighed twice on one scale agrees to the
   * scale's own noise (2,949 put-backs on the bench sets, the largest 2.96
   * sd apart); another unit of the same product put in instead differs by
   * the product's spread, and is asked about.
   */
  putBackSigmas: number;
}

export const defaultReconcilerConfig: ReconcilerConfig = {
  scanWindowSec: 20,
  lateScanSec: 10,
  fitSigmas: 4,
  relativeErrorSd: 0.004,
  measurementSdFloorGrams: 1.5,
  minChangeGrams: 5,
  maxUnitsPerChange: 3,
  ambiguitySigmas: 2,
  personalArmSec: 30,
  byWeightSigmas: 2.5,
  continuationSec: 2,
  scanAfterPlaceSec: 2.25,
  liftOffSec: 1,
  putBackSec: 10,
  putBackSigmas: 3,
};
