// Every threshold of the weighing path, in one place, with its unit. Noise-based
// thresholds are in standard deviations of the noise the scale measures itself;
// the gram values here are floors and priors, not the tuned answer.
import type { Grams, Seconds } from '../domain.js';

export interface ScaleConfig {
  /** Nominal conversions per second per channel (HX711 RATE pin high: 80 Hz). Only sizes the windows; sample times come with the samples. */
  rateHz: number;
  /** Noise of one cell (g, 1 sd) assumed until the scale has measured its own; must be within a factor of three of the truth. */
  priorCellNoiseGrams: Grams;
  /** Quiet history the noise floor is measured over (s). */
  noiseMemorySec: Seconds;
  /** Spike filter window (samples, odd): bursts up to (n-1)/2 samples long are removed, at a delay of (n-1)/2 samples. */
  spikeWindowSamples: number;
  /** A sample further than this many noise sd from its window's median is a spike. */
  spikeSigmas: number;
  /** A channel silent (null) or saturated longer than this is dead (s); shorter gaps are bridged by its neighbours' median. */
  holdMaxSec: Seconds;
  /** A dead channel must answer this long without a gap before degraded mode is lifted (s). */
  reviveSec: Seconds;
  /** At rest with a corner silent, wait this long for it to answer (a board resetting) before reporting a change estimated on three cells (s). */
  silentWaitSec: Seconds;
  /**
   * Length of the rest test (s): the load is at rest when a line through this
   * window is flat and the scatter is noise. It is also the shortest stillness
   * that counts as rest: a shopper putting in several items, or lifting one to
   * move it, pauses for a fraction of a second, and those pauses must not
   * split one change into several. Longer on a board read slower than 80
   * Hz, and never under 12 samples (scale.ts, DESIGN_RATE_HZ, MIN_REST_SAMPLES).
   */
  restWindowSec: Seconds;
  /** Significance of the rest test and of leaving rest, in standard deviations. */
  restSigmas: number;
  /**
   * Reaching rest, a window whose line still goes the way the change went by
   * more than this many standard errors is not rest (one-sided): a slow hand
   * or an item sinking in, whose last grams would otherwise be missed.
   */
  restOnwardSigmas: number;
  /** A removal must stay still this much longer before it is reported (s): a lifted item may be put back down elsewhere, and the pause while it is held is not a removal. */
  removalHoldSec: Seconds;
  /** Window of the vibration measure (s). */
  motionWindowSec: Seconds;
  /** Vibration (rms sample-to-sample change of the total, g) above which the cart is moving. Pushing shakes the whole load by tens of percent; a hand placing an item far less. */
  movingRmsGrams: Grams;
  /**
   * Changes smaller than this are not reported (g), however clear: the
   * reconciler takes nothing under 5 g either. Part of an item eaten at rest
   * can be 7 g; after a push the sigma test (minDeltaSigmas) is what holds
   * back the redistributed load, not this floor.
   */
  minDeltaGrams: Grams;
  /**
   * ... nor changes smaller than this many sd of what the two levels compared
   * would differ by had nothing been put in or taken out: their noise, the
   * drift while the scale could not weigh, and the load shifted between corners.
   * The reconciler takes a change from 4 sd of its whole uncertainty, which is
   * never less: a stricter test here would only hide light items dropped in
   * during a long push. Across 1,700 pushes with nothing put in, none reached 4 sd.
   */
  minDeltaSigmas: number;
  /** Relative gain error of a calibration common to all four corners (1 sd); adds |change| × this to sdGrams. */
  gainUncertainty: number;
  /**
   * Relative gain error of one corner against the others (1 sd): each cell is
   * calibrated on its own, is slightly nonlinear and creeps under its load, so
   * a gram on one corner does not read quite as a gram on another. A load
   * moved between corners (items sliding in a push, a tilt) then changes the
   * total although nothing came or went: adds this × the root sum of squares
   * of the corners' changes about their mean to sdGrams (how much load moved
   * between corners, whatever the total did). Measured on the harsh bench
   * profile: steps of the total across 1,700 pushes with nothing put in fit 0.4 %.
   */
  cornerGainMismatch: number;
  /**
   * What the drift trend cannot foresee while the scale cannot weigh (a push,
   * a hand): random-walk drift, items sliding onto cells of slightly other
   * gain. Adds this squared times the change's duration to sdGrams squared (g/sqrt(s)).
   */
  unweighedDriftGramsPerSqrtSec: number;
  /**
   * Half the width of a cell's hysteresis loop (g): a cell reads a load a
   * little differently as it was reached from above or below. Shaken (a
   * push, a knock), each cell comes to rest anywhere within this of its
   * loop's middle, before and after alike, so a change whose span held
   * motion adds a third of it squared per cell and rest to the variance of
   * a change of nothing.
   */
  cellHysteresisGrams: Grams;
  /** Relative error (1 sd) of a change measured with one cell dead, until healthy changes have taught the scale its own. */
  deadCornerPriorRelSd: number;
  /** Time constant with which the rest reference follows creep and temperature drift while stable (s). */
  driftTrackSec: Seconds;
  /** Memory of the drift trend that carries the reference across a change (s of stable time). */
  driftTrendSec: Seconds;
  /** Prior sd of the drift rate of the total (g/s): how far a short stable period may be trusted to tell the rate. */
  driftRatePriorGramsPerSec: number;
  /**
   * Largest total load (g); above it the scale is overloaded and reports nothing.
   * A cart, not a kitchen scale: three 9 kg packs of water and the week's
   * shopping pass 40 kg. At the ~100 counts/g of a cart's calibration each
   * HX711 channel reaches its rail near 80 kg, so 100 kg is still read on
   * four corners, even with all of it on two.
   */
  capacityGrams: Grams;
  /** Automatic zero tracking acts only while the shown total is within ± this of zero (g); OIML R76 and NIST HB44 allow about half a scale interval. */
  zeroTrackBandGrams: Grams;
  /** ... and corrects at most this fast (g/s); R76: at most 0.5 e per second. */
  zeroTrackRateGramsPerSec: number;
  /** ... and never more than this away from the zero set by the last tare (g); R76 limits zero-setting to 4 % of capacity. */
  zeroTrackRangeGrams: Grams;
}

export const defaultScaleConfig: ScaleConfig = {
  rateHz: 80,
  priorCellNoiseGrams: 1,
  noiseMemorySec: 60,
  spikeWindowSamples: 5,
  spikeSigmas: 8,
  holdMaxSec: 0.25,
  reviveSec: 1,
  silentWaitSec: 2,
  restWindowSec: 0.4,
  restSigmas: 2,
  restOnwardSigmas: 1,
  removalHoldSec: 0.4,
  motionWindowSec: 0.5,
  movingRmsGrams: 60,
  minDeltaGrams: 5,
  minDeltaSigmas: 4,
  gainUncertainty: 0.002,
  cornerGainMismatch: 0.004,
  unweighedDriftGramsPerSqrtSec: 0.5,
  cellHysteresisGrams: 2,
  deadCornerPriorRelSd: 0.2,
  driftTrackSec: 5,
  driftTrendSec: 30,
  driftRatePriorGramsPerSec: 0.1,
  capacityGrams: 100_000,
  zeroTrackBandGrams: 0.5,
  zeroTrackRateGramsPerSec: 0.5,
  zeroTrackRangeGrams: 1_600,
};

/** Every wrong key at once, so that a bad config file is fixed in one go. */
export function checkScaleConfig(config: ScaleConfig): void {
  const errors: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) errors.push(`${key} must be a finite number >= 0 (got ${String(value)})`);
  }
  if (config.rateHz <= 0) errors.push('rateHz must be > 0');
  if (!Number.isInteger(config.spikeWindowSamples) || config.spikeWindowSamples % 2 !== 1) errors.push('spikeWindowSamples must be an odd integer');
  if (errors.length > 0) throw new RangeError(`scale config: ${errors.join('; ')}`);
}
