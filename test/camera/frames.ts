// Known YUV420 frames, made by code: frame n has a luma ramp shifted by n and
// flat chroma planes holding n and 255 - n, so any frame read back can be
// checked byte for byte and told from its neighbours.
import { yuv420FrameBytes } from '../../drivers/camera/index.js';

export function knownFrame(n: number, width: number, height: number): Uint8Array {
  const out = new Uint8Array(yuv420FrameBytes(width, height));
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = (n + x + 3 * y) & 255;
  const quarter = (width * height) / 4;
  out.fill(n & 255, width * height, width * height + quarter);
  out.fill(255 - (n & 255), width * height + quarter);
  return out;
}

/** Which known frame these bytes are, or -1 when they are none of them (a torn frame). */
export function frameNumber(frame: Uint8Array, width: number, height: number): number {
  const n = frame[width * height]!;
  const expected = knownFrame(n, width, height);
  return Buffer.from(frame).equals(Buffer.from(expected)) ? n : -1;
}

export function knownStream(count: number, width: number, height: number): Buffer {
  return Buffer.concat(Array.from({ length: count }, (_, n) => knownFrame(n, width, height)));
}
