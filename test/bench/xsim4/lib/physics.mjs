// The basket as a rigid plate on four load cells, and what pushes on it.
//
// Positions are normalised: u from the left cell line (0) to the right one (1), v from the
// front (0) to the rear, handle side (1). A point load m at (u, v) on a rigid plate on four
// corner supports is shared bilinearly: fl (1-u)(1-v), fr u(1-v), rl (1-u)v, rr uv (this
// sums to m and keeps the moments; statics of a plate on 4 supports, taking the
// statically indeterminate part as equal shares).
//
// Forces are in grams-force. Dynamic effects of the moving cart (accelerations in units of
// g) act on the whole mass on the cells, tare included:
//  - vertical acceleration az scales every corner by (1 + az);
//  - a forward acceleration ax with the load's centre of mass at height h above the cells
//    moves M*ax*h/D from the front pair to the rear pair (D = cell spacing front to rear);
//  - a lateral acceleration ay (turning) moves M*ay*h/W from one side to the other;
//  - standing on a slope (pitch p, roll r) multiplies the normal load by cos p cos r and
//    shifts M*sin(p)*h/D to the low end. The total changes only by the cosine.
// Evaluation times must increase monotonically (cursors, and the AR vibration state).

const TWO_PI = 2 * Math.PI;

function smooth(x) { return x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x); }

/** add a point load to corner array L (fl, fr, rl, rr) */
function addAt(L, m, u, v) {
  L[0] += m * (1 - u) * (1 - v);
  L[1] += m * u * (1 - v);
  L[2] += m * (1 - u) * v;
  L[3] += m * u * v;
}

/** items active in a time window, for lists sorted by t0 with an end time t1 */
class Window {
  constructor(items) { this.items = [...items].sort((a, b) => a.t0 - b.t0); this.next = 0; this.active = []; }
  at(t) {
    while (this.next < this.items.length && this.items[this.next].t0 <= t) this.active.push(this.items[this.next++]);
    if (this.active.length) this.active = this.active.filter((x) => x.t1 >= t);
    return this.active;
  }
}

export class Scene {
  constructor(cart, plan, vibRng) {
    this.D = cart.geometry.depthMm / 1000;
    this.W = cart.geometry.widthMm / 1000;
    this.h = cart.comHeight;
    this.tare = [0, 0, 0, 0];
    addAt(this.tare, cart.tare.grams, cart.tare.u, cart.tare.v);
    this.units = plan.units.map((u) => ({ ...u, k: 0, m: 0, u: u.segs.length ? u.segs[0].u0 : 0.5, v: u.segs.length ? u.segs[0].v0 : 0.5 }));
    this.hands = new Window(plan.hands);
    this.transients = new Window(plan.transients);
    this.motions = [...plan.motions].sort((a, b) => a.t0 - b.t0);
    this.mi = 0;
    this.tilts = plan.tilts;
    this.ti = 0;
    this.pitch = 0; this.roll = 0;
    this.rng = vibRng;
    this.ar = 0;
    this.lastT = -1;
  }

  unitMass(unit, t) {
    const segs = unit.segs;
    while (unit.k < segs.length && segs[unit.k].t1 <= t) {
      const s = segs[unit.k++];
      unit.m = s.m1; unit.u = s.u1; unit.v = s.v1;
    }
    let m = unit.m;
    if (unit.k < segs.length && segs[unit.k].t0 <= t) {
      const s = segs[unit.k];
      const x = (t - s.t0) / (s.t1 - s.t0);
      const e = smooth(x);
      const bump = Math.sin(Math.PI * x);
      m = s.m0 + (s.m1 - s.m0) * e + (s.press || 0) * bump + (s.tremor ? s.tremor * bump * Math.sin(TWO_PI * s.tf * t + s.ph) : 0);
      unit.cu = s.u0 + (s.u1 - s.u0) * e;
      unit.cv = s.v0 + (s.v1 - s.v0) * e;
    } else {
      unit.cu = unit.u; unit.cv = unit.v;
    }
    // frozen goods pick up condensation once they lie in warm air
    if (unit.cond && t > unit.cond.t0 && unit.m > 0) {
      m += unit.cond.grams * (1 - Math.exp(-(t - unit.cond.t0) / unit.cond.tau)) * Math.min(1, m / unit.mass);
    }
    return m;
  }

  motionAt(t, out) {
    // out = [az, ax, ay]
    out[0] = 0; out[1] = 0; out[2] = 0;
    while (this.mi < this.motions.length && this.motions[this.mi].t1 + this.motions[this.mi].settle < t) this.mi++;
    const mo = this.motions[this.mi];
    const dt = this.lastT < 0 ? 0.003 : Math.max(1e-4, t - this.lastT);
    this.lastT = t;
    if (!mo || t < mo.t0) { this.ar = 0; return; }
    const tau = t - mo.t0;
    if (t <= mo.t1) {
      // speed envelope: push off, cruise, brake
      let sp = 1;
      if (tau < mo.ta) sp = smooth(tau / mo.ta);
      if (t > mo.t1 - mo.td) sp = Math.min(sp, smooth((mo.t1 - t) / mo.td));
      if (tau < mo.ta) out[1] += mo.A * Math.sin(Math.PI * tau / mo.ta);
      if (t > mo.t1 - mo.td) out[1] -= mo.Dc * Math.sin(Math.PI * (t - (mo.t1 - mo.td)) / mo.td);
      // floor vibration: AR(1) broadband (correlation 12 ms) + tile joints + caster flutter
      const rho = Math.exp(-dt / 0.012);
      this.ar = rho * this.ar + Math.sqrt(1 - rho * rho) * this.rng.gauss();
      out[0] += sp * mo.aRms * (0.8 * this.ar + mo.tileAmp * Math.sin(TWO_PI * mo.tileF * t + mo.tilePh) + mo.casterAmp * Math.sin(TWO_PI * mo.casterF * t + mo.casterPh));
      for (const tr of mo.turns) {
        if (t >= tr.t0 && t <= tr.t0 + tr.dur) out[2] += tr.a * Math.sin(Math.PI * (t - tr.t0) / tr.dur);
      }
      for (const b of mo.bumps) {
        const x = t - b.t0;
        if (x >= 0 && x * b.sigma < 8) out[0] += b.amp * Math.exp(-b.sigma * x) * Math.sin(b.omega * x);
      }
    } else {
      this.ar = 0;
      const x = t - mo.t1;
      out[0] += mo.stopAmp * Math.exp(-mo.stopSigma * x) * Math.sin(mo.stopOmega * x);
    }
  }

  tiltAt(t) {
    while (this.ti < this.tilts.length && this.tilts[this.ti].t1 <= t) {
      this.pitch = this.tilts[this.ti].pitch; this.roll = this.tilts[this.ti].roll; this.ti++;
    }
    if (this.ti < this.tilts.length && this.tilts[this.ti].t0 <= t) {
      const s = this.tilts[this.ti];
      const e = smooth((t - s.t0) / (s.t1 - s.t0));
      return [this.pitch + (s.pitch - this.pitch) * e, this.roll + (s.roll - this.roll) * e];
    }
    return [this.pitch, this.roll];
  }

  /** grams-force on the four corners (fl, fr, rl, rr) at time t, tare included */
  corners(t, L) {
    L[0] = this.tare[0]; L[1] = this.tare[1]; L[2] = this.tare[2]; L[3] = this.tare[3];
    for (const unit of this.units) {
      if (unit.segs.length === 0 || t < unit.segs[0].t0) continue;
      const m = this.unitMass(unit, t);
      if (m !== 0) addAt(L, m, unit.cu, unit.cv);
    }
    for (const hd of this.hands.at(t)) {
      const x = t - hd.t0;
      const env = Math.min(smooth(x / hd.ramp), smooth((hd.t1 - t) / hd.ramp));
      const f = hd.F * env * (1 + hd.sway * Math.sin(TWO_PI * hd.swayF * t + hd.swayPh) + hd.trem * Math.sin(TWO_PI * hd.tremF * t + hd.tremPh));
      addAt(L, f, hd.u, hd.v);
    }
    for (const tr of this.transients.at(t)) {
      const x = t - tr.t0;
      if (x < 0) continue;
      const f = tr.type === 'pulse' ? tr.amp * Math.sin(Math.PI * Math.min(1, x / tr.dur)) : tr.amp * Math.exp(-tr.sigma * x) * Math.sin(tr.omega * x);
      addAt(L, f, tr.u, tr.v);
    }
    const M = L[0] + L[1] + L[2] + L[3];
    const acc = this._acc || (this._acc = [0, 0, 0]);
    this.motionAt(t, acc);
    const [pitch, roll] = this.tiltAt(t);
    const k = (1 + acc[0]) * Math.cos(pitch) * Math.cos(roll);
    L[0] *= k; L[1] *= k; L[2] *= k; L[3] *= k;
    // front/back: forward acceleration and a nose-down slope (pitch > 0) load the front
    const fb = M * (Math.sin(pitch) - acc[1]) * this.h / this.D / 2;
    L[0] += fb; L[1] += fb; L[2] -= fb; L[3] -= fb;
    // left/right: lateral acceleration to the right (ay > 0) and right-side-low roll load the right
    const lr = M * (acc[2] + Math.sin(roll)) * this.h / this.W / 2;
    L[0] -= lr; L[2] -= lr; L[1] += lr; L[3] += lr;
    return L;
  }
}
