// Changes too small for the scale to report alone (a light item put in during
// a push, the first grams of an item under the hand), each taken as part of
// an item only when that is likelier than its being nothing.
import type { Seconds, SmallChange, StableDelta } from '../domain.js';
import type { BasketState, Catalog, Decision, ReconcilerConfig } from './types.js';
import { snapshot } from './basket-edits.js';
import { explainChange, explainedOnCopy, fitCostOf, joinChanges } from './change.js';
import { explainAddition } from './placement.js';

/**
 * A change too small for the scale to report alone may be the rest of the
 * held change: the last grams of a light item let go as the cart set off land
 * during the push, within what a push does to nothing. It completes the held
 * change when it began within continuationSec of its rest, the two together
 * are explained, and that explanation is likelier for the small change
 * (its fit cost as the rest of the item, the negative log-likelihood) than
 * its being nothing. An item that does not fit its scan leaves nothing after
 * it, so its mismatch stands.
 */
export function completeHeld(s: BasketState, small: SmallChange, atSec: Seconds, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): boolean {
  const held = s.heldChange;
  if (!held || small.beganAtSec - held.restAtSec > config.continuationSec || Math.sign(small.grams) !== Math.sign(held.grams)) return false;
  const rest = smallAsDelta(small, atSec, config);
  const trial = structuredClone(s);
  trial.heldChange = null;
  const trialOut: Decision[] = [];
  if (!explainChange(trial, joinChanges(held, rest), catalog, config, trialOut) || trialOut.some((d) => d.kind === 'alert')) return false;
  const together = fitCostOf(trialOut, config);
  if (together === null || together >= nothingCost(rest)) return false;
  Object.assign(s, trial);
  out.push(...trialOut);
  return true;
}

/**
 * A light item scanned and put in during a push can weigh less than what a
 * push does to nothing (the cells shaken in their hysteresis), and the scale
 * reports it only as a small change. The scan says an item was coming: when
 * an open scan explains the small change, and that is likelier than its
 * being nothing (fit costs), it is the item.
 */
export function scannedItemIn(s: BasketState, small: SmallChange, atSec: Seconds, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): boolean {
  if (s.heldChange || s.pendingScans.length === 0 || small.grams < config.minChangeGrams) return false;
  const change = smallAsDelta(small, atSec, config);
  const before = snapshot(s);
  const trial = structuredClone(s);
  const trialOut: Decision[] = [];
  if (!explainAddition(trial, change, catalog, config, trialOut) || !trialOut.every((d) => d.kind === 'add' && d.reason.scanIds)) return false;
  const cost = fitCostOf(trialOut, config);
  if (cost === null || cost >= nothingCost(change)) return false;
  Object.assign(s, trial);
  s.lastChange = { before, delta: change, cost };
  out.push(...trialOut);
  return true;
}

/**
 * The same the other way round: the first grams of an item came to rest
 * under the hand or in a push, too few to report alone, and the rest of it
 * followed within continuationSec. The two are one change when nothing
 * explains the second alone and together they are explained. When the
 * second alone is explained it is taken alone: a few grams a push left just
 * before an item are far likelier than an item set down in two rests, which
 * a fit's likelihood does not know.
 */
export function withSmallBefore(s: BasketState, small: SmallChange, delta: StableDelta, catalog: Catalog, config: ReconcilerConfig): StableDelta {
  const gapSec = delta.beganAtSec - small.restAtSec;
  // Grams fewer than the least change weighed at all are a push's, not an item's.
  if (Math.abs(small.grams) < config.minChangeGrams || gapSec < 0 || gapSec > config.continuationSec || Math.sign(small.grams) !== Math.sign(delta.grams)) return delta;
  const joined = joinChanges(smallAsDelta(small, delta.atSec, config), delta);
  return !explainedOnCopy(s, delta, catalog, config) && explainedOnCopy(s, joined, catalog, config) ? joined : delta;
}

function smallAsDelta(small: SmallChange, atSec: Seconds, config: ReconcilerConfig): StableDelta {
  return { kind: 'stable-delta', ...small, sdGrams: Math.max(small.sdGrams, config.measurementSdFloorGrams), centre: null, atSec };
}

/** The fit cost (negative log-likelihood) of a change's being nothing at all. */
function nothingCost(change: StableDelta): number {
  return (change.grams / change.sdGrams) ** 2 / 2 + Math.log(change.sdGrams);
}
