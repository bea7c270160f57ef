// The cart fleet of one seed: 16 carts, each a fixed set of boards, load cells, calibration
// and scanner settings. A trip picks one cart; the same cart index under the same seed is
// always the same cart (same gains, offsets and stored calibration).
//
// Sources of the numbers (see README for the reasoning):
//  - HX711 datasheet (Avia Semiconductor): 24-bit two's complement output, 0x800000..0x7FFFFF,
//    output saturates at those codes; gain 128 on channel A -> full scale +-0.5*AVDD/128
//    (+-19.5 mV at AVDD = 5 V); output data rate 10 or 80 SPS from the on-chip oscillator
//    (the exact rate follows the oscillator); input noise 50 nV rms at 10 SPS and 90 nV rms at
//    80 SPS (gain 128); settling time 4 output periods (400 ms at 10 SPS, 50 ms at 80 SPS).
//  - Load cells: 40-50 kg single-point / shear-beam cells with 2 mV/V rated output (spec-sheet
//    class values: nonlinearity, hysteresis, creep, repeatability each 0.02-0.05 % of rated
//    output; zero temperature effect ~0.02-0.05 %RO per 10 degC; span 0.02 % per 10 degC).
//    2 mV/V x 5 V over 40 kg into +-19.5 mV = 2^23 counts gives ~107 counts per gram, hence the
//    90-120 counts/g the format page shows.

import { Rng } from './prng.mjs';

export const FLEET_SIZE = 16;
export const CORNERS = ['fl', 'fr', 'rl', 'rr'];

const QUALITY = {
  // per channel and sample unless noted
  good: { nullP: 2e-4, nullRun: 4e-6, allNull: 1.5e-5, gap: 4e-6, repeat: 5e-4, stuck: 2e-6, flip: 8e-6, rail: 1.5e-6, ones: 1.5e-6, hiccup: 2e-4 },
  fair: { nullP: 8e-4, nullRun: 1.5e-5, allNull: 5e-5, gap: 1.2e-5, repeat: 2e-3, stuck: 8e-6, flip: 3e-5, rail: 5e-6, ones: 5e-6, hiccup: 1e-3 },
  poor: { nullP: 4e-3, nullRun: 6e-5, allNull: 2e-4, gap: 4e-5, repeat: 8e-3, stuck: 3e-5, flip: 1.5e-4, rail: 2e-5, ones: 2e-5, hiccup: 4e-3 },
};

function clamp(x, lo, hi) { return Math.max(lo, Math.min(hi, x)); }

export function makeCart(seed, idx) {
  const r = new Rng('xsim4-cart', seed, idx);
  // Two basket models. Cell spacing (the format page's geometry) differs.
  const model = r.chance(0.6) ? 'M1' : 'M2';
  const geometry = model === 'M1' ? { widthMm: 520, depthMm: 380 } : { widthMm: 470, depthMm: 340 };
  const capacityG = model === 'M1' ? 50000 : 40000;
  // Wiring order of the header's channels: most carts fl,fr,rl,rr; a harness variant differs.
  const channels = r.chance(0.9) ? [...CORNERS] : r.pick([['fr', 'fl', 'rr', 'rl'], ['rl', 'rr', 'fl', 'fr'], ['fl', 'rl', 'fr', 'rr']]);
  const rateHz = r.chance(0.25) ? 10 : 80;
  // On-chip oscillator: a few percent off nominal (format page: "a few percent off").
  const rateFactor = 1 + clamp(r.normal(0, 0.018), -0.05, 0.05);
  const quality = r.weighted([[0.6, 'good'], [0.3, 'fair'], [0.1, 'poor']]);

  // Basket (tare) on the cells: wire/plastic basket 3.5-5.5 kg, centre slightly off.
  const tare = { grams: r.uniform(3500, 5500), u: r.uniform(0.45, 0.55), v: r.uniform(0.42, 0.58) };

  // How many channels are mounted the other way round (negative counts per gram).
  const nReversed = r.weighted([[0.7, 0], [0.25, 1], [0.05, 2]]);
  const reversed = new Set(r.shuffle([0, 1, 2, 3]).slice(0, nReversed));
  const cells = [];
  const calibration = [];
  for (let i = 0; i < 4; i++) {
    const gainAbs = r.uniform(90, 120);
    const gain = reversed.has(i) ? -gainAbs : gainAbs;
    // Bridge zero imbalance: cheap cells are up to ~+-1 mV/V off zero; most within a few
    // hundred thousand counts, a few carts far off (then heavy loads can reach the rail).
    const bridgeZero = r.chance(0.12) ? r.sign() * r.uniform(1.5e6, 3.2e6) : r.normal(0, 2.5e5);
    const corner = CORNERS.indexOf(channels[i]);
    const tareOnCell = tare.grams * [(1 - tare.u) * (1 - tare.v), tare.u * (1 - tare.v), (1 - tare.u) * tare.v, tare.u * tare.v][corner];
    const offsetTrue = bridgeZero + gain * tareOnCell;
    const cell = {
      corner,
      gain,
      offsetTrue,
      capacityG,
      nl: r.sign() * r.uniform(1e-4, 5e-4),          // nonlinearity, fraction of capacity (0.01-0.05 %)
      hystW: r.uniform(300, 1500),                    // play-operator width, grams
      hystBandG: r.uniform(0.5, 4),                   // hysteresis half-band, grams (K * W)
      creepA: (r.chance(0.85) ? 1 : -1) * r.uniform(3e-4, 2.5e-3), // creep fraction of load change
      creepTau: r.uniform(25, 150),                   // s
      zeroTC: clamp(r.normal(0, 0.5), -1.5, 1.5),     // g per degC at the cell
      spanTC: r.normal(0, 2e-5),                      // per degC
      thermTau: r.uniform(0.8, 1.2),                  // this cell's share of the cart's thermal lag
      noiseG: rateHz === 80 ? r.uniform(0.5, 2.5) : r.uniform(0.35, 1.5), // white, per output
      humG: rateHz === 80 ? r.uniform(0, 0.8) : r.uniform(0, 0.3),
      humPhase: r.uniform(0, 2 * Math.PI),
      wanderG: r.uniform(0.1, 0.8),                   // slow wander (thermal EMF, 1/f)
      wanderTau: r.uniform(3, 30),
    };
    cells.push(cell);
    // Stored calibration: offset a few grams wrong, gain +-0.05..0.3 % wrong.
    const offErrG = clamp(r.normal(0, 3), -8, 8);
    const gainErr = r.sign() * r.uniform(0.0005, 0.003);
    calibration.push({ offset: Math.round(offsetTrue + gain * offErrG), countsPerGram: Math.round(gain * (1 + gainErr) * 1000) / 1000 });
  }

  const scanner = {
    aim: r.chance(0.5),
    suffix: r.weighted([[0.25, '\r'], [0.25, '\n'], [0.5, '\r\n']]),
    iface: r.weighted([[0.4, 'rs232-9600'], [0.25, 'rs232-115200'], [0.35, 'usb-cdc']]),
    fifo: r.pick([1, 4, 8, 14]),      // UART receive FIFO trigger level (16550-style)
    pollMs: r.uniform(0.5, 4),        // reader wake-up latency
    dupProb: r.uniform(0.02, 0.15),   // same label decoded twice within 1 s
    upcDigits: r.chance(0.65) ? 12 : 13, // UPC-A without AIM: 12 digits, or as EAN-13
  };

  return {
    id: `xs4-${String(idx + 1).padStart(2, '0')}`,
    index: idx,
    model,
    geometry,
    channels,
    rateHz,
    rateFactor,
    quality,
    glitch: QUALITY[quality],
    latency: { baseMs: r.uniform(0.2, 1.5), jitterMs: r.uniform(0.1, 1.5) },
    cells,
    calibration,
    tare,
    comHeight: r.uniform(0.10, 0.22),   // m, height of the load's centre of mass above the cells
    ringF0: r.uniform(18, 32),          // Hz, basket-on-cells mode with the empty basket
    ringZeta: r.uniform(0.04, 0.12),
    floorFactor: r.uniform(0.7, 1.6),   // worn casters vibrate more
    scanner,
    buttonBounce: r.chance(0.1),
    tempLines: r.chance(0.3),           // emits an extra line kind the page does not define
  };
}

export function fleet(seed) {
  return Array.from({ length: FLEET_SIZE }, (_, i) => makeCart(seed, i));
}
