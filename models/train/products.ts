// The made-up products the default model learns from and is tested on, and
// the way their pictures are taken: the simulated camera above a simulated
// basket (drivers/camera/sim), frames of the size the cart streams, cut by
// the firmware's own change finder and cropper. Everything follows from the
// seeds, so the model can be made again from nothing.
import { SceneRenderer } from '../../drivers/camera/sim/scene.js';
import { renderEvent } from '../../drivers/camera/sim/events.js';
import { SimRandom } from '../../drivers/camera/sim/random.js';
import { gs1CheckDigit } from '../../firmware/barcode/check-digits.js';
import { ChangeDetector } from '../../firmware/vision/change-region.js';
import { cropOfChange, type ViewPair } from '../../firmware/vision/recognise.js';

/** The cart's stream (config camera.width/height) over the floor of the bench basket. */
export const frameWidth = 320;
export const frameHeight = 240;
export const floor = { widthMm: 500, depthMm: 350 };
/** The model sees 48 x 48 pixels: a stripe or a logo on a pack survives, and a crop costs ~10 MFLOP to embed. */
export const inputSize = 48;

/** The default model's products: learnt from, and never seen (for measuring). */
export const setsSeed = 20250601;
export const trainProducts = 300;
export const unseenProducts = 100;

export function randomGtin(rng: SimRandom): string {
  let body = String(rng.int(1, 9));
  for (let i = 0; i < 11; i++) body += String(rng.int(0, 9));
  return `0${body}${gs1CheckDigit(body)}`;
}

export interface ProductSets {
  /** Learnt from. */
  train: string[];
  /** Never seen in training: how the model does on a catalog it was not made for. */
  unseen: string[];
}

export function productSets(seed: number, train: number, unseen: number): ProductSets {
  const rng = new SimRandom(seed);
  const all = new Set<string>();
  while (all.size < train + unseen) all.add(randomGtin(rng));
  const list = [...all];
  return { train: list.slice(0, train), unseen: list.slice(train) };
}

/** Renders events and cuts the crop the model would see; skips the rare event whose change is too small to find. */
export class Photographer {
  readonly renderer = new SceneRenderer(frameWidth, frameHeight, floor);
  readonly #detector = new ChangeDetector(frameWidth, frameHeight);
  readonly #rng: SimRandom;

  /**
   * `removalShare`: how many of the events are packs taken out rather than
   * put in. Up to 10 other packs lie about: a basket late in a trip holds
   * 10 to 20, overlapping.
   */
  constructor(seed: number, private readonly clutter: readonly string[], private readonly removalShare = 0.3, private readonly maxClutter = 10) {
    this.#rng = new SimRandom(seed);
  }

  /** One crop of `gtin` (size x size x 3 RGB bytes) written into `out` at `offset`; false when no change was found. */
  crop(gtin: string, out: Uint8Array, offset: number): boolean {
    const { view, removal } = this.view(gtin);
    return cropOfChange(this.#detector, view, removal, inputSize, out.subarray(offset, offset + inputSize * inputSize * 3)) !== null;
  }

  /** A product put into or taken out of the basket, as the camera's pair of frames. */
  view(gtin: string): { view: ViewPair; removal: boolean } {
    const event = renderEvent(this.renderer, gtin, this.#rng, { clutter: this.clutter, maxClutter: this.maxClutter, removalShare: this.removalShare });
    return { view: { cameraId: 'sim', width: frameWidth, height: frameHeight, before: event.before, after: event.after }, removal: event.removal };
  }
}

/** Embeds pairs of frames: the inference worker's embed, or a Recogniser's embeddings. */
export type Embed = (views: ViewPair[], removal: boolean) => Promise<(Float32Array | null)[]>;

/**
 * Reference embeddings for products, as a store would make them: the product
 * put into a basket `views` times, each time through the model. The cart then
 * knows products it was never trained on.
 */
export async function referenceEmbeddings(embed: Embed, gtins: readonly string[], views: number, seed: number): Promise<Map<string, Float32Array[]>> {
  const camera = new Photographer(seed, gtins, 0);
  const out = new Map<string, Float32Array[]>();
  for (const gtin of gtins) {
    const pairs = Array.from({ length: views }, () => camera.view(gtin).view);
    out.set(gtin, (await embed(pairs, false)).filter((e): e is Float32Array => e !== null));
  }
  return out;
}
