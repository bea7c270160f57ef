// From the planned trip to raw HX711 counts on four channels.
//
// Per conversion: the force on each corner cell, averaged over the
// conversion (the HX711 integrates; sub-sampled K times), then the cell and
// board errors (non-linearity, creep, temperature, warm-up, wander, noise),
// then the true gain and offset, 24-bit quantisation and clipping, then the
// read failures. Timestamps come from the board's own clock, a few percent
// off the header's rateHz, plus read jitter.
//
// Sign conventions: x left->right, y front->handle (metres); channels
// fl, fr, rl, rr sit at (0,0), (W,0), (0,D), (W,D). Vertical accelerations
// in units of g; horizontal ones in m/s^2.

import { GEOMETRY, CELL_FULL_SCALE_G } from './cart.mjs';
import { smoothstep } from './events.mjs';

const BW = GEOMETRY.widthMm / 1000;
const BD = GEOMETRY.depthMm / 1000;
const GRAV = 9.81;
const RAIL_HI = 8388607;   // 0x7FFFFF, HX711 positive saturation (datasheet)
const RAIL_LO = -8388608;  // 0x800000, negative saturation
const TWO_PI = 2 * Math.PI;
const REAR = [-1, -1, 1, 1];   // pitch / fore-aft weight transfer sign
const RIGHT = [-1, 1, -1, 1];  // roll / lateral transfer sign

/** bilinear share of a point load on the four corners */
function shares(x, y, out) {
  const u = Math.min(1, Math.max(0, x / BW));
  const v = Math.min(1, Math.max(0, y / BD));
  out[0] = (1 - u) * (1 - v); out[1] = u * (1 - v); out[2] = (1 - u) * v; out[3] = u * v;
}

// ------------------------------------------------------------------ units

function initUnit(u) {
  return {
    events: u.events, k: 0,
    st: { present: false, w: u.originalGrams, x: 0, y: 0 },
  };
}

function finishEvent(st, ev) {
  switch (ev.kind) {
    case 'land': st.present = true; st.x = ev.to.x; st.y = ev.to.y; break;
    case 'roll': case 'slide': case 'liftReturn': st.x = ev.to.x; st.y = ev.to.y; break;
    case 'lift': st.present = false; break;
    case 'partial': st.w -= ev.grams; break;
    default: break;
  }
}

/** the unit at time t: out.m static grams, out.d impact force, out.x/y */
function unitAt(us, t, out) {
  while (us.k < us.events.length && us.events[us.k].end <= t) finishEvent(us.st, us.events[us.k++]);
  const st = us.st;
  const ev = us.events[us.k];
  out.x = st.x; out.y = st.y; out.d = 0;
  if (!ev || t < ev.t0) { out.m = st.present ? st.w : 0; return; }
  const s = t - ev.t0;
  const w = st.w;
  switch (ev.kind) {
    case 'land': {
      out.x = ev.to.x; out.y = ev.to.y;
      if (ev.mode === 'place') {
        if (s < ev.dur) {
          const q = s / ev.dur;
          out.m = w * (smoothstep(q) + ev.wobble * Math.sin(TWO_PI * ev.wobbleHz * s) * Math.sin(Math.PI * q));
        } else {
          const q = Math.min(1, (s - ev.dur) / 0.18);
          out.m = w * (1 + ev.press * Math.sin(Math.PI * q));
        }
      } else {
        out.m = s < ev.stopT ? w * (s / ev.stopT) : w;
        if (s < ev.stopT) out.d += w * ev.peak * Math.sin(Math.PI * s / ev.stopT);
        if (s < 6 * ev.ringTau) out.d += w * ev.ringA * Math.exp(-s / ev.ringTau) * Math.sin(TWO_PI * ev.ringHz * s);
        if (ev.bounce) {
          const sb = s - ev.bounce.dt;
          if (sb >= 0 && sb < ev.stopT) out.d += w * ev.peak * ev.bounce.frac * Math.sin(Math.PI * sb / ev.stopT);
          if (sb >= 0 && sb < 6 * ev.ringTau) {
            out.d += w * ev.ringA * ev.bounce.frac * Math.exp(-sb / ev.ringTau) * Math.sin(TWO_PI * ev.ringHz * sb);
          }
        }
      }
      return;
    }
    case 'roll': {
      const q = smoothstep(Math.min(1, s / ev.dur));
      out.x = ev.from.x + (ev.to.x - ev.from.x) * q;
      out.y = ev.from.y + (ev.to.y - ev.from.y) * q;
      out.m = w;
      if (ev.thud && s >= ev.dur) {
        const sd = s - ev.dur;
        out.d = w * ev.thud.a * Math.exp(-sd / ev.thud.tau) * Math.sin(TWO_PI * ev.thud.hz * sd);
      }
      return;
    }
    case 'lift': {
      if (s < ev.grip) out.m = w * (1 + ev.press * Math.sin(Math.PI * s / ev.grip));
      else if (s < ev.grip + ev.dur) {
        const q = (s - ev.grip) / ev.dur;
        out.m = w * Math.max(0, 1 - smoothstep(q) + ev.wobble * Math.sin(TWO_PI * ev.wobbleHz * s) * Math.sin(Math.PI * q));
      } else out.m = 0;
      return;
    }
    case 'partial': {
      const q = Math.min(1, s / ev.dur);
      out.m = w - ev.grams * smoothstep(q)
        + (q < 1 ? w * ev.wobble * Math.sin(TWO_PI * ev.wobbleHz * s) * Math.sin(Math.PI * q) : 0);
      return;
    }
    case 'liftReturn': {
      const wob = (q) => w * ev.wobble * Math.sin(TWO_PI * ev.wobbleHz * s) * Math.sin(Math.PI * q);
      if (s < ev.up) { const q = s / ev.up; out.m = Math.max(0, w * (1 - smoothstep(q)) + wob(q)); }
      else if (s < ev.up + ev.hold) out.m = 0;
      else if (s < ev.up + ev.hold + ev.down) {
        const q = (s - ev.up - ev.hold) / ev.down;
        out.m = Math.max(0, w * smoothstep(q) + wob(q));
        out.x = ev.to.x; out.y = ev.to.y;
      } else {
        const sd = s - ev.up - ev.hold - ev.down;
        out.m = w; out.x = ev.to.x; out.y = ev.to.y;
        out.d = w * ev.thud.a * Math.exp(-sd / ev.thud.tau) * Math.sin(TWO_PI * ev.thud.hz * sd);
      }
      return;
    }
    case 'slide': {
      const q = Math.min(1, s / ev.dur);
      const e = smoothstep(q);
      out.x = ev.from.x + (ev.to.x - ev.from.x) * e;
      out.y = ev.from.y + (ev.to.y - ev.from.y) * e;
      out.m = w * (1 + (q < 1 ? ev.press * (0.5 + 0.5 * Math.sin(TWO_PI * ev.jerkHz * s)) * Math.sin(Math.PI * q) : 0));
      return;
    }
    default: out.m = st.present ? w : 0;
  }
}

// ------------------------------------------------------------------ hands

/** pre-draw the wandering part of a hand's force on a 100 Hz grid */
function initHand(h, rng) {
  const n = Math.ceil((h.t1 + h.offset - h.t0) * 100) + 2;
  const ou = new Float64Array(n);
  const a = Math.exp(-0.01 / h.ouTau);
  const s = h.ouSigma * Math.sqrt(1 - a * a);
  let v = rng.normal(0, h.ouSigma);
  for (let i = 0; i < n; i++) { ou[i] = v; v = a * v + s * rng.gauss(); }
  const sh = new Float64Array(4);
  shares(h.x, h.y, sh);
  return { ...h, ou, sh, ph1: rng.uniform(0, TWO_PI), ph2: rng.uniform(0, TWO_PI), end: h.t1 + h.offset };
}

function handAt(h, t) {
  if (t < h.t0 || t >= h.end) return 0;
  const s = t - h.t0;
  const env = t < h.t0 + h.onset ? smoothstep(s / h.onset)
    : t > h.t1 ? 1 - smoothstep((t - h.t1) / h.offset) : 1;
  const i = Math.min(h.ou.length - 2, Math.floor(s * 100));
  const f = s * 100 - i;
  const ou = h.ou[i] * (1 - f) + h.ou[i + 1] * f;
  const wiggle = ou + h.tremorAmp * Math.sin(TWO_PI * h.tremorHz * s + h.ph1)
    + h.breathAmp * Math.sin(TWO_PI * h.breathHz * s + h.ph2);
  return Math.max(0, h.grams * env * (1 + wiggle));
}

// ----------------------------------------------------------------- motion

function sines(rng, n, fLo, fHi, rms) {
  const comps = [];
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const a = rng.uniform(0.3, 1);
    comps.push({ f: rng.uniform(fLo, fHi), ph: rng.uniform(0, TWO_PI), a });
    sumSq += a * a / 2;
  }
  const k = rms / Math.sqrt(sumSq);
  for (const c of comps) c.a *= k;
  return comps;
}

function sumSines(comps, t) {
  let v = 0;
  for (const c of comps) v += c.a * Math.sin(TWO_PI * c.f * t + c.ph);
  return v;
}

/**
 * A push: frame and caster vibration (sum of sines, 4-22 Hz), a knock
 * at every tile joint, slower rocking from the shopper's gait, a lurch when
 * starting and stopping, sideways pull in turns.
 */
function initMotion(m, rng) {
  const imp = [];
  const tEnd = m.t0 + m.dur;
  let t = m.t0 + rng.uniform(0.1, 0.5);
  while (t < tEnd) {
    imp.push({ t, a: m.rms * rng.uniform(1, 3) * (rng.chance(0.5) ? 1 : -1), tau: rng.uniform(0.02, 0.06), hz: rng.uniform(12, 25) });
    t += (m.tilePitch / m.speed) * rng.uniform(0.8, 1.2);
  }
  return {
    ...m,
    z: sines(rng, 5, 4, 22, m.rms),
    pitch: sines(rng, 4, 3, 15, m.rms * rng.uniform(0.3, 0.7)),
    roll: sines(rng, 4, 3, 15, m.rms * rng.uniform(0.3, 0.7)),
    gait: { f: rng.uniform(1.6, 2.0), ph: rng.uniform(0, TWO_PI), a: rng.uniform(0.1, 0.35) },
    imp, ik: 0,
    ringHz: rng.uniform(6, 10), ringA: m.rms * rng.uniform(1, 2),
  };
}

/** accelerations from one push at t; adds into acc = {z, pitch, roll, x, y} */
function motionAt(m, t, acc) {
  if (t < m.t0 || t >= m.t1) return;
  const tEnd = m.t0 + m.dur;
  if (t < tEnd) {
    const env = smoothstep((t - m.t0) / 0.5) * (1 - smoothstep((t - (tEnd - 0.3)) / 0.3));
    acc.z += env * sumSines(m.z, t);
    acc.pitch += env * sumSines(m.pitch, t);
    acc.roll += env * sumSines(m.roll, t);
    while (m.ik < m.imp.length && m.imp[m.ik].t + 6 * m.imp[m.ik].tau < t) m.ik++;
    for (let i = m.ik; i < m.imp.length && m.imp[i].t <= t; i++) {
      const p = m.imp[i];
      const s = t - p.t;
      if (s < 6 * p.tau) acc.z += p.a * Math.exp(-s / p.tau) * Math.sin(TWO_PI * p.hz * s);
    }
    // fore-aft: start lurch, gait surges, stop lurch
    const s0 = t - m.t0;
    if (s0 < m.startLurch.dur) acc.x += m.startLurch.a * Math.sin(Math.PI * s0 / m.startLurch.dur);
    acc.x += env * m.gait.a * Math.sin(TWO_PI * m.gait.f * t + m.gait.ph);
    const s1 = t - (tEnd - m.stopLurch.dur);
    if (s1 >= 0) acc.x -= m.stopLurch.a * Math.sin(Math.PI * s1 / m.stopLurch.dur);
    for (const tu of m.turns) {
      const s2 = t - tu.t;
      if (s2 >= 0 && s2 < tu.dur) acc.y += tu.a * Math.sin(Math.PI * s2 / tu.dur);
    }
  } else {
    // stopped: the frame rings down
    const s = t - tEnd;
    acc.z += m.ringA * Math.exp(-s / (m.ringDown / 5)) * Math.sin(TWO_PI * m.ringHz * s);
  }
}

function bumpAt(b, t, acc) {
  const s = t - b.t;
  if (s < 0 || s > 6 * b.tau + 0.1) return;
  const v = b.amp * Math.exp(-s / b.tau) * Math.sin(TWO_PI * b.hz * s);
  acc.z += v;
  acc.pitch += 0.5 * v;
  acc.x += b.jolt * Math.exp(-s / 0.05);
}

/** a bag on the handle: frame flex step plus a dying swing */
function initBag(bag, motions) {
  const excite = [bag.t0];
  for (const m of motions) {
    const stop = m.t0 + m.dur;
    if (stop > bag.t0 && stop < bag.t1) excite.push(stop);
  }
  excite.sort((a, b) => a - b);
  return { ...bag, excite, moving: motions.filter((m) => m.t1 > bag.t0 && m.t0 < bag.t1).map((m) => [m.t0, m.t0 + m.dur]) };
}

function bagAt(b, t, out) {
  if (t < b.t0 || t >= b.t1) return;
  let last = b.t0;
  for (const e of b.excite) if (e <= t) last = e;
  let amp = b.swingG * Math.exp(-(t - last) / b.tau);
  for (const [a, z] of b.moving) if (t >= a && t < z) amp = b.swingG;
  const v = amp * Math.sin(TWO_PI * b.swingHz * t);
  for (let i = 0; i < 4; i++) {
    const k = REAR[i] > 0 ? 1 : -0.8;
    out[i] += k * (b.stepG + v);
  }
}

// ------------------------------------------------------------ environment

/**
 * Temperature of the cells over the trip: the cart comes in at T0 and
 * settles to the store's temperature (minutes), with dips in the chilled
 * aisles. The calibration was done at Tcal.
 */
export function makeEnvironment(rng, durationS) {
  const Tamb = rng.uniform(18, 23);
  const kind = rng.weighted([[15, 'cold'], [10, 'hot'], [75, 'inside']]);
  const T0 = kind === 'cold' ? Tamb - rng.uniform(4, 12) : kind === 'hot' ? Tamb + rng.uniform(4, 10) : Tamb + rng.uniform(-1.5, 1.5);
  const dips = [];
  const nd = rng.int(0, 2);
  for (let i = 0; i < nd; i++) {
    const a = rng.uniform(0, Math.max(1, durationS - 60));
    dips.push({ a, b: a + rng.uniform(30, 120), dT: rng.uniform(1, 4), tau: rng.uniform(60, 180) });
  }
  return {
    Tamb, T0, origin: kind, Tcal: Tamb + rng.normal(0, 1.5), tauT: rng.uniform(900, 2400), dips,
    floorRms: rng.uniform(0.04, 0.2),
  };
}

function temperature(env, t) {
  let T = env.Tamb + (env.T0 - env.Tamb) * Math.exp(-t / env.tauT);
  for (const d of env.dips) {
    if (t < d.a) continue;
    const atB = d.dT * (1 - Math.exp(-(d.b - d.a) / d.tau));
    T -= t < d.b ? d.dT * (1 - Math.exp(-(t - d.a) / d.tau)) : atB * Math.exp(-(t - d.b) / d.tau);
  }
  return T;
}

// ------------------------------------------------------------------ faults

function poissonCount(rng, mean) {
  let k = 0, p = Math.exp(-mean), s = p;
  const u = rng.next();
  while (u > s && k < 1000) { k++; p *= mean / k; s += p; }
  return k;
}

/**
 * Read failures as intervals: one channel silent (a read timed out, its
 * DOUT never went low), all channels silent (the sampling task starved or
 * the board browned out when the scanner beeped), one channel stuck at a
 * rail (an open input saturates the HX711: a loose wire, more likely when
 * the cart shakes), and gaps where the logger dropped whole samples.
 */
function makeFaultPlan(rng, f, durationS, motions) {
  const mins = durationS / 60;
  const iv = (perMin, lo, hi) => {
    const out = [];
    const n = poissonCount(rng, perMin * mins);
    for (let i = 0; i < n; i++) {
      const a = rng.uniform(0, durationS);
      out.push({ a, b: a + rng.uniform(lo, hi), ch: rng.int(0, 3), hi: rng.chance(0.5) });
    }
    return out.sort((x, y) => x.a - y.a);
  };
  const rails = iv(f.railBurstPerMin, 0.02, 0.5);
  // loose wires fail when shaken: move most rail bursts into pushes
  for (const r of rails) {
    if (motions.length && rng.chance(0.6)) {
      const m = rng.pick(motions);
      const len = r.b - r.a;
      r.a = rng.uniform(m.t0, m.t0 + m.dur);
      r.b = r.a + len;
    }
  }
  return {
    chNull: iv(f.burstPerMin, 0.05, 2.0),
    allNull: iv(f.allNullPerMin, 0.1, 1.5),
    rails: rails.sort((x, y) => x.a - y.a),
    gaps: iv(f.gapPerMin, 0.05, 0.4),
  };
}

function inAny(list, t) {
  for (const x of list) if (t >= x.a && t < x.b) return x;
  return null;
}

// ------------------------------------------------------------------ render

/**
 * Render the ADC stream. Returns [{t, raw:[4]}] in time order.
 */
export function renderAdc(rng, plan, cart, env, durationS) {
  const rate = cart.rateHz * (1 + cart.clockErr);
  const P = 1 / rate;
  const K = cart.rateHz === 80 ? 4 : 10; // sub-samples per conversion
  const units = plan.units.map(initUnit);
  const hands = plan.hands.map((h) => initHand(h, rng.fork(`hand-${h.index}`)));
  const motions = plan.motions.map((m) => initMotion(m, rng.fork(`motion-${m.index}`)));
  const bags = plan.bags.map((b) => initBag(b, plan.motions));
  const bumps = plan.bumps.slice().sort((a, b) => a.t - b.t);
  const faults = makeFaultPlan(rng.fork('faults'), cart.faults, durationS, plan.motions);
  const nr = rng.fork('noise');
  const fr = rng.fork('fault-draws');
  const cr = rng.fork('clock');
  const cells = cart.cells;
  const tare = cart.tareG;
  const h = cart.cogHeightM;

  const out = [];
  const sh = new Float64Array(4);
  const uo = { m: 0, d: 0, x: 0, y: 0 };
  const acc = { z: 0, pitch: 0, roll: 0, x: 0, y: 0 };
  const stat = new Float64Array(4);
  const dyn = new Float64Array(4);
  const avg = new Float64Array(4);
  const staticNow = new Float64Array(4);
  const creep = new Float64Array(4);
  const wander = new Float64Array(4);
  const driftAmp = cr.uniform(0.0005, 0.003);       // oscillator drift with temperature
  const driftPeriod = cr.uniform(200, 900);
  const driftPh = cr.uniform(0, TWO_PI);
  let tIdeal = cr.uniform(0, P);
  let lastStamp = -1;

  /** force on each cell at time t, static part separately */
  const forces = (t, total, statOut) => {
    stat.fill(0); dyn.fill(0);
    for (const us of units) {
      unitAt(us, t, uo);
      if (uo.m === 0 && uo.d === 0) continue;
      shares(uo.x, uo.y, sh);
      for (let i = 0; i < 4; i++) { stat[i] += uo.m * sh[i]; dyn[i] += uo.d * sh[i]; }
    }
    for (const hd of hands) {
      if (t < hd.t0 || t >= hd.end) continue;
      const g = handAt(hd, t);
      for (let i = 0; i < 4; i++) stat[i] += g * hd.sh[i];
    }
    for (const b of bags) bagAt(b, t, stat);
    acc.z = 0; acc.pitch = 0; acc.roll = 0; acc.x = 0; acc.y = 0;
    for (const m of motions) motionAt(m, t, acc);
    for (const b of bumps) { if (b.t > t) break; bumpAt(b, t, acc); }
    let mtot = 0;
    for (let i = 0; i < 4; i++) mtot += tare[i] + stat[i];
    const fx = acc.x * h / (GRAV * BD) / 2;
    const fy = acc.y * h / (GRAV * BW) / 2;
    for (let i = 0; i < 4; i++) {
      const a = acc.z + REAR[i] * acc.pitch + RIGHT[i] * acc.roll;
      total[i] += stat[i] + dyn[i] + (tare[i] + stat[i]) * a + mtot * (REAR[i] * fx + RIGHT[i] * fy);
      if (statOut) statOut[i] = stat[i];
    }
  };

  while (tIdeal <= durationS) {
    // the conversion ends at tIdeal and integrates the period before it
    avg.fill(0);
    for (let j = 0; j < K; j++) {
      const ts = tIdeal - P * (K - j - 0.5) / K;
      forces(Math.max(0, ts), avg, j === K - 1 ? staticNow : null);
    }
    for (let i = 0; i < 4; i++) avg[i] /= K;

    const T = temperature(env, tIdeal);
    const dT = T - env.Tcal;
    const raw = new Array(4);
    for (let i = 0; i < 4; i++) {
      const c = cells[i];
      creep[i] += (c.creep * staticNow[i] - creep[i]) * (1 - Math.exp(-P / c.creepTauS));
      const aw = Math.exp(-P / 3);
      wander[i] = aw * wander[i] + c.wanderG * Math.sqrt(1 - aw * aw) * nr.gauss();
      const x = avg[i] / CELL_FULL_SCALE_G;
      const grams = avg[i]
        + c.nonlinG * 4 * x * (1 - x)
        + creep[i]
        + (c.zeroTcG + c.hx711OffsetTcG) * dT
        + c.warmupG * (1 - Math.exp(-tIdeal / c.warmupTauS))
        + wander[i]
        + c.noiseG * nr.gauss();
      let counts = Math.round(c.trueOffset + c.trueCpg * (1 + c.spanTc * dT) * grams);
      raw[i] = Math.max(RAIL_LO, Math.min(RAIL_HI, counts));
    }
    applyFaults(raw, tIdeal, faults, cart.faults, fr);

    // the stamp: when the driver read it, a little after the conversion
    let stamp = tIdeal + 0.0004 + Math.abs(cr.normal(0, 0.00025));
    if (cr.chance(cart.faults.lateP)) stamp += cr.uniform(0.002, 0.008);
    if (stamp < lastStamp + 0.0002) stamp = lastStamp + 0.0002;
    if (!inAny(faults.gaps, tIdeal) && stamp <= durationS) {
      out.push({ t: Math.round(stamp * 10000) / 10000, raw });
      lastStamp = stamp;
    }
    tIdeal += P * (1 + driftAmp * Math.sin(TWO_PI * tIdeal / driftPeriod + driftPh));
  }
  return { samples: out, faults, rate };
}

function applyFaults(raw, t, faults, f, rng) {
  if (inAny(faults.allNull, t)) { raw.fill(null); return; }
  for (const x of faults.chNull) if (t >= x.a && t < x.b) raw[x.ch] = null;
  for (const x of faults.rails) if (t >= x.a && t < x.b) raw[x.ch] = x.hi ? RAIL_HI : RAIL_LO;
  for (let i = 0; i < 4; i++) {
    if (raw[i] === null) continue;
    const u = rng.next();
    if (u < f.nullP) raw[i] = null;
    else if (u < f.nullP + f.spikeP) raw[i] = corrupt(raw[i], rng);
    else if (u < f.nullP + f.spikeP + f.railP) raw[i] = rng.chance(0.5) ? RAIL_HI : RAIL_LO;
  }
}

/** a word read wrong: a flipped bit, or DOUT stuck high/low (-1 or 0) */
function corrupt(v, rng) {
  const kind = rng.weighted([[6, 'bit'], [2, 'ones'], [2, 'zeros']]);
  if (kind === 'ones') return -1;   // 0xFFFFFF as 24-bit two's complement
  if (kind === 'zeros') return 0;
  const bit = rng.int(10, 22);
  const u24 = (v & 0xffffff) ^ (1 << bit);
  return u24 & 0x800000 ? u24 - 0x1000000 : u24;
}
