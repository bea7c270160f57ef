// A YUV420 frame as a 24-bit BMP: the simulated still app's answer. BMP needs
// no encoder library, and a technician's image viewer opens it.

export function bmpFromYuv420(frame: Uint8Array, width: number, height: number): Buffer {
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  const pixelBytes = rowBytes * height;
  const out = Buffer.alloc(54 + pixelBytes);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  out.writeUInt32LE(pixelBytes, 34);
  const uPlane = width * height;
  const vPlane = uPlane + uPlane / 4;
  for (let y = 0; y < height; y++) {
    // BMP rows run bottom-up, pixels as B, G, R.
    const row = 54 + (height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const c = (y >> 1) * (width >> 1) + (x >> 1);
      const luma = frame[y * width + x]!;
      const cb = frame[uPlane + c]! - 128;
      const cr = frame[vPlane + c]! - 128;
      out[row + x * 3] = clamp(luma + 1.772 * cb);
      out[row + x * 3 + 1] = clamp(luma - 0.344136 * cb - 0.714136 * cr);
      out[row + x * 3 + 2] = clamp(luma + 1.402 * cr);
    }
  }
  return out;
}

function clamp(x: number): number {
  return x < 0 ? 0 : x > 255 ? 255 : Math.round(x);
}
