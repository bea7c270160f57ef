// The cart's vocabulary: the types that cross from one stage to the next.
// Times are monotonic seconds (`atSec`), given to each stage by its caller;
// no core stage reads a clock.

export type Grams = number;
export type Cents = number;
/** Monotonic seconds: since boot on the cart, since trace start in a replay. */
export type Seconds = number;
/** A 14-digit GTIN, shorter codes left-padded with zeros. */
export type Gtin = string;

export interface Product {
  gtin: Gtin;
  name: string;
  /** Mean weight of one unit as sold, packaging included. */
  grams: Grams;
  /** Standard deviation of one unit's weight; large for items sold by weight. */
  gramsSd: Grams;
  priceCents: Cents;
  byWeight: boolean;
}

/** One load cell's stored calibration: grams = (raw - offset) / countsPerGram. */
export interface CellCalibration {
  offset: number;
  countsPerGram: number;
}

/** Where the cells sit: one per basket corner, in the order fl, fr, rl, rr. */
export interface BasketGeometry {
  widthMm: number;
  depthMm: number;
}

/** One conversion of every channel, in channel order; null where a board did not answer. */
export interface LoadSample {
  atSec: Seconds;
  raw: (number | null)[];
}

/** Centre of pressure on the basket floor, millimetres from its centre (x to the right, y to the front). */
export interface CentreMm {
  xMm: number;
  yMm: number;
}

/** What the cameras made of a weight change: the products they saw, likeliest first. */
export interface VisionGuess {
  /** Shares of belief over the products the cart has references for (all of them sum to 1; only the top few are kept). */
  top: { gtin: Gtin; score: number }[];
  /** A product holding at least this share of the belief is taken as seen: the model's own calibration. */
  confidentScore: number;
  /** When the frames compared were taken: before the change began, after it settled. */
  beforeAtSec: Seconds;
  afterAtSec: Seconds;
  /** Version of the model that made the guess. */
  model: string;
}

/** A change of basket weight between two stable states. */
export interface StableDelta {
  kind: 'stable-delta';
  grams: Grams;
  /** One standard deviation of the measured change. */
  sdGrams: Grams;
  /** Where on the basket the change sits, null when the change is too small to place. */
  centre: CentreMm | null;
  /** How well `centre` is known: one standard deviation along each axis (absent with no centre, and in a basket saved before it was measured). */
  centreSdMm?: CentreMm;
  /** Whether `centre` lies between the cells, as the centre of anything lying in the basket must; a drift of the cells' zeros lands anywhere. (Absent with no centre, and in a basket saved before it was measured.) */
  onFloor?: boolean;
  /** When the weight began to change. */
  beganAtSec: Seconds;
  /** When the basket came to rest again. */
  restAtSec: Seconds;
  /** When the stage reported it (at or after restAtSec). */
  atSec: Seconds;
  /** What the cameras saw change, when they are fitted and saw it in time. */
  guess?: VisionGuess;
}

export type ScaleState = 'stable' | 'settling' | 'moving' | 'degraded' | 'overloaded';

export interface ScaleStatus {
  kind: 'scale-status';
  atSec: Seconds;
  state: ScaleState;
  /** Channels (0-3) that are not giving usable readings. */
  deadChannels: number[];
  /** Away from rest: when the change began, which the scale can only tell some samples after it did. */
  changeBeganAtSec?: Seconds;
  /**
   * Back at rest after a change too small to report as a StableDelta (within
   * what noise, unforeseen drift and load moved between corners make of
   * nothing). Alone it is nothing; it may be the rest of a change the basket
   * holds: the last grams of a light item let go as the cart set off.
   */
  smallChange?: SmallChange;
}

export interface SmallChange {
  grams: Grams;
  sdGrams: Grams;
  beganAtSec: Seconds;
  restAtSec: Seconds;
}

export type WeightEvent = StableDelta | ScaleStatus;

/** What a variable-measure or GS1 code says about the item itself. */
export interface EmbeddedMeasure {
  grams?: Grams;
  priceCents?: Cents;
}

/** A scan that names a product. */
export interface ProductScan {
  kind: 'product-scan';
  atSec: Seconds;
  gtin: Gtin;
  /** The code as read, for the log. */
  code: string;
  measure?: EmbeddedMeasure;
}

export type StoreCodePurpose = 'coupon' | 'loyalty' | 'staff' | 'pairing';

/** A store-internal code that is not a product. */
export interface StoreCodeScan {
  kind: 'store-code';
  atSec: Seconds;
  purpose: StoreCodePurpose;
  code: string;
}

export interface ButtonPress {
  kind: 'button';
  atSec: Seconds;
  name: 'help' | 'my-bag';
  pressed: boolean;
}
