// One gesture in several rests: weight nothing explains is held for the rest
// of its item; the next change joins it, or revises the change before it
// when the two were one item; a scan taken as an answer may turn out to be
// for the next item after all.
import type { Seconds, StableDelta } from '../domain.js';
import type { AnsweredScan, BasketState, Catalog, Decision, HeldTimedOut, JoinedGesture, LastChange, ReconcilerConfig, Unit } from './types.js';
import { fitOf } from './fit.js';
import { closeAlert, openScan, raiseAgain, rewound, snapshot, undoSince, unitWeight } from './basket-edits.js';
import { alertChange, alertHeld, explainChange, explainedOnCopy, fitCostOf, joinChanges } from './change.js';
import { anotherItemBeside, oneUnitItem } from './placement.js';
import { putBackFit } from './put-back.js';
import { REMOVED_BY_SCAN } from './removal.js';
import { withSmallBefore } from './small-change.js';

/**
 * Weight put in or taken out. What nothing explains is held a moment: when
 * the next change the same way begins within continuationSec of its rest and
 * the two together are explained (an item set down or lifted one edge
 * first), they are one change, and held as one when they are not. Weight
 * that comes off again as soon as it went on (or back as soon as it went),
 * to within its measure, was nothing: a hand resting on the basket, an item
 * put in and taken straight back out. When it began within liftOffSec and
 * what is left is explained, it was the item and the hand that let go of it
 * last: a hand pressing a light item down weighs as much as the item, and
 * lifts off a moment after both came to rest; when neither what is left nor
 * the lift alone is explained, the two are held as one. Otherwise a change
 * later, or the other way, is taken on its own.
 */
export function onChange(s: BasketState, delta: StableDelta, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): void {
  // Kept only while this change is held: its alert may yet show the pair was one item.
  const keptApart = s.keptApart ?? null;
  s.keptApart = null;
  const gesture = s.lastGesture ?? null;
  s.lastGesture = null;
  const hold = (change: StableDelta) => {
    s.heldChange = change;
    s.keptApart = keptApart;
  };
  if (s.lastPlacement) s.lastPlacement.absorbed = null;
  const answered = s.answeredScan ?? null;
  s.answeredScan = null;
  if (answered && scanWasForThis(s, answered, delta, catalog, config, out)) return;
  const timedOut = s.heldTimedOut ?? null;
  s.heldTimedOut = null;
  if (timedOut) heldAgain(s, timedOut, delta, config, out);
  const held = s.heldChange ?? null;
  s.heldChange = null;
  const small = s.lastSmall ?? null;
  s.lastSmall = null;
  if (!held && small) delta = withSmallBefore(s, small, delta, catalog, config);
  const soon = held !== null && delta.beganAtSec - held.restAtSec <= config.continuationSec;
  if (held && soon && Math.sign(held.grams) !== Math.sign(delta.grams)) {
    const net = joinChanges(held, delta);
    if (Math.abs(net.grams) <= config.fitSigmas * Math.hypot(net.sdGrams, config.relativeErrorSd * held.grams)) return;
    const liftOff = delta.beganAtSec - held.restAtSec <= config.liftOffSec && Math.abs(delta.grams) < Math.abs(held.grams);
    const lifted = liftOff ? explainedOnCopy(s, net, catalog, config) : null;
    if (lifted) {
      Object.assign(s, lifted.state);
      out.push(...lifted.decisions);
      return;
    }
    // The hand let go of an item that nothing explains: one gesture, held as
    // one, so that one alert asks about what is left, not a second about the hand.
    if (liftOff && !explainedOnCopy(s, delta, catalog, config)) {
      hold(net);
      return;
    }
  }
  if (held && soon && Math.sign(held.grams) === Math.sign(delta.grams)) {
    const joined = joinChanges(held, delta);
    const trial = structuredClone(s);
    const trialOut: Decision[] = [];
    if (explainChange(trial, joined, catalog, config, trialOut)) {
      // Weight taken out: the second rest may yet be an item lifted to make room and put back
      // (liftPutBack), leaving the first rest alone, as its wait would have decided it (ids past the trial's).
      let firstAlone: BasketState | null = null;
      if (delta.grams < 0) {
        firstAlone = snapshot(s);
        firstAlone.nextId = trial.nextId;
        alertChange(firstAlone, held, delta.atSec, catalog, config, []);
      }
      Object.assign(s, trial);
      out.push(...trialOut);
      if (firstAlone) s.lastGesture = { firstAlone, second: delta };
      return;
    }
    // One gesture, nothing in between: held as one, so one alert asks the
    // shopper, rather than the second rest alone taking out an item that
    // happens to weigh what it does.
    hold(joined);
    return;
  }
  if (held) {
    s.keptApart = keptApart;
    alertChange(s, held, delta.atSec, catalog, config, out);
    s.keptApart = null;
  }
  const last = s.lastChange ?? null;
  s.lastChange = null;
  if (last && delta.beganAtSec - last.delta.restAtSec <= config.continuationSec && reviseLastChange(s, last, delta, catalog, config, out)) return;
  const before = snapshot(s);
  const explained = explainedOnCopy(s, delta, catalog, config);
  // A removal that fits several items is held too: it may be the first rest
  // of an item lifted out one edge first, which the next rest makes plain.
  if (!explained) {
    if (gesture && liftPutBack(s, gesture, delta, config, out)) return;
    if (last && firstRestUndone(s, last, delta, catalog, config, out)) return;
    hold(delta);
    return;
  }
  const { decisions } = explained;
  Object.assign(s, explained.state);
  out.push(...decisions);
  // A removal a scan named is revised only into one the scan names too (a
  // scan is evidence a fit cost does not weigh): the first rest of the item
  // lifted out, not another item.
  const cost = fitCostOf(decisions, config) ?? removalCost(before, s, delta, config);
  if (cost !== null) s.lastChange = { before, delta, cost, named: namesRemoval(decisions) };
}

/**
 * A held change whose wait ran out with the basket at rest is decided (an
 * alert, a removal among several that fit, or nothing sold weighs so
 * little) and kept, with the basket as it was, until the shopper's next step.
 */
export function timeOutHeld(s: BasketState, atSec: Seconds, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): void {
  const held = s.heldChange;
  if (!held) return;
  const before = snapshot(s);
  alertHeld(s, atSec, catalog, config, out);
  const open = new Set(s.pendingScans.map((p) => p.id));
  s.heldTimedOut = { before, held, atSec, spentScans: before.pendingScans.filter((p) => !open.has(p.id)) };
}

const DECIDED_TOO_SOON = 'undone: the change went on, as the scale saw later';

/**
 * The next change, the same way, began before the held change's wait ran
 * out at rest and within continuationSec of its rest: the held change was
 * decided too soon. The scale tells a change has begun only once it is
 * plainly under way, and dates it back to its first grams; a slow one shows
 * after the wait that it began inside it (field 5799 trip 11: a scanned
 * 24 g item set down as 9.3 g, taken for nothing sold 2.3 s after that
 * rest, while the scale still read rest, and 14.9 g dated 1.2 s after it,
 * asked about as a mismatch). The decision is undone, an alert it raised
 * closed, and the change held again for this one to complete, as it would
 * have been had the scale seen it begin. Not a change the other way: with
 * a held change it is one gesture only as nothing at all or as a hand
 * lifting off, and otherwise the held change would be decided alone again,
 * with a second alert for the one it already raised.
 */
function heldAgain(s: BasketState, timedOut: HeldTimedOut, delta: StableDelta, config: ReconcilerConfig, out: Decision[]): void {
  const { held } = timedOut;
  if (Math.sign(held.grams) !== Math.sign(delta.grams) || delta.beganAtSec >= timedOut.atSec || delta.beganAtSec - held.restAtSec > config.continuationSec) return;
  undoSince(s, timedOut.before, delta.atSec, out, DECIDED_TOO_SOON);
  const openBefore = new Set(timedOut.before.openAlerts.map((a) => a.id));
  for (const alert of s.openAlerts.filter((a) => !openBefore.has(a.id))) closeAlert(s, alert, out, delta.atSec, DECIDED_TOO_SOON);
  raiseAgain(timedOut.before.openAlerts, s, delta.atSec, `${DECIDED_TOO_SOON}: the alert stands`, out);
  // Scans that expired since stay expired; those the decision spent are open again.
  const open = [...s.pendingScans, ...timedOut.spentScans].sort((a, b) => a.atSec - b.atSec);
  Object.assign(s, rewound(timedOut.before, s));
  s.pendingScans = open;
  s.heldChange = held;
}

/**
 * The last change explained, and the next one began within continuationSec
 * of its rest: they may be two rests of one gesture whose first rest happened
 * to fit something else (part of a pack that weighs as three small items,
 * half an item that fits a bag of produce, a bag of produce with the hand
 * still pressing on it). Taken together from the basket as it was, they are
 * explained likelier than apart (fit costs: negative log-likelihoods): the
 * last change is undone and the two are decided as one. A change the other
 * way is joined only when it began within liftOffSec (the hand that pressed
 * the item lifting off) and nothing explains it alone: an item taken out
 * just after another went in is two gestures. A scan is evidence the fit cost
 * does not weigh: when the second rest apart spends a scan the two together
 * would leave unspent (two bags of produce scanned, then put in one after the
 * other, weigh about as likely as one heavy bag), they stay two items; so
 * they do when each rest apart spends a scan and together would leave the
 * first one's unspent (a 54 g jar and a 9 kg pack of water scanned, then put
 * in a second apart: the pack's spread takes in the jar; xsim4 6000 trip 25).
 * Such a pair is kept (keptApart): weight put in next that nothing explains
 * may yet show it was one item (change.ts). Scans spent apart say nothing
 * when the second rest landed where the first lies: that is one item let
 * go of, weighed together (field 4699 trip 4: a 446 g item scanned after
 * three scans of a produce, set down as 305 g and 141 g 0.7 mm apart, each
 * taken as a bag). A first rest that took a lingering scan, and a second
 * that spends none alone, are still one item. Weight put in beside one
 * scanned unit item, which that item's rest alone fits better, is another
 * item (anotherItemBeside).
 */
function reviseLastChange(s: BasketState, last: LastChange, delta: StableDelta, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): boolean {
  const apart = explainedOnCopy(s, delta, catalog, config);
  // Apart, an alert (an ambiguous removal) explains nothing; completing the last placement costs nothing more.
  const apartCost = apart ? (fitCostOf(apart.decisions, config) ?? 0) : Infinity;
  if (Math.sign(last.delta.grams) !== Math.sign(delta.grams) && (apartCost !== Infinity || delta.beganAtSec - last.delta.restAtSec > config.liftOffSec)) return false;
  const together = rewound(last.before, s);
  // One gesture is one item's: scanned before its first rest came, or it was not that item's rest.
  const scannedSince = together.pendingScans.filter((p) => p.atSec > last.delta.restAtSec);
  together.pendingScans = together.pendingScans.filter((p) => p.atSec <= last.delta.restAtSec);
  const togetherOut: Decision[] = [];
  if (!explainChange(together, joinChanges(last.delta, delta), catalog, config, togetherOut)) return false;
  if (last.named && !namesRemoval(togetherOut)) return false;
  const leftOpen = new Set(together.pendingScans.map((p) => p.id));
  const spentAlone = apart ? spentScans(s, apart.state) : [];
  const scansSayTwo = spentAlone.some((id) => leftOpen.has(id)) || (spentAlone.length > 0 && spentScans(last.before, s).some((id) => leftOpen.has(id)));
  if (scansSayTwo && !restedWhereFirst(last.delta, delta, config.fitSigmas)) {
    if (delta.grams > 0) s.keptApart = { before: last.before, first: last.delta, second: delta };
    return false;
  }
  together.pendingScans.push(...scannedSince);
  const togetherCost = fitCostOf(togetherOut, config);
  if (togetherCost === null || togetherCost >= last.cost + apartCost) return false;
  if (!apart && last.delta.grams > 0 && oneUnitItem(unitsNotIn(s, last.before).map((u) => u.gtin), catalog) && anotherItemBeside(last.cost, togetherCost, delta)) return false;
  // Weight taken out: the second rest may yet be an item lifted to make room and put back (liftPutBack).
  const firstAlone = delta.grams < 0 ? snapshot(s) : null;
  undoSince(s, last.before, delta.atSec, out);
  // An alert the last change closed (weight taken for a put-back) stands again.
  const openBefore = new Set(last.before.openAlerts.map((a) => a.id));
  raiseAgain(together.openAlerts.filter((a) => openBefore.has(a.id)), s, delta.atSec, 'the weight taken for a put-back was the first rest of the next item: the alert stands', out);
  Object.assign(s, together);
  // The two are the last change now: a third rest may yet be part of the gesture.
  s.lastChange = { before: last.before, delta: joinChanges(last.delta, delta), cost: togetherCost, named: namesRemoval(togetherOut) };
  if (firstAlone) s.lastGesture = { firstAlone, second: delta };
  out.push(...togetherOut);
  return true;
}

/**
 * Weight put in that nothing explains, and that the second rest of the last
 * gesture took out, to within what the put-back rule allows (putBackSigmas
 * of the two weighings, within putBackSec): that rest was not the rest of
 * the item the gesture took out, but another item lifted to make room, and
 * it is back. The first rest stands as it was decided alone; the lift and
 * the put-back were nothing (field 5199 trip 55: a scanned 2 kg item taken
 * out, a 24 g item lifted 1.5 s later and put back 1.8 s after that; the
 * two removals together fitted the 2 kg item better than the first alone,
 * and the 24 g put back was asked about as unscanned). A first rest that
 * was held, nothing explaining it alone, is decided now as its wait would
 * have decided it, an alert included (field 5999 trip 56: 74 g taken out
 * of a pack, a 787 g item lifted 1.7 s later and put back 3 s after; the
 * two together fitted two other items, which were taken off the basket).
 * Not when the gesture raised an alert the first rest alone did not: that
 * alert would be dropped unsaid.
 */
function liftPutBack(s: BasketState, gesture: JoinedGesture, delta: StableDelta, config: ReconcilerConfig, out: Decision[]): boolean {
  const { firstAlone, second } = gesture;
  if (delta.grams <= 0 || delta.beganAtSec - second.restAtSec > config.putBackSec) return false;
  const lifted = { grams: -second.grams, sdGrams: second.sdGrams };
  if (putBackFit(lifted, delta, config).z > config.putBackSigmas) return false;
  const openApart = new Set(firstAlone.openAlerts.map((a) => a.id));
  if (s.openAlerts.some((a) => !openApart.has(a.id))) return false;
  undoSince(s, firstAlone, delta.atSec, out, 'the last rest of the gesture was an item lifted and put back');
  raiseAgain(firstAlone.openAlerts, s, delta.atSec, 'the last rest of the gesture was an item lifted and put back: the first rest alone raised this alert', out);
  Object.assign(s, rewound(firstAlone, s));
  return true;
}

/**
 * The second rest of a gesture, which nothing explains alone or with the
 * first, after a first rest taken as items: the two were most likely one
 * weight nothing explains (a mismatch set down, part of a bag lifted out, in
 * two rests), and the first rest's fit a coincidence. Weight put in is
 * weighed as densities of the first rest: its fit by the items (normal, by
 * their sd) against its being any share of one weight of the two rests' sum
 * (uniform, 1/W); when the fit is the less likely, the first rest is undone
 * and the two are held as one change. A scanned item followed within
 * continuationSec by an unscanned one is common (61 of 67 such additions on
 * the field sets), but the unscanned one lands at its own centre: a second
 * rest where the first came to rest is the same item let go of, whatever
 * the fit (field 3899 trip 22: a mismatch whose first rest weighed as the
 * scanned item, its second 0.9 mm from it). Weight taken out is undone
 * whatever the fit: a shopper takes out only what is in the basket, so a
 * second rest that fits nothing comes when the gesture was one weight the
 * basket does not know (5 of 5 such removals; field 4099 trip 24, an 87 g
 * item lifted out in two rests, the first weighing as a 40 g item put in
 * just before). Not for items sold by weight, whose spread is a range of
 * weights rather than an error, so that their fit's density says nothing of
 * a coincidence, unless the second rest landed where the first lies: the
 * place says what the fit cannot (field 5499 trip 96: 613 g put in for a
 * scanned bag of olives, set down as 432 g, taken as the bag, and 182 g
 * 1.6 mm from it). Nor for a removal a scan named, a scan being evidence
 * the fit does not weigh. Items with no product taken out (an unscanned
 * item, the shopper's own bag) were weighed when they went in, as unit
 * products are, and an alert their removal closed stands again (field
 * 6399 trip 93: 162 g taken out of a bag of produce in two rests, the
 * first weighing as an unscanned 40 g item and a scanned 38 g one).
 */
function firstRestUndone(s: BasketState, last: LastChange, delta: StableDelta, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): boolean {
  if (delta.beganAtSec - last.delta.restAtSec > config.continuationSec || Math.sign(last.delta.grams) !== Math.sign(delta.grams) || last.named) return false;
  const decided = [...unitsNotIn(s, last.before), ...unitsNotIn(last.before, s)];
  const samePlace = restedWhereFirst(last.delta, delta, config.fitSigmas);
  // Taken out, an item with no product (unscanned, the shopper's own) weighs what the scale saw go in, as a unit
  // product does; put in, it is the shopper's bag, which the button announced and no fit decided.
  const undoable = (u: Unit) => (u.gtin === null ? delta.grams < 0 : samePlace || catalog.get(u.gtin)?.byWeight === false);
  if (decided.length === 0 || !decided.every(undoable)) return false;
  const joined = joinChanges(last.delta, delta);
  // The fit cost leaves out the normal density's constant, log sqrt(2 pi).
  if (delta.grams > 0 && last.cost + Math.log(2 * Math.PI) / 2 <= Math.log(joined.grams) && !samePlace) return false;
  const together = rewound(last.before, s);
  together.pendingScans = [...together.pendingScans.filter((p) => p.atSec <= last.delta.restAtSec), ...s.pendingScans.filter((p) => p.atSec > last.delta.restAtSec)];
  if (explainedOnCopy(together, joined, catalog, config)) return false;
  undoSince(s, last.before, delta.atSec, out, 'undone: the first rest of weight nothing explains');
  raiseAgain(last.before.openAlerts, s, delta.atSec, 'undone: the first rest of weight nothing explains: the alert stands', out);
  Object.assign(s, together);
  s.heldChange = joined;
  return true;
}

/**
 * The second rest landed where the first had come to rest, within what the
 * scale can tell apart (`sigmas` of the two centres' sd): a hand letting go
 * of an item already down, not another item set down beside it, whose weight
 * lands at its own centre.
 */
function restedWhereFirst(first: StableDelta, second: StableDelta, sigmas: number): boolean {
  const [a, b, sa, sb] = [first.centre, second.centre, first.centreSdMm, second.centreSdMm];
  if (!a || !b || !sa || !sb) return false;
  return Math.hypot((a.xMm - b.xMm) / Math.hypot(sa.xMm, sb.xMm), (a.yMm - b.yMm) / Math.hypot(sa.yMm, sb.yMm)) <= sigmas;
}

/**
 * The fit cost of a removal that left no line to decide by (the shopper's
 * own bag, an unscanned item taken out again): the fit of the units that
 * left. Null when none left.
 */
function removalCost(before: BasketState, after: BasketState, delta: StableDelta, config: ReconcilerConfig): number | null {
  const left = unitsNotIn(before, after);
  if (delta.grams >= 0 || left.length === 0) return null;
  return fitOf(left, unitWeight, { grams: -delta.grams, sdGrams: delta.sdGrams }, config.relativeErrorSd, config.fitSigmas).cost;
}

/** The units of basket `a` that basket `b` does not hold. */
function unitsNotIn(a: BasketState, b: BasketState): Unit[] {
  const ids = new Set(b.units.map((u) => u.id));
  return a.units.filter((u) => !ids.has(u.id));
}

function namesRemoval(decisions: Decision[]): boolean {
  return decisions.some((d) => d.kind === 'remove' && d.reason.rule === REMOVED_BY_SCAN);
}

/** The ids of the scans open in `before` that `after` has spent. */
function spentScans(before: BasketState, after: BasketState): number[] {
  const open = new Set(after.pendingScans.map((p) => p.id));
  return before.pendingScans.filter((p) => !open.has(p.id)).map((p) => p.id);
}

/**
 * The scan taken as the answer to an alert was for this item: the first
 * weight put in or taken out after it, within lateScanSec (the time a scan
 * is taken as an answer in), is one nothing else explains (an ambiguous
 * removal explains nothing), and the scanned product fits it. A shopper
 * scans an item before putting it in, or before taking it out, and one who
 * did not heed the alert scanned the next item, not the one it was about
 * (one of two look-alikes taken out, then the other scanned and taken out
 * too). The basket goes back to how it was before the scan (the alert
 * stands again, and is raised again), and the scan announces this item. An
 * item put in or taken out later than that is a gesture of its own, and the
 * answer stands.
 */
function scanWasForThis(s: BasketState, answered: AnsweredScan, delta: StableDelta, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): boolean {
  if (delta.beganAtSec - answered.scan.atSec > config.lateScanSec) return false;
  if (explainedOnCopy(s, delta, catalog, config)) return false;
  const trial = rewound(answered.before, s);
  // No weight changed since the scan: what is open now is what was, and the scans made after it.
  trial.pendingScans = [...s.pendingScans];
  const opened = openScan(trial, answered.scan);
  trial.pendingScans.sort((a, b) => a.atSec - b.atSec);
  const base = structuredClone(trial);
  const changeOut: Decision[] = [];
  if (!explainChange(trial, delta, catalog, config, changeOut) || changeOut.some((d) => d.kind === 'alert') || trial.pendingScans.includes(opened)) return false;
  undoSince(s, base, delta.atSec, out, 'the scan taken as an answer was for the next item');
  raiseAgain(trial.openAlerts, s, delta.atSec, 'the scan taken as an answer was for the next item: the alert stands', out);
  out.push(...changeOut);
  Object.assign(s, trial);
  return true;
}
