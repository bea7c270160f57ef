// How hard a simulated trip is. 'typical' reproduces what was measured on the
// eight sample traces (shared/bench/examples, see docs/bench-simulator.md);
// 'gentle' is calmer; 'harsh' is what the firmware is judged on: more
// vibration, more drift, near-identical weights, light items, slower settling;
// 'field' is harsh with the faults of carts in a store (issue 13): a board
// clock a few percent off, a driver that misses samples, an I2C bus that stops
// answering on every channel at once, two cells wired the other way round,
// calibrations weeks old.

/** [min, max]: drawn uniformly (or log-uniformly where a field says so). */
export type Range = readonly [number, number];

export interface CellProfile {
  /** White noise of one HX711 conversion, counts (uniform per cell). Samples: 76-105 counts, 0.56-1.17 g. */
  noiseCounts: Range;
  /** Header gains; samples 90-118 counts per gram. */
  countsPerGram: Range;
  /** Header offsets lie within +-this many counts; samples +-460 k. */
  offsetCounts: number;
  /** True gain differs from the header's by this relative sd. */
  gainErrorSd: number;
  /** True zero differs from the header's by this sd, grams per cell. Samples: empty basket reads -11..+13 g in total. */
  offsetErrorSdG: number;
  /** Quadratic nonlinearity, sd of grams per kg squared on one cell. */
  nonlinearitySdGPerKg2: number;
  /** Linear drift (temperature), sd of grams per minute per cell. */
  driftSdGPerMin: number;
  /** Random-walk drift, grams per square-root minute per cell. */
  driftWalkGPerSqrtMin: number;
  /** A cart moved between warm and cold aisles: an exponential offset step, sd grams per cell (0: none). */
  thermalStepSdG: number;
  thermalTauS: Range;
  /** Creep: a loaded cell keeps reading up by this fraction of its load, with time constant creepTauS. */
  creep: Range;
  creepTauS: Range;
  /** Share of carts with one cell mounted the other way round (negative countsPerGram). */
  reversedCellShare: number;
  /** Single-sample spikes on one channel, per minute for the whole cart. Samples: 2.6 per minute. */
  spikesPerMin: number;
  /** Spike size, log-uniform. Samples: 15 g to 1500 g. */
  spikeGrams: Range;
  /** Share of spikes that read as a saturated HX711 (-8388608 or 8388607). */
  railShare: number;
  /** Chance that one channel of one sample is null (I2C read failed). Samples: 6e-5. */
  nullShare: number;
  /** Runs of nulls on one channel (a board that stops answering for a while), per minute. */
  nullBurstsPerMin: number;
  nullBurstS: Range;
  /** Share of those runs that hit all four channels at once (the bus hangs, not one board). */
  busBurstShare: number;
  /** Of the carts with a reversed cell, the share with two. */
  twoReversedShare: number;
}

export interface ClockProfile {
  /** Relative error of the board's sample clock, sd. The samples' clocks were within 0.01 %; the spec warns of a few percent. */
  rateErrorSd: number;
  /** Jitter of each sample's time stamp, sd in milliseconds. Samples: 0.2 ms, white. */
  jitterSdMs: number;
  /** On top of rateErrorSd: the clock runs off its nominal rate by this much (relative, either way). */
  rateOffset: Range;
  /** Share of sample lines missing: the driver missed a conversion. */
  dropShare: number;
  /** Stalls of the driver (a busy board, a slow SD card), per minute, and how long no sample line comes. */
  stallsPerMin: number;
  stallS: Range;
}

export interface HandProfile {
  /** Duration of the weight ramp of a placement. Samples: 10-90 % rise in 0.1-0.5 s. */
  rampS: Range;
  /** Drop impact: the first swing of the ring, as a share of the item's weight. Samples: overshoot 5-110 g, median 40 g. */
  impactShare: Range;
  ringHz: Range;
  /** From the end of the ramp to rest. Samples: restAt is 0.15-0.35 s after the visible ringing ends. */
  ringS: Range;
  /** Share of placements where the hand lingers, pressing. Samples: one in five rises over 100 g above its final weight; 80-600 g for 0.4-0.7 s. */
  pressShare: number;
  pressGrams: Range;
  pressS: Range;
  /** Share of a removal's weight pressed down as the hand grabs the item. Samples: 1-10 %. */
  grabShare: Range;
  removeRampS: Range;
  /**
   * Share of placements set down one edge first: the basket takes part of the
   * item (edgeFirstLoad) while the hand, barely trembling, holds the rest for
   * edgeFirstHoldS, then lets it down. A heavy pack, a bottle laid down.
   * Removals likewise: one edge lifted, the basket keeping edgeFirstLoad.
   */
  edgeFirstShare: number;
  edgeFirstLoad: Range;
  edgeFirstHoldS: Range;
}

export interface MotionProfile {
  /** Chance the cart is pushed after a shopping step. Samples: 5-9 pushes in 180 s. */
  pushShare: number;
  /** Share of trips whose pushes are long (aisle to aisle) rather than short nudges. Samples: 3 of 8. */
  longPushTripShare: number;
  shortPushS: Range;
  longPushS: Range;
  /** Vertical acceleration sd while pushed, as a share of g, log-uniform per push. Samples: sd of the total 4-19 % of (load + tare). */
  swing: Range;
  /** The empty basket's own mass, which vibrates too. Samples: ~60-250 g of swing on a near-empty basket. */
  tareGrams: number;
  /** Share of pushes that begin while an item just dropped is still settling. Samples: 3 of 53. */
  dropThenPushShare: number;
  /** Share of pushes during which the shopper drops an item in. */
  dropWhilePushShare: number;
  /** How far items slide in the basket during a push, sd in mm. Samples: cells shift by tens of grams. */
  slideMm: number;
  /** Knocks on the cart (hip, handle, scanning arm) while it stands. Samples: 0.85 per minute, 40-550 g. */
  knocksPerMin: number;
  knockGrams: Range;
}

export interface ShopperProfile {
  /** Items the shopper sets out to buy. */
  items: Range;
  honestShare: number;
  /** Offences in a dishonest trip. */
  offences: Range;
  /** Chances, per shopping step. */
  repeatShare: number;
  pairShare: number;
  abandonShare: number;
  removeScannedShare: number;
  removeUnscannedShare: number;
  rearrangeShare: number;
  helpShare: number;
  /** Lifts an item out, holds it lookSec (reads the label, makes room) and puts it back. */
  lookShare: number;
  lookS: Range;
  unknownCodeShare: number;
  misreadShare: number;
  /** Chances, per trip. */
  myBagShare: number;
  /** Scan to placement: 0.4 s plus an exponential with this mean. Samples: 0.5-4.9 s, median 1.5 s. */
  scanLagMeanS: number;
  /** Pause between shopping steps. */
  idleS: Range;
  /** The basket rests at least this long before the next weight change. Samples: 2.5 s at the least. */
  minRestS: number;
  /** The shopper stops when the basket holds this much: a full cart, well within the scale's capacity (100 kg). */
  maxBasketGrams: number;
  /** Longest run of one product placed in a row. Samples: up to 5. */
  maxRun: number;
}

export interface ScannerProfile {
  /** Share of scanners that send AIM symbology identifiers. Samples: 2 of 8. */
  aimShare: number;
  /** Share of reads split across two serial events. Samples: 12 %. */
  splitShare: number;
  /** Of the split reads, the share split in three. */
  threePartShare: number;
  /** Share of scans sent twice in one read. Samples: 4 %. */
  doubleReadShare: number;
  /** Share of scans repeated by the scanner in a second read within 1 s. Samples: 2 %. */
  repeatReadShare: number;
  /** With AIM on: share of fresh items read from a GS1 DataBar. Samples: 75 %. */
  dataBarShare: number;
  /** With AIM off: share of fresh items read from a DataBar anyway (bare element string). */
  dataBarNoAimShare: number;
  /** Share of DataBar reads carrying an expiry date (17). Samples: 40 %. */
  expiryShare: number;
  /** Share of DataBar reads carrying a batch (10) before the expiry, closed by GS. */
  lotShare: number;
}

export interface CatalogProfile {
  /** Extra groups of two or three products whose weights lie within a gram or two. */
  nearIdenticalGroups: number;
  /** Extra products of 20-60 g. */
  lightItems: number;
}

/**
 * What a good firmware can tell apart. The planner keeps the truth beyond
 * dispute with these: a weight change either clearly fits an explanation or
 * clearly does not, never in between.
 */
export interface ResolutionProfile {
  /** sd of a measured change, grams, plus a share of the change. */
  measureSdG: number;
  measureRel: number;
}

export interface Profile {
  name: ProfileName;
  cells: CellProfile;
  clock: ClockProfile;
  hand: HandProfile;
  motion: MotionProfile;
  shopper: ShopperProfile;
  scanner: ScannerProfile;
  catalog: CatalogProfile;
  resolution: ResolutionProfile;
}

export type ProfileName = 'gentle' | 'typical' | 'harsh' | 'field';

const typical: Profile = {
  name: 'typical',
  cells: {
    noiseCounts: [70, 110],
    countsPerGram: [90, 118],
    offsetCounts: 460_000,
    gainErrorSd: 0.0012,
    offsetErrorSdG: 3.5,
    nonlinearitySdGPerKg2: 0.1,
    driftSdGPerMin: 0.7,
    driftWalkGPerSqrtMin: 0.3,
    thermalStepSdG: 0,
    thermalTauS: [60, 180],
    creep: [0.0001, 0.0004],
    creepTauS: [20, 60],
    reversedCellShare: 0.1,
    spikesPerMin: 2.6,
    spikeGrams: [15, 1500],
    railShare: 0,
    nullShare: 6e-5,
    nullBurstsPerMin: 0,
    nullBurstS: [0.05, 0.5],
    busBurstShare: 0,
    twoReversedShare: 0,
  },
  clock: { rateErrorSd: 0.005, jitterSdMs: 0.2, rateOffset: [0, 0], dropShare: 0, stallsPerMin: 0, stallS: [0, 0] },
  hand: {
    rampS: [0.2, 0.75],
    impactShare: [0.03, 0.15],
    ringHz: [6, 12],
    ringS: [0.15, 0.35],
    pressShare: 0.22,
    pressGrams: [80, 600],
    pressS: [0.35, 0.75],
    grabShare: [0.01, 0.1],
    removeRampS: [0.2, 0.45],
    edgeFirstShare: 0,
    edgeFirstLoad: [0, 0],
    edgeFirstHoldS: [0, 0],
  },
  motion: {
    pushShare: 0.45,
    longPushTripShare: 0.35,
    shortPushS: [3, 4.5],
    longPushS: [8, 30],
    swing: [0.04, 0.2],
    tareGrams: 800,
    dropThenPushShare: 0.08,
    dropWhilePushShare: 0.03,
    slideMm: 15,
    knocksPerMin: 0.85,
    knockGrams: [40, 550],
  },
  shopper: {
    items: [5, 40],
    honestShare: 0.6,
    offences: [1, 2],
    repeatShare: 0.25,
    pairShare: 0.1,
    abandonShare: 0.05,
    removeScannedShare: 0.05,
    removeUnscannedShare: 0.03,
    rearrangeShare: 0.02,
    helpShare: 0.02,
    lookShare: 0,
    lookS: [0, 0],
    unknownCodeShare: 0.01,
    misreadShare: 0,
    myBagShare: 0.1,
    scanLagMeanS: 1.3,
    idleS: [1, 5.5],
    minRestS: 2.5,
    maxBasketGrams: 25_000,
    maxRun: 5,
  },
  scanner: {
    aimShare: 0.25,
    splitShare: 0.13,
    threePartShare: 0,
    doubleReadShare: 0.04,
    repeatReadShare: 0.02,
    dataBarShare: 0.75,
    dataBarNoAimShare: 0,
    expiryShare: 0.4,
    lotShare: 0,
  },
  catalog: { nearIdenticalGroups: 0, lightItems: 0 },
  resolution: { measureSdG: 2, measureRel: 0.004 },
};

const gentle: Profile = {
  name: 'gentle',
  cells: {
    ...typical.cells,
    noiseCounts: [50, 80],
    gainErrorSd: 0.0005,
    offsetErrorSdG: 2,
    nonlinearitySdGPerKg2: 0.05,
    driftSdGPerMin: 0.2,
    driftWalkGPerSqrtMin: 0.1,
    creep: [0.00005, 0.0002],
    reversedCellShare: 0,
    spikesPerMin: 0.8,
    spikeGrams: [15, 300],
    nullShare: 2e-5,
  },
  clock: { ...typical.clock, rateErrorSd: 0, jitterSdMs: 0.1 },
  hand: { ...typical.hand, rampS: [0.2, 0.6], ringS: [0.15, 0.25], pressShare: 0.05, pressGrams: [60, 300] },
  motion: {
    ...typical.motion,
    pushShare: 0.35,
    longPushTripShare: 0.2,
    swing: [0.03, 0.12],
    dropThenPushShare: 0,
    dropWhilePushShare: 0,
    slideMm: 8,
    knocksPerMin: 0.3,
    knockGrams: [40, 250],
  },
  shopper: {
    ...typical.shopper,
    items: [5, 25],
    honestShare: 0.7,
    offences: [1, 1],
    pairShare: 0.05,
    abandonShare: 0.03,
    unknownCodeShare: 0,
    myBagShare: 0.05,
    minRestS: 3,
  },
  scanner: { ...typical.scanner, splitShare: 0.05, doubleReadShare: 0.02, repeatReadShare: 0.01 },
  catalog: { nearIdenticalGroups: 0, lightItems: 0 },
  resolution: typical.resolution,
};

const harsh: Profile = {
  name: 'harsh',
  cells: {
    ...typical.cells,
    noiseCounts: [110, 190],
    gainErrorSd: 0.003,
    offsetErrorSdG: 8,
    nonlinearitySdGPerKg2: 0.3,
    driftSdGPerMin: 2.5,
    driftWalkGPerSqrtMin: 1,
    thermalStepSdG: 4,
    thermalTauS: [120, 300],
    creep: [0.0005, 0.0015],
    reversedCellShare: 0.3,
    spikesPerMin: 8,
    spikeGrams: [15, 3000],
    railShare: 0.05,
    nullShare: 3e-4,
    nullBurstsPerMin: 0.3,
    nullBurstS: [0.05, 1.5],
  },
  clock: { ...typical.clock, rateErrorSd: 0.02, jitterSdMs: 0.5 },
  hand: {
    ...typical.hand,
    rampS: [0.2, 1.2],
    impactShare: [0.02, 0.15],
    ringS: [0.3, 0.8],
    pressShare: 0.3,
    pressGrams: [60, 1200],
    pressS: [0.3, 1.8],
    grabShare: [0.02, 0.2],
    removeRampS: [0.2, 0.8],
  },
  motion: {
    ...typical.motion,
    pushShare: 0.55,
    longPushTripShare: 0.5,
    swing: [0.1, 0.45],
    dropThenPushShare: 0.2,
    dropWhilePushShare: 0.1,
    slideMm: 35,
    knocksPerMin: 2.5,
    knockGrams: [40, 1200],
  },
  shopper: {
    ...typical.shopper,
    honestShare: 0.5,
    offences: [1, 3],
    repeatShare: 0.3,
    pairShare: 0.2,
    abandonShare: 0.08,
    removeScannedShare: 0.06,
    removeUnscannedShare: 0.05,
    rearrangeShare: 0.05,
    unknownCodeShare: 0.03,
    misreadShare: 0.02,
    myBagShare: 0.25,
    minRestS: 1.2,
    maxBasketGrams: 32_000,
  },
  scanner: {
    ...typical.scanner,
    aimShare: 0.5,
    splitShare: 0.25,
    threePartShare: 0.3,
    doubleReadShare: 0.08,
    repeatReadShare: 0.05,
    dataBarNoAimShare: 0.3,
    lotShare: 0.3,
  },
  catalog: { nearIdenticalGroups: 5, lightItems: 10 },
  resolution: { measureSdG: 4, measureRel: 0.004 },
};

/**
 * Harsh, and what carts in a store do besides. Each number is a physical
 * quantity of the cart's parts, not what the firmware copes with:
 * - noise 0.8-2 g a channel (an HX711 at 80 Hz on a 50 kg cell with a long
 *   unshielded lead: 80-180 counts at 90-118 counts/g);
 * - spikes in 1 of 3,000 conversions of a channel (4 channels at 80 Hz: 6.4 a
 *   minute), a fifth of them a saturated read (EMI on the excitation);
 * - a board that stops answering for up to 1.5 s, 0.5 times a minute, and in
 *   a third of those the whole I2C bus (every channel null at once);
 * - a driver that misses a conversion in 1 of 500 and stalls for 0.05-0.6 s
 *   once a minute: sample lines absent, not null;
 * - a board clock 2-4 % off the header's rate (the HX711's internal
 *   oscillator is specified ±20 % of 11.06 MHz; Avia HX711 datasheet), 1 ms
 *   jitter of the driver's time stamps;
 * - a calibration weeks old: zero 15 g off a cell, gain 0.15 % (1 sd);
 * - 1 cart in 4 with a cell wired the other way round, half of them with two;
 * - drift of a few grams over a trip (zero temperature coefficient of a C3
 *   cell, a few kelvin between aisles), creep 0.03-0.05 % of the load over
 *   minutes (OIML R60 C3 allows 0.07 % over 30 min);
 * - items set down or lifted out one edge first, the hand holding part of
 *   the item still for up to a second (one in six);
 * - an item lifted out and held for 1.5-6 s, then put back (one step in twelve);
 * - 6-30 items, half the trips dishonest with 1-3 offences.
 */
const field: Profile = {
  name: 'field',
  cells: {
    ...harsh.cells,
    noiseCounts: [95, 180],
    gainErrorSd: 0.0015,
    offsetErrorSdG: 15,
    driftSdGPerMin: 0.8,
    driftWalkGPerSqrtMin: 0.5,
    thermalStepSdG: 2,
    thermalTauS: [120, 300],
    creep: [0.0003, 0.0005],
    creepTauS: [60, 300],
    reversedCellShare: 0.25,
    twoReversedShare: 0.5,
    spikesPerMin: (4 * 80 * 60) / 3000,
    spikeGrams: [15, 3000],
    railShare: 0.2,
    nullShare: 3e-4,
    nullBurstsPerMin: 0.5,
    nullBurstS: [0.05, 1.5],
    busBurstShare: 0.33,
  },
  clock: { rateErrorSd: 0, jitterSdMs: 1, rateOffset: [0.02, 0.04], dropShare: 0.002, stallsPerMin: 1, stallS: [0.05, 0.6] },
  hand: { ...harsh.hand, edgeFirstShare: 0.17, edgeFirstLoad: [0.3, 0.7], edgeFirstHoldS: [0.3, 1.2] },
  motion: harsh.motion,
  shopper: { ...harsh.shopper, items: [6, 30], honestShare: 0.5, offences: [1, 3], lookShare: 0.08, lookS: [1.5, 6] },
  scanner: harsh.scanner,
  catalog: harsh.catalog,
  resolution: harsh.resolution,
};

export const profiles: Readonly<Record<ProfileName, Profile>> = { gentle, typical, harsh, field };

export function isProfileName(name: string): name is ProfileName {
  return Object.hasOwn(profiles, name);
}
