// One step of a procedure: say what to do, then wait until the scale has
// seen it and settled.
import type { LiveReading } from '../../firmware/control/index.js';
import { CORNERS } from '../../firmware/weight/calibration.js';
import { describePlacement, type Placement } from '../metrology/placement.js';
import type { ReadingFeed } from './feed.js';
import type { Guide } from './guide.js';
import { settled } from './settle.js';

export interface StepOptions {
  /** Stable this long before a reading is taken (sample time). */
  settleSec: number;
  /** Give up after this long without the expected load at rest (sample time). */
  stepTimeoutSec: number;
}

export interface StepContext {
  feed: ReadingFeed;
  guide: Guide;
  options: StepOptions;
}

export interface StepSpec {
  step: number;
  of: number;
  part: string;
  placement: Placement;
  disturb: boolean;
  /** Is this reading the load asked for? */
  accept: (reading: LiveReading) => boolean;
}

export async function takeStep(ctx: StepContext, spec: StepSpec): Promise<LiveReading> {
  const { feed, guide, options } = ctx;
  guide.instruct({ step: spec.step, of: spec.of, part: spec.part, placement: spec.placement, text: describePlacement(spec.placement) });
  const watch = settled(spec.accept, { settleSec: options.settleSec, disturb: spec.disturb });
  return feed.until((reading) => {
    guide.waiting(reading);
    return watch(reading);
  }, options.stepTimeoutSec, `${spec.placement.grams} g (${spec.part}, step ${spec.step}) to be at rest`);
}

/** Why calibration or verification cannot go on with this reading, or null. */
export function unfit(reading: LiveReading): string | null {
  if (reading.state === 'moving') return 'the cart is moving';
  if (reading.health === 'failed' || reading.deadChannels.length > 0) {
    return `load cells not all answering (${reading.channels.map((s, i) => `${CORNERS[i]} ${s}`).join(', ')})`;
  }
  return null;
}
