// Four HX711 channels reading four load cells, and the driver that reads them.
//
// HX711 (Avia Semiconductor datasheet):
//  - 24-bit two's complement output; an input beyond full scale reads 0x7FFFFF or 0x800000.
//  - Output data rate 10 or 80 SPS set by the RATE pin, from the on-chip oscillator: the real
//    rate follows the oscillator, a few percent off on a given board.
//  - Output settling time 4 conversion periods (400 ms at 10 SPS, 50 ms at 80 SPS). We model
//    the digital filter as a sinc^4-like decimator: each output is the input averaged over
//    each of the last 4 periods with weights 1/24, 11/24, 11/24, 1/24 (the unit-interval
//    integrals of the cubic B-spline = 4 boxcars convolved). A load step therefore shows over
//    about 3 outputs, and at 10 SPS 50/60 Hz mains falls into the filter nulls.
//  - Input noise 50 nV rms at 10 SPS, 90 nV rms at 80 SPS (gain 128); with ~107 counts/g that is
//    only ~0.2-0.4 g; the cart's noise (cables, supply, mechanics) is larger: 0.5-2.5 g per
//    channel at 80 SPS, lower at 10 SPS, drawn per cell in fleet.mjs.
// Load cell (spec-sheet behaviour, magnitudes in fleet.mjs): parabolic nonlinearity over the
// rated capacity, hysteresis as a play operator (output lower on the loading branch, higher on
// the unloading branch), first-order creep toward a fraction of the load change, zero and span
// temperature coefficients, a permanent zero shift after a gross overload (>120 % capacity).
// Driver (Linux reader of four chips on one board): reads all channels when a conversion is
// ready; a late wake-up (scheduling hiccup) means it gets the newest conversion and the ones in
// between are lost; a channel that does not answer in time is null; sometimes no channel
// answers; rarely the process stalls and nothing is logged for a while; a glitching clock line
// flips a bit; a chip caught powering down reads all ones (-1); a stale register is read twice.

const MAX = 8388607;
const MIN = -8388608;
const TWO_PI = 2 * Math.PI;
const FIR = [1 / 24, 11 / 24, 11 / 24, 1 / 24];

function to24(x) {
  x = Math.round(x);
  return x > MAX ? MAX : x < MIN ? MIN : x;
}

function flipBit(v, bit) {
  let u = (v & 0xffffff) ^ (1 << bit);
  return u & 0x800000 ? u - 0x1000000 : u;
}

/**
 * Render the adc lines of one trip.
 * trip: { duration, airTemp(t), tempStart, rateTrim }
 * returns { lines: [{t, s}], temps: [{t, celsius}], stats }
 */
export function renderAdc(scene, cart, trip, rng) {
  const T = 1 / (cart.rateHz * cart.rateFactor * trip.rateTrim);
  const K = cart.rateHz === 80 ? 5 : 40; // sub-samples per period, ~2.5 ms apart
  const g = cart.glitch;
  const cells = cart.cells;
  const n = cells.length;
  const tareC = scene.tare;

  // cell states
  const st = cells.map((c) => {
    const Lt = tareC[c.corner];
    return {
      p: Lt + rng.uniform(-c.hystW, c.hystW),
      creep: c.creepA * Lt,
      wander: rng.normal(0, c.wanderG),
      temp: trip.tempStart + rng.normal(0, 0.3),
      shift: 0,
      nullRun: 0,
      stuckRun: 0,
      stuckVal: 0,
      last: null,
    };
  });

  const L = [0, 0, 0, 0];
  const box = [[], [], [], []]; // last 4 box averages per corner
  const humBox = []; // [sinAvg, cosAvg]
  let tEnd = -T + rng.uniform(0, T); // end of the first conversion window minus one period
  // prime the filter with the idle basket
  for (let c = 0; c < 4; c++) for (let j = 0; j < 3; j++) box[c].push(tareC[c]);
  for (let j = 0; j < 3; j++) humBox.push([0, 0]);

  const lines = [];
  const temps = [];
  let nextTemp = 5 + rng.uniform(0, 5);
  let pendingRead = null;
  let allNullRun = 0;
  let gapUntil = -1;
  let lastLineT = 0;
  const stats = { conversions: 0, lines: 0, nulls: 0, allNullLines: 0, rails: 0, flips: 0, ones: 0, repeats: 0, skipped: 0, gaps: 0, saturated: 0 };
  const raw = new Array(n);

  while (true) {
    const tStart = tEnd;
    tEnd = tStart + T;
    if (tEnd > trip.duration) break;
    // box average over this period
    const acc = [0, 0, 0, 0];
    let hs = 0, hc = 0;
    for (let j = 0; j < K; j++) {
      const ts = tStart + (j + 0.5) * T / K;
      scene.corners(ts, L);
      acc[0] += L[0]; acc[1] += L[1]; acc[2] += L[2]; acc[3] += L[3];
      hs += Math.sin(TWO_PI * 50 * ts); hc += Math.cos(TWO_PI * 50 * ts);
    }
    for (let c = 0; c < 4; c++) { box[c].push(acc[c] / K); if (box[c].length > 4) box[c].shift(); }
    humBox.push([hs / K, hc / K]); if (humBox.length > 4) humBox.shift();
    stats.conversions++;

    const tAir = trip.airTemp(tEnd);
    for (let i = 0; i < n; i++) {
      const c = cells[i];
      const s = st[i];
      const b = box[c.corner];
      const load = FIR[0] * b[0] + FIR[1] * b[1] + FIR[2] * b[2] + FIR[3] * b[3];
      const hum = FIR.reduce((a, w, k) => a + w * (Math.cos(c.humPhase) * humBox[k][0] + Math.sin(c.humPhase) * humBox[k][1]), 0) * c.humG;
      const Lt = tareC[c.corner];
      // nonlinearity relative to the calibration point (empty basket)
      const nlf = (x) => 4 * c.nl * c.capacityG * (x / c.capacityG) * (1 - x / c.capacityG);
      const nlErr = nlf(load) - nlf(Lt);
      // hysteresis: play operator of width W, band K*W
      s.p = Math.min(Math.max(s.p, load - c.hystW), load + c.hystW);
      const hyst = (c.hystBandG / c.hystW) * (s.p - load);
      // creep toward creepA * load with time constant creepTau
      s.creep += (c.creepA * load - s.creep) * (1 - Math.exp(-T / c.creepTau));
      const creep = s.creep - c.creepA * Lt;
      // temperature
      s.temp += (tAir - s.temp) * (1 - Math.exp(-T / (trip.thermTau * c.thermTau)));
      const dT = s.temp - trip.tempCal;
      // overload: permanent zero shift beyond 120 % of rated capacity
      if (load > 1.2 * c.capacityG) s.shift = Math.max(s.shift, 0.0005 * (load - 1.2 * c.capacityG));
      // slow wander (Ornstein-Uhlenbeck)
      s.wander += -s.wander * T / c.wanderTau + c.wanderG * Math.sqrt(2 * T / c.wanderTau) * rng.gauss();
      const out = (load - Lt + nlErr + hyst + creep) * (1 + c.spanTC * dT) + c.zeroTC * dT + s.shift + s.wander + hum;
      let v = c.offsetTrue + c.gain * (out + c.noiseG * rng.gauss());
      if (v > MAX || v < MIN) stats.saturated++;
      raw[i] = to24(v);
    }

    if (tEnd >= nextTemp) {
      const avg = st.reduce((a, s) => a + s.temp, 0) / n;
      temps.push({ t: tEnd + 0.002, celsius: Math.round((avg + 9) * 10) / 10 }); // board runs ~9 degC warm
      nextTemp += 10;
    }

    // ---- the driver ----
    let readT;
    if (pendingRead !== null) {
      if (tEnd + T <= pendingRead) { stats.skipped++; continue; } // overwritten before the late read
      readT = pendingRead;
      pendingRead = null;
    } else {
      let lat = (cart.latency.baseMs + Math.abs(rng.normal(0, cart.latency.jitterMs))) / 1000;
      if (rng.chance(g.hiccup)) lat += rng.uniform(0.004, 0.035);
      readT = tEnd + lat;
      if (tEnd + T <= readT) { pendingRead = readT; stats.skipped++; continue; }
    }
    if (readT < gapUntil) { stats.skipped++; continue; }
    if (rng.chance(g.gap)) { gapUntil = readT + rng.uniform(0.1, 1.2); stats.gaps++; continue; }

    const out = new Array(n);
    if (allNullRun > 0 || rng.chance(g.allNull)) {
      if (allNullRun === 0) allNullRun = rng.int(1, 12);
      allNullRun--;
      out.fill(null);
      stats.allNullLines++;
    } else {
      for (let i = 0; i < n; i++) {
        const s = st[i];
        let v = raw[i];
        if (s.nullRun > 0) { s.nullRun--; out[i] = null; stats.nulls++; continue; }
        if (rng.chance(g.nullRun)) { s.nullRun = rng.int(3, 40); out[i] = null; stats.nulls++; continue; }
        if (rng.chance(g.nullP)) { out[i] = null; stats.nulls++; continue; }
        if (s.stuckRun > 0) { s.stuckRun--; v = s.stuckVal; }
        else if (s.last !== null && rng.chance(g.stuck)) { s.stuckRun = rng.int(4, 60); s.stuckVal = s.last; v = s.last; }
        else if (s.last !== null && rng.chance(g.repeat)) { v = s.last; stats.repeats++; }
        else if (rng.chance(g.flip)) { v = flipBit(v, rng.int(10, 22)); stats.flips++; }
        else if (rng.chance(g.rail)) { v = rng.chance(0.5) ? MAX : MIN; stats.rails++; }
        else if (rng.chance(g.ones)) { v = -1; stats.ones++; }
        out[i] = v;
        s.last = v;
      }
    }
    const t = Math.max(lastLineT, Math.round(readT * 1e4) / 1e4);
    lastLineT = t;
    lines.push({ t, s: `{"t":${t},"kind":"adc","raw":[${out.map((x) => (x === null ? 'null' : x)).join(',')}]}` });
    stats.lines++;
  }
  return { lines, temps, stats };
}
