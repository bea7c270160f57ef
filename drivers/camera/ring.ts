// The last seconds of one camera's frames, so that the frame from just before
// a weight change began and the one from after it settled are both at hand
// the moment the change is reported, without waiting for a capture. Slots are
// allocated once; a frame is copied into the oldest slot (one memcpy a frame,
// no garbage at 10 frames a second).
import { yuv420FrameBytes } from './yuv420.js';

export interface RingFrame {
  atSec: number;
  width: number;
  height: number;
  /** YUV420 planar. A view of the ring's slot: overwritten once `capacity` newer frames have come; copy to keep. */
  data: Uint8Array;
}

export class FrameRing {
  readonly frameBytes: number;
  readonly #slots: Uint8Array[];
  readonly #times: Float64Array;
  /** Next slot to write. */
  #next = 0;
  #count = 0;

  constructor(readonly width: number, readonly height: number, readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new Error(`a frame ring needs room for at least 2 frames, not ${capacity}`);
    this.frameBytes = yuv420FrameBytes(width, height);
    this.#slots = Array.from({ length: capacity }, () => new Uint8Array(this.frameBytes));
    this.#times = new Float64Array(capacity);
  }

  /** Room for `seconds` of frames at `framerate`, and one more so that a frame from `seconds` ago is still there. */
  static forSeconds(width: number, height: number, seconds: number, framerate: number): FrameRing {
    return new FrameRing(width, height, Math.ceil(seconds * framerate) + 1);
  }

  get size(): number {
    return this.#count;
  }

  /** Keeps a copy of the frame. Frames come in time order; one older than the newest is dropped. */
  push(atSec: number, data: Uint8Array): boolean {
    if (data.length !== this.frameBytes) throw new Error(`frame of ${data.length} bytes does not fit a ${this.width}x${this.height} ring (${this.frameBytes} bytes)`);
    const newest = this.newest();
    if (newest && atSec < newest.atSec) return false;
    this.#slots[this.#next]!.set(data);
    this.#times[this.#next] = atSec;
    this.#next = (this.#next + 1) % this.capacity;
    this.#count = Math.min(this.#count + 1, this.capacity);
    return true;
  }

  newest(): RingFrame | null {
    return this.#count === 0 ? null : this.#at(this.#count - 1);
  }

  oldest(): RingFrame | null {
    return this.#count === 0 ? null : this.#at(0);
  }

  /** The newest frame taken at or before `atSec`, null when every frame kept is later. */
  atOrBefore(atSec: number): RingFrame | null {
    // Newest first: the frames wanted are nearly always the last few.
    for (let i = this.#count - 1; i >= 0; i--) {
      const slot = this.#slotOf(i);
      if (this.#times[slot]! <= atSec) return this.#at(i);
    }
    return null;
  }

  clear(): void {
    this.#count = 0;
    this.#next = 0;
  }

  /** i-th frame kept, 0 the oldest. */
  #slotOf(i: number): number {
    return (this.#next - this.#count + i + this.capacity) % this.capacity;
  }

  #at(i: number): RingFrame {
    const slot = this.#slotOf(i);
    return { atSec: this.#times[slot]!, width: this.width, height: this.height, data: this.#slots[slot]! };
  }
}
