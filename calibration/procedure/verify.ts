// cart-cal verify: the test sequence of metrology/plan.ts run on the scale,
// every reading kept, and each test judged by metrology/verdict.ts.
import type { LiveReading } from '../../firmware/control/index.js';
import { CORNERS } from '../../firmware/weight/calibration.js';
import { verificationPlan, type PlanStep, type TestName } from '../metrology/plan.js';
import { placementLabel, type Where } from '../metrology/placement.js';
import { judgeCreep, judgeRepeatability, judgeWeighings, judgeZero, judgeZeroReturn, type HeldReading, type TestResult, type Weighing } from '../metrology/verdict.js';
import { MPE_RULE, type TakenReading, type VerificationReport } from '../report/report.js';
import type { ScaleSession } from '../session/session.js';
import { SessionError } from '../session/session.js';
import { takeStep, unfit, type StepContext } from './step.js';

export interface VerifyOptions {
  technician: string;
  weights: string;
  /** How long the creep load stays on (R76-1 3.9.4.1: 30 minutes). */
  creepSec: number;
  wall: () => string;
}

/** Recognising a load: within 10 % and 5 e of it. Far wider than any MPE, so a scale out of tolerance is still measured and failed, not waited on. */
const RECOGNISE_SHARE = 0.1;
const RECOGNISE_INTERVALS = 5;
/** Readings kept over the creep hold, besides the first and the one furthest from it. */
const CREEP_READINGS = 30;

/** Where on the floor the load sits, from the corners' change against the empty basket: the quarter of the corner carrying most. */
function quarterOf(reading: LiveReading, emptyCorners: readonly number[]): (typeof CORNERS)[number] {
  const change = reading.cornersGrams.map((g, i) => g - emptyCorners[i]!);
  return CORNERS[change.indexOf(Math.max(...change))]!;
}

function recognises(step: PlanStep, reading: LiveReading, emptyCorners: readonly number[], e: number): boolean {
  const { grams, where } = step.placement;
  if (Math.abs(reading.totalGrams - grams) > RECOGNISE_SHARE * grams + RECOGNISE_INTERVALS * e) return false;
  return where.at !== 'quarter' || quarterOf(reading, emptyCorners) === where.corner;
}

export async function runVerification(session: ScaleSession, ctx: StepContext, options: VerifyOptions): Promise<VerificationReport> {
  const startedAt = options.wall();
  const now = ctx.feed.latest ?? (await ctx.feed.next(ctx.options.stepTimeoutSec));
  const why = unfit(now);
  if (why) throw new SessionError(`${why}: verification needs a still cart with four cells answering`);
  const info = await session.info();
  const e = info.intervalGrams;
  const plan = verificationPlan(e, info.capacityGrams);
  const of = plan.steps.length;
  const readings: TakenReading[] = [];
  const take = (index: number, step: PlanStep, reading: LiveReading, label = placementLabel(step.placement)): TakenReading => {
    const taken = {
      step: index + 1, test: step.test, label, loadGrams: step.placement.grams, where: step.placement.where as Where,
      indicationGrams: reading.totalGrams, cornersGrams: reading.cornersGrams, state: reading.state, atSec: reading.atSec,
    };
    readings.push(taken);
    return taken;
  };

  let emptyCorners: number[] = [0, 0, 0, 0];
  let held: HeldReading[] = [];
  for (const [index, step] of plan.steps.entries()) {
    const first = index === 0;
    const reading = await takeStep(ctx, {
      step: index + 1, of, part: step.test, placement: step.placement, disturb: step.disturb,
      accept: (r) => first || recognises(step, r, emptyCorners, e),
    });
    if (step.test === 'zero') {
      // R76-1 A.4.2: the zero-setting device is used, then the empty basket read.
      if (!(await session.zero())) throw new SessionError('zero-setting refused: the scale is not stable on four cells');
      const zeroed = await takeStep(ctx, { step: index + 1, of, part: 'zero', placement: step.placement, disturb: false, accept: () => true });
      emptyCorners = zeroed.cornersGrams;
      take(index, step, zeroed, 'empty basket after zero-setting');
    } else if (step.test === 'creep' && step.judged) {
      take(index, step, reading, `${step.placement.grams} g centre, at rest (0 s)`);
      const hold = await holdForCreep(ctx, options.creepSec, reading);
      for (const h of hold.checkpoints) take(index, step, h.reading, `${step.placement.grams} g centre, after ${h.sinceSec.toFixed(0)} s`);
      held = [hold.first, ...hold.checkpoints, hold.furthest].map((h) => ({ sinceSec: h.sinceSec, indicationGrams: h.reading.totalGrams })).sort((a, b) => a.sinceSec - b.sinceSec);
    } else {
      take(index, step, reading);
    }
    ctx.guide.note(`${placementLabel(step.placement)}: ${readings[readings.length - 1]!.indicationGrams.toFixed(2)} g`);
  }

  const judged = (r: TakenReading) => plan.steps[r.step - 1]!.judged;
  const weighed = (test: TestName): Weighing[] =>
    readings.filter((r) => r.test === test && judged(r)).map((r) => ({ label: r.label, loadGrams: r.loadGrams, indicationGrams: r.indicationGrams }));
  const one = (test: TestName, isJudged: boolean) => readings.find((r) => r.test === test && judged(r) === isJudged)!;
  const results: TestResult[] = [
    judgeZero(one('zero', true).indicationGrams, e),
    judgeWeighings('increasing', weighed('increasing'), e),
    judgeWeighings('decreasing', weighed('decreasing'), e),
    judgeWeighings('eccentricity', weighed('eccentricity'), e),
    judgeRepeatability(weighed('repeatability'), e),
    judgeCreep(plan.creepGrams, held, options.creepSec, e),
    judgeZeroReturn(one('creep', false).indicationGrams, one('zero-return', true).indicationGrams, e),
  ];
  return {
    kind: 'cart-cal verification',
    cartId: info.cartId,
    technician: options.technician,
    via: session.via,
    startedAt,
    finishedAt: options.wall(),
    weights: options.weights,
    testLoadsGrams: [...new Set([...plan.weighingGrams, plan.eccentricGrams, plan.repeatGrams, plan.creepGrams])].sort((a, b) => a - b),
    accuracyClass: 'III',
    intervalGrams: e,
    capacityGrams: info.capacityGrams,
    minGrams: plan.minGrams,
    mpeRule: MPE_RULE,
    creepSec: options.creepSec,
    settleSec: ctx.options.settleSec,
    calibration: info.calibration,
    counters: info.counters,
    results,
    readings,
    pass: results.every((r) => r.pass),
  };
}

interface Held {
  sinceSec: number;
  reading: LiveReading;
}

/**
 * Keeps the load on for `holdSec` from its first reading at rest. Every
 * reading not taken in motion counts: the one furthest from the first is
 * kept, with a checkpoint every holdSec / CREEP_READINGS for the report.
 */
async function holdForCreep(ctx: StepContext, holdSec: number, start: LiveReading): Promise<{ first: Held; checkpoints: Held[]; furthest: Held }> {
  const first = { sinceSec: 0, reading: start };
  let furthest = first;
  const checkpoints: Held[] = [];
  await ctx.feed.until((r) => {
    ctx.guide.waiting(r);
    if (r.state === 'moving' || r.state === 'overloaded') return undefined;
    const held = { sinceSec: r.atSec - start.atSec, reading: r };
    if (Math.abs(r.totalGrams - start.totalGrams) > Math.abs(furthest.reading.totalGrams - start.totalGrams)) furthest = held;
    if (held.sinceSec >= ((checkpoints.length + 1) * holdSec) / CREEP_READINGS - 1e-9) checkpoints.push(held);
    return held.sinceSec >= holdSec ? true : undefined;
  }, holdSec + ctx.options.stepTimeoutSec, `the creep load to be held ${holdSec} s`);
  return { first, checkpoints, furthest };
}
