// What a product looks like from above, in the simulated basket. Made up,
// but stable: every GTIN has one look, drawn from a hash of its digits, so
// any catalog (the demo's, a generated trip's, the model's training set) has
// something to see without a picture of each product. Real packs are far
// richer than this; docs/vision.md says what that means for the model.
import { hashText, SimRandom } from './random.js';

export type Rgb = [number, number, number];

export type PackShape = 'box' | 'round' | 'bag';
export type PackPattern = 'plain' | 'stripes' | 'band' | 'checks' | 'dots';

export interface ProductLook {
  shape: PackShape;
  /** Size on the basket floor, millimetres (lengthMm >= widthMm; equal for round packs). */
  lengthMm: number;
  widthMm: number;
  base: Rgb;
  accent: Rgb;
  pattern: PackPattern;
  /** Stripes, checks or dots across the pack. */
  repeats: number;
  /** Direction of the stripes across the pack, radians. */
  patternAngle: number;
  /** Half-width of a band, as a share of the pack's width. */
  bandShare: number;
  /** A round logo in pack coordinates (-1..1), or none. */
  logo: { u: number; v: number; radius: number; colour: Rgb } | null;
}

function hsv(h: number, s: number, v: number): Rgb {
  const f = (n: number) => {
    const k = (n + h * 6) % 6;
    return Math.round(255 * (v - v * s * Math.max(0, Math.min(k, 4 - k, 1))));
  };
  return [f(5), f(3), f(1)];
}

function colour(rng: SimRandom): Rgb {
  // Now and then a near-white or near-black pack, as on real shelves.
  const r = rng.next();
  if (r < 0.1) return hsv(rng.next(), rng.between(0, 0.1), rng.between(0.85, 0.97));
  if (r < 0.18) return hsv(rng.next(), rng.between(0, 0.3), rng.between(0.08, 0.2));
  return hsv(rng.next(), rng.between(0.35, 1), rng.between(0.35, 0.95));
}

export function lookOf(gtin: string): ProductLook {
  const rng = new SimRandom(hashText(gtin));
  const shape = rng.pick<PackShape>(['box', 'box', 'box', 'round', 'bag']);
  const lengthMm = shape === 'round' ? rng.between(70, 130) : rng.between(90, 210);
  const widthMm = shape === 'round' ? lengthMm : rng.between(0.35, 0.9) * lengthMm;
  const base = colour(rng);
  let accent = colour(rng);
  // An accent too close to the base would make the pattern invisible.
  if (Math.abs(accent[0] - base[0]) + Math.abs(accent[1] - base[1]) + Math.abs(accent[2] - base[2]) < 120) {
    accent = base[0] + base[1] + base[2] > 380 ? [30, 30, 40] : [235, 235, 225];
  }
  const pattern = rng.pick<PackPattern>(['plain', 'stripes', 'stripes', 'band', 'checks', 'dots']);
  const logo = rng.next() < 0.6
    ? { u: rng.between(-0.5, 0.5), v: rng.between(-0.4, 0.4), radius: rng.between(0.18, 0.45), colour: colour(rng) }
    : null;
  return {
    shape,
    lengthMm,
    widthMm,
    base,
    accent,
    pattern,
    repeats: rng.int(2, 6),
    patternAngle: rng.between(0, Math.PI),
    bandShare: rng.between(0.2, 0.5),
    logo,
  };
}
