// Seeded pseudo-random numbers for xsim4.
//
// Generator: sfc32 ("Small Fast Counting" generator by Chris Doty-Humphrey, from the
// PractRand suite; 128-bit state, passes PractRand to many TB). Seeding: the key parts
// (seed, trip index, stream name, ...) are folded through the murmur3 32-bit finaliser
// (fmix32, Austin Appleby). Every stream is therefore a pure function of its key:
// nothing here reads Math.random or the clock.

function fmix32(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashString(s) {
  // FNV-1a, 32 bit
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function hashPart(p) {
  if (typeof p === 'number' && Number.isFinite(p)) {
    const lo = p >>> 0;
    const hi = Math.floor(p / 4294967296) >>> 0;
    return fmix32(lo ^ fmix32(hi + 0x51ed270b));
  }
  return hashString(String(p));
}

export class Rng {
  constructor(...parts) {
    let h = 0x243f6a88;
    for (const p of parts) h = fmix32(((h ^ hashPart(p)) + 0x9e3779b9) >>> 0);
    this.a = fmix32(h ^ 0x85ebca6b);
    this.b = fmix32(h ^ 0xc2b2ae35);
    this.c = fmix32(h ^ 0x27d4eb2f);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32();
    this.spare = null;
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

  /** uniform in [0, 1) */
  float() { return this.u32() / 4294967296; }
  uniform(lo, hi) { return lo + (hi - lo) * this.float(); }
  /** integer in [lo, hi], both ends included */
  int(lo, hi) { return lo + Math.floor(this.float() * (hi - lo + 1)); }
  chance(p) { return this.float() < p; }
  sign() { return this.float() < 0.5 ? -1 : 1; }
  pick(arr) { return arr[Math.floor(this.float() * arr.length)]; }
  /** log-uniform in [lo, hi]: as many short delays as long ones per octave */
  logUniform(lo, hi) { return lo * Math.exp(Math.log(hi / lo) * this.float()); }

  /** standard normal (Box-Muller) */
  gauss() {
    if (this.spare !== null) { const s = this.spare; this.spare = null; return s; }
    const u1 = 1 - this.float();
    const u2 = this.float();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }
  normal(mu, sd) { return mu + sd * this.gauss(); }
  /** normal truncated to mu +- k*sd (by rejection, then clamping as a last resort) */
  truncNormal(mu, sd, k) {
    for (let i = 0; i < 32; i++) {
      const z = this.gauss();
      if (Math.abs(z) <= k) return mu + sd * z;
    }
    return mu;
  }
  /** Poisson-distributed count (Knuth), for small means */
  poisson(mean) {
    const L = Math.exp(-mean);
    let k = 0, p = 1;
    do { k++; p *= this.float(); } while (p > L);
    return k - 1;
  }
  /** pick from [[weight, value], ...] */
  weighted(pairs) {
    let total = 0;
    for (const [w] of pairs) total += w;
    let x = this.float() * total;
    for (const [w, v] of pairs) { x -= w; if (x < 0) return v; }
    return pairs[pairs.length - 1][1];
  }
  shuffle(arr) {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      [arr[i], arr[j]] = [arr[j], arr[i]];
    }
    return arr;
  }
}
