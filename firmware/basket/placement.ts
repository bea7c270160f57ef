// Weight put in: which open scans it is and each one's share of it, the rest
// of the last placement settling after it, the shopper's own bag; an alert
// when nothing explains it.
import type { Gtin, Seconds, StableDelta } from '../domain.js';
import { fitOf, likeliestSets, type Fit, type WeightGuess } from './fit.js';
import { seenAmong } from './guess.js';
import type { BasketState, Catalog, Decision, OpenAlert, PendingScan, Placement, ReconcilerConfig, Unit } from './types.js';
import { addUnit, newId, productWeight, reasonOf } from './basket-edits.js';
import { putBack } from './put-back.js';

/** Weight put in that a scan, a put-back or the "my bag" button explains; false (and nothing done) when nothing does. */
export function explainAddition(s: BasketState, delta: StableDelta, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): boolean {
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
  const fitsAmong = (scans: PendingScan[]) => likeliestSets(scans, weightOfScan(catalog, config), measured,
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
  // A scan made after the last placement came to rest and before this weight
  // began is the shopper announcing the next item: weight that fits the last
  // placement without it is that item, not the last one's rest.
  const scannedBetween = s.pendingScans.filter((p) => p.atSec > last.restAtSec && p.atSec <= delta.beganAtSec);
  if (scannedBetween.some((p) => !fit.members.includes(p))) return false;
  if (oneUnitItem(fit.members.map((p) => p.gtin), catalog)) {
    const alone = fitOf(fit.members, weightOfScan(catalog, config), last, config.relativeErrorSd, config.fitSigmas);
    if (anotherItemBeside(alone.cost, fit.cost, delta)) return false;
  }
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

/**
 * How much likelier (a natural log of the ratio) one scanned item must be
 * weighed by its rest alone than with the weight put in just after it, for
 * that weight to be another item: e times.
 */
const ANOTHER_ITEM_NATS = 1;

/**
 * Weight put in within continuationSec of the rest of one scanned item sold
 * by the unit, which that rest alone fits better than the two together do,
 * and which the scale places on the basket floor: another item put in beside
 * it, not the rest of it (field 6899 trip 76: a 313 g item set down as
 * 308.8 g, and an unscanned item read 21.7 g 1.8 s later, taken as the
 * rest of it and never asked about). An item let go of in two rests leaves
 * a first rest that fits it worse than both together (2 to 4 sd short on
 * the field sets); a step of the cells' creep is placed off the floor or
 * not at all. `aloneCost`, `togetherCost`: the item's fit costs (negative
 * log-likelihoods) by its rest alone and with this weight.
 */
export function anotherItemBeside(aloneCost: number, togetherCost: number, delta: StableDelta): boolean {
  return delta.grams > 0 && delta.onFloor === true && togetherCost - aloneCost >= ANOTHER_ITEM_NATS;
}

/** One item, of a product sold by the unit, whose weight has a narrow spread: not a bag of produce. */
export function oneUnitItem(gtins: (Gtin | null)[], catalog: Catalog): boolean {
  const product = gtins.length === 1 && gtins[0] !== null ? catalog.get(gtins[0]!) : undefined;
  return product !== undefined && !product.byWeight;
}

/** What a scan says its item weighs: the weight its code states, or its product's. */
function weightOfScan(catalog: Catalog, config: ReconcilerConfig): (p: PendingScan) => WeightGuess {
  return (p) => productWeight(catalog, config, p.gtin, p.declaredGrams);
}

/** Weight put in that nothing explains: an alert, and the item is in the cart unpaid. `atSec`: when the shopper is told. */
export function alertAddition(s: BasketState, delta: StableDelta, atSec: Seconds, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): void {
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
    const expected = fitOf([lastScan], weightOfScan(catalog, config), measured, config.relativeErrorSd, config.fitSigmas);
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
export function scanMeantFor(s: BasketState, delta: StableDelta, previousAddAtSec: Seconds): PendingScan | undefined {
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
  const priors = placement.scans.map(weightOfScan(catalog, config));
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
  const weightOf = weightOfScan(catalog, config);
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

/** Products of the cameras' guess whose catalog weight fits a placement. */
function productsThatFit(delta: StableDelta, catalog: Catalog, config: ReconcilerConfig): Gtin[] {
  const measured = { grams: delta.grams, sdGrams: delta.sdGrams };
  return (delta.guess?.top ?? []).map((g) => g.gtin).filter((gtin) => catalog.get(gtin) !== undefined &&
    fitOf([gtin], (g) => productWeight(catalog, config, g), measured, config.relativeErrorSd, config.fitSigmas).z <= config.fitSigmas);
}
