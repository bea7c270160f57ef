// cart-cal zero: the empty basket becomes the calibration's zero (each
// corner's offset), the gains stay. Stored and counted as a calibration
// change. Refused while the cart moves: a zero taken then would be a guess.
import type { AuditEntry } from '../../firmware/storage/metrology-store.js';
import type { ScaleSession } from '../session/session.js';
import type { StepContext } from './step.js';
import { takeStep, unfit } from './step.js';

export type ZeroOutcome =
  | { status: 'stored'; entry: AuditEntry; shiftGrams: number[] }
  | { status: 'declined'; shiftGrams: number[] }
  | { status: 'refused'; reason: string };

/** R76-1 4.5.1: a zero-setting device may correct at most 4 % of Max; a larger shift is worth a question. */
const LARGE_ZERO_SHARE = 0.04;

export async function runZero(session: ScaleSession, ctx: StepContext): Promise<ZeroOutcome> {
  const now = ctx.feed.latest ?? (await ctx.feed.next(ctx.options.stepTimeoutSec));
  const why = unfit(now);
  if (why) return { status: 'refused', reason: `${why}: zero is set only on a still, empty basket with four cells answering` };
  const info = await session.info();
  const reading = await takeStep(ctx, {
    step: 1, of: 1, part: 'zero', placement: { grams: 0, where: { at: 'empty' } }, disturb: false, accept: () => true,
  });
  const shiftGrams = reading.cornersGrams;
  const total = shiftGrams.reduce((a, b) => a + b, 0);
  const calibration = info.calibration.map((c, i) => ({ offset: reading.cornersCounts[i]!, countsPerGram: c.countsPerGram }));
  ctx.guide.note(`The empty basket reads ${total.toFixed(1)} g on the calibration in force (${shiftGrams.map((g) => g.toFixed(1)).join(' / ')} g fl/fr/rl/rr): zero moves by that much.`);
  const large = Math.abs(total) > LARGE_ZERO_SHARE * info.capacityGrams;
  const question = large
    ? `That is more than 4 % of Max (${info.capacityGrams} g): is the basket really empty? Store this zero`
    : 'Store this zero';
  if (!(await ctx.guide.confirm(question))) return { status: 'declined', shiftGrams };
  const entry = await session.apply({ calibration, what: 'zero', details: { shiftGrams, atSec: reading.atSec } });
  return { status: 'stored', entry, shiftGrams };
}
