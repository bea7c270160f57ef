// The cart's judgement: (state, input) -> (state, decisions). Pure: no clock,
// no I/O; the same inputs give the same basket every time, which is what lets
// the event log be replayed and a recorded trip be scored.
import type { CentreMm, Gtin, Grams, ProductScan, Seconds, SmallChange, StableDelta } from '../domain.js';
import { fitOf, fittingSets, likeliestSets, type Fit, type WeightGuess } from './fit.js';
import { seenAmong } from './guess.js';
import type {
  AnsweredScan, BasketInput, BasketRestore, BasketState, Catalog, Decision, LastChange, OpenAlert, PendingScan, Placement, Reason, ReconcilerConfig, StaffResolution, TakenOut, Unit,
} from './types.js';

export interface Outcome {
  state: BasketState;
  decisions: Decision[];
}

export function emptyBasket(): BasketState {
  return { nextId: 1, lastPlacement: null, lastAddAtSec: null, units: [], pendingScans: [], openAlerts: [], personalArmedAtSec: null, scaleState: 'stable', deadChannels: [] };
}

export function reconcile(state: BasketState, input: BasketInput, catalog: Catalog, config: ReconcilerConfig): Outcome {
  // Four ticks a second mostly find nothing due: the state is returned as it
  // is rather than copied (no caller changes a state it was given).
  if (input.kind === 'tick' && !heldIsDue(state, input.atSec, config) && !scanIsDue(state, input.atSec, config)) return { state, decisions: [] };
  // A scale status that brings no small change only sets top-level fields:
  // a shallow copy will do (most of a trip's inputs are these, and a deep
  // copy of a full basket was most of their cost).
  const s = input.kind === 'scale-status' && !input.smallChange ? { ...state } : structuredClone(state);
  const out: Decision[] = [];
  // Anything the shopper does next settles a held change first (a scan may be
  // its late scan), and ends the gesture the last change may have been part of.
  if (input.kind !== 'stable-delta' && input.kind !== 'tick' && input.kind !== 'scale-status') {
    const scannedHeld = input.kind === 'product-scan' && (scanExplainsHeld(s, input, catalog, config, out) || scanReclaimsAbsorbed(s, input, catalog, config, out));
    if (!scannedHeld) alertHeld(s, input.atSec, catalog, config, out);
    s.lastChange = null;
    if (scannedHeld) return { state: s, decisions: out };
  }
  switch (input.kind) {
    case 'product-scan':
      onScan(s, input, catalog, config, out);
      break;
    case 'store-code':
      out.push({ kind: 'scan-ignored', atSec: input.atSec, code: input.code, reason: { rule: `a ${input.purpose} code is not a product` } });
      break;
    case 'stable-delta': {
      expireScans(s, input.beganAtSec, config, out);
      const delta = { ...input, sdGrams: Math.max(input.sdGrams, config.measurementSdFloorGrams) };
      // Below the scale's own noise a change is settling, not an item; the floor is for matching only.
      if (Math.abs(input.grams) < Math.max(config.minChangeGrams, config.fitSigmas * input.sdGrams)) break;
      onChange(s, delta, catalog, config, out);
      break;
    }
    case 'scale-status': {
      const wasStill = isStill(s.scaleState);
      s.scaleState = input.state;
      s.deadChannels = input.deadChannels;
      if (!isStill(input.state)) {
        if (wasStill) {
          s.unstillSinceSec = input.changeBeganAtSec ?? input.atSec;
          s.pushedSinceRest = false;
        }
        if (input.state === 'moving') s.pushedSinceRest = true;
      } else {
        s.unstillSinceSec = null;
        s.pushedSinceRest = false;
      }
      if (input.smallChange) {
        const small = input.smallChange;
        s.lastSmall = completeHeld(s, small, input.atSec, catalog, config, out) || scannedItemIn(s, small, input.atSec, catalog, config, out) ? null : small;
      }
      break;
    }
    case 'button':
      if (!input.pressed) break;
      if (input.name === 'my-bag') s.personalArmedAtSec = input.atSec;
      else out.push({ kind: 'help-requested', atSec: input.atSec });
      break;
    case 'staff-resolution':
      onStaff(s, input, out);
      break;
    case 'basket-restore':
      onRestore(s, input, catalog, config, out);
      break;
    case 'tick': {
      if (heldIsDue(s, input.atSec, config)) alertHeld(s, input.atSec, catalog, config, out);
      if (s.scaleState === 'stable') expireScans(s, input.atSec, config, out);
      break;
    }
  }
  return { state: s, decisions: out };
}

/** The held change has waited its time, and the basket did not leave rest in time for the rest of it: its alert is due. */
function heldIsDue(s: BasketState, atSec: Seconds, config: ReconcilerConfig): boolean {
  const held = s.heldChange;
  return !!held && atSec - held.restAtSec > heldWaitSec(held, config) && !mayContinue(s, held, config.continuationSec);
}

/** Weight put in may yet be scanned (scanAfterPlaceSec); any held change may yet be followed by the rest of its item (continuationSec). */
function heldWaitSec(held: StableDelta, config: ReconcilerConfig): Seconds {
  return held.grams > 0 ? Math.max(config.continuationSec, config.scanAfterPlaceSec) : config.continuationSec;
}

/** An open scan has waited longer than its window while the basket is at rest (what a tick expires). */
function scanIsDue(s: BasketState, atSec: Seconds, config: ReconcilerConfig): boolean {
  return s.scaleState === 'stable' && s.pendingScans.some((scan) => atSec - scan.atSec > config.scanWindowSec);
}

/**
 * The basket left rest in time for the rest of a held change: a hand letting
 * it down (a light item's slow let-down shows late, so the whole
 * continuationSec), or the cart set off while the hand still held the item,
 * within half of it (the rest lands during the push and is measured after
 * it). A push later than that was not the hand's doing, and the shopper is
 * told before it ends: the pauses of a push starting (the scale settling
 * between jolts) do not make it a hand again.
 */
function mayContinue(s: BasketState, held: StableDelta, continuationSec: Seconds): boolean {
  const leftAfterSec = (s.unstillSinceSec ?? Infinity) - held.restAtSec;
  if (s.scaleState === 'settling' && !s.pushedSinceRest) return leftAfterSec <= continuationSec;
  return (s.scaleState === 'moving' || s.scaleState === 'settling') && leftAfterSec <= continuationSec / 2;
}

const REMOVED_BY_SCAN = 'a scan named the item taken out';

function isStill(state: BasketState['scaleState']): boolean {
  return state === 'stable' || state === 'degraded';
}

function newId(s: BasketState): number {
  return s.nextId++;
}

function productWeight(catalog: Catalog, config: ReconcilerConfig, gtin: Gtin, declaredGrams?: Grams): WeightGuess {
  const p = catalog.get(gtin);
  if (declaredGrams !== undefined) {
    // The code states the net weight; packaging and the scale's own interval
    // remain, so keep a few grams of spread (or the product's own, if smaller).
    return { grams: declaredGrams, sdGrams: Math.min(p?.gramsSd ?? 5, 5) };
  }
  if (!p) return { grams: 0, sdGrams: 0 };
  // A bag of produce has a wide spread but a bounded one: narrow it so that
  // fitSigmas of it span byWeightSigmas of the catalog's, or a near-empty bag
  // would explain any small item dropped in after it was scanned.
  if (p.byWeight) return { grams: p.grams, sdGrams: p.gramsSd * Math.min(1, config.byWeightSigmas / config.fitSigmas) };
  return { grams: p.grams, sdGrams: p.gramsSd };
}

function expireScans(s: BasketState, nowSec: Seconds, config: ReconcilerConfig, out: Decision[]): void {
  s.pendingScans = s.pendingScans.filter((scan) => {
    if (nowSec - scan.atSec <= config.scanWindowSec) return true;
    out.push({ kind: 'scan-expired', atSec: nowSec, scanId: scan.id, gtin: scan.gtin });
    return false;
  });
}

function onScan(s: BasketState, scan: ProductScan, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): void {
  const product = catalog.get(scan.gtin);
  if (!product) {
    out.push({ kind: 'scan-ignored', atSec: scan.atSec, code: scan.code, reason: { rule: 'not in the catalog' } });
    return;
  }
  const before = snapshot(s);
  if (resolveWithLateScan(s, scan, catalog, config, out)) {
    s.answeredScan = { scan, before };
    return;
  }
  out.push({ kind: 'scan-open', atSec: scan.atSec, scanId: openScan(s, scan).id, gtin: scan.gtin });
}

/**
 * A scan while an addition nothing explained is held: the shopper put the
 * item in and scanned it straight after, before its alert was due. When the
 * scanned product fits the weight, the item is added as if scanned first, and
 * no alert is raised for a step the shopper took in the other order. It is
 * taken as an answer (AnsweredScan): should the next item put in fit the scan
 * and nothing else, the scan was for that one, and the held weight's alert
 * is raised after all (scanWasForThis).
 */
function scanExplainsHeld(s: BasketState, scan: ProductScan, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): boolean {
  const held = s.heldChange;
  // A scan made for the held item (one that did not fit it) makes it a mismatch, and this scan is for the next item.
  if (!held || held.grams <= 0 || scanMeantFor(s, held, s.lastAddAtSec ?? -Infinity) || !catalog.get(scan.gtin)) return false;
  const trial = structuredClone(s);
  trial.heldChange = null;
  return addedWithScan(s, trial, held, scan, catalog, config, out, () => {
    // Had the scan been for the next item, the held weight would have been alerted before it.
    const alerted = structuredClone(s);
    alerted.nextId = trial.nextId;
    alertHeld(alerted, scan.atSec, catalog, config, []);
    return snapshot(alerted);
  });
}

/**
 * A scan that fits the weight the last placement took in as its own rest: a
 * bag of produce fits a wide range, and an item put in just after it, with
 * no scan yet, was taken as more of the bag; the shopper's scan says what it
 * was. The bag goes back to its own weight and the item is added. As with a
 * held change, should the next item put in fit the scan and nothing else, the
 * scan was for that one (scanWasForThis) and the weight is the bag's again.
 */
function scanReclaimsAbsorbed(s: BasketState, scan: ProductScan, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): boolean {
  const absorbed = s.lastPlacement?.absorbed;
  // A bag of produce scanned fits almost any weight: it says nothing about what the weight was.
  const product = catalog.get(scan.gtin);
  if (!absorbed || scan.atSec - absorbed.delta.restAtSec > config.lateScanSec || !product || product.byWeight) return false;
  const trial = structuredClone(s);
  const placement = trial.lastPlacement!;
  placement.grams = absorbed.grams;
  placement.sdGrams = absorbed.sdGrams;
  placement.restAtSec = absorbed.restAtSec;
  placement.absorbed = null;
  for (const unit of trial.units) {
    const was = absorbed.units.find((u) => u.id === unit.id);
    if (was) Object.assign(unit, { grams: was.grams, sdGrams: was.sdGrams });
  }
  trial.lastAddAtSec = absorbed.lastAddAtSec;
  return addedWithScan(s, trial, absorbed.delta, scan, catalog, config, out, () => snapshot(s));
}

/**
 * On `trial` (the basket `s` made ready for it), the scan opened and the
 * weight added with it as an item of its own, decided as at the scan, which
 * the change's own time came before. When it is, `trial` becomes the basket
 * and the scan is kept as an answer, with `answeredFrom()` the basket the
 * next item may show it was meant for; otherwise nothing is done.
 */
function addedWithScan(s: BasketState, trial: BasketState, delta: StableDelta, scan: ProductScan, catalog: Catalog, config: ReconcilerConfig, out: Decision[], answeredFrom: () => BasketState): boolean {
  const opened = openScan(trial, scan);
  const trialOut: Decision[] = [];
  if (!explainAddition(trial, { ...delta, atSec: scan.atSec }, catalog, config, trialOut) || !placedWith(trial, opened, s)) return false;
  const before = answeredFrom();
  Object.assign(s, trial);
  s.answeredScan = { scan, before };
  out.push({ kind: 'scan-open', atSec: scan.atSec, scanId: opened.id, gtin: scan.gtin }, ...trialOut);
  return true;
}

/** The weight went in as an item of its own with the scan, not as more of a placement already in `before`. */
function placedWith(s: BasketState, scan: PendingScan, before: BasketState): boolean {
  const placed = s.lastPlacement;
  return !!placed && placed.scans.some((p) => p.id === scan.id) && placed.unitIds.every((id) => !before.units.some((u) => u.id === id));
}

/** The scan announces an item still to come. */
function openScan(s: BasketState, scan: ProductScan): PendingScan {
  const pending: PendingScan = { id: newId(s), gtin: scan.gtin, atSec: scan.atSec };
  if (scan.measure?.grams !== undefined) pending.declaredGrams = scan.measure.grams;
  s.pendingScans.push(pending);
  return pending;
}

/**
 * A scan that comes just after an unexplained placement, or after an ambiguous
 * removal, settles that alert instead of announcing a new item.
 */
function resolveWithLateScan(s: BasketState, scan: ProductScan, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): boolean {
  for (const alert of s.openAlerts) {
    if (scan.atSec - alert.atSec > config.lateScanSec) continue;
    if (alert.kind === 'unscanned-item') {
      const unit = s.units.find((u) => u.alertId === alert.id);
      if (!unit) continue;
      const fit = fitOf([scan.gtin], (g) => productWeight(catalog, config, g, scan.measure?.grams),
        { grams: unit.grams, sdGrams: unit.sdGrams }, config.relativeErrorSd, config.fitSigmas);
      if (fit.z > config.fitSigmas) continue;
      unit.status = 'charged';
      unit.gtin = scan.gtin;
      delete unit.alertId;
      closeAlert(s, alert, out, scan.atSec, 'scanned after it was placed');
      out.push({ kind: 'add', atSec: scan.atSec, unitId: unit.id, gtin: scan.gtin, grams: unit.grams, reason: reasonOf('late scan fits the unscanned item', fit, unit.grams) });
      return true;
    }
    if (alert.kind === 'ambiguous-removal' && alert.candidates?.some((c) => c.length === 1 && c[0] === scan.gtin)) {
      correctAmbiguousRemoval(s, alert, scan.gtin, scan.atSec, out);
      return true;
    }
  }
  return false;
}

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
function onChange(s: BasketState, delta: StableDelta, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): void {
  if (s.lastPlacement) s.lastPlacement.absorbed = null;
  const answered = s.answeredScan ?? null;
  s.answeredScan = null;
  if (answered && scanWasForThis(s, answered, delta, catalog, config, out)) return;
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
      s.heldChange = net;
      return;
    }
  }
  if (held && soon && Math.sign(held.grams) === Math.sign(delta.grams)) {
    const joined = joinChanges(held, delta);
    const trial = structuredClone(s);
    const trialOut: Decision[] = [];
    if (explainChange(trial, joined, catalog, config, trialOut)) {
      Object.assign(s, trial);
      out.push(...trialOut);
      return;
    }
    // One gesture, nothing in between: held as one, so one alert asks the
    // shopper, rather than the second rest alone taking out an item that
    // happens to weigh what it does.
    s.heldChange = joined;
    return;
  }
  if (held) alertChange(s, held, delta.atSec, catalog, config, out);
  const last = s.lastChange ?? null;
  s.lastChange = null;
  if (last && delta.beganAtSec - last.delta.restAtSec <= config.continuationSec && reviseLastChange(s, last, delta, catalog, config, out)) return;
  const before = snapshot(s);
  const explained = explainedOnCopy(s, delta, catalog, config);
  // A removal that fits several items is held too: it may be the first rest
  // of an item lifted out one edge first, which the next rest makes plain.
  if (!explained) {
    s.heldChange = delta;
    return;
  }
  const { decisions } = explained;
  Object.assign(s, explained.state);
  out.push(...decisions);
  // A removal a scan named is revised only into one the scan names too (a
  // scan is evidence a fit cost does not weigh): the first rest of the item
  // lifted out, not another item.
  const cost = fitCostOf(decisions, config);
  if (cost !== null) s.lastChange = { before, delta, cost, named: namesRemoval(decisions) };
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
 * A first rest that took a lingering scan, and a second that spends none
 * alone, are still one item.
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
  if (spentAlone.some((id) => leftOpen.has(id))) return false;
  if (spentAlone.length > 0 && spentScans(last.before, s).some((id) => leftOpen.has(id))) return false;
  together.pendingScans.push(...scannedSince);
  const togetherCost = fitCostOf(togetherOut, config);
  if (togetherCost === null || togetherCost >= last.cost + apartCost) return false;
  undoSince(s, last.before, delta.atSec, out);
  // An alert the last change closed (weight taken for a put-back) stands again.
  const openBefore = new Set(last.before.openAlerts.map((a) => a.id));
  raiseAgain(together.openAlerts.filter((a) => openBefore.has(a.id)), s, delta.atSec, 'the weight taken for a put-back was the first rest of the next item: the alert stands', out);
  Object.assign(s, together);
  // The two are the last change now: a third rest may yet be part of the gesture.
  s.lastChange = { before: last.before, delta: joinChanges(last.delta, delta), cost: togetherCost, named: namesRemoval(togetherOut) };
  out.push(...togetherOut);
  return true;
}

function namesRemoval(decisions: Decision[]): boolean {
  return decisions.some((d) => d.kind === 'remove' && d.reason.rule === REMOVED_BY_SCAN);
}

/** The ids of the scans open in `before` that `after` has spent. */
function spentScans(before: BasketState, after: BasketState): number[] {
  const open = new Set(after.pendingScans.map((p) => p.id));
  return before.pendingScans.filter((p) => !open.has(p.id)).map((p) => p.id);
}

/** Puts the basket's lines back as they were in `before`: what was charged since leaves, what was taken out returns. */
function undoSince(s: BasketState, before: BasketState, atSec: Seconds, out: Decision[], rule = 'undone: one gesture with the next change'): void {
  const chargedIn = (state: BasketState, u: Unit) => state.units.some((x) => x.id === u.id && x.status === 'charged' && x.gtin === u.gtin);
  for (const u of s.units) {
    if (u.status === 'charged' && !chargedIn(before, u)) out.push({ kind: 'remove', atSec, unitId: u.id, gtin: u.gtin!, grams: u.grams, reason: { rule } });
  }
  for (const u of before.units) {
    if (u.status === 'charged' && !chargedIn(s, u)) out.push({ kind: 'add', atSec, unitId: u.id, gtin: u.gtin!, grams: u.grams, reason: { rule } });
  }
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

/** The change explained on a copy of the basket, with no alert; null when nothing explains it. */
function explainedOnCopy(s: BasketState, delta: StableDelta, catalog: Catalog, config: ReconcilerConfig): { state: BasketState; decisions: Decision[] } | null {
  const state = structuredClone(s);
  const decisions: Decision[] = [];
  if (!explainChange(state, delta, catalog, config, decisions) || decisions.some((d) => d.kind === 'alert')) return null;
  return { state, decisions };
}

/** The basket as it was in `before`, with what the scale says now, and ids that go on from the ones given since. */
function rewound(before: BasketState, now: BasketState): BasketState {
  const state = structuredClone(before);
  state.nextId = Math.max(state.nextId, now.nextId);
  state.scaleState = now.scaleState;
  state.deadChannels = now.deadChannels;
  state.unstillSinceSec = now.unstillSinceSec ?? null;
  state.pushedSinceRest = now.pushedSinceRest ?? false;
  return state;
}

function snapshot(s: BasketState): BasketState {
  const copy = structuredClone(s);
  copy.lastChange = null;
  copy.heldChange = null;
  copy.answeredScan = null;
  return copy;
}

/** The fit cost of a change's decisions, from the reason of its first add or remove (or put-back that closed an alert); null when it was not decided by a fit. */
function fitCostOf(decisions: Decision[], config: ReconcilerConfig): number | null {
  const d = decisions.find((x) => x.kind === 'add' || x.kind === 'remove' || (x.kind === 'alert-resolved' && x.reason.expectedGrams !== undefined));
  if (!d) return null;
  const r = 'reason' in d ? d.reason : undefined;
  if (r?.measuredGrams === undefined || r.expectedGrams === undefined || !r.toleranceGrams) return null;
  const sd = r.toleranceGrams / config.fitSigmas;
  const z = (r.measuredGrams - r.expectedGrams) / sd;
  return (z * z) / 2 + Math.log(sd);
}

function explainChange(s: BasketState, delta: StableDelta, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): boolean {
  return delta.grams > 0 ? explainAddition(s, delta, catalog, config, out) : explainRemoval(s, delta, config, out);
}

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
function completeHeld(s: BasketState, small: SmallChange, atSec: Seconds, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): boolean {
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
function scannedItemIn(s: BasketState, small: SmallChange, atSec: Seconds, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): boolean {
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
function withSmallBefore(s: BasketState, small: SmallChange, delta: StableDelta, catalog: Catalog, config: ReconcilerConfig): StableDelta {
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

/** A held change the shopper's next step did not complete, decided on its own: an alert, or a removal among several that fit. */
function alertChange(s: BasketState, delta: StableDelta, atSec: Seconds, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): void {
  if (isNoItem(delta, catalog, config)) {
    out.push({ kind: 'no-item', atSec, grams: delta.grams, reason: { rule: 'lighter than anything sold', measuredGrams: delta.grams, deltaAtSec: delta.restAtSec } });
    return;
  }
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
function joinChanges(first: StableDelta, second: StableDelta): StableDelta {
  const joined: StableDelta = {
    ...second,
    grams: first.grams + second.grams,
    sdGrams: Math.hypot(first.sdGrams, second.sdGrams),
    beganAtSec: first.beganAtSec,
    centre: null,
  };
  if (!second.guess && first.guess) joined.guess = first.guess;
  return joined;
}

function alertHeld(s: BasketState, atSec: Seconds, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): void {
  const held = s.heldChange;
  if (!held) return;
  s.heldChange = null;
  alertChange(s, held, atSec, catalog, config, out);
}

/** Weight put in that a scan, a put-back or the "my bag" button explains; false (and nothing done) when nothing does. */
function explainAddition(s: BasketState, delta: StableDelta, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): boolean {
  const measured = { grams: delta.grams, sdGrams: delta.sdGrams };
  if (s.personalArmedAtSec !== null && delta.beganAtSec - s.personalArmedAtSec <= config.personalArmSec) {
    s.personalArmedAtSec = null;
    s.lastAddAtSec = delta.beganAtSec;
    const unit = addUnit(s, null, 'personal', measured, delta);
    s.lastPersonal = { unitId: unit.id, restAtSec: delta.restAtSec };
    out.push({ kind: 'personal-item', atSec: delta.atSec, unitId: unit.id, grams: delta.grams, reason: { rule: 'the shopper pressed "my bag" first', measuredGrams: delta.grams } });
    return true;
  }
  s.personalArmedAtSec = null;
  // Weighed by likelihood, not by fewest items: a scanned bag of produce fits
  // almost any weight on its own, and must not swallow the item placed with it.
  const fitsAmong = (scans: PendingScan[]) => likeliestSets(scans, (p) => productWeight(catalog, config, p.gtin, p.declaredGrams), measured,
    { relativeErrorSd: config.relativeErrorSd, fitSigmas: config.fitSigmas, maxSize: placementSize(scans.length, config) });
  // A scan made after the weight came to rest is for the next item, unless
  // nothing else explains this one (scanned straight after it went in): a bag
  // of produce would fit as well with the next item's scan as without it.
  const candidates = s.pendingScans.filter((p) => p.atSec <= delta.atSec);
  const scannedBefore = candidates.filter((p) => p.atSec <= delta.restAtSec);
  const fit = pickOldest(fitsAmong(scannedBefore), scannedBefore) ?? (scannedBefore.length < candidates.length ? pickOldest(fitsAmong(candidates), candidates) : undefined);
  if (fit) {
    s.lastAddAtSec = delta.beganAtSec;
    addScanned(s, fit, delta, catalog, config, out);
    return true;
  }
  return putBack(s, delta, config, out) || completesLastPlacement(s, delta, catalog, config, out) || completesBag(s, delta, config, out);
}

/** Every set of eight scans is 255 sets to weigh. */
const ALL_SETS_UP_TO = 8;

/**
 * How many scans one placement may be, of `scans` that could be in it: any
 * number, as a shopper scans six pots of yoghurt, or four items at the shelf,
 * and puts them in together (xsim4 101 trip 36 was four). With more scans
 * open than ALL_SETS_UP_TO (a scanner flooded), sets of up to
 * maxUnitsPerChange, as for a removal.
 */
function placementSize(scans: number, config: ReconcilerConfig): number {
  return scans <= ALL_SETS_UP_TO ? scans : config.maxUnitsPerChange;
}

/** The rest of the shopper's bag, set down in two goes: weight no scan explains, begun within continuationSec of the bag's rest. */
function completesBag(s: BasketState, delta: StableDelta, config: ReconcilerConfig, out: Decision[]): boolean {
  const last = s.lastPersonal;
  const bag = last && delta.beganAtSec - last.restAtSec <= config.continuationSec
    ? s.units.find((u) => u.id === last.unitId && u.status === 'personal') : undefined;
  if (!bag) return false;
  bag.grams += delta.grams;
  bag.sdGrams = Math.hypot(bag.sdGrams, delta.sdGrams);
  s.lastPersonal = { unitId: bag.id, restAtSec: delta.restAtSec };
  s.lastAddAtSec = delta.beganAtSec;
  out.push({ kind: 'personal-item', atSec: delta.atSec, unitId: bag.id, grams: bag.grams, reason: { rule: 'the rest of the shopper\'s bag, set down in two goes', measuredGrams: delta.grams } });
  return true;
}

/**
 * Weight that fits what was lately taken out is that again (an item lifted
 * out to be read, then put back): items taken out by weight alone are back,
 * as they were; an ambiguous or unknown removal is undone and its alert
 * closes. What left is known by the weight the scale saw leave, not by the
 * items' spread. When more than one fits, the latest removal is the one undone.
 */
function putBack(s: BasketState, delta: StableDelta, config: ReconcilerConfig, out: Decision[]): boolean {
  const measured = { grams: delta.grams, sdGrams: delta.sdGrams };
  // One item weighed twice on the same scale: the calibration's error is the same in both (and in each sd already).
  const fits = (left: WeightGuess) => fitOf([left], (w) => w, measured, 0, config.fitSigmas);
  const recent = (s.takenOut ?? []).filter((t) => delta.beganAtSec - t.atSec <= config.putBackSec);
  const opts = { relativeErrorSd: config.relativeErrorSd, fitSigmas: config.fitSigmas, maxSize: config.maxUnitsPerChange };
  // All that left at once, by what the scale saw leave; or some of it (two items lifted out together, one put back).
  const backFrom = (t: TakenOut): { units: Unit[]; fit: Fit<unknown> } | undefined => {
    const whole = fits(t.measured ?? { grams: sumGrams(t.units), sdGrams: Math.hypot(...t.units.map((u) => u.sdGrams)) });
    if (whole.z <= config.fitSigmas) return { units: t.units, fit: whole };
    const some = likeliestSets(t.units, unitWeight, measured, opts).find((f) => f.members.length < t.units.length);
    return some && { units: some.members, fit: some };
  };
  const taken = recent
    .map((t) => ({ t, back: backFrom(t) }))
    .filter((c): c is { t: TakenOut; back: { units: Unit[]; fit: Fit<unknown> } } => c.back !== undefined)
    .sort((a, b) => b.t.atSec - a.t.atSec)[0];
  const alert = s.openAlerts
    .filter((a) => (a.kind === 'unknown-removal' || a.kind === 'ambiguous-removal') && delta.beganAtSec - a.atSec <= config.putBackSec
      && fits({ grams: a.grams, sdGrams: delta.sdGrams }).z <= config.fitSigmas)
    .sort((a, b) => b.atSec - a.atSec)[0];
  if (alert && (!taken || alert.atSec > taken.t.atSec)) {
    for (const unit of alert.removedUnits ?? []) {
      s.units.push(unit);
      if (unit.status === 'charged') out.push({ kind: 'add', atSec: delta.atSec, unitId: unit.id, gtin: unit.gtin!, grams: unit.grams, reason: { rule: 'the item taken out was put back', measuredGrams: delta.grams } });
    }
    // With the fit in its reason, the put-back has a cost: the next rest may show it was the first rest of an item.
    closeAlert(s, alert, out, delta.atSec, reasonOf('the weight taken out was put back', fits({ grams: alert.grams, sdGrams: delta.sdGrams }), delta.grams));
    return true;
  }
  if (!taken) return false;
  const backIds = new Set(taken.back.units.map((u) => u.id));
  const stillOut = taken.t.units.filter((u) => !backIds.has(u.id));
  s.takenOut = recent.flatMap((t) => (t !== taken.t ? [t] : stillOut.length > 0 ? [{ units: stillOut, atSec: t.atSec }] : []));
  s.lastAddAtSec = delta.beganAtSec;
  for (const unit of taken.back.units) {
    s.units.push(unit);
    out.push({ kind: 'add', atSec: delta.atSec, unitId: unit.id, gtin: unit.gtin!, grams: unit.grams, reason: reasonOf('the item taken out was put back', taken.back.fit, delta.grams) });
  }
  return true;
}

/** What a unit in the basket weighs, as the scale measured it when it went in. */
function unitWeight(u: Unit): WeightGuess {
  return { grams: u.grams, sdGrams: u.sdGrams };
}

function sumGrams(units: Unit[]): Grams {
  return units.reduce((a, u) => a + u.grams, 0);
}

/**
 * The rest of the last placement: weight that begins within continuationSec
 * of its rest and, with it, fits its scans, alone or with scans still open (a
 * bag of produce set down edge first fits its scan at either rest; a second
 * item put in while the first is still half held settles with its rest).
 */
function completesLastPlacement(s: BasketState, delta: StableDelta, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): boolean {
  const last = s.lastPlacement;
  if (!last || delta.beganAtSec - last.restAtSec > config.continuationSec) return false;
  const whole = { grams: last.grams + delta.grams, sdGrams: Math.hypot(last.sdGrams, delta.sdGrams) };
  const fit = likeliestWithLast(last, s.pendingScans.filter((p) => p.atSec <= delta.atSec), whole, true, catalog, config);
  if (!fit) return false;
  // Taken in with no scan of its own: a scan that comes after may yet say what it was.
  last.absorbed = fit.members.length === last.scans.length
    ? { delta, grams: last.grams, sdGrams: last.sdGrams, restAtSec: last.restAtSec, lastAddAtSec: s.lastAddAtSec,
      units: s.units.filter((u) => last.unitIds.includes(u.id)).map((u) => ({ id: u.id, grams: u.grams, sdGrams: u.sdGrams })) }
    : null;
  last.grams = whole.grams;
  last.sdGrams = whole.sdGrams;
  last.restAtSec = delta.restAtSec;
  s.lastAddAtSec = delta.beganAtSec;
  regroupLastPlacement(s, last, fit, delta.atSec, 'the rest of the last placement settled after it', catalog, config, out);
  return true;
}

/** Weight put in that nothing explains: an alert, and the item is in the cart unpaid. `atSec`: when the shopper is told. */
function alertAddition(s: BasketState, delta: StableDelta, atSec: Seconds, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): void {
  const previousAddAtSec = s.lastAddAtSec ?? -Infinity;
  s.lastAddAtSec = delta.beganAtSec;
  const measured = { grams: delta.grams, sdGrams: delta.sdGrams };
  absorbIntoLastPlacement(s, atSec, catalog, config, out);
  const lastScan = scanMeantFor(s, delta, previousAddAtSec);
  const alertKind = lastScan ? 'weight-mismatch' : 'unscanned-item';
  const alert: OpenAlert = { id: newId(s), kind: alertKind, atSec, grams: delta.grams };
  s.openAlerts.push(alert);
  const unit = addUnit(s, null, 'unpaid', measured, delta);
  unit.alertId = alert.id;
  let reason;
  if (lastScan) {
    // The scan was meant for this item; it is spent on it, so it cannot make a later placement look scanned.
    s.pendingScans = s.pendingScans.filter((p) => p.id !== lastScan.id);
    const expected = fitOf([lastScan], (p) => productWeight(catalog, config, p.gtin, p.declaredGrams), measured, config.relativeErrorSd, config.fitSigmas);
    reason = { ...reasonOf('weight does not fit the scanned item', expected, delta.grams), scanIds: [lastScan.id] };
  } else {
    reason = { rule: 'weight added with no open scan', measuredGrams: delta.grams, deltaAtSec: delta.restAtSec };
  }
  const decision: Decision = { kind: 'alert', atSec, alertId: alert.id, alert: alertKind, grams: delta.grams, reason };
  if (lastScan) decision.likelyGtin = lastScan.gtin;
  // The cameras may name what went in, among the products whose weight fits it. Their guess is in the event
  // log with the weight change; the decision carries what the store protocol has room for.
  const seen = seenAmong(delta.guess, productsThatFit(delta, catalog, config));
  if (seen && !lastScan) decision.likelyGtin = seen.gtin;
  if (seen && lastScan && seen.gtin !== lastScan.gtin) decision.reason = { ...reason, rule: 'weight does not fit the scanned item, and the cameras saw another product go in' };
  out.push(decision);
}

/**
 * The open scan that announced this placement, which its weight did not fit.
 * Only a scan made since the last placement began announces it; one that
 * outlived a placement without being used was most likely put back. A scan
 * made after this weight began to go in, which does not fit it, is for the
 * next item: a shopper scans an item before setting it down.
 */
function scanMeantFor(s: BasketState, delta: StableDelta, previousAddAtSec: Seconds): PendingScan | undefined {
  return s.pendingScans.filter((p) => p.atSec > previousAddAtSec && p.atSec <= delta.beganAtSec).at(-1);
}

/**
 * Among fits about as likely as the best, take the one using the oldest
 * scans (first scanned, first placed): the one whose newest scan is oldest,
 * and of those the one that leaves no scan older than that open (a 32 g
 * item scanned, then a 5 kg pack, put in together: the pack's spread takes
 * in the small item, and the pack alone fits about as well).
 */
function pickOldest(fits: Fit<PendingScan>[], scans: readonly PendingScan[]): Fit<PendingScan> | undefined {
  const best = fits[0];
  if (!best) return undefined;
  const close = fits.filter((f) => f.cost - best.cost < 0.5);
  const age = (f: Fit<PendingScan>) => Math.max(...f.members.map((m) => m.atSec));
  const olderLeftOpen = (f: Fit<PendingScan>) => scans.filter((p) => p.atSec < age(f) && !f.members.includes(p)).length;
  return close.reduce((a, b) => (age(b) < age(a) || (age(b) === age(a) && olderLeftOpen(b) < olderLeftOpen(a)) ? b : a));
}

function addScanned(s: BasketState, fit: Fit<PendingScan>, delta: StableDelta, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): void {
  const used = new Set(fit.members.map((m) => m.id));
  s.pendingScans = s.pendingScans.filter((p) => !used.has(p.id));
  const placement = { restAtSec: delta.restAtSec, grams: delta.grams, sdGrams: delta.sdGrams, scans: fit.members, unitIds: [] as number[] };
  const shares = splitPlacement(placement, catalog, config);
  fit.members.forEach((scan, i) => {
    const unit = addUnit(s, scan.gtin, 'charged', shares[i]!, delta);
    placement.unitIds.push(unit.id);
    out.push({ kind: 'add', atSec: delta.atSec, unitId: unit.id, gtin: scan.gtin, grams: unit.grams, reason: { ...reasonOf('weight fits the scanned item', fit, delta.grams), scanIds: [...used] } });
  });
  s.lastPlacement = placement;
}

/**
 * Several items settled as one change: each gets its expected weight plus a
 * share of the difference in proportion to its spread (the best estimate of
 * each given their sum), so that a bag of produce takes up what is left.
 */
function splitPlacement(placement: Placement, catalog: Catalog, config: ReconcilerConfig): WeightGuess[] {
  if (placement.scans.length === 1) return [{ grams: placement.grams, sdGrams: placement.sdGrams }];
  const priors = placement.scans.map((m) => productWeight(catalog, config, m.gtin, m.declaredGrams));
  const residual = placement.grams - priors.reduce((a, w) => a + w.grams, 0);
  const totalVariance = priors.reduce((a, w) => a + w.sdGrams ** 2, placement.sdGrams ** 2);
  return priors.map((prior) => {
    const gain = prior.sdGrams ** 2 / totalVariance;
    return { grams: prior.grams + gain * residual, sdGrams: Math.sqrt(prior.sdGrams ** 2 * (1 - gain) + placement.sdGrams ** 2) };
  });
}

/**
 * A placement that fits none of the open scans may still be honest about an
 * earlier one: a scan that was open when the last placement settled, and that
 * fits it together with the items already matched, was placed then (two bags
 * of potatoes settle as one change; one bag alone fits as well). It joins that
 * placement, so it cannot make this one look like a mismatch.
 */
function absorbIntoLastPlacement(s: BasketState, nowSec: Seconds, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): void {
  const last = s.lastPlacement;
  if (!last) return;
  const extra = likeliestWithLast(last, s.pendingScans.filter((p) => p.atSec <= last.restAtSec), last, false, catalog, config);
  if (!extra) return;
  regroupLastPlacement(s, last, extra, nowSec, 'the scanned item settled together with the last placement', catalog, config, out);
}

/**
 * The likeliest fit of `measured` by the last placement's scans (first) and
 * some of `open`: with none of them too when `orNone`. A placement holds at
 * most placementSize scans, its own among them.
 */
function likeliestWithLast(last: Placement, open: PendingScan[], measured: WeightGuess, orNone: boolean, catalog: Catalog, config: ReconcilerConfig): Fit<PendingScan> | undefined {
  const weightOf = (p: PendingScan) => productWeight(catalog, config, p.gtin, p.declaredGrams);
  const maxSize = Math.max(0, placementSize(last.scans.length + open.length, config) - last.scans.length);
  const extras = likeliestSets(open, weightOf, { grams: 0, sdGrams: 0 }, { relativeErrorSd: 0, fitSigmas: Infinity, maxSize }).map((f) => f.members);
  return (orNone ? [[], ...extras] : extras).map((extra) => fitOf([...last.scans, ...extra], weightOf, measured, config.relativeErrorSd, config.fitSigmas))
    .filter((f) => f.z <= config.fitSigmas)
    .sort((a, b) => a.cost - b.cost)[0];
}

/** The last placement now holds `fit`'s scans (its own first): each unit takes its share, and a scan new to it becomes a unit. */
function regroupLastPlacement(s: BasketState, last: Placement, fit: Fit<PendingScan>, atSec: Seconds, rule: string, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): void {
  const joined = new Set(fit.members.slice(last.scans.length).map((p) => p.id));
  s.pendingScans = s.pendingScans.filter((p) => !joined.has(p.id));
  last.scans = fit.members;
  const shares = splitPlacement(last, catalog, config);
  last.scans.forEach((scan, i) => {
    const share = shares[i]!;
    const existing = s.units.find((u) => u.id === last.unitIds[i]);
    if (existing) {
      existing.grams = share.grams;
      existing.sdGrams = share.sdGrams;
      return;
    }
    const unit: Unit = { id: newId(s), gtin: scan.gtin, status: 'charged', grams: share.grams, sdGrams: share.sdGrams, centre: null, addedAtSec: last.restAtSec };
    s.units.push(unit);
    last.unitIds.push(unit.id);
    out.push({ kind: 'add', atSec, unitId: unit.id, gtin: scan.gtin, grams: unit.grams, reason: { ...reasonOf(rule, fit, last.grams), scanIds: [scan.id] } });
  });
}

function addUnit(s: BasketState, gtin: Gtin | null, status: Unit['status'], w: WeightGuess, delta: StableDelta): Unit {
  const unit: Unit = { id: newId(s), gtin, status, grams: w.grams, sdGrams: w.sdGrams, centre: delta.centre, addedAtSec: delta.atSec };
  s.units.push(unit);
  return unit;
}

/** Weight taken out that a scan or the items in the basket explain (ambiguity included: it has its own alert); false (and nothing done) when nothing fits. */
function explainRemoval(s: BasketState, delta: StableDelta, config: ReconcilerConfig, out: Decision[]): boolean {
  const measured = { grams: -delta.grams, sdGrams: delta.sdGrams };
  const opts = { relativeErrorSd: config.relativeErrorSd, fitSigmas: config.fitSigmas, maxSize: config.maxUnitsPerChange };

  // A scan of an item in the basket, then weight taken out that fits it: that item leaves.
  const scannedGtins = new Set(s.pendingScans.map((p) => p.gtin));
  const scannedUnits = s.units.filter((u) => u.status === 'charged' && u.gtin !== null && scannedGtins.has(u.gtin));
  const byScan = fittingSets(scannedUnits, unitWeight, measured, opts)[0];
  if (byScan) {
    for (const unit of byScan.members) {
      const scan = s.pendingScans.find((p) => p.gtin === unit.gtin)!;
      s.pendingScans = s.pendingScans.filter((p) => p !== scan);
    }
    removeUnits(s, byScan, delta, REMOVED_BY_SCAN, out);
    return true;
  }
  if (guessScannedOut(s, delta, measured, config, out)) return true;

  // Ranked by likelihood, not by distance alone: an item whose weight is only
  // known to a bag of produce's spread is a poor rival to one that weighs
  // exactly what left. ambiguitySigmas is the distance that makes a rival of
  // an item as well known as the best.
  const fits = fittingSets(s.units, unitWeight, measured, opts).sort((a, b) => a.cost - b.cost);
  const best = fits[0];
  if (!best) return false;
  const close = fits.filter((f) => f.cost - best.cost < config.ambiguitySigmas ** 2 / 2);
  const rivals = distinctExplanations(close);
  const seen = rivals.length > 1 ? seenRival(delta, rivals) : null;
  if (seen) {
    removeUnits(s, seen, delta, 'of several items that fit the weight taken out, the cameras saw this one go', out);
    return true;
  }
  if (rivals.length > 1) {
    // Nothing tells which: take out the likeliest so that the basket never
    // holds more than the cart does, and ask the shopper to scan it. The
    // likeliest is the one put in where the weight came off, when the scale
    // placed both: a look-alike's weight cannot tell them apart.
    const placed = placedWhereItLeft(delta, close);
    const guess = placed ?? best;
    const alert: OpenAlert = { id: newId(s), kind: 'ambiguous-removal', atSec: delta.atSec, grams: measured.grams,
      candidates: rivals.map((f) => gtinsOf(f.members)), removedUnits: structuredClone(guess.members) };
    s.openAlerts.push(alert);
    removeUnits(s, guess, delta, placed ? 'of several items that fit the weight taken out, the one put in where it came off' : 'likeliest of several items that fit the weight taken out', out);
    out.push({ kind: 'alert', atSec: delta.atSec, alertId: alert.id, alert: 'ambiguous-removal', grams: measured.grams, candidates: alert.candidates!, reason: reasonOf('weight taken out fits more than one item or set of items', best, measured.grams) });
    return true;
  }
  removeUnits(s, best, delta, 'weight taken out fits one item or set of items', out);
  const charged = best.members.filter((u) => u.status === 'charged');
  if (charged.length > 0) {
    const unpaid = best.members.filter((u) => u.status !== 'charged');
    const left = { grams: measured.grams - sumGrams(unpaid), sdGrams: Math.hypot(measured.sdGrams, ...unpaid.map((u) => u.sdGrams)) };
    s.takenOut = [...(s.takenOut ?? []).filter((t) => delta.atSec - t.atSec <= config.putBackSec), { units: structuredClone(charged), atSec: delta.restAtSec, measured: left }];
  }
  return true;
}

/**
 * A scan, then weight taken out that fits the scanned product, whose only
 * unit the cart's guess for an unanswered ambiguous removal already took
 * out: the guess was wrong. This removal is that item, and the earlier one
 * was another of the alert's candidates, which leaves now (the shopper who
 * took out one of two look-alikes without a scan, then scans the other and
 * takes it out too, later than an answer is waited for). With one candidate
 * left the question is answered; with more, the alert stays, guessing anew.
 */
function guessScannedOut(s: BasketState, delta: StableDelta, measured: WeightGuess, config: ReconcilerConfig, out: Decision[]): boolean {
  for (const alert of s.openAlerts) {
    const guessed = alert.kind === 'ambiguous-removal' && alert.removedUnits?.length === 1 ? alert.removedUnits[0]! : null;
    if (!guessed || guessed.status !== 'charged' || !s.pendingScans.some((p) => p.gtin === guessed.gtin)) continue;
    if (fitOf([guessed], unitWeight, measured, config.relativeErrorSd, config.fitSigmas).z > config.fitSigmas) continue;
    const others = (alert.candidates ?? []).filter((c) => c.length === 1 && c[0] !== guessed.gtin).map((c) => c[0]!);
    const candidates = s.units.filter((u) => u.status === 'charged' && u.gtin !== null && others.includes(u.gtin));
    const other = likeliestSets(candidates, unitWeight, { grams: alert.grams, sdGrams: measured.sdGrams },
      { relativeErrorSd: config.relativeErrorSd, fitSigmas: config.fitSigmas, maxSize: 1 })[0];
    if (!other) continue;
    s.pendingScans.splice(s.pendingScans.findIndex((p) => p.gtin === guessed.gtin), 1);
    removeUnits(s, other, delta, 'a scan named the item taken out, which the cart had guessed for an earlier removal: that one was this', out);
    alert.candidates = (alert.candidates ?? []).filter((c) => !(c.length === 1 && c[0] === guessed.gtin));
    alert.removedUnits = other.members;
    if (alert.candidates.length <= 1) closeAlert(s, alert, out, delta.atSec, 'the other item it could have been was scanned and taken out');
    return true;
  }
  return false;
}

/** Weight taken out that fits nothing: an alert, the basket unchanged. `atSec`: when the shopper is told. */
function alertRemoval(s: BasketState, delta: StableDelta, atSec: Seconds, out: Decision[]): void {
  const grams = -delta.grams;
  const alert: OpenAlert = { id: newId(s), kind: 'unknown-removal', atSec, grams };
  s.openAlerts.push(alert);
  out.push({ kind: 'alert', atSec, alertId: alert.id, alert: 'unknown-removal', grams, reason: { rule: 'weight taken out fits no item or set of items in the basket', measuredGrams: grams } });
}

/** The products among units; the shopper's bag and an unscanned item have none (an alert's candidate set may be empty: nothing charged). */
function gtinsOf(units: Unit[]): Gtin[] {
  return units.flatMap((u) => (u.gtin === null ? [] : [u.gtin])).sort();
}

/** Fits that name different products; the same product's units are one explanation. */
function distinctExplanations(fits: Fit<Unit>[]): Fit<Unit>[] {
  const seen = new Set<string>();
  return fits.filter((f) => {
    const key = gtinsOf(f.members).join('+') + '|' + f.members.map((u) => u.status).sort().join('+');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Among single items that fit a removal equally well, the one the cameras are sure they saw go. */
function seenRival(delta: StableDelta, rivals: Fit<Unit>[]): Fit<Unit> | null {
  if (rivals.some((f) => f.members.length !== 1 || f.members[0]!.gtin === null)) return null;
  const seen = seenAmong(delta.guess, rivals.map((f) => f.members[0]!.gtin!));
  return (seen && rivals.find((f) => f.members[0]!.gtin === seen.gtin)) ?? null;
}

/**
 * Of the items that fit a removal about as well, the one put in nearest to
 * where the weight came off (a set of items: their centre of pressure, the
 * mean of their places by weight). Items slide in a pushed cart, so this is
 * a guess, not an answer. Null when a place is not known (a change too small
 * to place, a corner estimated, a basket restored).
 */
function placedWhereItLeft(delta: StableDelta, close: Fit<Unit>[]): Fit<Unit> | null {
  const at = delta.centre;
  const places = close.map((f) => centreOf(f.members));
  if (!at || places.some((c) => c === null)) return null;
  const distance = (i: number) => Math.hypot(places[i]!.xMm - at.xMm, places[i]!.yMm - at.yMm);
  let nearest = 0;
  for (let i = 1; i < close.length; i++) if (distance(i) < distance(nearest)) nearest = i;
  return close[nearest]!;
}

function centreOf(units: Unit[]): CentreMm | null {
  if (units.some((u) => u.centre === null)) return null;
  const grams = sumGrams(units);
  return { xMm: units.reduce((x, u) => x + u.grams * u.centre!.xMm, 0) / grams, yMm: units.reduce((y, u) => y + u.grams * u.centre!.yMm, 0) / grams };
}

/** Products of the cameras' guess whose catalog weight fits a placement. */
function productsThatFit(delta: StableDelta, catalog: Catalog, config: ReconcilerConfig): Gtin[] {
  const measured = { grams: delta.grams, sdGrams: delta.sdGrams };
  return (delta.guess?.top ?? []).map((g) => g.gtin).filter((gtin) => catalog.get(gtin) !== undefined &&
    fitOf([gtin], (g) => productWeight(catalog, config, g), measured, config.relativeErrorSd, config.fitSigmas).z <= config.fitSigmas);
}

function removeUnits(s: BasketState, fit: Fit<Unit>, delta: StableDelta, rule: string, out: Decision[]): void {
  const ids = new Set(fit.members.map((u) => u.id));
  s.units = s.units.filter((u) => !ids.has(u.id));
  for (const unit of fit.members) {
    if (unit.status === 'charged') {
      out.push({ kind: 'remove', atSec: delta.atSec, unitId: unit.id, gtin: unit.gtin!, grams: unit.grams, reason: reasonOf(rule, fit, -delta.grams) });
    } else if (unit.alertId !== undefined) {
      const alert = s.openAlerts.find((a) => a.id === unit.alertId);
      if (alert) closeAlert(s, alert, out, delta.atSec, 'the item was taken out again');
    }
  }
}

function correctAmbiguousRemoval(s: BasketState, alert: OpenAlert, scannedGtin: Gtin, atSec: Seconds, out: Decision[]): void {
  const removed = alert.removedUnits ?? [];
  const rightGuess = removed.length === 1 && removed[0]!.gtin === scannedGtin;
  const unit = s.units.filter((u) => u.status === 'charged' && u.gtin === scannedGtin)
    .sort((a, b) => Math.abs(a.grams - alert.grams) - Math.abs(b.grams - alert.grams))[0];
  if (!rightGuess && unit) {
    s.units = s.units.filter((u) => u !== unit);
    out.push({ kind: 'remove', atSec, unitId: unit.id, gtin: scannedGtin, grams: unit.grams, reason: { rule: 'the shopper scanned the item taken out' } });
    // What was taken out provisionally is still in the cart: it goes back as it was.
    for (const back of removed) {
      s.units.push(back);
      if (back.status === 'charged' && back.gtin !== null) {
        out.push({ kind: 'add', atSec, unitId: back.id, gtin: back.gtin, grams: back.grams, reason: { rule: 'put back: the scan named another item as taken out' } });
      }
    }
  }
  closeAlert(s, alert, out, atSec, 'the shopper scanned the item taken out');
}

/** Only an empty basket takes a restored one: anything the cart has seen since its start wins. */
function onRestore(s: BasketState, restore: BasketRestore, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): void {
  if (s.units.length > 0 || s.openAlerts.length > 0) return;
  for (const line of restore.lines) {
    const sdGrams = Math.max(config.measurementSdFloorGrams, catalog.get(line.gtin)?.gramsSd ?? 0);
    for (let i = 0; i < line.qty; i++) {
      s.units.push({ id: newId(s), gtin: line.gtin, status: 'charged', grams: line.grams / line.qty, sdGrams, centre: null, addedAtSec: restore.atSec });
    }
  }
  out.push({ kind: 'basket-restored', atSec: restore.atSec, units: s.units.length });
}

function onStaff(s: BasketState, cmd: StaffResolution, out: Decision[]): void {
  const alert = s.openAlerts.find((a) => a.id === cmd.alertId);
  if (!alert) return;
  const unit = s.units.find((u) => u.alertId === alert.id);
  if (unit && cmd.action === 'accept-personal') {
    unit.status = 'personal';
    delete unit.alertId;
    out.push({ kind: 'personal-item', atSec: cmd.atSec, unitId: unit.id, grams: unit.grams, reason: { rule: 'staff accepted it as the shopper\'s own' } });
  }
  if (cmd.action === 'remove-line' && cmd.gtin) {
    const line = s.units.find((u) => u.status === 'charged' && u.gtin === cmd.gtin);
    if (line) {
      s.units = s.units.filter((u) => u !== line);
      out.push({ kind: 'remove', atSec: cmd.atSec, unitId: line.id, gtin: cmd.gtin, grams: line.grams, reason: { rule: 'staff removed the line' } });
    }
  }
  closeAlert(s, alert, out, cmd.atSec, `staff: ${cmd.action}`);
}

/** Of `alerts`, those `s` no longer holds open are raised again: the same alert, with why it stands. */
function raiseAgain(alerts: OpenAlert[], s: BasketState, atSec: Seconds, rule: string, out: Decision[]): void {
  const openNow = new Set(s.openAlerts.map((a) => a.id));
  for (const a of alerts.filter((x) => !openNow.has(x.id))) {
    out.push({ kind: 'alert', atSec, alertId: a.id, alert: a.kind, grams: a.grams, ...(a.candidates ? { candidates: a.candidates } : {}), reason: { rule } });
  }
}

function closeAlert(s: BasketState, alert: OpenAlert, out: Decision[], atSec: Seconds, why: string | Reason): void {
  s.openAlerts = s.openAlerts.filter((a) => a.id !== alert.id);
  out.push({ kind: 'alert-resolved', atSec, alertId: alert.id, alert: alert.kind, reason: typeof why === 'string' ? { rule: why } : why });
}

function reasonOf<T>(rule: string, fit: Fit<T>, measuredGrams: Grams) {
  return { rule, measuredGrams, expectedGrams: round1(fit.expectedGrams), toleranceGrams: round1(fit.toleranceGrams) };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
