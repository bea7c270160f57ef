// One weight change decided on its own: explained as weight put in or taken
// out, or alerted when nothing explains it; and what two rests weigh together.
import type { Seconds, StableDelta } from '../domain.js';
import type { BasketState, Catalog, Decision, ReconcilerConfig } from './types.js';
import { rewound, undoSince } from './basket-edits.js';
import { alertAddition, explainAddition } from './placement.js';
import { alertRemoval, explainRemoval } from './removal.js';

/** The change explained on a copy of the basket, with no alert; null when nothing explains it. */
export function explainedOnCopy(s: BasketState, delta: StableDelta, catalog: Catalog, config: ReconcilerConfig): { state: BasketState; decisions: Decision[] } | null {
  const state = structuredClone(s);
  const decisions: Decision[] = [];
  if (!explainChange(state, delta, catalog, config, decisions) || decisions.some((d) => d.kind === 'alert')) return null;
  return { state, decisions };
}

/** The fit cost of a change's decisions, from the reason of its first add or remove (or put-back that closed an alert); null when it was not decided by a fit. */
export function fitCostOf(decisions: Decision[], config: ReconcilerConfig): number | null {
  const d = decisions.find((x) => x.kind === 'add' || x.kind === 'remove' || (x.kind === 'alert-resolved' && x.reason.expectedGrams !== undefined));
  if (!d) return null;
  const r = 'reason' in d ? d.reason : undefined;
  if (r?.measuredGrams === undefined || r.expectedGrams === undefined || !r.toleranceGrams) return null;
  const sd = r.toleranceGrams / config.fitSigmas;
  const z = (r.measuredGrams - r.expectedGrams) / sd;
  return (z * z) / 2 + Math.log(sd);
}

export function explainChange(s: BasketState, delta: StableDelta, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): boolean {
  return delta.grams > 0 ? explainAddition(s, delta, catalog, config, out) : explainRemoval(s, delta, config, out);
}

/** A held change the shopper's next step did not complete, decided on its own: an alert, or a removal among several that fit. */
export function alertChange(s: BasketState, delta: StableDelta, atSec: Seconds, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): void {
  if (isNoItem(delta, catalog, config)) {
    out.push({ kind: 'no-item', atSec, grams: delta.grams, reason: { rule: 'lighter than anything sold', measuredGrams: delta.grams, deltaAtSec: delta.restAtSec } });
    return;
  }
  if (delta.grams > 0 && joinsKeptApart(s, delta, atSec, catalog, config, out)) return;
  if (delta.grams > 0) alertAddition(s, delta, atSec, catalog, config, out);
  else if (!explainRemoval(s, { ...delta, atSec }, config, out)) alertRemoval(s, delta, atSec, out);
}

/**
 * A change that nothing explained and that is lighter than anything the
 * store sells, put in or taken out, is not the shopper's: load cells with
 * hysteresis keep a few grams of a push, a lean or a child's hand, more on
 * some carts than the scale's model of a change of nothing allows for
 * (docs/scale.md). Nothing can be charged for it, so the shopper is not
 * asked; the decision log keeps it. The test is conservative: the change's
 * spread and the product's add, not in quadrature as in a fit.
 */
function isNoItem(delta: StableDelta, catalog: Catalog, config: ReconcilerConfig): boolean {
  const grams = Math.abs(delta.grams);
  const least = catalog.leastGrams(config.fitSigmas, config.byWeightSigmas);
  return least !== null && grams + config.fitSigmas * Math.hypot(delta.sdGrams, config.relativeErrorSd * grams) < least;
}

/** Two rests of one gesture as one change: the weights add, and so do their variances. */
export function joinChanges(first: StableDelta, second: StableDelta): StableDelta {
  const joined: StableDelta = {
    ...second,
    grams: first.grams + second.grams,
    sdGrams: Math.hypot(first.sdGrams, second.sdGrams),
    beganAtSec: first.beganAtSec,
    centre: null,
  };
  // Two rests have no one place.
  delete joined.centreSdMm;
  delete joined.onFloor;
  if (!second.guess && first.guess) joined.guess = first.guess;
  return joined;
}

export function alertHeld(s: BasketState, atSec: Seconds, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): void {
  const held = s.heldChange;
  if (!held) return;
  s.heldChange = null;
  alertChange(s, held, atSec, catalog, config, out);
}

/**
 * Weight put in that nothing explains, after two rests kept apart because
 * each spent a scan: when the two together are the first scan's item and
 * this weight the second's, still in its window, that is what happened (a
 * bag set down in two rests, then the second bag). Only when no alert was
 * raised or closed since.
 */
function joinsKeptApart(s: BasketState, delta: StableDelta, atSec: Seconds, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): boolean {
  const kept = s.keptApart;
  s.keptApart = null;
  if (!kept) return false;
  // Only a change clears the pair: an alert answered or resolved by staff since is the one thing undoing must not undo.
  const alertIds = (state: BasketState) => state.openAlerts.map((a) => a.id).join();
  if (alertIds(kept.before) !== alertIds(s)) return false;
  const trial = rewound(kept.before, s);
  const scannedSince = s.pendingScans.filter((p) => p.atSec > kept.first.restAtSec);
  trial.pendingScans = trial.pendingScans.filter((p) => p.atSec <= kept.first.restAtSec);
  const trialOut: Decision[] = [];
  if (!explainAddition(trial, joinChanges(kept.first, kept.second), catalog, config, trialOut)) return false;
  trial.pendingScans = [...trial.pendingScans, ...scannedSince].filter((p) => delta.beganAtSec - p.atSec <= config.scanWindowSec);
  if (!explainAddition(trial, { ...delta, atSec }, catalog, config, trialOut) || trialOut.some((d) => d.kind === 'alert')) return false;
  undoSince(s, kept.before, atSec, out, 'undone: the two rests kept apart were one item, and the scan was for the next');
  Object.assign(s, trial);
  out.push(...trialOut);
  return true;
}
