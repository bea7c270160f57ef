// The weighing path: counts → grams per corner → spikes and gaps removed →
// total → vibration and rest tests → a change reported once the basket is at
// rest again. Pure and clock-free: the time of each sample comes with it.
import type { BasketGeometry, CellCalibration, Grams, LoadSample, ScaleState, ScaleStatus, Seconds, SmallChange, StableDelta, WeightEvent } from '../domain.js';
import { CORNERS, centreOfPressure, centreSd, checkCalibration, countsToGrams, isUsable, onFloor, recalibrateGrams } from './calibration.js';
import { checkScaleConfig, defaultScaleConfig, type ScaleConfig } from './config.js';
import { ChannelHealth } from './dead-channels.js';
import { DeadCornerModel } from './degraded.js';
import { DriftTrend } from './drift.js';
import { VibrationMeter } from './motion.js';
import { NoiseFloor } from './noise.js';
import { RestTest, RestWindow, goesOn, type LineFit } from './settle.js';
import { SpikeFilter } from './spikes.js';
import { ZeroTracker } from './zero-tracking.js';

export { defaultScaleConfig, type ScaleConfig } from './config.js';

/** What a display or the calibration tool reads; never blocks. */
export interface ScaleReading {
  /** Time of the sample this reading is from. */
  atSec: Seconds;
  /** Grams per corner, fl fr rl rr (a dead corner: its estimate). */
  cornersGrams: Grams[];
  /** Shown total: the stable level while stable, else the latest sample, less the zero. */
  totalGrams: Grams;
  state: ScaleState;
  deadChannels: number[];
}

/** Leaving rest takes stronger evidence than reaching it, so that noise does not flap the state. */
const LEAVE_REST_SIGMAS = 5;
/**
 * Where in the rest window the level is read (0 start, 1 end). The rest test
 * cannot see a settling tail smaller than the noise; reading the fitted line
 * late in the window takes most of such a tail out, for 1.75 times the
 * variance of the window mean.
 */
const LEVEL_AT = 0.75;
/**
 * Fewest samples in the rest window, whatever restWindowSec makes of the
 * rate. The scatter test and the noise blocks have n - 2 degrees of freedom,
 * and their chi-square bounds (Wilson-Hilferty) mean little under 10. At
 * the bench's 80 Hz the window holds 32 samples; an M5Stack unit converts
 * only 10 times a second (the HX711's slow rate), and from 4 samples (2
 * degrees of freedom) a hand still settling an item passed for rest.
 */
const MIN_REST_SAMPLES = 12;
/**
 * The rate the rest test's window and thresholds were set at (the bench
 * generator's). A slower board's window is lengthened until a line through
 * it knows its slope as well as restWindowSec of samples at this rate did:
 * the slope's standard error goes as 1/sqrt(n T^2) for n samples over T
 * seconds, so the samples needed grow as the rate to the power 2/3. At 25 Hz
 * (a DFRobot board) 0.4 s held 10 samples, and a hand resting an item on the
 * basket for half a second passed for rest; it takes 15 now (0.6 s).
 */
const DESIGN_RATE_HZ = 80;

export class Scale {
  private calibration: CellCalibration[];
  private readonly geometry: BasketGeometry;
  private readonly config: ScaleConfig;
  private readonly n = CORNERS.length;

  private readonly spikes: SpikeFilter[];
  private readonly health: ChannelHealth[];
  /** Per channel: every channel's cleaned value when this one last answered (anchors a death). */
  private readonly anchors: Float64Array[];
  private readonly window: RestWindow;
  private readonly restTest: RestTest;
  /** Once at rest, the load stays at rest until this laxer test fails (hysteresis). */
  private readonly stayTest: RestTest;
  private readonly vibration: VibrationMeter;
  private readonly totalNoise: NoiseFloor;
  private readonly cornerNoise: NoiseFloor[];
  private readonly deadModel: DeadCornerModel;
  private readonly zero: ZeroTracker;
  private readonly drift: DriftTrend;
  /** Sample times, so that the delayed (cleaned) samples get theirs. */
  private readonly times: Float64Array;
  private timeIndex = 0;

  private readonly cleaned: Float64Array;
  private readonly values: Float64Array;
  private readonly level: Float64Array;
  private readonly change: Float64Array;
  private seen = 0;
  /** The current noise block saw motion or a silent corner. */
  private blockDisturbed = false;
  private lastSec: Seconds = 0;
  private lastTotal = 0;

  /** Rest reference per corner (g), null until the first rest. */
  private ref: Float64Array | null = null;
  /** Variance of the reference total (g²) and how many samples it averages. */
  private refVariance = 0;
  private refSamples = 0;
  private stable = false;
  private beganAtSec: Seconds = 0;
  private firstOutSec: Seconds | null = null;
  /**
   * Since when, at rest, two or more corners have been silent (their values
   * held): a change that shows when they answer again may have begun at any
   * time since. Null once the rest window holds only answered samples again.
   */
  private blindSinceSec: Seconds | null = null;
  /** The last sample at which two or more corners were silent (their values held, not read). */
  private blindLastSec: Seconds = -Infinity;
  /** A rest the scale went blind in: the total the held values made, until readings fill the window again. */
  private blindRestTotal: number | null = null;
  /**
   * A rest a silent corner answered in: the total its last estimate made,
   * corrected by that estimate's error, until readings fill the window again.
   */
  private answeredRestTotal: number | null = null;
  private restSinceSec: Seconds | null = null;
  /** Corners whose reference value is an estimate (bit c for corner c). */
  private refEstimated = 0;
  /** Per corner: the last time its value was an estimate. */
  private readonly silentAtSec: Float64Array;
  private readonly wasSilent: boolean[];
  private moving = false;
  /** The cart moved since the last rest: each cell may rest elsewhere in its hysteresis loop. */
  private shaken = false;
  private overloaded = false;
  private state: ScaleState | null = null;
  /** A change just come to rest that was too small to report: told with the status that says so. */
  private smallChange: SmallChange | null = null;
  private reportedDead = 0;

  constructor(calibration: CellCalibration[], geometry: BasketGeometry, config: ScaleConfig = defaultScaleConfig) {
    checkCalibration(calibration);
    checkScaleConfig(config);
    this.calibration = calibration.map((c) => ({ ...c }));
    this.geometry = { ...geometry };
    this.config = { ...config };
    const c = this.config;
    const asSlopeAtDesignRate = c.restWindowSec * DESIGN_RATE_HZ * Math.cbrt((c.rateHz / DESIGN_RATE_HZ) ** 2);
    // Rounded up less a rounding's worth, so that 80 Hz gives its 32 samples and not 33.
    const restSamples = Math.max(MIN_REST_SAMPLES, Math.round(c.restWindowSec * c.rateHz), Math.ceil(asSlopeAtDesignRate - 1e-9));
    const memoryBlocks = Math.ceil((c.noiseMemorySec * c.rateHz) / restSamples);
    const cellVar = c.priorCellNoiseGrams ** 2;
    this.spikes = CORNERS.map(() => new SpikeFilter(c.spikeWindowSamples, c.spikeSigmas));
    this.health = CORNERS.map(() => new ChannelHealth(c.holdMaxSec, c.reviveSec));
    this.anchors = CORNERS.map(() => new Float64Array(this.n));
    this.window = new RestWindow(restSamples, this.n);
    this.restTest = new RestTest(restSamples, c.restSigmas);
    this.stayTest = new RestTest(restSamples, c.restSigmas + 1);
    this.vibration = new VibrationMeter(Math.round(c.motionWindowSec * c.rateHz));
    const blockSec = restSamples / c.rateHz;
    this.totalNoise = new NoiseFloor(this.n * cellVar, memoryBlocks, restSamples - 2, blockSec);
    this.cornerNoise = CORNERS.map(() => new NoiseFloor(cellVar, memoryBlocks, restSamples - 2, blockSec));
    this.deadModel = new DeadCornerModel(c.deadCornerPriorRelSd);
    this.drift = new DriftTrend(c.driftTrendSec, c.driftRatePriorGramsPerSec);
    this.zero = new ZeroTracker(c.zeroTrackBandGrams, c.zeroTrackRateGramsPerSec, c.zeroTrackRangeGrams);
    this.times = new Float64Array(this.spikes[0]!.delaySamples + 1);
    this.silentAtSec = new Float64Array(this.n).fill(-Infinity);
    this.wasSilent = CORNERS.map(() => false);
    this.cleaned = new Float64Array(this.n);
    this.values = new Float64Array(this.n);
    this.level = new Float64Array(this.n);
    this.change = new Float64Array(this.n);
  }

  push(sample: LoadSample): readonly WeightEvent[] {
    const nowSec = sample.atSec;
    this.times[this.timeIndex] = nowSec;
    this.timeIndex = (this.timeIndex + 1) % this.times.length;
    // The cleaned samples lag by the spike filter's delay; this is their time.
    const atSec = this.seen + 1 >= this.times.length ? (this.times[this.timeIndex] ?? nowSec) : nowSec;

    let ready = true;
    for (let c = 0; c < this.n; c++) {
      const raw = sample.raw[c];
      const grams = isUsable(raw) ? countsToGrams(raw, this.calibration[c]!) : Number.NaN;
      const out = this.spikes[c]!.push(grams, Math.sqrt(this.cornerNoise[c]!.variance()));
      if (out === null) ready = false;
      else this.cleaned[c] = out;
    }
    this.seen++;
    for (let c = 0; c < this.n; c++) {
      const usable = isUsable(sample.raw[c]);
      // At rest the reference is the best anchor; in a change, the latest reading.
      if (usable && ready) this.anchors[c]!.set(this.stable && this.ref ? this.ref : this.cleaned);
      this.health[c]!.update(usable, nowSec);
    }
    if (!ready) return NO_EVENTS;
    this.lastSec = atSec;

    const silent = this.silentChannels();
    this.estimateValues(silent);
    for (let c = 0; c < this.n; c++) {
      const isSilent = this.health[c]!.silent;
      if (isSilent) this.silentAtSec[c] = atSec;
      else if (this.wasSilent[c]) this.answersAgain(c);
      this.wasSilent[c] = isSilent;
    }
    let total = 0;
    for (let c = 0; c < this.n; c++) total += this.values[c] ?? 0;
    this.lastTotal = total;
    if (silent.length > 1) this.blindLastSec = atSec;
    this.window.push(atSec, this.values, total);
    const vibrationRms = this.vibration.push(total);
    this.moving = vibrationRms > this.config.movingRmsGrams;
    if (this.moving) this.shaken = true;
    // The floor is the healthy cells' noise at a standstill: pushing is not
    // noise, and an estimated corner's noise is derived from the others'.
    this.blockDisturbed ||= this.moving || silent.length > 0;
    if (this.window.count % this.window.size === 0) {
      if (!this.blockDisturbed) this.measureNoise();
      this.blockDisturbed = false;
    }
    this.overloaded = total > this.config.capacityGrams;
    const delta = this.stable ? this.whileStable(total, atSec, silent) : this.whileChanging(atSec, silent, nowSec);
    const status = this.statusChange(atSec);
    if (this.smallChange) {
      if (status && this.stable) status.smallChange = this.smallChange;
      this.smallChange = null;
    }
    if (!delta && !status) return NO_EVENTS;
    const events: WeightEvent[] = [];
    if (delta) events.push(delta);
    if (status) events.push(status);
    return events;
  }

  reading(): ScaleReading {
    const ref = this.ref;
    const showRef = this.stable && ref !== null;
    let total = 0;
    const corners: Grams[] = [];
    for (let c = 0; c < this.n; c++) {
      const g = showRef ? (ref[c] ?? 0) : (this.values[c] ?? 0);
      corners.push(g);
      total += g;
    }
    return {
      atSec: this.lastSec,
      cornersGrams: corners,
      totalGrams: total - this.zero.zeroGrams,
      state: this.state ?? 'settling',
      deadChannels: this.deadChannels(),
    };
  }

  setCalibration(calibration: CellCalibration[]): void {
    checkCalibration(calibration);
    const before = this.calibration;
    const after = calibration.map((c) => ({ ...c }));
    const f = (c: number, g: number): number => recalibrateGrams(g, before[c]!, after[c]!);
    this.spikes.forEach((s, c) => s.map((g) => f(c, g)));
    this.window.mapCorners(f);
    for (const a of this.anchors) for (let c = 0; c < this.n; c++) a[c] = f(c, a[c] ?? 0);
    if (this.ref) for (let c = 0; c < this.n; c++) this.ref[c] = f(c, this.ref[c] ?? 0);
    this.cornerNoise.forEach((noise, c) => noise.scale(before[c]!.countsPerGram / after[c]!.countsPerGram));
    let total = 0;
    for (let c = 0; c < this.n; c++) {
      this.values[c] = f(c, this.values[c] ?? 0);
      total += this.values[c] ?? 0;
    }
    this.vibration.shift(total - this.lastTotal);
    this.lastTotal = total;
    this.calibration = after;
    // The new calibration defines zero afresh, and drift is measured anew.
    this.zero.tare(0, this.lastSec);
    this.drift.reset();
  }

  tare(atSec: Seconds): boolean {
    if (!this.stable || this.ref === null || this.deadChannels().length > 0) return false;
    this.zero.tare(sum(this.ref), atSec);
    return true;
  }

  private refTotal(): number {
    return this.ref ? sum(this.ref) : Number.NEGATIVE_INFINITY;
  }

  private silentChannels(): readonly number[] {
    let silent: number[] | null = null;
    for (let c = 0; c < this.n; c++) if (this.health[c]!.silent) (silent ??= []).push(c);
    return silent ?? NONE;
  }

  private deadChannels(): number[] {
    const dead: number[] = [];
    for (let c = 0; c < this.n; c++) if (this.health[c]!.dead) dead.push(c);
    return dead;
  }

  /** The dead channels as bits (channel c: bit c), compared at every sample without an array. */
  private deadMask(): number {
    let mask = 0;
    for (let c = 0; c < this.n; c++) if (this.health[c]!.dead) mask |= 1 << c;
    return mask;
  }

  /** Answering corners as cleaned; one silent corner estimated from the others since it fell silent; more are held. */
  private estimateValues(silent: readonly number[]): void {
    this.values.set(this.cleaned);
    if (silent.length === 0) return;
    if (silent.length > 1) {
      for (const d of silent) this.values[d] = this.anchors[d]![d] ?? 0;
      return;
    }
    const d = silent[0]!;
    const anchor = this.anchors[d]!;
    for (let c = 0; c < this.n; c++) this.change[c] = (this.cleaned[c] ?? 0) - (anchor[c] ?? 0);
    this.values[d] = (anchor[d] ?? 0) + this.deadModel.estimate(this.change, d);
  }

  /**
   * A silent corner answers again. If the rest reference holds its estimate,
   * the reading replaces the estimate there too: the difference is the
   * estimate's error, not a change of load. If the reference holds a reading,
   * the new reading is simply compared with it. A rest still pending notes
   * the level the estimate made, its error corrected (whileChanging).
   */
  private answersAgain(corner: number): void {
    // values[] already holds the reading; the estimate it replaces was the previous sample's.
    const step = (this.cleaned[corner] ?? 0) - (this.window.corners[corner]![this.window.newest] ?? 0);
    if (!this.stable && this.restSinceSec !== null) this.answeredRestTotal ??= (this.window.totals[this.window.newest] ?? 0) + step;
    const bit = 1 << corner;
    if (!(this.refEstimated & bit)) return;
    this.refEstimated &= ~bit;
    this.window.shiftCorner(corner, step);
    this.vibration.shift(step);
    if (this.ref) this.ref[corner] = (this.ref[corner] ?? 0) + step;
    this.drift.loadChanged(step);
  }

  /** Corners the window holds estimates of. */
  private estimatedInWindow(): readonly number[] {
    let estimated: number[] | null = null;
    for (let c = 0; c < this.n; c++) if ((this.silentAtSec[c] ?? -Infinity) >= this.window.startSec) (estimated ??= []).push(c);
    return estimated ?? NONE;
  }

  /** A corner that answered again still has estimates in the window: what it reads is not yet all the window holds. */
  private answeredWithEstimatesInWindow(): boolean {
    return this.estimatedInWindow().some((c) => !this.health[c]!.silent);
  }

  /** Noise variance of the total as it is computed now: an estimated corner weighs the others' noise more. */
  private noiseVariance(silent: readonly number[]): number {
    const total = this.totalNoise.variance();
    if (silent.length !== 1) return total;
    const variances = this.cornerNoise.map((n) => n.variance());
    const healthy = variances.reduce((a, b) => a + b, 0);
    return healthy > 0 ? (total * this.deadModel.totalNoiseVariance(silent[0]!, variances)) / healthy : total;
  }

  private measureNoise(): void {
    this.totalNoise.add(this.window.fit().residualVariance);
    this.cornerNoise.forEach((noise, c) => noise.add(this.window.fit(this.window.corners[c]).residualVariance));
  }

  private whileStable(total: number, atSec: Seconds, silent: readonly number[]): StableDelta | null {
    const ref = this.ref!;
    const refTotal = sum(ref);
    if (silent.length > 1) {
      this.blindSinceSec ??= atSec - this.config.holdMaxSec;
    } else if (this.window.startSec > this.blindLastSec) {
      this.blindSinceSec = null;
    }
    const noiseVar = this.noiseVariance(silent);
    const out = Math.abs(total - refTotal) > LEAVE_REST_SIGMAS * Math.sqrt(noiseVar + this.refVariance);
    const drifted = Math.abs(this.window.meanTotal() - refTotal) > LEAVE_REST_SIGMAS * Math.sqrt(noiseVar / this.window.size + this.refVariance);
    if (out || drifted || this.moving || this.overloaded) {
      this.stable = false;
      this.beganAtSec = Math.min(this.firstOutSec ?? atSec, this.blindSinceSec ?? Infinity);
      this.blindSinceSec = null;
      this.restSinceSec = null;
      this.zero.pause();
      return null;
    }
    // Track creep and temperature drift: a running mean that becomes an
    // exponential one once it spans driftTrackSec (the sample count weight).
    const maxSamples = Math.max(1, this.config.driftTrackSec * this.config.rateHz);
    this.refSamples = Math.min(this.refSamples + 1, maxSamples);
    const w = 1 / this.refSamples;
    for (let c = 0; c < this.n; c++) ref[c] = (ref[c] ?? 0) + w * ((this.values[c] ?? 0) - (ref[c] ?? 0));
    this.refVariance = noiseVar / Math.min(this.refSamples, 2 * maxSamples);
    if (Math.abs(total - refTotal) > this.config.restSigmas * Math.sqrt(noiseVar)) this.firstOutSec ??= atSec;
    else this.firstOutSec = null;
    // The drift trend learns a sample once it has passed through the rest
    // window still at rest: the start of a change, too small yet to leave
    // rest, would otherwise be learnt as drift and carried into the change.
    this.drift.add(this.window.startSec, this.window.totals[this.window.oldest] ?? total);
    this.zero.track(sum(ref), atSec);
    return null;
  }

  private whileChanging(atSec: Seconds, silent: readonly number[], nowSec: Seconds): StableDelta | null {
    // Only a still basket whose window began after the change began may be
    // at rest; the line is fitted only then (a pushed cart fails at every
    // sample, and a field trip is pushed for about half of its samples).
    const mayRest = !this.moving && !this.overloaded && this.window.full && this.window.startSec >= this.beganAtSec;
    const fit = mayRest ? this.window.fit() : null;
    // A corner that answers again leaves its estimates in the window for a
    // while, and they scatter as the estimate does: the rest is judged
    // against that noise until they are gone, or it begins again the moment
    // the corner answers (field 7099 trip 2: a corner silent 1.4 s while an
    // item settled; the rest began again 0.9 s after the item came to rest,
    // and its alert came late).
    const noiseVar = this.noiseVariance(silent.length > 0 ? silent : this.estimatedInWindow());
    // Values held while the scale is blind (two or more corners silent) are
    // not readings: nothing is measured from a window that holds them, and a
    // rest the scale went blind in is not ended by one (the step from the
    // last reading held to the first one back is noise, not motion).
    const blind = silent.length > 1 || this.blindLastSec >= this.window.startSec;
    if (blind && this.restSinceSec !== null) {
      if (silent.length > 1) this.blindRestTotal ??= this.window.totals[this.window.newest] ?? 0;
      return null;
    }
    if (!blind && this.blindRestTotal !== null) this.restAfterBlindness(fit, noiseVar);
    // A corner that answers as the basket comes to rest reads what its
    // estimate missed, often some grams (20 g of a 470 g item put in while
    // it was silent: field 8099 trip 39), a step the line through the window
    // takes for motion: the rest began again when the board answered, a
    // second after the item came to rest, and the alert came late (also
    // field 7899 trip 52, 7999 trip 12). The rest is held until the window
    // holds only readings, and goes on if they show the level the estimate
    // did, its error corrected.
    if (this.answeredRestTotal !== null) {
      if (this.answeredWithEstimatesInWindow()) return null;
      if (!this.sameLevel(this.answeredRestTotal, fit, noiseVar)) this.restSinceSec = null;
      this.answeredRestTotal = null;
    }
    // Reaching rest, a line still going the way the change went is a hand
    // letting go slowly or an item sinking in, not noise: it is held to a
    // stricter, one-sided test. Staying at rest takes only the laxer test.
    const atRest =
      fit !== null &&
      (this.restSinceSec === null
        ? this.restTest.passes(fit, noiseVar) && !goesOn(fit, noiseVar, Math.sign(fit.mean - this.refTotal()), this.config.restOnwardSigmas)
        : this.stayTest.passes(fit, noiseVar));
    if (!atRest) {
      this.restSinceSec = null;
      return null;
    }
    this.restSinceSec ??= this.window.startSec;
    if (blind) return null;
    const restedSec = this.window.startSec - this.restSinceSec;
    // A lifted item may be put down again elsewhere (rearranging): the pause
    // while it is held must not read as a removal.
    if (fit.mean < this.refTotal() - this.config.minDeltaGrams && restedSec < this.config.removalHoldSec) return null;
    // A silent board often answers again after a reset: an exact change
    // later is worth more than an estimate now.
    if (silent.length > 0 && restedSec < this.config.silentWaitSec) return null;
    // A corner that answers again is measured once the window holds only its readings.
    if (this.answeredWithEstimatesInWindow()) return null;
    return this.cameToRest(silent, nowSec);
  }

  /**
   * The readings fill the window again after a blindness that began at rest:
   * the rest went on through it when they show the level the held values
   * did (it began when the scale saw it begin, not when the scale could see
   * again); weight that came or went meanwhile starts it afresh.
   */
  private restAfterBlindness(fit: LineFit | null, noiseVar: number): void {
    const held = this.blindRestTotal ?? 0;
    this.blindRestTotal = null;
    if (!this.sameLevel(held, fit, noiseVar)) this.restSinceSec = null;
  }

  /** The window, still, shows the level `total` (one sample's) did. */
  private sameLevel(total: number, fit: LineFit | null, noiseVar: number): boolean {
    return fit !== null && Math.abs(fit.mean - total) <= LEAVE_REST_SIGMAS * Math.sqrt(noiseVar * (1 + 1 / this.window.size));
  }

  private cameToRest(silent: readonly number[], nowSec: Seconds): StableDelta | null {
    const noiseVar = this.noiseVariance(silent);
    const w = this.window;
    const readAt = w.startSec + LEVEL_AT * (w.endSec - w.startSec);
    const levelVariance = noiseVar * w.cornerLevels(readAt, this.level);
    const levelTotal = sum(this.level);
    const restAtSec = this.restSinceSec ?? this.window.startSec;
    const before = this.ref;
    const beforeVariance = this.refVariance;
    const shaken = this.shaken;
    this.shaken = false;
    let estimated = this.refEstimated;
    for (const c of this.estimatedInWindow()) estimated |= 1 << c;
    this.ref = Float64Array.from(this.level);
    this.refVariance = levelVariance;
    this.refSamples = this.window.size;
    this.stable = true;
    this.firstOutSec = null;
    this.blindRestTotal = null;
    this.answeredRestTotal = null;
    this.refEstimated = 0;
    for (const d of silent) this.refEstimated |= 1 << d;
    if (before === null) return null;

    for (let c = 0; c < this.n; c++) this.change[c] = (this.level[c] ?? 0) - (before[c] ?? 0);
    // The level before, carried across the change by the drift trend where there is one.
    const predicted = this.drift.predict(readAt, noiseVar);
    const grams = levelTotal - (predicted ? predicted.grams : sum(before));
    this.drift.loadChanged(grams);
    // Whether anything changed is judged against what the two levels would
    // differ by had nothing come or gone: their noise, the drift while the
    // scale could not weigh, load moved between corners of unequal gain, and
    // cells shaken to another point of their hysteresis loops.
    // How well a change is known also depends on its size (gain, an estimated corner).
    const nullVariance =
      levelVariance +
      (predicted ? predicted.variance : beforeVariance) +
      this.config.unweighedDriftGramsPerSqrtSec ** 2 * Math.max(0, restAtSec - this.beganAtSec) +
      this.config.cornerGainMismatch ** 2 * spreadSquares(this.change) +
      (shaken ? (this.n * 2 * this.config.cellHysteresisGrams ** 2) / 3 : 0);
    let variance = nullVariance + (this.config.gainUncertainty * grams) ** 2;
    if (estimated !== 0) variance += (this.deadRelSd(estimated) * grams) ** 2;
    const sdGrams = Math.sqrt(variance);
    const significant = Math.abs(grams) >= Math.max(this.config.minDeltaGrams, this.config.minDeltaSigmas * Math.sqrt(nullVariance));
    if (estimated === 0 && significant) this.deadModel.learn(this.change);
    if (silent.length > 1) return null;
    if (!significant) {
      this.smallChange = { grams, sdGrams, beganAtSec: this.beganAtSec, restAtSec };
      return null;
    }
    const centre = estimated !== 0 ? null : centreOfPressure(this.change, this.geometry);
    return {
      kind: 'stable-delta',
      grams,
      sdGrams,
      centre,
      ...(centre && { centreSdMm: centreSd(centre, grams, nullVariance, this.geometry), onFloor: onFloor(centre, this.geometry) }),
      beganAtSec: this.beganAtSec,
      restAtSec,
      atSec: nowSec,
    };
  }

  /** Relative error of a change during which the corners in `mask` were estimated (the worst of them). */
  private deadRelSd(mask: number): number {
    let worst = 0;
    for (let c = 0; c < this.n; c++) if (mask & (1 << c)) worst = Math.max(worst, this.deadModel.relSd(c));
    return worst;
  }

  private statusChange(atSec: Seconds): ScaleStatus | null {
    const deadMask = this.deadMask();
    let state: ScaleState;
    if (this.overloaded) state = 'overloaded';
    else if (this.moving) state = 'moving';
    else if (!this.stable) state = 'settling';
    else state = deadMask !== 0 ? 'degraded' : 'stable';
    if (state === this.state && deadMask === this.reportedDead) return null;
    this.state = state;
    this.reportedDead = deadMask;
    const status: ScaleStatus = { kind: 'scale-status', atSec, state, deadChannels: this.deadChannels() };
    if (!this.stable) status.changeBeganAtSec = this.beganAtSec;
    return status;
  }
}

/** Most samples bring no event and find no channel silent: one shared empty answer, not an array each. */
const NO_EVENTS: readonly WeightEvent[] = Object.freeze([]);
const NONE: readonly number[] = Object.freeze([]);

// Indexed loops here and in the other per-sample code: a for-of over a typed
// array allocates an iterator result a value until V8 has optimised the loop,
// which a replay's first thousands of samples are run without.
function sum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

/** Sum of squares about the mean (g²): how much load a change moved between corners, whatever it added. */
function spreadSquares(a: Float64Array): number {
  const mean = sum(a) / a.length;
  let s = 0;
  for (const v of a) s += (v - mean) ** 2;
  return s;
}
