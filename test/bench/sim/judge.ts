// Keeps the truth beyond dispute. Before the simulated shopper does anything,
// the planner asks here whether a good firmware could tell what happened from
// the weight change and the open scans. Every explanation must clearly fit
// (within 3 sd) or clearly not (beyond 6 sd); anything in between, or a rival
// that fits as well when the truth says it should not, and the planner draws
// again. A firmware may then use any tolerance in between and still agree.
import type { Gtin } from '../../../firmware/domain.js';
import type { ResolutionProfile } from './profiles.js';

export interface Expectation {
  grams: number;
  sd: number;
  /** A bag of produce: its spread is the product's, not the scale's, and bounded (a bag is not 10 g or 10 kg). */
  bag: boolean;
}

export type Verdict = 'fits' | 'unclear' | 'no';

/** sd of a measured change of `grams`. */
export function measureSd(grams: number, res: ResolutionProfile): number {
  return res.measureSdG + res.measureRel * Math.abs(grams);
}

export function zScore(grams: number, parts: readonly Expectation[], res: ResolutionProfile): number {
  let mean = 0;
  let variance = measureSd(grams, res) ** 2;
  for (const p of parts) {
    mean += p.grams;
    variance += p.sd ** 2;
  }
  return Math.abs(grams - mean) / Math.sqrt(variance);
}

/**
 * Clear fit, clear misfit, or neither. With a bag in the set the bounds are
 * narrower: a firmware bounds a bag at about 2.5 of its sd (the reconciler's
 * byWeightSigmas), and the planner stays clear of that on both sides.
 */
export function verdictOf(grams: number, parts: readonly Expectation[], res: ResolutionProfile): Verdict {
  const z = zScore(grams, parts, res);
  const [fits, no] = parts.some((p) => p.bag) ? [2.1, 4] : [3, 6];
  if (z <= fits) return 'fits';
  return z >= no ? 'no' : 'unclear';
}

/** Every set of 1 to maxSize of the items, as index lists. */
export function* subsets(n: number, maxSize: number): Generator<number[]> {
  const size = Math.min(maxSize, n);
  const pick: number[] = [];
  function* from(start: number): Generator<number[]> {
    if (pick.length > 0) yield [...pick];
    if (pick.length === size) return;
    for (let i = start; i < n; i++) {
      pick.push(i);
      yield* from(i + 1);
      pick.pop();
    }
  }
  yield* from(0);
}

/** The largest set a firmware is expected to consider as one change (the reconciler's maxUnitsPerChange). */
export const MAX_SET = 3;

/** Two sets are the same explanation when they name the same products. */
export function keyOf(gtins: readonly string[]): string {
  return [...gtins].sort().join('+');
}

export interface Candidate {
  /** What the candidate is, for telling explanations apart: a GTIN, or a tag for units that are not products. */
  key: Gtin | string;
  /**
   * Ways to weigh it, the same number for every candidate: the catalog's
   * expectation, and for a unit in the basket also the weight measured when it
   * was placed. A set fits when every way says so and misses when every way does.
   */
  expectations: readonly Expectation[];
}

/**
 * How unlikely the change is under an explanation (negative log-likelihood,
 * up to a constant): a wide bag that merely allows the weight loses to an item
 * that predicts it.
 */
export function costOf(grams: number, parts: readonly Expectation[], res: ResolutionProfile): number {
  const z = zScore(grams, parts, res);
  const variance = parts.reduce((v, p) => v + p.sd ** 2, measureSd(grams, res) ** 2);
  return (z * z) / 2 + Math.log(Math.sqrt(variance));
}

/**
 * A bag that could explain the change does not make it unclear when the
 * intended explanation is this many times likelier (e^3, about 20): any
 * firmware must prefer an item that predicts the weight to a bag that merely
 * allows it, or every open produce scan would swallow the next item.
 */
const BAG_LIKELIHOOD_MARGIN = 3;

/**
 * A rival that makes a removal ambiguous must fit as well as the truth does
 * by every measure, the weight measured when it went in most of all: a firmware
 * that trusts its scale more than this judge does must still find it fits.
 */
const TWIN_Z = 0.5;

export interface JudgeOptions {
  /**
   * 'some': at least one other explanation must fit clearly too (an ambiguous
   * removal), none unclearly; clearly here means within TWIN_Z by the last way
   * of weighing (the measured weight).
   */
  rivals?: 'none' | 'some';
  /**
   * Larger sets than the intended one are no rivals: of the explanations that
   * fit, the one with the fewest items is taken. Without this rule almost any
   * weight taken out of a full basket would fit some three items as well; the
   * reconciler follows it too.
   */
  fewestFirst?: boolean;
}

/**
 * Does exactly one explanation fit? `intended` names the products that must
 * fit (empty: nothing may fit).
 */
export function onlyExplanation(grams: number, candidates: readonly Candidate[], intended: readonly string[],
  res: ResolutionProfile, opts: JudgeOptions = {}): boolean {
  const rivals = opts.rivals ?? 'none';
  const largest = opts.fewestFirst && intended.length > 0 ? intended.length : MAX_SET;
  const want = keyOf(intended);
  const ways = candidates[0]?.expectations.length ?? 0;
  let intendedCost = intended.length === 0 ? Infinity : -Infinity;
  const others: { verdict: Verdict; cost: number; bag: boolean; twin: boolean }[] = [];
  for (const set of subsets(candidates.length, largest)) {
    const members = set.map((i) => candidates[i]!);
    const views: Verdict[] = [];
    for (let w = 0; w < ways; w++) views.push(verdictOf(grams, members.map((m) => m.expectations[w]!), res));
    const verdict: Verdict = views.every((v) => v === 'fits') ? 'fits' : views.every((v) => v === 'no') ? 'no' : 'unclear';
    const byCatalog = members.map((m) => m.expectations[0]!);
    const cost = costOf(grams, byCatalog, res);
    if (keyOf(members.map((m) => m.key)) === want) {
      // Another unit of the same products is the same explanation, whatever its own weight.
      if (verdict === 'fits') intendedCost = intendedCost === -Infinity ? cost : Math.min(intendedCost, cost);
      continue;
    }
    const twin = zScore(grams, members.map((m) => m.expectations[ways - 1]!), res) <= TWIN_Z;
    others.push({ verdict, cost, bag: byCatalog.some((e) => e.bag), twin });
  }
  if (intendedCost === -Infinity) return false;
  let rivalFits = false;
  for (const other of others) {
    if (other.verdict === 'no') continue;
    if (rivals === 'none' && other.bag && other.cost - intendedCost >= BAG_LIKELIHOOD_MARGIN) continue;
    if (other.verdict === 'unclear' || rivals === 'none' || !other.twin) return false;
    rivalFits = true;
  }
  return rivals === 'none' || rivalFits;
}
