// Pass or fail for each verification test, with the numbers: every check
// carries the load, the indication, the error and the limit it was held to.
// Pure: the readings come in, the verdicts go out.
import type { TestName } from './plan.js';
import { creepLimitGrams, lateCreepLimitGrams, mpeGrams, zeroReturnLimitGrams, zeroSettingLimitGrams } from './tolerance.js';

export interface Check {
  label: string;
  loadGrams: number;
  indicationGrams: number;
  /** What is held to the limit: indication minus load, or a difference of indications. */
  errorGrams: number;
  limitGrams: number;
  pass: boolean;
}

export interface TestResult {
  test: TestName;
  title: string;
  /** The rule applied. */
  clause: string;
  pass: boolean;
  checks: Check[];
}

export interface Weighing {
  label: string;
  loadGrams: number;
  indicationGrams: number;
}

function check(label: string, loadGrams: number, indicationGrams: number, errorGrams: number, limitGrams: number): Check {
  return { label, loadGrams, indicationGrams, errorGrams, limitGrams, pass: Math.abs(errorGrams) <= limitGrams };
}

function result(test: TestName, title: string, clause: string, checks: Check[]): TestResult {
  return { test, title, clause, pass: checks.length > 0 && checks.every((c) => c.pass), checks };
}

export function judgeZero(indicationGrams: number, e: number): TestResult {
  return result('zero', 'Zero-setting', 'OIML R76-1 4.5.2: within ±0.25 e after zero-setting', [
    check('empty basket after zero-setting', 0, indicationGrams, indicationGrams, zeroSettingLimitGrams(e)),
  ]);
}

const weighingTitles = {
  increasing: ['Weighing, increasing loads', 'OIML R76-1 3.5.1 and A.4.4; NIST HB44 2.20 N.1.1: error within the MPE of each load'],
  decreasing: ['Weighing, decreasing loads', 'OIML R76-1 3.5.1 and A.4.4; NIST HB44 2.20 N.1.2: error within the MPE of each load'],
  eccentricity: ['Eccentricity, 1/3 Max on each quarter', 'OIML R76-1 3.6.2 and A.4.7; NIST HB44 2.20 N.1.3: error within the MPE of the load'],
} as const;

export function judgeWeighings(test: keyof typeof weighingTitles, weighings: readonly Weighing[], e: number): TestResult {
  const [title, clause] = weighingTitles[test];
  return result(test, title, clause, weighings.map((w) => check(w.label, w.loadGrams, w.indicationGrams, w.indicationGrams - w.loadGrams, mpeGrams(w.loadGrams, e))));
}

/** R76-1 3.6.1 / HB44 T.N.5: the results of one load agree within the MPE's absolute value, and each is within the MPE. */
export function judgeRepeatability(weighings: readonly Weighing[], e: number): TestResult {
  const indications = weighings.map((w) => w.indicationGrams);
  const load = weighings[0]?.loadGrams ?? 0;
  const spread = Math.max(...indications) - Math.min(...indications);
  return result('repeatability', 'Repeatability', 'OIML R76-1 3.6.1 and A.4.10; NIST HB44 2.20 T.N.5: results agree within |MPE|, each within the MPE', [
    ...weighings.map((w) => check(w.label, w.loadGrams, w.indicationGrams, w.indicationGrams - w.loadGrams, mpeGrams(w.loadGrams, e))),
    check('spread of the results (largest - smallest)', load, Math.max(...indications), spread, mpeGrams(load, e)),
  ]);
}

export interface HeldReading {
  /** Seconds since the load came to rest. */
  sinceSec: number;
  indicationGrams: number;
}

/**
 * R76-1 3.9.4.1 over a hold of `holdSec` (30 min in R76): no indication
 * further than 0.5 e from the first, and the second half's end within 0.2 e
 * of its start (R76: the indications at 15 and 30 minutes).
 */
export function judgeCreep(loadGrams: number, held: readonly HeldReading[], holdSec: number, e: number): TestResult {
  const first = held[0];
  if (!first) return result('creep', 'Creep', 'OIML R76-1 3.9.4.1', []);
  const worst = held.reduce((w, r) => (Math.abs(r.indicationGrams - first.indicationGrams) > Math.abs(w.indicationGrams - first.indicationGrams) ? r : w), first);
  const atHalf = held.reduce((best, r) => (Math.abs(r.sinceSec - holdSec / 2) < Math.abs(best.sinceSec - holdSec / 2) ? r : best), first);
  const last = held[held.length - 1]!;
  return result('creep', `Creep, ${loadGrams} g held for ${holdSec} s`, 'OIML R76-1 3.9.4.1: within 0.5 e of the first indication over the hold, within 0.2 e over its second half', [
    check(`largest change from the first indication (at ${worst.sinceSec.toFixed(0)} s)`, loadGrams, worst.indicationGrams, worst.indicationGrams - first.indicationGrams, creepLimitGrams(e)),
    check(`change from ${atHalf.sinceSec.toFixed(0)} s to ${last.sinceSec.toFixed(0)} s`, loadGrams, last.indicationGrams, last.indicationGrams - atHalf.indicationGrams, lateCreepLimitGrams(e)),
  ]);
}

export function judgeZeroReturn(zeroBeforeGrams: number, zeroAfterGrams: number, e: number): TestResult {
  return result('zero-return', 'Return to zero after the creep load', 'OIML R76-1 3.9.4.2: within 0.5 e of the zero before the load', [
    check('empty basket after the creep load, against before it', 0, zeroAfterGrams, zeroAfterGrams - zeroBeforeGrams, zeroReturnLimitGrams(e)),
  ]);
}
