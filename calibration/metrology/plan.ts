// The test sequence of a verification for a class III scale, from e and Max:
// what to put where, in order. OIML R76-1 Annex A (A.4) and NIST HB44 2.20
// N.1 describe the tests; the loads are chosen here.
import type { Corner, Placement } from './placement.js';
import { checkClassIII, MIN_INTERVALS } from './tolerance.js';

export type TestName = 'zero' | 'increasing' | 'decreasing' | 'eccentricity' | 'repeatability' | 'creep' | 'zero-return';

export interface PlanStep {
  test: TestName;
  placement: Placement;
  /** The weight must be seen to move before the reading (lifted and put back, or moved to another quarter). */
  disturb: boolean;
  /** The reading is judged; false for the empty basket between repeated weighings. */
  judged: boolean;
}

export interface VerificationPlan {
  intervalGrams: number;
  capacityGrams: number;
  minGrams: number;
  weighingGrams: number[];
  eccentricGrams: number;
  repeatGrams: number;
  repeatCount: number;
  creepGrams: number;
  steps: PlanStep[];
}

/** R76-1 A.4.10 asks for at least 3 weighings of the same load in a series for class III. */
const REPEAT_COUNT = 3;
const QUARTERS: Corner[] = ['fl', 'fr', 'rl', 'rr'];

const toMultiple = (grams: number, step: number) => Math.max(step, Math.round(grams / step) * step);

/**
 * R76-1 A.4.4.1: at least five test loads from Min up to and including Max,
 * with loads at or near where the MPE changes (500 e and 2000 e); the fifth
 * is half of Max, the load of the repeatability test.
 */
export function weighingLoads(e: number, max: number): number[] {
  const wanted = [MIN_INTERVALS * e, 500 * e, 2000 * e, max / 2, max].map((g) => toMultiple(g, e)).filter((g) => g <= max);
  for (const f of [0.25, 0.75]) if (new Set(wanted).size < 5) wanted.push(toMultiple(max * f, e));
  return [...new Set(wanted)].sort((a, b) => a - b);
}

export function verificationPlan(e: number, max: number): VerificationPlan {
  checkClassIII(e, max);
  const loads = weighingLoads(e, max);
  // R76-1 3.6.2.1: one third of Max on each quarter (a receptor on four supports), in whole 100 e.
  const eccentricGrams = toMultiple(max / 3, 100 * e);
  // R76-1 A.4.10: a series at about half of Max.
  const repeatGrams = toMultiple(max / 2, e);
  const step = (test: TestName, grams: number, where: Placement['where'], disturb = true, judged = true): PlanStep => ({ test, placement: { grams, where }, disturb, judged });
  const empty = { at: 'empty' } as const;
  const centre = { at: 'centre' } as const;
  const steps: PlanStep[] = [
    step('zero', 0, empty, false),
    ...loads.map((g) => step('increasing', g, centre)),
    ...loads.slice(0, -1).reverse().map((g) => step('decreasing', g, centre)),
    ...QUARTERS.map((corner) => step('eccentricity', eccentricGrams, { at: 'quarter', corner })),
    ...Array.from({ length: REPEAT_COUNT }, () => [step('repeatability', 0, empty, true, false), step('repeatability', repeatGrams, centre)]).flat(),
    // R76-1 3.9.4: creep with a load near Max, from a zero read just before, and the return to that zero.
    step('creep', 0, empty, true, false),
    step('creep', max, centre),
    step('zero-return', 0, empty),
  ];
  return { intervalGrams: e, capacityGrams: max, minGrams: MIN_INTERVALS * e, weighingGrams: loads, eccentricGrams, repeatGrams, repeatCount: REPEAT_COUNT, creepGrams: max, steps };
}
