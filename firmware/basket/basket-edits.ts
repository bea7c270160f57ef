// The edits every rule makes to a basket: ids, units put in, scans opened,
// alerts raised again or closed, and the reason a decision gives. A basket is
// a plain value: a rule tries a change on a copy and keeps the copy when the
// change is explained.
import type { Gtin, Grams, ProductScan, Seconds, StableDelta } from '../domain.js';
import type { Fit, WeightGuess } from './fit.js';
import type { BasketState, Catalog, Decision, OpenAlert, PendingScan, Reason, ReconcilerConfig, Unit } from './types.js';

export function newId(s: BasketState): number {
  return s.nextId++;
}

export function productWeight(catalog: Catalog, config: ReconcilerConfig, gtin: Gtin, declaredGrams?: Grams): WeightGuess {
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

/** The scan announces an item still to come. */
export function openScan(s: BasketState, scan: ProductScan): PendingScan {
  const pending: PendingScan = { id: newId(s), gtin: scan.gtin, atSec: scan.atSec };
  if (scan.measure?.grams !== undefined) pending.declaredGrams = scan.measure.grams;
  s.pendingScans.push(pending);
  return pending;
}

/** The basket as it was in `before`, with what the scale says now, and ids that go on from the ones given since. */
export function rewound(before: BasketState, now: BasketState): BasketState {
  const state = structuredClone(before);
  state.nextId = Math.max(state.nextId, now.nextId);
  state.scaleState = now.scaleState;
  state.deadChannels = now.deadChannels;
  state.unstillSinceSec = now.unstillSinceSec ?? null;
  state.pushedSinceRest = now.pushedSinceRest ?? false;
  return state;
}

export function snapshot(s: BasketState): BasketState {
  const copy = structuredClone(s);
  copy.lastChange = null;
  copy.heldChange = null;
  copy.answeredScan = null;
  copy.keptApart = null;
  copy.heldTimedOut = null;
  copy.lastGesture = null;
  return copy;
}

/** What a unit in the basket weighs, as the scale measured it when it went in. */
export function unitWeight(u: Unit): WeightGuess {
  return { grams: u.grams, sdGrams: u.sdGrams };
}

export function sumGrams(units: Unit[]): Grams {
  return units.reduce((a, u) => a + u.grams, 0);
}

export function addUnit(s: BasketState, gtin: Gtin | null, status: Unit['status'], w: WeightGuess, delta: StableDelta): Unit {
  const unit: Unit = { id: newId(s), gtin, status, grams: w.grams, sdGrams: w.sdGrams, centre: delta.centre, addedAtSec: delta.atSec };
  s.units.push(unit);
  return unit;
}

/** Of `alerts`, those `s` no longer holds open are raised again: the same alert, with why it stands. */
export function raiseAgain(alerts: OpenAlert[], s: BasketState, atSec: Seconds, rule: string, out: Decision[]): void {
  const openNow = new Set(s.openAlerts.map((a) => a.id));
  for (const a of alerts.filter((x) => !openNow.has(x.id))) {
    out.push({ kind: 'alert', atSec, alertId: a.id, alert: a.kind, grams: a.grams, ...(a.candidates ? { candidates: a.candidates } : {}), reason: { rule } });
  }
}

export function closeAlert(s: BasketState, alert: OpenAlert, out: Decision[], atSec: Seconds, why: string | Reason): void {
  s.openAlerts = s.openAlerts.filter((a) => a.id !== alert.id);
  out.push({ kind: 'alert-resolved', atSec, alertId: alert.id, alert: alert.kind, reason: typeof why === 'string' ? { rule: why } : why });
}

export function reasonOf<T>(rule: string, fit: Fit<T>, measuredGrams: Grams) {
  return { rule, measuredGrams, expectedGrams: round1(fit.expectedGrams), toleranceGrams: round1(fit.toleranceGrams) };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Puts the basket's lines back as they were in `before`: what was charged since leaves, what was taken out returns. */
export function undoSince(s: BasketState, before: BasketState, atSec: Seconds, out: Decision[], rule = 'undone: one gesture with the next change'): void {
  const chargedIn = (state: BasketState, u: Unit) => state.units.some((x) => x.id === u.id && x.status === 'charged' && x.gtin === u.gtin);
  for (const u of s.units) {
    if (u.status === 'charged' && !chargedIn(before, u)) out.push({ kind: 'remove', atSec, unitId: u.id, gtin: u.gtin!, grams: u.grams, reason: { rule } });
  }
  for (const u of before.units) {
    if (u.status === 'charged' && !chargedIn(s, u)) out.push({ kind: 'add', atSec, unitId: u.id, gtin: u.gtin!, grams: u.grams, reason: { rule } });
  }
}
