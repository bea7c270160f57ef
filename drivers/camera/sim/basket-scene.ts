// The simulated basket as the cameras see it, in real time: packs go in and
// come out where and when the shopper puts them, and every camera renders the
// scene at the time of its frame. A hand takes `handSec` to put a pack down or
// lift it out; the pack shows once the hand has let go and is gone once the
// hand has lifted it.
import type { FrameSource } from './apps.js';
import { SimRandom } from './random.js';
import { evenLight, SceneRenderer, type FloorView, type SceneItem } from './scene.js';

interface Placed extends SceneItem {
  fromSec: number;
  untilSec: number;
}

export class BasketScene {
  readonly #items: Placed[] = [];
  readonly #renderers = new Map<string, SceneRenderer>();
  readonly #rng: SimRandom;

  constructor(private readonly view: FloorView, seed = 1, private readonly handSec = 0.5) {
    this.#rng = new SimRandom(seed);
  }

  put(gtin: string, at: { xMm: number; yMm: number }, atSec: number): void {
    this.#items.push({ gtin, xMm: at.xMm, yMm: at.yMm, angleRad: this.#rng.between(0, Math.PI), fromSec: atSec + this.handSec, untilSec: Infinity });
  }

  /** The last one of that product put in comes out. */
  take(gtin: string, atSec: number): void {
    const item = this.#items.filter((i) => i.gtin === gtin && i.untilSec === Infinity).at(-1);
    if (item) item.untilSec = atSec + this.handSec;
  }

  readonly source: FrameSource = (_cameraIndex, atSec, width, height, out) => {
    const key = `${width}x${height}`;
    let renderer = this.#renderers.get(key);
    if (!renderer) {
      renderer = new SceneRenderer(width, height, this.view);
      this.#renderers.set(key, renderer);
    }
    renderer.render(this.#items.filter((i) => i.fromSec <= atSec && atSec < i.untilSec), evenLight, this.#rng, out);
  };
}
