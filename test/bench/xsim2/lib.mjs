// xsim2 shared helpers: seeded PRNG, GTIN check digits, weight-fit rules.
// No dependencies, no Math.random anywhere.

// ---- PRNG: splitmix32 for seeding, sfc32 for the stream -------------------
function splitmix32(a) {
  return function () {
    a = (a + 0x9e3779b9) | 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function hashKeys(...keys) {
  // FNV-1a over the decimal text of every key, then avalanche
  let h = 0x811c9dc5;
  for (const k of keys) {
    const s = String(k) + '\u0001';
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  return splitmix32(h)();
}

export class Rng {
  constructor(...keys) {
    const sm = splitmix32(hashKeys(...keys));
    this.a = sm(); this.b = sm(); this.c = sm(); this.d = sm() | 1;
    this._spare = null;
    for (let i = 0; i < 16; i++) this.u32();
  }
  u32() {
    let { a, b, c, d } = this;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.a = a; this.b = b; this.c = c; this.d = d;
    return t >>> 0;
  }
  u() { return this.u32() / 4294967296; }
  range(lo, hi) { return lo + (hi - lo) * this.u(); }
  int(lo, hi) { return lo + Math.floor(this.u() * (hi - lo + 1)); } // inclusive
  chance(p) { return this.u() < p; }
  sign() { return this.u() < 0.5 ? -1 : 1; }
  pick(arr) { return arr[Math.floor(this.u() * arr.length)]; }
  normal() {
    if (this._spare !== null) { const s = this._spare; this._spare = null; return s; }
    let u1 = this.u(); if (u1 < 1e-12) u1 = 1e-12;
    const u2 = this.u();
    const r = Math.sqrt(-2 * Math.log(u1));
    this._spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }
  // normal clipped to +-k sd
  normClip(mean, sd, k = 2.5) {
    let z = this.normal();
    if (z > k) z = k; if (z < -k) z = -k;
    return mean + sd * z;
  }
  weighted(pairs) { // [[value, weight], ...]
    let tot = 0; for (const [, w] of pairs) tot += w;
    let x = this.u() * tot;
    for (const [v, w] of pairs) { x -= w; if (x < 0) return v; }
    return pairs[pairs.length - 1][0];
  }
  shuffle(arr) {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(this.u() * (i + 1));
      [arr[i], arr[j]] = [arr[j], arr[i]];
    }
    return arr;
  }
}

// ---- GTIN --------------------------------------------------------------------
export function gs1Check(body) { // body = digits without check digit
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = body.charCodeAt(body.length - 1 - i) - 48;
    sum += d * (i % 2 === 0 ? 3 : 1);
  }
  return String((10 - (sum % 10)) % 10);
}
export function validGtin(code) {
  if (!/^\d{8}$|^\d{12,14}$/.test(code)) return false;
  return gs1Check(code.slice(0, -1)) === code.slice(-1);
}
export const pad14 = (code) => code.padStart(14, '0');

// ---- weight fit rules (see README "Fit rules") -------------------------------
// Tolerance within which a measured weight "fits" one unit of a catalog product
// (fixed-weight products) or a set of units.
export function unitTol(p) {
  return 3 * p.gramsSd + 10 + 0.01 * p.grams;
}
export function fitsProduct(p, w) {
  if (p.byWeight) return w >= 0.25 * p.grams && w <= 2.5 * p.grams;
  return Math.abs(w - p.grams) <= unitTol(p);
}

// Enumerate combinations of groups {key, nominal, sd, count} whose sum is within
// `margin(tolOfCombo)` of w. Returns list of {counts: Map key->k, sum, tol}.
// tol(combo) = 3*sqrt(sum sd^2) + 10 + 0.01*sum.
export function fittingCombos(groups, w, tolScale = 1, minTol = 0, nodeCap = 400000) {
  const gs = groups.filter((g) => g.count > 0).slice().sort((a, b) => b.nominal - a.nominal);
  const out = [];
  let nodes = 0;
  let capped = false;
  const counts = new Array(gs.length).fill(0);
  const bound = 1.25 * w + 250 + minTol;
  function rec(i, sum, var_) {
    if (++nodes > nodeCap) { capped = true; return; }
    const tol = Math.max(minTol, tolScale * (3 * Math.sqrt(var_) + 10 + 0.01 * sum));
    if (sum > bound) return;
    if (i === gs.length) {
      if (sum > 0 && Math.abs(sum - w) <= tol) {
        const m = new Map();
        gs.forEach((g, j) => { if (counts[j]) m.set(g.key, counts[j]); });
        out.push({ counts: m, sum, tol });
      }
      return;
    }
    const g = gs[i];
    for (let k = 0; k <= g.count; k++) {
      counts[i] = k;
      rec(i + 1, sum + k * g.nominal, var_ + k * g.sd * g.sd);
      if (capped) return;
      if (sum + k * g.nominal > bound) break;
    }
    counts[i] = 0;
  }
  rec(0, 0, 0);
  return { combos: out, capped };
}

export const r4 = (x) => Math.round(x * 10000) / 10000;
export const r3 = (x) => Math.round(x * 1000) / 1000;
export const r1 = (x) => Math.round(x * 10) / 10;
export const clamp = (x, lo, hi) => (x < lo ? lo : x > hi ? hi : x);
export const smooth = (x) => (x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x));
