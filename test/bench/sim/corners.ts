// Grams on each of the basket's four corner cells, in the spec's channel
// order: front-left, front-right, rear-left, rear-right.
import type { BasketGeometry, CentreMm } from '../../../firmware/domain.js';

export type Corners = [number, number, number, number];

export function zeroCorners(): Corners {
  return [0, 0, 0, 0];
}

/**
 * How a point load on the basket floor divides over the corners: the lever
 * rule along each axis (bilinear), exact for a rigid floor on four supports
 * whose load is shared by the two axes independently. x is to the right and
 * y to the front, in mm from the centre.
 */
export function cornerShares(at: CentreMm, geometry: BasketGeometry): Corners {
  const right = 0.5 + at.xMm / geometry.widthMm;
  const front = 0.5 + at.yMm / geometry.depthMm;
  return [(1 - right) * front, right * front, (1 - right) * (1 - front), right * (1 - front)];
}

export function scaled(c: Corners, k: number): Corners {
  return [c[0] * k, c[1] * k, c[2] * k, c[3] * k];
}

export function plus(a: Corners, b: Corners): Corners {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]];
}

export function addInto(acc: Corners, c: Corners, k = 1): void {
  acc[0] += c[0] * k;
  acc[1] += c[1] * k;
  acc[2] += c[2] * k;
  acc[3] += c[3] * k;
}

/** +1 for the front cells, -1 for the rear ones: how a forward pitch loads them. */
export const pitchSigns: Corners = [1, 1, -1, -1];
/** +1 for the left cells, -1 for the right ones. */
export const rollSigns: Corners = [1, -1, 1, -1];
