// Scans: each opens an item still to come and expires when none came. One
// that comes just after the weight is an answer: to weight put in that
// nothing explained yet (an item put in, then scanned), to weight the last
// placement took in, or to which of several look-alikes left.
import type { ProductScan, Seconds, StableDelta } from '../domain.js';
import { fitOf } from './fit.js';
import type { BasketState, Catalog, Decision, PendingScan, ReconcilerConfig } from './types.js';
import { closeAlert, openScan, productWeight, reasonOf, snapshot } from './basket-edits.js';
import { explainAddition, scanMeantFor } from './placement.js';
import { correctAmbiguousRemoval } from './removal.js';

export function expireScans(s: BasketState, nowSec: Seconds, config: ReconcilerConfig, out: Decision[]): void {
  s.pendingScans = s.pendingScans.filter((scan) => {
    if (nowSec - scan.atSec <= config.scanWindowSec) return true;
    out.push({ kind: 'scan-expired', atSec: nowSec, scanId: scan.id, gtin: scan.gtin });
    return false;
  });
}

export function onScan(s: BasketState, scan: ProductScan, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): void {
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
 * no alert is raised for a step the shopper took in the other order. The
 * scan is not kept as an answer (scanWasForThis): no alert had asked the
 * shopper anything, and a scan that soon after an item went in is that
 * item's. Kept as one, it was taken back whenever the next item, its scan
 * still to come, fitted the product too: of 21 answers taken back on 26 dev
 * and 10 held-out sets, the 3 made before any alert were all wrong (xsim4
 * 6002 trips 23 and 24, 6005 trip 24, each a second item of about the same
 * weight put in 6-9 s later), the 18 made after one 17 right.
 */
export function scanExplainsHeld(s: BasketState, scan: ProductScan, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): boolean {
  const held = s.heldChange;
  // A scan made for the held item (one that did not fit it) makes it a mismatch, and this scan is for the next item.
  if (!held || held.grams <= 0 || scanMeantFor(s, held, s.lastAddAtSec ?? -Infinity) || !catalog.get(scan.gtin)) return false;
  const trial = structuredClone(s);
  trial.heldChange = null;
  return addedWithScan(s, trial, held, scan, catalog, config, out);
}

/**
 * A scan that fits the weight the last placement took in as its own rest: a
 * bag of produce fits a wide range, and an item put in just after it, with
 * no scan yet, was taken as more of the bag; the shopper's scan says what it
 * was. The bag goes back to its own weight and the item is added. As with a
 * held change, should the next item put in fit the scan and nothing else, the
 * scan was for that one (scanWasForThis) and the weight is the bag's again.
 */
export function scanReclaimsAbsorbed(s: BasketState, scan: ProductScan, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): boolean {
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
  return addedWithScan(s, trial, absorbed.delta, scan, catalog, config, out, true);
}

/**
 * On `trial` (the basket `s` made ready for it), the scan opened and the
 * weight added with it as an item of its own, decided as at the scan, which
 * the change's own time came before. When it is, `trial` becomes the basket
 * and, `asAnswer`, the scan is kept as an answer, with the basket as it was
 * before it, which the next item may show it was meant for; otherwise
 * nothing is done.
 */
function addedWithScan(s: BasketState, trial: BasketState, delta: StableDelta, scan: ProductScan, catalog: Catalog, config: ReconcilerConfig, out: Decision[], asAnswer = false): boolean {
  const opened = openScan(trial, scan);
  const trialOut: Decision[] = [];
  if (!explainAddition(trial, { ...delta, atSec: scan.atSec }, catalog, config, trialOut) || !placedWith(trial, opened, s)) return false;
  const before = asAnswer ? snapshot(s) : null;
  Object.assign(s, trial);
  s.answeredScan = before && { scan, before };
  out.push({ kind: 'scan-open', atSec: scan.atSec, scanId: opened.id, gtin: scan.gtin }, ...trialOut);
  return true;
}

/**
 * Since the alert the shopper scanned another product that has not come yet:
 * the shopper has gone on to the next items, and this scan is one of them.
 * Scanning the alerted item again once those are in still answers it.
 */
function goneOnToNextItems(s: BasketState, alertAtSec: Seconds, scan: ProductScan): boolean {
  return s.pendingScans.some((p) => p.atSec > alertAtSec && p.gtin !== scan.gtin);
}

/** The weight went in as an item of its own with the scan, not as more of a placement already in `before`. */
function placedWith(s: BasketState, scan: PendingScan, before: BasketState): boolean {
  const placed = s.lastPlacement;
  return !!placed && placed.scans.some((p) => p.id === scan.id) && placed.unitIds.every((id) => !before.units.some((u) => u.id === id));
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
      if (!unit || goneOnToNextItems(s, alert.atSec, scan)) continue;
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
