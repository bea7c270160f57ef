// Load cells, HX711 converters and the cart body: from forces on the basket
// to the raw counts in the trace.
//
// Sources for the numbers used here:
// - HX711 datasheet (Avia Semiconductor): 24-bit two's complement output,
//   0x800000..0x7FFFFF (-8388608..8388607), the output saturates at those
//   values; output data rate 10 or 80 SPS (RATE pin), from the internal
//   oscillator (or a crystal), so a real board's rate is off by some percent;
//   input-referred noise at gain 128: 50 nV rms at 10 SPS, 90 nV rms at 80 SPS
//   (we scale noise at 10 Hz by 50/90 = 0.55).
// - Typical OIML C3 class single-point / bending-beam load cells (e.g. the
//   TAL220 / generic 20-50 kg cells): combined error / nonlinearity
//   0.02-0.05 % of full scale, creep 0.03-0.05 % of load over 30 min,
//   temperature effect on zero 0.02-0.05 % FS per 10 K.
// - Cart: basket 500 x 350 mm on four cells at its corners; an item at (x,y)
//   loads them by the lever rule (bilinear split).

export const GEOM = { widthMm: 500, depthMm: 350 };
export const RAW_MIN = -8388608, RAW_MAX = 8388607;
const G = 9.81;

// Bilinear (lever-rule) split of a unit load at (x,y) mm; x from the left
// edge, y from the front edge. Order fl, fr, rl, rr.
export function cellShares(x, y) {
  const u = Math.min(1, Math.max(0, x / GEOM.widthMm));
  const v = Math.min(1, Math.max(0, y / GEOM.depthMm));
  return [(1 - u) * (1 - v), u * (1 - v), (1 - u) * v, u * v];
}

export function makeCart(rng, tripNo) {
  const rateHz = rng.chance(0.2) ? 10 : 80;
  const trueRate = rateHz * (1 + rng.uniform(-0.03, 0.03)); // clock a few % off
  const reversed = [false, false, false, false];
  if (rng.chance(0.25)) {             // about 1 cart in 4 has 1-2 cells mounted the other way
    const n = rng.chance(0.7) ? 1 : 2;
    const idx = rng.shuffle([0, 1, 2, 3]).slice(0, n);
    for (const i of idx) reversed[i] = true;
  }
  const noiseScale = rateHz === 10 ? 50 / 90 : 1; // HX711 DS: 50 vs 90 nV rms
  const cells = [0, 1, 2, 3].map((i) => {
    const mag = Math.round(rng.uniform(90, 120) * 1000) / 1000;
    const cpgHdr = reversed[i] ? -mag : mag;
    const offHdr = rng.int(-500000, 500000);
    const gainErr = rng.uniform(-0.0015, 0.0015);          // +-0.15 % gain
    const offErrG = rng.uniform(-15, 15);                  // +-15 g offset
    const fsG = 25000;                                     // 25 kg cell (4 x 25 kg under the basket)
    return {
      cpgHdr, offHdr,
      cpgTrue: cpgHdr * (1 + gainErr),
      offTrue: offHdr + offErrG * cpgHdr,
      gainErr, offErrG, fsG,
      nlG: rng.sign() * rng.uniform(0.0002, 0.0005) * fsG,  // 0.02-0.05 % FS, max deviation mid-scale
      noiseG: rng.uniform(0.8, 2.0) * noiseScale,            // white noise, g rms
      wanderG: rng.uniform(0.15, 0.5),                       // low-frequency wander (OU), g rms
      wanderTau: rng.uniform(3, 15),
      creepK: rng.uniform(0.0003, 0.0005),                   // 0.03-0.05 % of load
    };
  });
  // Temperature drift of zero: 2-8 g over the trip in the sum of the cells,
  // mostly common to all four (same temperature), exponential warm-up shape.
  const driftTotal = rng.sign() * rng.uniform(2, 8);
  const w = [0, 1, 2, 3].map(() => Math.max(0.05, 1 + 0.5 * rng.normal()));
  const ws = w.reduce((a, b) => a + b, 0);
  cells.forEach((c, i) => { c.driftG = driftTotal * w[i] / ws; });
  const cart = {
    name: `xsim-${String(10 + (tripNo % 17)).padStart(2, '0')}`,
    rateHz, trueRate, cells,
    driftTau: rng.uniform(60, 400),
    creepTau: rng.uniform(60, 150),                          // s
    jitterS: (rateHz === 80 ? rng.uniform(0.0002, 0.0015) : rng.uniform(0.0005, 0.003)),
    // basket: 2.5-6 kg, centre of mass near the middle, plus a diagonal
    // preload from a slightly twisted frame (sum unchanged)
    basketG: rng.uniform(2500, 6000),
    basketX: GEOM.widthMm / 2 + rng.gauss(0, 15),
    basketY: GEOM.depthMm / 2 + rng.gauss(0, 15),
    twistG: rng.uniform(-150, 150),
    comHeightM: rng.uniform(0.12, 0.2),                      // contents' centre of mass above the cells
    fault: {
      gapStart: rng.uniform(1 / 3000, 1 / 1000),             // missing samples
      nullSingle: rng.uniform(1 / 8000, 1 / 3000),           // one channel fails once
      nullBurst: rng.uniform(1 / 40000, 1 / 15000),          // one channel fails for several samples
      nullAll: rng.uniform(1 / 12000, 1 / 5000),             // all four at once
      spike: 1 / 3000,                                        // per sample per channel
    },
  };
  return cart;
}

export function tareLoads(cart) {
  const s = cellShares(cart.basketX, cart.basketY);
  const l = s.map((v) => v * cart.basketG);
  l[0] += cart.twistG; l[3] += cart.twistG; l[1] -= cart.twistG; l[2] -= cart.twistG;
  return l;
}

function nonlin(c, L) {
  const x = L / c.fsG;
  return 4 * c.nlG * x * (1 - x);
}

// What a firmware with the header calibration reads for static loads (g),
// summed over the cells, without noise/drift/creep.
export function measuredSum(cart, loads) {
  let s = 0;
  for (let i = 0; i < 4; i++) {
    const c = cart.cells[i];
    s += c.offErrG + (1 + c.gainErr) * (loads[i] + nonlin(c, loads[i]));
  }
  return s;
}

// ---------------------------------------------------------------- motion
// A push of the cart from shelf to shelf: start/stop acceleration shifts
// load between front and rear cells (a*h/depth of the load), turns shift it
// left/right, the floor shakes the basket vertically (1-3 % rms at 4-18 Hz,
// caster wheels, tiles), bumps ring at the basket's natural frequency.
export function makeMotion(rng, t0, t1) {
  const d = t1 - t0;
  const tUp = Math.min(d * 0.3, rng.uniform(0.5, 1.2));
  const tDown = Math.min(d * 0.3, rng.uniform(0.5, 1.2));
  const m = {
    t0, t1, tUp, tDown,
    aUp: rng.uniform(0.4, 1.6), aDown: rng.uniform(0.4, 1.6), // m/s^2
    flA: rng.uniform(0.05, 0.25), flF: rng.uniform(0.2, 0.7), flP: rng.uniform(0, 6.28),
    turns: [],
    vibRms: rng.uniform(0.01, 0.03),
    vib: [],
    bumps: [],
  };
  const nt = rng.int(0, Math.max(0, Math.min(2, Math.floor(d / 4))));
  for (let i = 0; i < nt; i++) {
    const dur = rng.uniform(1.2, 3);
    const tc = rng.uniform(t0 + tUp, Math.max(t0 + tUp, t1 - tDown - dur));
    m.turns.push({ tc, dur, a: rng.sign() * rng.uniform(0.3, 1.0) });
  }
  for (let k = 0; k < 5; k++) m.vib.push({ f: rng.uniform(4, 18), p: rng.uniform(0, 6.28) });
  const rate = rng.uniform(0.15, 0.6);
  for (let t = t0 + rng.uniform(0, 1 / rate); t < t1 - 0.2; t += -Math.log(1 - rng.next() + 1e-12) / rate) {
    m.bumps.push({ t, amp: rng.uniform(0.04, 0.25) * rng.sign(), f: rng.uniform(7, 14), tau: rng.uniform(0.05, 0.18) });
  }
  return m;
}

// When the basket is quiet again after a motion, given the load on it (g).
export function motionRestAt(m, loadG) {
  let t = m.t1;
  for (const b of m.bumps) {
    const a = Math.abs(b.amp) * loadG;
    if (a > 0.5) t = Math.max(t, b.t + b.tau * Math.log(a / 0.5));
  }
  return t + 0.25;
}

function motionAt(m, t) {
  // returns [longShiftFraction, latShiftFraction, verticalFraction]
  if (t < m.t0 || t > m.t1 + 3) return null;
  let vert = 0;
  for (const b of m.bumps) {
    if (t >= b.t) {
      const dt = t - b.t;
      if (dt < 8 * b.tau) vert += b.amp * Math.exp(-dt / b.tau) * Math.sin(2 * Math.PI * b.f * dt);
    }
  }
  if (t > m.t1) return [0, 0, vert];
  let a = 0;
  if (t < m.t0 + m.tUp) a = m.aUp * Math.sin(Math.PI * (t - m.t0) / m.tUp);
  else if (t > m.t1 - m.tDown) a = -m.aDown * Math.sin(Math.PI * (t - (m.t1 - m.tDown)) / m.tDown);
  else a = m.flA * Math.sin(2 * Math.PI * m.flF * (t - m.t0) + m.flP);
  let lat = 0;
  for (const tr of m.turns) {
    if (t >= tr.tc && t <= tr.tc + tr.dur) lat += tr.a * Math.sin(Math.PI * (t - tr.tc) / tr.dur);
  }
  const env = Math.min(1, (t - m.t0) / 0.3, (m.t1 - t) / 0.3);
  let v = 0;
  for (const k of m.vib) v += Math.sin(2 * Math.PI * k.f * t + k.p);
  vert += env * m.vibRms * v * Math.sqrt(2 / m.vib.length);
  return [a / G, lat / G, vert];
}

// ---------------------------------------------------------------- render
function smooth(x) { return x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x); }

// plan: { durationS, terms:[{t0,t1,cw:[4]}], forces:[{kind,t0,t1,amp,w,f,tau}], motions:[m] }
// terms ramp their per-cell load cw from 0 (t<=t0) to full (t>=t1).
// Returns [{t, raw:[4]}], and stats.
export function render(rng, cart, plan) {
  const base = tareLoads(cart);                 // always there
  for (const tm of plan.staticTerms || []) for (let i = 0; i < 4; i++) base[i] += tm.cw[i];
  const terms = plan.terms.slice().sort((a, b) => a.t0 - b.t0);
  const forces = plan.forces.slice().sort((a, b) => a.t0 - b.t0);
  const motions = plan.motions.slice().sort((a, b) => a.t0 - b.t0);
  const done = base.slice();                    // terms that have finished ramping
  let ti = 0, fi = 0;
  let activeT = [], activeF = [];
  const hFac = cart.comHeightM;

  function loadsAt(t) {
    // bring in terms that have started, retire finished ones
    while (ti < terms.length && terms[ti].t0 <= t) activeT.push(terms[ti++]);
    while (fi < forces.length && forces[fi].t0 <= t) activeF.push(forces[fi++]);
    const L = done.slice();
    const keep = [];
    for (const tm of activeT) {
      if (t >= tm.t1) { for (let i = 0; i < 4; i++) { done[i] += tm.cw[i]; L[i] += tm.cw[i]; } continue; }
      const s = smooth((t - tm.t0) / (tm.t1 - tm.t0));
      for (let i = 0; i < 4; i++) L[i] += s * tm.cw[i];
      keep.push(tm);
    }
    activeT = keep;
    const keepF = [];
    for (const f of activeF) {
      if (t > f.t1) continue;
      keepF.push(f);
      const dt = t - f.t0;
      let a;
      if (f.kind === 'pulse') a = f.amp * Math.sin(Math.PI * dt / (f.t1 - f.t0));
      else a = f.amp * Math.exp(-dt / f.tau) * Math.sin(2 * Math.PI * f.f * dt);
      for (let i = 0; i < 4; i++) L[i] += a * f.w[i];
    }
    activeF = keepF;
    // cart motion
    for (const m of motions) {
      if (t < m.t0) break;
      const r = motionAt(m, t);
      if (!r) continue;
      const T = L[0] + L[1] + L[2] + L[3];
      const dl = r[0] * hFac / (GEOM.depthMm / 1000) * T / 2;   // to the rear when accelerating
      const dw = r[1] * hFac / (GEOM.widthMm / 1000) * T / 2;   // to one side in a turn
      L[0] = L[0] * (1 + r[2]) - dl - dw;
      L[1] = L[1] * (1 + r[2]) - dl + dw;
      L[2] = L[2] * (1 + r[2]) + dl - dw;
      L[3] = L[3] * (1 + r[2]) + dl + dw;
    }
    return L;
  }

  const P = 1 / cart.trueRate;
  const nSub = cart.rateHz === 10 ? 8 : 2;       // the converter integrates over its conversion time
  const out = [];
  const creep = base.map((b, i) => cart.cells[i].creepK * b);
  const wander = [0, 0, 0, 0];
  const fault = cart.fault;
  const nullLeft = [0, 0, 0, 0];
  let allLeft = 0, gapLeft = 0;
  const stats = { samples: 0, missing: 0, nulls: 0, spikes: 0, rails: 0 };
  const dur = plan.durationS;
  const driftNorm = 1 - Math.exp(-dur / cart.driftTau);
  let tPrev = -1;
  const t0 = rng.uniform(0.002, P);
  for (let k = 0; ; k++) {
    const tc = t0 + k * P;                      // end of this conversion
    if (tc > dur) break;
    // average the basket load over the conversion
    const Lavg = [0, 0, 0, 0];
    for (let s = 0; s < nSub; s++) {
      const L = loadsAt(tc - P + (s + 0.5) * P / nSub);
      for (let i = 0; i < 4; i++) Lavg[i] += L[i] / nSub;
    }
    const drift = (1 - Math.exp(-tc / cart.driftTau)) / driftNorm;
    const raw = [0, 0, 0, 0];
    for (let i = 0; i < 4; i++) {
      const c = cart.cells[i];
      creep[i] += (c.creepK * Lavg[i] - creep[i]) * (P / cart.creepTau);
      wander[i] += -wander[i] * P / c.wanderTau + c.wanderG * Math.sqrt(2 * P / c.wanderTau) * rng.normal();
      const g = Lavg[i] + nonlin(c, Lavg[i]) + creep[i] + c.driftG * drift + wander[i] + c.noiseG * rng.normal();
      let r = Math.round(c.offTrue + c.cpgTrue * g);
      raw[i] = Math.min(RAW_MAX, Math.max(RAW_MIN, r));
    }
    // faults: a missing sample (host missed it), failed reads, spikes
    if (gapLeft > 0) { gapLeft--; stats.missing++; continue; }
    if (rng.chance(fault.gapStart)) {
      // mostly 1-5 samples, sometimes 60-500 ms (the host was busy)
      gapLeft = rng.chance(0.8) ? rng.int(0, 4) : Math.max(1, Math.round(rng.uniform(0.06, 0.5) * cart.rateHz));
      stats.missing++;
      continue;
    }
    if (allLeft === 0 && rng.chance(fault.nullAll)) allLeft = rng.chance(0.6) ? 1 : rng.int(2, 8);
    const row = raw.slice();
    for (let i = 0; i < 4; i++) {
      if (nullLeft[i] === 0) {
        if (rng.chance(fault.nullBurst)) nullLeft[i] = rng.int(3, 15);
        else if (rng.chance(fault.nullSingle)) nullLeft[i] = 1;
      }
      if (allLeft > 0 || nullLeft[i] > 0) {
        row[i] = null; stats.nulls++;
        if (nullLeft[i] > 0) nullLeft[i]--;
        continue;
      }
      if (rng.chance(fault.spike)) {
        stats.spikes++;
        const kind = rng.next();
        if (kind < 0.35) { row[i] = rng.chance(0.5) ? RAW_MAX : RAW_MIN; stats.rails++; }
        else if (kind < 0.7) row[i] = raw[i] ^ (1 << rng.int(15, 22));       // a flipped bit
        else row[i] = raw[i] + rng.sign() * rng.int(20000, 3000000);         // a glitch
        row[i] = Math.min(RAW_MAX, Math.max(RAW_MIN, row[i]));
      }
    }
    if (allLeft > 0) allLeft--;
    // host timestamp: conversion end plus read latency jitter
    let t = tc + Math.abs(rng.gauss(0, cart.jitterS));
    t = Math.round(t * 10000) / 10000;
    if (t < tPrev) t = tPrev;
    tPrev = t;
    out.push({ t, raw: row });
    stats.samples++;
  }
  return { samples: out, stats };
}
