// Where in the frame did the basket change? The luma of the frame from before
// the weight changed and the one from after it settled are compared in
// blocks; blocks that changed by more than noise and light can explain form
// regions, and the region that changed most is where the pack went in or
// came out. Pure, and allocation-free after construction: the buffers for the
// block grid are made once per frame size.

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ChangeOptions {
  /** Side of a square block, pixels. */
  blockPx: number;
  /** A block changed when its mean absolute luma difference is at least this (8-bit levels). */
  minLevel: number;
  /** Fewer changed blocks than this are noise, a fly, a flicker. */
  minBlocks: number;
}

/** 8 px blocks: 40 x 30 at 320 x 240. 12 levels is four times the difference that sensor noise alone leaves in a block. */
export const defaultChangeOptions: ChangeOptions = { blockPx: 8, minLevel: 12, minBlocks: 4 };

export class ChangeDetector {
  readonly #cols: number;
  readonly #rows: number;
  readonly #level: Float32Array;
  readonly #label: Int32Array;
  readonly #stack: Int32Array;

  constructor(readonly width: number, readonly height: number, readonly opts: ChangeOptions = defaultChangeOptions) {
    this.#cols = Math.floor(width / opts.blockPx);
    this.#rows = Math.floor(height / opts.blockPx);
    const blocks = this.#cols * this.#rows;
    this.#level = new Float32Array(blocks);
    this.#label = new Int32Array(blocks);
    this.#stack = new Int32Array(blocks);
  }

  /** The region that changed most between two frames (YUV420 or luma only), null when nothing did. */
  find(before: Uint8Array, after: Uint8Array): Region | null {
    const { width } = this;
    const cols = this.#cols;
    const rows = this.#rows;
    const b = this.opts.blockPx;
    // A change of exposure or light shifts every pixel alike: take the mean shift out first.
    let shift = 0;
    const n = cols * b * rows * b;
    for (let y = 0; y < rows * b; y++) {
      for (let x = 0; x < cols * b; x++) shift += after[y * width + x]! - before[y * width + x]!;
    }
    shift /= n;
    for (let by = 0; by < rows; by++) {
      for (let bx = 0; bx < cols; bx++) {
        let sum = 0;
        for (let y = by * b; y < (by + 1) * b; y++) {
          const row = y * width;
          for (let x = bx * b; x < (bx + 1) * b; x++) sum += Math.abs(after[row + x]! - before[row + x]! - shift);
        }
        this.#level[by * cols + bx] = sum / (b * b);
      }
    }
    return this.#largestRegion();
  }

  /** Flood fill over changed blocks (8-connected); the region with the most change in it wins. */
  #largestRegion(): Region | null {
    const cols = this.#cols;
    const rows = this.#rows;
    const level = this.#level;
    const label = this.#label;
    const stack = this.#stack;
    label.fill(0);
    let best: Region | null = null;
    let bestMass = 0;
    let next = 0;
    for (let start = 0; start < cols * rows; start++) {
      if (label[start] !== 0 || level[start]! < this.opts.minLevel) continue;
      next++;
      let top = 0;
      stack[top++] = start;
      label[start] = next;
      let mass = 0;
      let count = 0;
      let x0 = cols;
      let y0 = rows;
      let x1 = -1;
      let y1 = -1;
      while (top > 0) {
        const i = stack[--top]!;
        const bx = i % cols;
        const by = (i - bx) / cols;
        mass += level[i]!;
        count++;
        if (bx < x0) x0 = bx;
        if (bx > x1) x1 = bx;
        if (by < y0) y0 = by;
        if (by > y1) y1 = by;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const nx = bx + dx;
            const ny = by + dy;
            if (nx < 0 || ny < 0 || nx >= cols || ny >= rows) continue;
            const j = ny * cols + nx;
            if (label[j] !== 0 || level[j]! < this.opts.minLevel) continue;
            label[j] = next;
            stack[top++] = j;
          }
        }
      }
      if (count >= this.opts.minBlocks && mass > bestMass) {
        bestMass = mass;
        const b = this.opts.blockPx;
        best = { x: x0 * b, y: y0 * b, width: (x1 - x0 + 1) * b, height: (y1 - y0 + 1) * b };
      }
    }
    return best;
  }
}
