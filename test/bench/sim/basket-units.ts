// The physical items in the simulated basket, and how a firmware that saw
// them go in would know them: what the judge weighs a removal against.
import type { BasketGeometry, CentreMm, Gtin } from '../../../firmware/domain.js';
import type { StockedProduct } from './catalog.js';
import { cornerShares, scaled, type Corners } from './corners.js';
import { measureSd, type Candidate, type Expectation } from './judge.js';
import type { ResolutionProfile } from './profiles.js';
import type { Random } from './random.js';

export interface Unit {
  /** The truth's unit number. */
  id: number;
  /** null: the shopper's own bag. */
  product: StockedProduct | null;
  /** Weight when it went in: what the cart measured. */
  placedGrams: number;
  /** Weight in the basket now (less, once part of it was taken out). */
  grams: number;
  /** Grams on each corner now. */
  load: Corners;
  status: 'charged' | 'unpaid' | 'personal';
  /** Part of it was taken out: the planner leaves it alone from then on. */
  tampered: boolean;
}

/** A point on the basket floor, away from the walls. Samples: placements spread over the middle 80 %. */
export function randomSpot(rng: Random, geometry: BasketGeometry): CentreMm {
  return { xMm: rng.uniform(-0.4, 0.4) * geometry.widthMm, yMm: rng.uniform(-0.4, 0.4) * geometry.depthMm };
}

export function loadAt(grams: number, at: CentreMm, geometry: BasketGeometry): Corners {
  return scaled(cornerShares(at, geometry), grams);
}

/** Where a load sits: the inverse of the lever rule. */
export function centreOf(load: Corners, geometry: BasketGeometry): CentreMm {
  const total = load[0] + load[1] + load[2] + load[3];
  if (total <= 0) return { xMm: 0, yMm: 0 };
  return {
    xMm: ((load[1] + load[3]) / total - 0.5) * geometry.widthMm,
    yMm: ((load[0] + load[1]) / total - 0.5) * geometry.depthMm,
  };
}

/** Keeps a spot inside the basket. */
export function clampSpot(at: CentreMm, geometry: BasketGeometry): CentreMm {
  const x = 0.45 * geometry.widthMm;
  const y = 0.45 * geometry.depthMm;
  return { xMm: Math.min(x, Math.max(-x, at.xMm)), yMm: Math.min(y, Math.max(-y, at.yMm)) };
}

/** A product as the catalog describes one unit of it. */
export function catalogExpectation(p: StockedProduct): Expectation {
  return { grams: p.grams, sd: p.gramsSd, bag: p.byWeight };
}

/** A weight the cart measured once, as good as the scale. */
export function measuredExpectation(grams: number, res: ResolutionProfile): Expectation {
  return { grams, sd: measureSd(grams, res), bag: false };
}

/** How a unit is told apart from others: units of one product are one explanation; unpaid and personal ones are not products in the basket. */
export function unitKey(u: Unit): Gtin | string {
  if (!u.product) return 'personal';
  return u.status === 'charged' ? u.product.gtin : `unpaid:${u.product.gtin}`;
}

/**
 * A unit as a firmware can weigh a removal against it: by the catalog, and by
 * what it weighed when it went in. A bag's catalog spread says nothing about
 * this bag, so a bag is weighed by its measure both ways.
 */
export function removalCandidate(u: Unit, res: ResolutionProfile): Candidate {
  const measured = measuredExpectation(u.placedGrams, res);
  const byCatalog = u.product && !u.product.byWeight && u.status === 'charged' ? catalogExpectation(u.product) : measured;
  return { key: unitKey(u), expectations: [byCatalog, measured] };
}
