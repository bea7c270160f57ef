// The allowed errors of a class III non-automatic weighing instrument, in
// grams, for a scale interval e and a maximum capacity Max.
//
// OIML R76-1 3.5.1, Table 6 (maximum permissible errors on initial
// verification), class III: ±0.5 e up to 500 e, ±1 e up to 2000 e, ±1.5 e
// up to 10000 e. NIST HB44 2.20 T.N.3.2 makes acceptance tolerances half the
// maintenance tolerances of Table 6, which for class III gives the same
// bands up to 4000 d and 2.5 d above; the stricter of the two, R76, is used.

export class MetrologyError extends Error {}

/** R76-1 3.2, Table 3: class III has n = Max/e from 100 to 10000 and Min = 20 e. */
const N_MIN = 100;
const N_MAX = 10_000;
export const MIN_INTERVALS = 20;

/** e must be 1, 2 or 5 times a power of ten (R76-1 3.1.2). */
export function isIntervalForm(e: number): boolean {
  if (!(e > 0) || !Number.isFinite(e)) return false;
  const k = Math.floor(Math.log10(e) + 1e-9);
  const mantissa = e / 10 ** k;
  return [1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9);
}

/** Throws naming every problem of e and Max at once. */
export function checkClassIII(e: number, max: number): void {
  const problems: string[] = [];
  if (!isIntervalForm(e)) problems.push(`scale interval e = ${e} g is not 1, 2 or 5 times a power of ten (R76-1 3.1.2)`);
  const n = max / e;
  if (!(n >= N_MIN && n <= N_MAX)) problems.push(`Max/e = ${n} is outside 100..10000 for class III (R76-1 3.2)`);
  if (problems.length > 0) throw new MetrologyError(problems.join('; '));
}

/** The maximum permissible error for a load, in grams (positive: the band is ±). */
export function mpeGrams(loadGrams: number, e: number): number {
  const m = Math.abs(loadGrams) / e;
  if (m <= 500) return 0.5 * e;
  if (m <= 2000) return 1 * e;
  return 1.5 * e;
}

/** R76-1 4.5.2: after zero-setting, the zero deviation may affect a weighing by at most ±0.25 e. */
export const zeroSettingLimitGrams = (e: number): number => 0.25 * e;

/**
 * R76-1 3.9.4.1: while a load stays on, the indication may move by at most
 * 0.5 e over 30 minutes, and by at most 0.2 e between 15 and 30 minutes.
 */
export const creepLimitGrams = (e: number): number => 0.5 * e;
export const lateCreepLimitGrams = (e: number): number => 0.2 * e;

/** R76-1 3.9.4.2: after a load that stayed on for the creep test, zero must come back within 0.5 e. */
export const zeroReturnLimitGrams = (e: number): number => 0.5 * e;

/**
 * The error a calibration may leave: a third of the MPE. R76-1 3.7.1 asks
 * this of the standard weights, and NIST HB44 (Fundamental Considerations
 * 3.2) of any standard against the smallest tolerance it checks; the
 * calibration is the cart's own standard, so it is held to the same.
 */
export const calibrationToleranceGrams = (loadGrams: number, e: number): number => mpeGrams(loadGrams, e) / 3;
