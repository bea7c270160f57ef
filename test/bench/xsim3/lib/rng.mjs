// Seeded pseudo-random numbers. No Math.random and no clock anywhere in the
// simulator: the same seed must give byte-identical traces on every machine.
//
// Generator: sfc32 (Chris Doty-Humphrey's "small fast counting" generator,
// from PractRand), seeded through cyrb128 string hashing. Both use only 32-bit
// integer arithmetic (Math.imul, >>>), which is exact in every JS engine.

/** Hash a string to four 32-bit words (cyrb128). */
function cyrb128(str) {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4; h2 ^= h1; h3 ^= h1; h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export class Rng {
  /** @param {string} key any string; different keys give independent streams */
  constructor(key) {
    [this.a, this.b, this.c, this.d] = cyrb128(String(key));
    this.key = String(key);
    for (let i = 0; i < 16; i++) this.u32(); // warm up: sfc32 starts weak
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
  next() { return this.u32() / 4294967296; }

  /** a child stream: lets one part of the model draw more numbers without
   *  shifting every later draw of another part */
  fork(name) { return new Rng(`${this.key}/${name}`); }

  uniform(lo, hi) { return lo + (hi - lo) * this.next(); }

  /** integer in [lo, hi], both ends included */
  int(lo, hi) { return lo + Math.floor(this.next() * (hi - lo + 1)); }

  chance(p) { return this.next() < p; }

  /** standard normal by Box-Muller, caching the second value */
  gauss() {
    if (this.spare !== null) { const s = this.spare; this.spare = null; return s; }
    let u = 0;
    while (u <= 1e-12) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  normal(mean, sd) { return mean + sd * this.gauss(); }

  /** normal, redrawn until inside mean ± k·sd (keeps tails out of the truth) */
  truncNormal(mean, sd, k) {
    for (let i = 0; i < 64; i++) {
      const z = this.gauss();
      if (Math.abs(z) <= k) return mean + sd * z;
    }
    return mean;
  }

  pick(arr) { return arr[Math.floor(this.next() * arr.length)]; }

  /** pick from [[weight, value], ...] */
  weighted(pairs) {
    let total = 0;
    for (const [w] of pairs) total += w;
    let r = this.next() * total;
    for (const [w, v] of pairs) { r -= w; if (r < 0) return v; }
    return pairs[pairs.length - 1][1];
  }

  /** ±magnitude with magnitude uniform in [lo, hi] */
  signed(lo, hi) { return (this.chance(0.5) ? -1 : 1) * this.uniform(lo, hi); }

  shuffle(arr) {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [arr[i], arr[j]] = [arr[j], arr[i]];
    }
    return arr;
  }
}
