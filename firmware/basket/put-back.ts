// An item taken out and put back is not a new item: it comes back as it left,
// and the alert its removal raised is closed.
import type { StableDelta } from '../domain.js';
import { fitOf, likeliestSets, type Fit, type WeightGuess } from './fit.js';
import type { BasketState, Decision, ReconcilerConfig, TakenOut, Unit } from './types.js';
import { closeAlert, reasonOf, sumGrams, unitWeight } from './basket-edits.js';

/**
 * Weight that fits what was lately taken out is that again (an item lifted
 * out to be read, then put back): items taken out by weight alone are back,
 * as they were; an ambiguous or unknown removal is undone and its alert
 * closes. What left is known by the weight the scale saw leave, not by the
 * items' spread. When more than one fits, the latest removal is the one undone.
 */
export function putBack(s: BasketState, delta: StableDelta, config: ReconcilerConfig, out: Decision[]): boolean {
  const measured = { grams: delta.grams, sdGrams: delta.sdGrams };
  const fits = (left: WeightGuess) => putBackFit(left, delta, config);
  const recent = (s.takenOut ?? []).filter((t) => delta.beganAtSec - t.atSec <= config.putBackSec);
  const opts = { relativeErrorSd: config.relativeErrorSd, fitSigmas: config.fitSigmas, maxSize: config.maxUnitsPerChange };
  // All that left at once, by what the scale saw leave; or some of it (two items lifted out together, one put back).
  const backFrom = (t: TakenOut): { units: Unit[]; fit: Fit<unknown> } | undefined => {
    const whole = fits(t.measured ?? { grams: sumGrams(t.units), sdGrams: Math.hypot(...t.units.map((u) => u.sdGrams)) });
    if (whole.z <= config.putBackSigmas) return { units: t.units, fit: whole };
    const some = likeliestSets(t.units, unitWeight, measured, opts).find((f) => f.members.length < t.units.length && f.z <= config.putBackSigmas);
    return some && { units: some.members, fit: some };
  };
  const taken = recent
    .map((t) => ({ t, back: backFrom(t) }))
    .filter((c): c is { t: TakenOut; back: { units: Unit[]; fit: Fit<unknown> } } => c.back !== undefined)
    .sort((a, b) => b.t.atSec - a.t.atSec)[0];
  const alert = s.openAlerts
    .filter((a) => (a.kind === 'unknown-removal' || a.kind === 'ambiguous-removal') && delta.beganAtSec - a.atSec <= config.putBackSec
      && fits({ grams: a.grams, sdGrams: delta.sdGrams }).z <= config.putBackSigmas)
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

/**
 * How weight put in fits what the scale saw leave (`left`), as the same
 * item back: one item weighed twice on the same scale has the calibration's
 * error in both (and in each sd already), so no share of the weight is
 * added. A put-back agrees to putBackSigmas of it.
 */
export function putBackFit(left: WeightGuess, delta: StableDelta, config: ReconcilerConfig): Fit<WeightGuess> {
  return fitOf([left], (w) => w, { grams: delta.grams, sdGrams: delta.sdGrams }, 0, config.fitSigmas);
}
