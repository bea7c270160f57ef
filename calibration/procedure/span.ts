// cart-cal span --grams W: per-corner gains from one known weight, placed on
// each corner in turn and then in the middle, solved by least squares
// (metrology/span-fit.ts). The empty basket read first becomes the zero.
// Stored only when every placement agrees with the fit within a third of
// the MPE at W, and the technician says so.
import type { LiveReading } from '../../firmware/control/index.js';
import type { CellCalibration } from '../../firmware/domain.js';
import type { AuditEntry } from '../../firmware/storage/metrology-store.js';
import { CORNERS } from '../../firmware/weight/calibration.js';
import type { Where } from '../metrology/placement.js';
import { fitSpan, type SpanFit, type SpanPlacement } from '../metrology/span-fit.js';
import type { ScaleSession } from '../session/session.js';
import { takeStep, unfit, type StepContext } from './step.js';

export interface SpanOptions {
  weightGrams: number;
  /** The weight used: class and certificate, for the audit trail. */
  weights: string;
}

export type SpanOutcome =
  | { status: 'stored'; fit: SpanFit; entry: AuditEntry }
  | { status: 'failed'; fit: SpanFit }
  | { status: 'declined'; fit: SpanFit }
  | { status: 'refused'; reason: string };

/** Placed over a corner, the cell under it carries most of the load; in the middle, none does. */
const CORNER_SHARE = 0.4;
/** The calibration in force may be the factory one: a load is recognised if it reads at least half of W. */
const SEEN_SHARE = 0.5;

/** Grams per corner against the empty basket, on one fixed calibration, so that a new one applied meanwhile changes nothing. */
function cornerGrams(reading: LiveReading, empty: readonly number[], calibration: readonly CellCalibration[]): number[] {
  return reading.cornersCounts.map((c, i) => (c - empty[i]!) / calibration[i]!.countsPerGram);
}

function placedAt(where: Where, grams: number[], weightGrams: number): boolean {
  const total = grams.reduce((a, b) => a + b, 0);
  if (total < SEEN_SHARE * weightGrams) return false;
  const shares = grams.map((g) => g / total);
  const largest = Math.max(...shares);
  if (where.at === 'centre') return largest < CORNER_SHARE;
  if (where.at === 'corner') return largest >= CORNER_SHARE && shares[CORNERS.indexOf(where.corner)] === largest;
  return false;
}

export async function runSpan(session: ScaleSession, ctx: StepContext, options: SpanOptions): Promise<SpanOutcome> {
  const { weightGrams } = options;
  const now = ctx.feed.latest ?? (await ctx.feed.next(ctx.options.stepTimeoutSec));
  const why = unfit(now);
  if (why) return { status: 'refused', reason: `${why}: calibration needs a still cart with four cells answering` };
  const info = await session.info();
  const before = info.calibration;
  const wheres: Where[] = [...CORNERS.map((corner) => ({ at: 'corner', corner }) as const), { at: 'centre' }];
  const of = wheres.length + 2;

  const emptyReading = await takeStep(ctx, { step: 1, of, part: 'span', placement: { grams: 0, where: { at: 'empty' } }, disturb: false, accept: () => true });
  const empty = emptyReading.cornersCounts;
  const placements: SpanPlacement[] = [];
  for (const [i, where] of wheres.entries()) {
    const reading = await takeStep(ctx, {
      step: i + 2, of, part: 'span', placement: { grams: weightGrams, where }, disturb: true,
      accept: (r) => placedAt(where, cornerGrams(r, empty, before), weightGrams),
    });
    placements.push({ where, counts: reading.cornersCounts });
  }
  const fit = fitSpan(empty, placements, weightGrams, info.intervalGrams, before);
  for (const [i, p] of placements.entries()) {
    const w = p.where;
    ctx.guide.note(`${w.at === 'corner' ? w.corner : w.at}: the new calibration reads ${(weightGrams + fit.residualsGrams[i]!).toFixed(2)} g (residual ${fit.residualsGrams[i]!.toFixed(2)} g, allowed ±${fit.toleranceGrams.toFixed(2)} g)`);
  }
  fit.calibration.forEach((c, i) => {
    const change = (before[i]!.countsPerGram / c.countsPerGram - 1) * 100;
    ctx.guide.note(`${CORNERS[i]}: ${c.countsPerGram.toFixed(4)} counts/g (gain ${change >= 0 ? '+' : ''}${change.toFixed(3)} % against the calibration in force), zero at ${c.offset.toFixed(1)} counts`);
  });

  let outcome: SpanOutcome;
  if (!fit.pass) {
    ctx.guide.note('The placements do not agree on one set of gains: check that the basket touches nothing, that the weight sat still, and that each cell is sound. Nothing was stored.');
    outcome = { status: 'failed', fit };
  } else if (!(await ctx.guide.confirm('Store this calibration'))) {
    outcome = { status: 'declined', fit };
  } else {
    const details = {
      weightGrams, weights: options.weights, emptyCounts: empty,
      placements: placements.map((p, i) => ({ ...p, residualGrams: fit.residualsGrams[i] })), toleranceGrams: fit.toleranceGrams,
    };
    outcome = { status: 'stored', fit, entry: await session.apply({ calibration: fit.calibration, what: 'span', details }) };
  }
  // The cart goes back to shoppers empty.
  const last = await takeStep(ctx, {
    step: of, of, part: 'span', placement: { grams: 0, where: { at: 'empty' } }, disturb: true,
    accept: (r) => Math.abs(cornerGrams(r, empty, before).reduce((a, b) => a + b, 0)) < (1 - SEEN_SHARE) * weightGrams,
  });
  ctx.guide.note(`The empty basket reads ${last.totalGrams.toFixed(2)} g.`);
  return outcome;
}
