// Where the technician puts a test weight, and how the tool says it.
import { CORNERS } from '../../firmware/weight/calibration.js';

export type Corner = (typeof CORNERS)[number];

/**
 * `corner`: over that corner's load cell, as far in as the weight goes (span
 * calibration); `quarter`: the middle of that quarter of the basket floor
 * (eccentricity, R76-1 A.4.7).
 */
export type Where = { at: 'empty' } | { at: 'centre' } | { at: 'corner'; corner: Corner } | { at: 'quarter'; corner: Corner };

export interface Placement {
  grams: number;
  where: Where;
}

const cornerName: Record<Corner, string> = { fl: 'front-left', fr: 'front-right', rl: 'rear-left', rr: 'rear-right' };

export function describePlacement(p: Placement): string {
  const w = p.where;
  switch (w.at) {
    case 'empty':
      return 'Empty the basket and keep the cart still.';
    case 'centre':
      return `Put ${p.grams} g in the middle of the basket.`;
    case 'corner':
      return `Put ${p.grams} g on the ${cornerName[w.corner]} corner, over its load cell, as far into the corner as it goes.`;
    case 'quarter':
      return `Put ${p.grams} g in the middle of the ${cornerName[w.corner]} quarter of the basket.`;
  }
}

export function placementLabel(p: Placement): string {
  const w = p.where;
  return w.at === 'empty' ? 'empty' : w.at === 'centre' ? `${p.grams} g centre` : `${p.grams} g ${w.at} ${w.corner}`;
}
