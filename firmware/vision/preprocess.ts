// From a camera frame to the model's input: a square around the changed
// region, sampled down to the model's size as RGB, then normalised as the
// model's manifest says. Pure functions on typed arrays the caller owns; no
// array is made per pixel or per call.
import type { Region } from './change-region.js';

export interface InputSpec {
  /** The model sees size x size pixels. */
  size: number;
  /** Per channel (R, G, B), on values scaled to 0..1: (x - mean) / std. */
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/**
 * A square holding the region with a margin around it, moved inside the
 * frame where it would stick out. The margin gives the model the pack's
 * outline, which a region cut to the changed blocks would clip.
 */
export function squareAround(region: Region, width: number, height: number, marginShare = 0.15): Region {
  const side = Math.min(width, height, Math.round(Math.max(region.width, region.height) * (1 + 2 * marginShare)));
  const cx = region.x + region.width / 2;
  const cy = region.y + region.height / 2;
  const x = Math.round(Math.min(Math.max(cx - side / 2, 0), width - side));
  const y = Math.round(Math.min(Math.max(cy - side / 2, 0), height - side));
  return { x, y, width: side, height: side };
}

/**
 * Samples `crop` of a YUV420 frame (full-range BT.601, as the camera apps
 * send it) into `out` as size x size RGB bytes, row by row (HWC). Luma is
 * interpolated bilinearly; chroma, at half resolution already, is taken from
 * the nearest sample.
 */
export function cropRgb(frame: Uint8Array, width: number, height: number, crop: Region, size: number, out: Uint8Array): void {
  const uPlane = width * height;
  const vPlane = uPlane + (width * height) / 4;
  const cw = width >> 1;
  const step = crop.width / size;
  for (let oy = 0; oy < size; oy++) {
    const sy = Math.min(height - 1, Math.max(0, crop.y + (oy + 0.5) * step - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(height - 1, y0 + 1);
    const fy = sy - y0;
    for (let ox = 0; ox < size; ox++) {
      const sx = Math.min(width - 1, Math.max(0, crop.x + (ox + 0.5) * step - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(width - 1, x0 + 1);
      const fx = sx - x0;
      const top = frame[y0 * width + x0]! * (1 - fx) + frame[y0 * width + x1]! * fx;
      const bottom = frame[y1 * width + x0]! * (1 - fx) + frame[y1 * width + x1]! * fx;
      const luma = top * (1 - fy) + bottom * fy;
      const c = (Math.round(sy) >> 1) * cw + (Math.round(sx) >> 1);
      const cb = frame[uPlane + c]! - 128;
      const cr = frame[vPlane + c]! - 128;
      const o = (oy * size + ox) * 3;
      out[o] = clampByte(luma + 1.402 * cr);
      out[o + 1] = clampByte(luma - 0.344136 * cb - 0.714136 * cr);
      out[o + 2] = clampByte(luma + 1.772 * cb);
    }
  }
}

function clampByte(x: number): number {
  return x <= 0 ? 0 : x >= 255 ? 255 : Math.round(x);
}

/** RGB bytes (HWC) into the model's input at `offset` (CHW floats): (x / 255 - mean) / std per channel. */
export function normalise(rgb: Uint8Array, spec: InputSpec, out: Float32Array, offset: number): void {
  const plane = spec.size * spec.size;
  for (let c = 0; c < 3; c++) {
    const mean = spec.mean[c]!;
    const scale = 1 / (255 * spec.std[c]!);
    const bias = mean / spec.std[c]!;
    const base = offset + c * plane;
    for (let i = 0; i < plane; i++) out[base + i] = rgb[i * 3 + c]! * scale - bias;
  }
}
