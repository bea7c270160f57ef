// Renders what a camera above the basket would see: the wire floor and the
// packs on it, lit unevenly, with sensor noise, as a YUV420 frame (full-range
// BT.601, as the camera apps send it). Used by the simulated camera apps, by
// the script that makes the default model's training data and by tests.
import { lookOf, type ProductLook, type Rgb } from './look.js';
import type { SimRandom } from './random.js';

export interface SceneItem {
  gtin: string;
  /** Centre on the basket floor, mm from its centre: x to the right, y to the front (the top of the frame). */
  xMm: number;
  yMm: number;
  angleRad: number;
}

export interface Lighting {
  /** Overall brightness, 1 as the camera was set up. */
  gain: number;
  /** Colour of the light, per channel, about 1. */
  tint: Rgb;
  /** Sensor noise, sd in 8-bit levels. */
  noiseSd: number;
}

export const evenLight: Lighting = { gain: 1, tint: [1, 1, 1], noiseSd: 2 };

/** The part of the basket floor the camera sees, centred on it. */
export interface FloorView {
  widthMm: number;
  depthMm: number;
}

const floorRgb: Rgb = [62, 70, 84];
const wireRgb: Rgb = [150, 152, 158];
const wirePitchMm = 30;
const wireMm = 3;

/** Normal samples (sd 1) for sensor noise, read from a random start each frame: a table is far cheaper than drawing per pixel. */
const noiseTableSize = 1 << 16;

export class SceneRenderer {
  /** Linear RGB of the frame being drawn; allocated once. */
  readonly #rgb: Float32Array;
  /** The empty basket, drawn once. */
  readonly #floorRgb: Float32Array;
  readonly #noise: Float32Array;
  readonly #looks = new Map<string, ProductLook>();
  readonly #pxPerMmX: number;
  readonly #pxPerMmY: number;

  constructor(readonly width: number, readonly height: number, readonly view: FloorView) {
    this.#rgb = new Float32Array(width * height * 3);
    this.#pxPerMmX = width / view.widthMm;
    this.#pxPerMmY = height / view.depthMm;
    this.#floorRgb = new Float32Array(width * height * 3);
    this.#drawFloor(this.#floorRgb);
    this.#noise = new Float32Array(noiseTableSize);
    // Box-Muller from a fixed seed: the table is the same on every machine.
    let state = 12345;
    const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
    for (let i = 0; i < noiseTableSize; i++) this.#noise[i] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  }

  look(gtin: string): ProductLook {
    let look = this.#looks.get(gtin);
    if (!look) {
      look = lookOf(gtin);
      this.#looks.set(gtin, look);
    }
    return look;
  }

  /** Draws the items in order (later ones on top) and writes the frame into `out` (width x height x 3/2 bytes). */
  render(items: readonly SceneItem[], light: Lighting, rng: SimRandom, out: Uint8Array): void {
    this.#rgb.set(this.#floorRgb);
    for (const item of items) this.#item(item, this.look(item.gtin));
    this.#toYuv420(light, rng, out);
  }

  #drawFloor(rgb: Float32Array): void {
    const { width, height } = this;
    for (let y = 0; y < height; y++) {
      const yMm = (height / 2 - y) / this.#pxPerMmY;
      const onRow = Math.abs(((yMm % wirePitchMm) + wirePitchMm) % wirePitchMm) < wireMm;
      for (let x = 0; x < width; x++) {
        const xMm = (x - width / 2) / this.#pxPerMmX;
        const wire = onRow || Math.abs(((xMm % wirePitchMm) + wirePitchMm) % wirePitchMm) < wireMm;
        const c = wire ? wireRgb : floorRgb;
        const i = (y * width + x) * 3;
        rgb[i] = c[0];
        rgb[i + 1] = c[1];
        rgb[i + 2] = c[2];
      }
    }
  }

  #item(item: SceneItem, look: ProductLook): void {
    const { width, height } = this;
    const rgb = this.#rgb;
    const halfL = look.lengthMm / 2;
    const halfW = look.widthMm / 2;
    const cos = Math.cos(item.angleRad);
    const sin = Math.sin(item.angleRad);
    const cx = width / 2 + item.xMm * this.#pxPerMmX;
    const cy = height / 2 - item.yMm * this.#pxPerMmY;
    const reach = Math.hypot(halfL, halfW);
    const x0 = Math.max(0, Math.floor(cx - reach * this.#pxPerMmX));
    const x1 = Math.min(width - 1, Math.ceil(cx + reach * this.#pxPerMmX));
    const y0 = Math.max(0, Math.floor(cy - reach * this.#pxPerMmY));
    const y1 = Math.min(height - 1, Math.ceil(cy + reach * this.#pxPerMmY));
    const pCos = Math.cos(look.patternAngle);
    const pSin = Math.sin(look.patternAngle);
    for (let y = y0; y <= y1; y++) {
      const dy = (cy - y) / this.#pxPerMmY;
      for (let x = x0; x <= x1; x++) {
        const dx = (x - cx) / this.#pxPerMmX;
        // Pack coordinates: u along its length, v across, both -1..1 inside.
        const u = (dx * cos + dy * sin) / halfL;
        const v = (-dx * sin + dy * cos) / halfW;
        const edge = shapeEdge(look, u, v);
        if (edge > 1) continue;
        const c = packColour(look, u, v, pCos, pSin);
        // Darker towards the rim, a little lighter on the side facing the light.
        const shade = (edge > 0.85 ? 0.72 : 1) * (1.05 - 0.1 * u);
        const i = (y * width + x) * 3;
        rgb[i] = c[0] * shade;
        rgb[i + 1] = c[1] * shade;
        rgb[i + 2] = c[2] * shade;
      }
    }
  }

  #toYuv420(light: Lighting, rng: SimRandom, out: Uint8Array): void {
    const { width, height } = this;
    const rgb = this.#rgb;
    const uPlane = width * height;
    const vPlane = uPlane + (width * height) / 4;
    const cw = width / 2;
    const noise = this.#noise;
    const mask = noiseTableSize - 1;
    let k = rng.next32();
    // Chroma once per 2x2 block, taken from its top-left pixel.
    for (let y = 0; y < height; y++) {
      const ny = (2 * y) / height - 1;
      for (let x = 0; x < width; x++) {
        const nx = (2 * x) / width - 1;
        // Light falls off towards the corners of the basket.
        const g = light.gain * (1 - 0.22 * (nx * nx + ny * ny));
        const i = (y * width + x) * 3;
        const r = clamp(rgb[i]! * g * light.tint[0] + light.noiseSd * noise[k++ & mask]!);
        const gr = clamp(rgb[i + 1]! * g * light.tint[1] + light.noiseSd * noise[k++ & mask]!);
        const b = clamp(rgb[i + 2]! * g * light.tint[2] + light.noiseSd * noise[k++ & mask]!);
        out[y * width + x] = Math.round(0.299 * r + 0.587 * gr + 0.114 * b);
        if ((x & 1) === 0 && (y & 1) === 0) {
          const c = (y >> 1) * cw + (x >> 1);
          out[uPlane + c] = clamp(Math.round(128 - 0.168736 * r - 0.331264 * gr + 0.5 * b));
          out[vPlane + c] = clamp(Math.round(128 + 0.5 * r - 0.418688 * gr - 0.081312 * b));
        }
      }
    }
  }
}

function clamp(x: number): number {
  return x < 0 ? 0 : x > 255 ? 255 : x;
}

/** 0 at the pack's centre, 1 on its rim, above 1 outside. */
function shapeEdge(look: ProductLook, u: number, v: number): number {
  switch (look.shape) {
    case 'box':
      return Math.max(Math.abs(u), Math.abs(v));
    case 'round':
      return Math.sqrt(u * u + v * v);
    case 'bag':
      return Math.sqrt(Math.sqrt(u ** 4 + v ** 4));
  }
}

function packColour(look: ProductLook, u: number, v: number, pCos: number, pSin: number): Rgb {
  if (look.logo) {
    const du = u - look.logo.u;
    const dv = v - look.logo.v;
    if (du * du + dv * dv < look.logo.radius ** 2) return look.logo.colour;
  }
  const n = look.repeats;
  switch (look.pattern) {
    case 'plain':
      return look.base;
    case 'stripes':
      return Math.floor((u * pCos + v * pSin + 2) * n) % 2 === 0 ? look.base : look.accent;
    case 'band':
      return Math.abs(v) < look.bandShare ? look.accent : look.base;
    case 'checks':
      return (Math.floor((u + 1) * n) + Math.floor((v + 1) * n)) % 2 === 0 ? look.base : look.accent;
    case 'dots': {
      const fu = ((u + 1) * n) % 1 - 0.5;
      const fv = ((v + 1) * n) % 1 - 0.5;
      return fu * fu + fv * fv < 0.09 ? look.accent : look.base;
    }
  }
}
