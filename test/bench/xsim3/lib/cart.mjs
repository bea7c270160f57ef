// One cart of the store's fleet: its load cells, HX711 boards, stored
// calibration and how far the truth is from it, and its scanner.
//
// Numbers and where they come from (see also README.md):
//  - counts per gram. The HX711 is ratiometric: full scale at gain 128 is
//    ±0.5·AVDD/128 over 2^23 counts (HX711 datasheet, "±20 mV at AVDD 5 V").
//    A 2 mV/V cell of 50 kg then gives 2e-3/50000 · 2·128·2^23 ≈ 86 counts/g
//    whatever AVDD is; 40-kg cells or 2.3-2.6 mV/V give up to ~120. We draw
//    |countsPerGram| in 85..120, different per cell.
//  - offset. Zero balance of a cell is up to ±5 % of rated output (typical
//    load-cell spec sheet, e.g. senstech terms page), plus the empty basket
//    (about 1-1.7 kg a corner): a few hundred thousand counts either way.
//  - a cell mounted upside down reads negative: its stored countsPerGram is
//    negative (format page). One cart in three has such a cell.
//  - calibration is "good, not exact" (format page): true gain differs from
//    the stored one by N(0, 0.35 %) capped at 1 %, true zero by N(0, 3 g)
//    capped at 10 g a cell.
//  - HX711 input noise 90 nV rms at 80 SPS, 50 nV at 10 SPS (datasheet): at
//    ~2 nV a count that is ~45 counts ≈ 0.45 g. Cabling, the cart's own
//    electronics and floor vibration add more; the brief and field
//    experience put the total at 0.5-2.5 g a channel. We draw 0.5-2.5 g at
//    80 SPS and scale by 0.6 at 10 SPS (the longer conversion averages).
//  - output data rate with the on-chip oscillator is nominal ("typically"
//    10 or 80 SPS, datasheet); boards are seen several percent off (one
//    report measured 11.85 Hz for 10). We draw ±0.5-5 %.
//  - creep: typical spec 0.03 % of rated output per 30 min at full load
//    (senstech terms page); cheap cells worse. We use 0.02-0.12 % of the
//    applied load with a 5-15 min time constant.
//  - zero temperature coefficient: < 0.05 %/10 K of nominal for good
//    transducers (HBM); for a 50 kg cell that is up to 2.5 g/K. We draw
//    -2.5..+2.5 g/K a cell. Span: ±0.05 %/10 K. HX711 offset drift
//    ±6 nV/°C (datasheet) is ~0.03 g/K, included for completeness.
//  - non-linearity: typical ±0.02-0.1 % FSO; we use 0.01-0.03 % of a 50 kg
//    cell (5-15 g at mid-scale), a parabola through zero.

import { makeScannerConfig } from './scanner.mjs';

export const GEOMETRY = { widthMm: 500, depthMm: 350 };
export const CHANNELS = ['fl', 'fr', 'rl', 'rr'];
export const FLEET_SIZE = 12;
export const CELL_FULL_SCALE_G = 50000;

export function makeCart(rng, index) {
  const r = rng.fork(`cart-${index}`);
  const rateHz = r.chance(0.25) ? 10 : 80;
  const reversed = r.chance(1 / 3) ? r.int(0, 3) : -1;
  const cells = CHANNELS.map((name, i) => makeCell(r.fork(name), rateHz, i === reversed));
  return {
    id: `xsim3-cart-${String(index + 1).padStart(2, '0')}`,
    rateHz,
    // a few percent off nominal, either way
    clockErr: r.signed(0.005, 0.05),
    cells,
    // empty basket weight carried by each corner: calibrated out as zero, but
    // it still shakes the cells when the cart is pushed
    tareG: CHANNELS.map(() => r.uniform(1000, 1700)),
    // height of the load's centre of gravity above the cells, for weight
    // shifting front/back and left/right when the cart speeds up or turns
    cogHeightM: r.uniform(0.12, 0.25),
    scanner: makeScannerConfig(r.fork('scanner')),
    faults: makeFaultRates(r.fork('faults')),
  };
}

function makeCell(r, rateHz, reversed) {
  const storedCpg = r.uniform(85, 120) * (reversed ? -1 : 1);
  const storedOffset = Math.round(r.signed(20000, 480000));
  const gainErr = clamp(r.normal(0, 0.0035), -0.01, 0.01);
  const zeroErrG = clamp(r.normal(0, 3), -10, 10);
  return {
    storedOffset,
    storedCpg: Math.round(storedCpg * 1000) / 1000,
    trueCpg: storedCpg * (1 + gainErr),
    trueOffset: storedOffset + zeroErrG * storedCpg,
    noiseG: r.uniform(0.5, 2.5) * (rateHz === 10 ? 0.6 : 1),
    wanderG: r.uniform(0.1, 0.4),          // slow 1/f-like wander, g rms
    zeroTcG: r.uniform(-2.5, 2.5),         // g per K
    spanTc: r.uniform(-5e-5, 5e-5),        // per K
    hx711OffsetTcG: r.signed(0, 0.03),     // g per K
    creep: r.uniform(0.0002, 0.0012),      // fraction of load
    creepTauS: r.uniform(300, 900),
    nonlinG: r.signed(5, 15),              // deviation at mid-scale
    warmupG: r.chance(0.3) ? r.signed(0.5, 4) : 0, // board warming after power-up
    warmupTauS: r.uniform(30, 90),
  };
}

/** how often each kind of read failure happens on this cart */
function makeFaultRates(r) {
  const flaky = r.chance(0.3); // a worn connector or noisy harness
  const k = flaky ? r.uniform(2, 5) : 1;
  return {
    nullP: r.uniform(0.0002, 0.0015) * k,        // single failed reads, per channel-sample
    spikeP: r.uniform(0.00005, 0.0004) * k,      // corrupted words
    railP: r.uniform(0.00002, 0.0001) * k,       // single rail values
    burstPerMin: r.uniform(0.1, 0.5) * k,        // one channel silent 0.05-2 s
    allNullPerMin: r.uniform(0.05, 0.3) * k,     // all channels silent 0.1-1.5 s
    railBurstPerMin: r.uniform(0.02, 0.15) * k,  // loose wire: channel at a rail
    gapPerMin: r.uniform(0.02, 0.12),            // logger missed samples
    lateP: r.uniform(0.001, 0.006),              // a sample stamped late
  };
}

function clamp(x, lo, hi) { return Math.max(lo, Math.min(hi, x)); }

/** header calibration as the calibration tool left it */
export function headerCalibration(cart) {
  return cart.cells.map((c) => ({ offset: c.storedOffset, countsPerGram: c.storedCpg }));
}
