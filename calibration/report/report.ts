// A verification as it is kept: who, when, on which cart, with which
// weights, every reading taken, and each test's verdict with its numbers.
// Written as JSON (this shape), text and, on request, HTML.
import type { CellCalibration } from '../../firmware/domain.js';
import type { MetrologyCounters } from '../../firmware/storage/metrology-store.js';
import type { TestName } from '../metrology/plan.js';
import type { Where } from '../metrology/placement.js';
import type { TestResult } from '../metrology/verdict.js';

export interface TakenReading {
  step: number;
  test: TestName;
  label: string;
  loadGrams: number;
  where: Where;
  /** The shown total: what a customer would be charged by. */
  indicationGrams: number;
  cornersGrams: number[];
  state: string;
  /** The cart's monotonic time of the reading. */
  atSec: number;
}

export interface VerificationReport {
  kind: 'cart-cal verification';
  cartId: string;
  technician: string;
  /** service: through the running firmware; direct: the service was stopped. */
  via: 'service' | 'direct';
  /** Wall-clock labels; the cart has no RTC, so they are as good as its clock sync. */
  startedAt: string;
  finishedAt: string;
  /** The weights used, as the technician stated them (class, set, certificates). */
  weights: string;
  testLoadsGrams: number[];
  accuracyClass: 'III';
  intervalGrams: number;
  capacityGrams: number;
  minGrams: number;
  /** Which MPE the errors are held to. */
  mpeRule: string;
  creepSec: number;
  settleSec: number;
  /** The calibration verified, and the sealing counters at the time. */
  calibration: CellCalibration[];
  counters: MetrologyCounters;
  results: TestResult[];
  readings: TakenReading[];
  pass: boolean;
}

export const MPE_RULE = 'OIML R76-1 3.5.1 Table 6, initial verification, class III (±0.5 e to 500 e, ±1 e to 2000 e, ±1.5 e above); within NIST HB44 2.20 T.N.3.2 acceptance tolerances';

/** File name stem: cart, then the time label made safe for a file name. */
export function reportStem(report: VerificationReport): string {
  return `verification-${report.cartId}-${report.startedAt.replace(/[:.]/g, '-')}`;
}
