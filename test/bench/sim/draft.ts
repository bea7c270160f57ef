// A shopping step as planned, and whether a good firmware would see in each
// of its weight changes what the step means (see judge.ts).
import type { Seconds } from '../../../firmware/domain.js';
import { catalogExpectation } from './basket-units.js';
import type { StockedProduct } from './catalog.js';
import type { Corners } from './corners.js';
import type { Gesture } from './hand.js';
import { onlyExplanation, type Candidate } from './judge.js';
import type { ResolutionProfile } from './profiles.js';
import type { ScanRecord } from './timeline.js';

/** The spec: a scan stays open for its item at least this long. */
const SCAN_OPEN_S = 20;

export interface PlannedPlacement {
  product: StockedProduct;
  grams: number;
  load: Corners;
  gesture: Gesture;
  /** Index into the draft's scans, or null for an unscanned item. */
  scan: number | null;
}

export interface DraftGroup {
  placements: PlannedPlacement[];
  outcome: 'charged' | 'unscanned' | 'mismatch';
}

export interface Draft {
  scans: { t: Seconds; product: StockedProduct }[];
  /** Each group settles as one weight change. */
  groups: DraftGroup[];
  push: { startS: Seconds; endS: Seconds } | null;
}

/**
 * Judges each group against the scans open when its weight starts to
 * change: scans that still linger from before (`lingering`) and the draft's
 * own not yet spent. A charged group must fit its scans and nothing else,
 * an unscanned or mismatching one nothing at all; an item comes within the
 * 20 s a scan stays open, with 2 s to spare.
 */
export function judgeDraft(draft: Draft, lingering: (t: Seconds) => ScanRecord[], productOf: (gtin: string) => StockedProduct,
  res: ResolutionProfile): boolean {
  const spent = new Set<number>();
  for (const group of draft.groups) {
    const startS = Math.min(...group.placements.map((p) => p.gesture.forces[0]!.startS));
    const grams = group.placements.reduce((s, p) => s + p.grams, 0);
    const open: Candidate[] = lingering(startS).map((s) => ({ key: s.gtin, expectations: [catalogExpectation(productOf(s.gtin))] }));
    draft.scans.forEach((s, i) => {
      if (!spent.has(i) && s.t <= startS) open.push({ key: s.product.gtin, expectations: [catalogExpectation(s.product)] });
    });
    const intended = group.outcome === 'charged' ? group.placements.map((p) => draft.scans[p.scan!]!.product.gtin) : [];
    if (!onlyExplanation(grams, open, intended, res)) return false;
    if (group.outcome === 'mismatch' && open.length === 0) return false;
    for (const p of group.placements) {
      if (p.scan === null) continue;
      if (startS - draft.scans[p.scan]!.t > SCAN_OPEN_S - 2) return false;
      spent.add(p.scan);
    }
  }
  return true;
}
