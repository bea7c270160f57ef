// Raw YUV420 frames as rpicam-vid / libcamera-vid write them with
// `--codec yuv420 --output -`: planar I420, each frame the Y plane (width x
// height bytes), then U and V (width/2 x height/2 each), back to back with no
// header and no separator. Pipe reads cut the stream anywhere, so frames are
// found by counting bytes from the start of the stream.
//
// The apps write the ISP's buffer as it is, row padding included (their null
// encoder passes the buffer through). Rows are padded to 64 bytes on the Pi's
// ISP, so the config allows only widths that are a multiple of 64; then a
// frame on the pipe is exactly width x height x 3/2 bytes.

export function yuv420FrameBytes(width: number, height: number): number {
  return (width * height * 3) / 2;
}

export class Yuv420Framer {
  readonly frameBytes: number;
  /** The frame being filled when a read ends inside it; allocated once. */
  readonly #partial: Uint8Array;
  #filled = 0;

  constructor(readonly width: number, readonly height: number) {
    if (width % 2 !== 0 || height % 2 !== 0 || width <= 0 || height <= 0) {
      throw new Error(`a YUV420 frame needs an even width and height, not ${width}x${height}`);
    }
    this.frameBytes = yuv420FrameBytes(width, height);
    this.#partial = new Uint8Array(this.frameBytes);
  }

  /** Bytes of an unfinished frame held back. */
  get pendingBytes(): number {
    return this.#filled;
  }

  /**
   * Feeds bytes as they came from the pipe and calls `onFrame` for every frame
   * they complete. The frame passed is a view, valid only during the call:
   * copy what must be kept (the ring does).
   */
  push(chunk: Uint8Array, onFrame: (frame: Uint8Array) => void): void {
    let at = 0;
    if (this.#filled > 0) {
      const take = Math.min(this.frameBytes - this.#filled, chunk.length);
      this.#partial.set(chunk.subarray(0, take), this.#filled);
      this.#filled += take;
      at = take;
      if (this.#filled < this.frameBytes) return;
      this.#filled = 0;
      onFrame(this.#partial);
    }
    // Whole frames inside the chunk go out as views of it, without a copy.
    while (chunk.length - at >= this.frameBytes) {
      onFrame(chunk.subarray(at, at + this.frameBytes));
      at += this.frameBytes;
    }
    if (at < chunk.length) {
      this.#partial.set(chunk.subarray(at), 0);
      this.#filled = chunk.length - at;
    }
  }

  /** A new app process starts a new stream on a frame boundary: what was left of the old one is dropped. */
  reset(): void {
    this.#filled = 0;
  }
}
