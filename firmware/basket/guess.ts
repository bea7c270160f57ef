// What the cameras add to the scale. A guess is the cameras' belief over the
// catalog; the weight says which products are possible at all. The cameras
// only ever choose among what the weight allows, and only when their belief,
// narrowed to those products, reaches the confidence their model was
// calibrated to (its manifest's confidentScore). Without a guess, or with a
// doubtful one, the weight decides alone, as it did before the cameras. Pure.
import type { Gtin, VisionGuess } from '../domain.js';

export interface Seen {
  gtin: Gtin;
  /** The guess's share for it among the allowed products. */
  share: number;
}

/**
 * The guess's share for `gtin` among the `allowed` products. Belief the guess
 * did not report (products below its top list) is counted as if it fell on
 * the other allowed products, so the share is never overstated.
 */
export function shareAmong(guess: VisionGuess, gtin: Gtin, allowed: ReadonlySet<Gtin>): number {
  let own = 0;
  let others = 0;
  let reported = 0;
  for (const entry of guess.top) {
    reported += entry.score;
    if (!allowed.has(entry.gtin)) continue;
    if (entry.gtin === gtin) own += entry.score;
    else others += entry.score;
  }
  const total = own + others + Math.max(0, 1 - reported);
  return total > 0 ? own / total : 0;
}

/** The allowed product the cameras are sure of, or null when there is no guess or it is not sure enough. */
export function seenAmong(guess: VisionGuess | undefined, allowed: Iterable<Gtin>): Seen | null {
  if (!guess) return null;
  const set = new Set(allowed);
  let best: Seen | null = null;
  for (const gtin of set) {
    const share = shareAmong(guess, gtin, set);
    if (!best || share > best.share) best = { gtin, share };
  }
  return best && best.share >= guess.confidentScore ? { gtin: best.gtin, share: Math.round(best.share * 1000) / 1000 } : null;
}
