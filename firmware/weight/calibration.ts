// Counts to grams per corner, and where on the basket a load sits.
import type { BasketGeometry, CellCalibration, CentreMm, Grams } from '../domain.js';

/** HX711 output range (24-bit two's complement); the ends mean the ADC saturated. */
export const HX711_MIN = -8388608;
export const HX711_MAX = 8388607;

export const CORNERS = ['fl', 'fr', 'rl', 'rr'] as const;
/** Corner sign along x (to the right) and y (to the front), in CORNERS order. */
const SIDE_X = [-1, 1, -1, 1] as const;
const SIDE_Y = [1, 1, -1, -1] as const;

export function checkCalibration(calibration: readonly CellCalibration[]): void {
  if (calibration.length !== CORNERS.length) throw new RangeError(`calibration needs ${CORNERS.length} cells, got ${calibration.length}`);
  calibration.forEach((c, i) => {
    if (!Number.isFinite(c.offset) || !Number.isFinite(c.countsPerGram) || c.countsPerGram === 0) {
      throw new RangeError(`calibration of cell ${CORNERS[i]} needs a finite offset and a non-zero countsPerGram`);
    }
  });
}

/** A usable conversion: answered, and not pinned at either end of the ADC range. */
export function isUsable(raw: number | null | undefined): raw is number {
  return typeof raw === 'number' && Number.isFinite(raw) && raw > HX711_MIN && raw < HX711_MAX;
}

export function countsToGrams(raw: number, cal: CellCalibration): Grams {
  return (raw - cal.offset) / cal.countsPerGram;
}

/** The grams the same counts read under a new calibration. */
export function recalibrateGrams(grams: Grams, before: CellCalibration, after: CellCalibration): Grams {
  return countsToGrams(grams * before.countsPerGram + before.offset, after);
}

/**
 * Centre of pressure from the four corner loads (moment balance, exact for
 * any support stiffness): mm from the basket centre, x to the right, y to the
 * front. Null when there is no net load to place.
 */
export function centreOfPressure(corners: ArrayLike<number>, geometry: BasketGeometry): CentreMm | null {
  let total = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < CORNERS.length; i++) {
    const g = corners[i] ?? 0;
    total += g;
    mx += SIDE_X[i]! * g;
    my += SIDE_Y[i]! * g;
  }
  if (total === 0) return null;
  return { xMm: (mx / total) * (geometry.widthMm / 2), yMm: (my / total) * (geometry.depthMm / 2) };
}

/** Whether a centre lies between the cells, where the centre of any weight resting on the basket lies. */
export function onFloor(centre: CentreMm, geometry: BasketGeometry): boolean {
  return Math.abs(centre.xMm) <= geometry.widthMm / 2 && Math.abs(centre.yMm) <= geometry.depthMm / 2;
}

/**
 * How well centreOfPressure places a change of `grams` whose total is known to
 * `variance` (g², the noise of the two levels, not the scale's gain, which
 * moves no centre): one standard deviation along each axis. The variance is
 * shared by the four corners, and a corner's error moves the centre by its
 * lever from the centre found, which is why a change off to one side is
 * placed less well along that axis.
 */
export function centreSd(centre: CentreMm, grams: Grams, variance: number, geometry: BasketGeometry): CentreMm {
  const halfWidth = geometry.widthMm / 2;
  const halfDepth = geometry.depthMm / 2;
  const relative = Math.sqrt(variance) / Math.abs(grams);
  return {
    xMm: halfWidth * relative * Math.hypot(1, centre.xMm / halfWidth),
    yMm: halfDepth * relative * Math.hypot(1, centre.yMm / halfDepth),
  };
}
