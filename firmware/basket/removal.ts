// Weight taken out: which items left (named by a scan, the only fit, or of
// look-alikes the one put in where the weight came off), and the alerts when
// several fit or nothing does.
import type { CentreMm, Gtin, Seconds, StableDelta } from '../domain.js';
import { fitOf, fittingSets, likeliestSets, type Fit, type WeightGuess } from './fit.js';
import { seenAmong } from './guess.js';
import type { BasketState, Decision, OpenAlert, ReconcilerConfig, Unit } from './types.js';
import { closeAlert, newId, reasonOf, sumGrams, unitWeight } from './basket-edits.js';

export const REMOVED_BY_SCAN = 'a scan named the item taken out';

/** Weight taken out that a scan or the items in the basket explain (ambiguity included: it has its own alert); false (and nothing done) when nothing fits. */
export function explainRemoval(s: BasketState, delta: StableDelta, config: ReconcilerConfig, out: Decision[]): boolean {
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
export function alertRemoval(s: BasketState, delta: StableDelta, atSec: Seconds, out: Decision[]): void {
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

export function correctAmbiguousRemoval(s: BasketState, alert: OpenAlert, scannedGtin: Gtin, atSec: Seconds, out: Decision[]): void {
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
