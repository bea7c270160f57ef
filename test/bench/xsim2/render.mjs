// xsim2 renderer: turns a plan into cart-trace v1 lines (header, adc, serial,
// button). Physics and sensor imperfections; numbers are listed in README.md.
import { Rng, clamp, smooth, r4 } from './lib.mjs';
import { CATALOG } from './plan.mjs';
import { headerCatalog } from './catalog.mjs';

const G = 9.81;
const RAIL_HI = 8388607, RAIL_LO = -8388608;
const FS_G = 40000;        // cell capacity (g) used for the nonlinearity shape
const GRID_HZ = 400;       // grid of the cart-dynamics simulation
const GS = '\u001d';

// basket corner split: u 0=left..1=right, v 0=front..1=rear; order fl fr rl rr
function corners(u, v, out, wgt) {
  out[0] += wgt * (1 - u) * (1 - v);
  out[1] += wgt * u * (1 - v);
  out[2] += wgt * (1 - u) * v;
  out[3] += wgt * u * v;
}
const SP = [-1, -1, 1, 1]; // pitch sign (rear +)
const SR = [-1, 1, -1, 1]; // roll sign (right +)

function objWeightFrac(o, t) {
  if (t < o.tIn) return 0;
  const tau = t - o.tIn;
  let f;
  if (o.add.kind === 'drop') {
    const w = 2 * Math.PI * o.add.f;
    f = 1 + o.add.A * Math.exp(-o.add.z * w * tau) * Math.cos(w * tau);
    if (f < 0) f = 0;
  } else {
    const d = o.add.d;
    if (tau < d) { const x = tau / d; f = smooth(x) + o.add.press * Math.sin(Math.PI * x) ** 2; }
    else { const x = tau - d; f = 1 + 0.03 * Math.exp(-4 * x) * Math.cos(2 * Math.PI * 5 * x); }
  }
  if (o.tOut !== null) {
    const pre = 0.25;
    if (t >= o.tOut - pre && t < o.tOut) f += o.out.press * Math.sin(Math.PI * (t - o.tOut + pre) / pre);
    else if (t >= o.tOut) f *= 1 - smooth((t - o.tOut) / o.out.d);
  }
  let w = o.w;
  for (const pr of o.partial) if (t > pr.t0) w -= pr.dw * smooth((t - pr.t0) / pr.d);
  return f * w;
}
function objPos(o, t) {
  let u = o.u0, v = o.v0;
  for (const m of o.moves) {
    if (t <= m.t0) break;
    const x = smooth((t - m.t0) / (m.t1 - m.t0));
    u = u + (m.u1 - u) * x; v = v + (m.v1 - v) * x;
  }
  return [u, v];
}
function transientLoad(x, t) {
  if (t < x.t0 || t > x.t1) return 0;
  const env = smooth((t - x.t0) / 0.15) * smooth((x.t1 - t) / 0.15);
  const tau = t - x.t0;
  if (x.kind === 'hand') return x.amp * env * (1 + 0.06 * Math.sin(2 * Math.PI * x.trem * tau + x.ph) + 0.12 * Math.sin(2 * Math.PI * 0.7 * tau + x.ph * 2));
  return x.amp * env * (1 + 0.25 * Math.exp(-0.8 * tau) * Math.sin(2 * Math.PI * x.trem * tau + x.ph));
}

export function render(plan) {
  const R = new Rng('xsim2-render', plan.seed, plan.idx);
  const dur = plan.dur;
  // --- the cart: calibration as stored vs the truth -------------------------
  const cal = [], cells = [];
  for (let i = 0; i < 4; i++) {
    const sign = R.chance(0.25) ? -1 : 1;
    const cpg = Math.round(sign * R.range(85, 120) * 1000) / 1000;
    const offset = Math.round(R.range(-450000, 450000));
    cal.push({ offset, countsPerGram: cpg });
    cells.push({
      cpgTrue: cpg * (1 + R.range(-0.0015, 0.0015)),
      offTrue: offset + cpg * R.range(-15, 15),
      sigma: R.range(0.8, 2.0),
      nl: R.sign() * R.range(0.0002, 0.0005),
      c1: R.range(0.0001, 0.0003), tau1: R.range(15, 40),
      c2: R.range(0.0003, 0.0008), tau2: R.range(300, 900),
      tc: R.sign() * R.range(0.4, 2.0),         // g per degC, zero drift
      dA: R.range(1, 5), dP: R.range(90, 500), dPh: R.range(0, 6.28), dRamp: R.range(-6, 6),
      tare: R.range(700, 1100),
      cr1: 0, cr2: 0,
    });
  }
  const temp = { a1: R.range(0.3, 1.5), p1: R.range(80, 250), ph1: R.range(0, 6.28), a2: R.range(0.2, 1.0), p2: R.range(250, 600), ph2: R.range(0, 6.28), ramp: R.range(-2, 2) };
  const tempAt = (t) => temp.a1 * Math.sin(2 * Math.PI * t / temp.p1 + temp.ph1) + temp.a2 * Math.sin(2 * Math.PI * t / temp.p2 + temp.ph2) + temp.ramp * t / dur;
  const driftAt = (c, t) => c.tc * tempAt(t) + c.dA * Math.sin(2 * Math.PI * t / c.dP + c.dPh) + c.dRamp * t / dur;
  const hD = 0.15 / (plan.geometry.depthMm / 1000), hW = 0.15 / (plan.geometry.widthMm / 1000);

  // --- cart dynamics on a grid -------------------------------------------------
  const N = Math.ceil(dur * GRID_HZ) + 2, dt = 1 / GRID_HZ;
  const env = new Float64Array(N);
  for (const m of plan.motions) {
    const i0 = Math.max(0, Math.floor(m.t0 * GRID_HZ)), i1 = Math.min(N - 1, Math.ceil(m.t1 * GRID_HZ));
    for (let i = i0; i <= i1; i++) { const t = i * dt; env[i] = Math.max(env[i], smooth((t - m.t0) / 1.0) * smooth((m.t1 - t) / 1.0) * m.speed); }
  }
  const dof = [
    { f: R.range(9, 14), z: R.range(0.1, 0.2), rms: R.range(0.04, 0.12) },  // heave, fraction of g
    { f: R.range(6, 10), z: R.range(0.1, 0.2), rms: R.range(0.02, 0.06) },  // pitch
    { f: R.range(5, 9), z: R.range(0.1, 0.2), rms: R.range(0.02, 0.05) },   // roll
  ];
  const kicks = [[], [], []]; // [gridIndex, amplitude]
  for (const m of plan.motions) {
    let t = m.t0 + 0.5;
    while (t < m.t1 - 0.5) { // floor tile joints
      kicks[0].push([Math.round(t * GRID_HZ), R.range(0.03, 0.12)]);
      if (R.chance(0.5)) kicks[1].push([Math.round(t * GRID_HZ), R.range(0.01, 0.05) * R.sign()]);
      t += (m.tile / m.speed) * R.range(0.9, 1.1);
    }
    for (const b of m.bumps) { // threshold, cable cover, dropped item on the floor
      const gi = Math.round(b.t * GRID_HZ);
      kicks[0].push([gi, b.a]); kicks[1].push([gi, b.a * R.range(-0.6, 0.6)]); kicks[2].push([gi, b.a * R.range(-0.5, 0.5)]);
    }
  }
  for (const b of plan.bumps) { // another cart runs into this one
    const gi = Math.round(b.t * GRID_HZ);
    kicks[0].push([gi, b.heave]); kicks[1].push([gi, b.pitch]); kicks[2].push([gi, b.roll]);
  }
  const acc = dof.map((d, k) => {
    const w = 2 * Math.PI * d.f;
    const white = new Float64Array(N);
    for (let i = 0; i < N; i++) white[i] = env[i] > 0 ? R.normal() : 0;
    const run = (gain, withKicks) => {
      const out = new Float64Array(N); let x = 0, v = 0;
      const kk = withKicks ? new Map(kicks[k].map(([i, a]) => [i, a])) : null;
      for (let i = 0; i < N; i++) {
        if (kk && kk.has(i)) v += kk.get(i) * w;
        const a = gain * white[i] * env[i] - 2 * d.z * w * v - w * w * x;
        v += a * dt; x += v * dt; out[i] = x;
      }
      return out;
    };
    const probe = run(1, false);
    let s2 = 0, n = 0;
    for (let i = 0; i < N; i++) if (env[i] > 0.8) { s2 += probe[i] * probe[i]; n++; }
    const gain = n ? d.rms / Math.sqrt(s2 / n) : 0;
    return run(gain, true);
  });
  const axAt = (t) => {
    for (const m of plan.motions) {
      if (t < m.t0 || t > m.t1) continue;
      let a = 0;
      if (t < m.t0 + 1.0) a += m.accel * Math.sin(Math.PI * (t - m.t0) / 1.0);
      if (t > m.t1 - 1.0) a -= m.decel * Math.sin(Math.PI * (m.t1 - t) / 1.0);
      a += 0.15 * Math.sin(2 * Math.PI * 1.8 * t) * smooth((t - m.t0) / 1) * smooth((m.t1 - t) / 1); // gait
      return a;
    }
    return 0;
  };
  const ayAt = (t) => {
    for (const m of plan.motions) {
      if (t < m.t0 || t > m.t1) continue;
      for (const tr of m.turns) if (t >= tr.t0 && t <= tr.t1) return tr.ay * Math.sin(Math.PI * (t - tr.t0) / (tr.t1 - tr.t0));
    }
    return 0;
  };
  const shoveAt = (t) => { // horizontal shove of a cart collision: load shifts left/right briefly
    let s = 0;
    for (const b of plan.bumps) { const x = t - b.t; if (x >= 0 && x < 1.5) s += b.shove * Math.exp(-4 * x) * Math.sin(2 * Math.PI * 3 * x); }
    return s;
  };
  const gridAt = (arr, t) => { const x = t * GRID_HZ; const i = Math.floor(x); if (i < 0 || i >= N - 1) return 0; const f = x - i; return arr[i] * (1 - f) + arr[i + 1] * f; };

  const objs = plan.objs;

  // --- sampling ---------------------------------------------------------------
  const rate = plan.rateHz * (1 + R.sign() * R.range(0.01, 0.04));
  const Tc = 1 / rate;
  const nSub = plan.rateHz === 80 ? 4 : 12;
  const static4 = [0, 0, 0, 0];
  const gapBursts = [], nullBursts = [], allNullBursts = [];
  for (let i = R.int(0, 2); i > 0; i--) { const t = R.range(5, dur - 5); gapBursts.push([t, t + R.range(0.1, 0.6)]); }
  for (let i = R.int(0, 2); i > 0; i--) { const t = R.range(5, dur - 5); nullBursts.push([t, t + R.range(0.05, 1.5), R.int(0, 3)]); }
  if (R.chance(0.5)) { const t = R.range(5, dur - 5); allNullBursts.push([t, t + R.range(0.1, 0.5)]); }
  const inB = (bs, t) => bs.some((b) => t >= b[0] && t <= b[1]);

  const adc = [];
  let tPrev = -1, tSub = 0;
  const t0 = R.range(0.0, 0.02);
  const acc4 = [0, 0, 0, 0];
  for (let k = 0; ; k++) {
    let t = t0 + k * Tc + R.normal() * 0.00025 + (R.chance(0.01) ? R.range(0.001, 0.008) : 0);
    if (t < tPrev) t = tPrev;
    t = r4(t);
    if (t > dur) break;
    tPrev = t;
    // HX711 conversion: average of the input over the conversion period
    acc4.fill(0);
    for (let j = 0; j < nSub; j++) {
      const ts = t - Tc + (j + 1) * Tc / nSub;
      const dts = Math.max(0, ts - tSub); tSub = Math.max(tSub, ts);
      static4.fill(0);
      let tot = 0;
      for (const o of objs) {
        if (ts < o.tIn) continue;
        if (o.tOut !== null && ts > o.tOut + o.out.d) continue;
        const w = objWeightFrac(o, ts);
        if (w === 0) continue;
        const [u, v] = objPos(o, ts);
        corners(u, v, static4, w);
      }
      for (const x of plan.transients) { const w = transientLoad(x, ts); if (w) corners(x.u, x.v, static4, w); }
      for (let i = 0; i < 4; i++) tot += static4[i] + cells[i].tare;
      const hv = gridAt(acc[0], ts), pt = gridAt(acc[1], ts), rl = gridAt(acc[2], ts);
      const ax = axAt(ts), ay = ayAt(ts) + shoveAt(ts);
      for (let i = 0; i < 4; i++) {
        const c = cells[i];
        const L = static4[i];
        // creep of the cell under its (static) load: two first-order terms
        c.cr1 += (c.c1 * L - c.cr1) * (1 - Math.exp(-dts / c.tau1));
        c.cr2 += (c.c2 * L - c.cr2) * (1 - Math.exp(-dts / c.tau2));
        const dyn = (L + c.tare) * (hv + SP[i] * pt + SR[i] * rl) + tot * (SP[i] * ax * hD + SR[i] * ay * hW) / (2 * G);
        const Ld = L + dyn;
        acc4[i] += Ld + 4 * c.nl * Ld * (1 - Ld / FS_G) + c.cr1 + c.cr2;
      }
    }
    // sample lost on the bus
    if (R.chance(0.002) || inB(gapBursts, t)) continue;
    const raw = [0, 0, 0, 0];
    const allNull = R.chance(0.0003) || inB(allNullBursts, t);
    for (let i = 0; i < 4; i++) {
      const c = cells[i];
      const grams = acc4[i] / nSub + driftAt(c, t) + R.normal() * c.sigma;
      let x = Math.round(c.offTrue + c.cpgTrue * grams);
      if (R.chance(0.0003)) { // glitches
        const kind = R.weighted([['rail', 0.4], ['bit', 0.4], ['ones', 0.2]]);
        if (kind === 'rail') x = R.chance(0.5) ? RAIL_HI : RAIL_LO;
        else if (kind === 'bit') x = ((x & 0xffffff) ^ (1 << R.int(17, 22))) << 8 >> 8;
        else x = -1;
      }
      x = clamp(x, RAIL_LO, RAIL_HI);
      const isNull = allNull || R.chance(0.0008) || nullBursts.some((b) => b[2] === i && t >= b[0] && t <= b[1]);
      raw[i] = isNull ? null : x;
    }
    adc.push(`{"t":${t},"kind":"adc","raw":[${raw.map((x) => (x === null ? 'null' : x)).join(',')}]}`);
    adc.push(t);
  }

  // --- scanner bytes -----------------------------------------------------------
  const sfx = { CR: '\r', LF: '\n', CRLF: '\r\n' }[plan.scanner.suffix];
  const aim = plan.scanner.aim;
  const yymmdd = () => '26' + String(R.int(1, 12)).padStart(2, '0') + String(R.int(1, 28)).padStart(2, '0');
  const frame = (s) => {
    let body;
    if (s.p) {
      const raw = s.p._raw;
      switch (s.p._code) {
        case 'ean13': body = (aim ? ']E0' : '') + raw; break;
        case 'ean8': body = (aim ? ']E4' : '') + raw; break;
        case 'upca': body = aim ? ']E00' + raw : raw; break;
        case 'itf14':
          if (!aim) body = raw;
          else if (R.chance(0.5)) body = ']I1' + raw;
          else body = ']C1' + '01' + raw + '10' + 'L' + String(R.int(1000, 99999)) + GS + '17' + yymmdd();
          break;
        case 'dbar': {
          const g = Math.round(s.bagGrams ?? s.p.grams);
          body = aim ? ']e0' + '01' + raw + '3103' + String(g).padStart(6, '0') + (R.chance(0.3) ? '3922' + String(Math.round(s.p.priceCents * g / 1000)) : '') : raw;
          break;
        }
      }
    } else {
      const c = s.code;
      body = (aim ? (c.sym === 'ean13' ? ']E0' : ']C0') : '') + c.data;
    }
    return body + sfx;
  };
  const ev = []; // [t, line]
  const serialLine = (t, data) => ev.push([t, JSON.stringify({ t, kind: 'serial', data })]);
  for (const s of plan.scans) {
    const one = frame(s);
    let data = one;
    if (s.dup && s.dup.dt === 0) data = one + frame(s);
    const pieces = [];
    const split = R.weighted([[1, 0.65], [2, 0.27], [3, 0.08]]);
    if (split === 1 || data.length < 4) pieces.push(data);
    else {
      const cuts = [];
      while (cuts.length < split - 1) { const c = R.int(1, data.length - 1); if (!cuts.includes(c)) cuts.push(c); }
      cuts.sort((a, b) => a - b);
      let p0 = 0; for (const c of cuts) { pieces.push(data.slice(p0, c)); p0 = c; } pieces.push(data.slice(p0));
    }
    let t = s.t;
    for (const pc of pieces) { serialLine(r4(t), pc); t += R.range(0.002, 0.04); }
    if (s.dup && s.dup.dt > 0) serialLine(r4(s.t + s.dup.dt), frame(s));
  }
  for (const b of plan.buttons) {
    ev.push([b.t, JSON.stringify({ t: b.t, kind: 'button', name: b.name, pressed: true })]);
    const t2 = r4(b.t + b.hold);
    ev.push([t2, JSON.stringify({ t: t2, kind: 'button', name: b.name, pressed: false })]);
  }
  ev.sort((a, b) => a[0] - b[0]);

  // --- header and merge -------------------------------------------------------
  const cat = R.shuffle(headerCatalog(CATALOG));
  const header = { kind: 'header', format: 'cart-trace', version: 1, cart: 'xsim2-' + String(plan.cartNo).padStart(2, '0'),
    rateHz: plan.rateHz, channels: ['fl', 'fr', 'rl', 'rr'], geometry: plan.geometry, calibration: cal, catalog: cat,
    generator: 'xsim2' };
  const out = [JSON.stringify(header)];
  let e = 0;
  for (let i = 0; i < adc.length; i += 2) {
    const t = adc[i + 1];
    while (e < ev.length && ev[e][0] < t) out.push(ev[e++][1]);
    out.push(adc[i]);
  }
  while (e < ev.length) out.push(ev[e++][1]);
  return { text: out.join('\n') + '\n', cells, rate };
}
