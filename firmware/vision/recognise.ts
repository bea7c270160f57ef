// One recognition: for each camera's pair of frames, find what changed, crop
// it from the frame that shows the pack (after for a pack put in, before for
// one taken out), run every crop through the model in one batch, and turn the
// embeddings into shares of belief over the products with references. The
// worker runs this; tests run it directly. Buffers are kept between calls and
// grown only for a new frame size or more cameras.
import { ChangeDetector, type Region } from './change-region.js';
import type { ModelManifest } from './manifest.js';
import { accumulateScores, topProducts, type ProductScore, type ReferenceSet } from './match.js';
import { cropRgb, normalise, squareAround } from './preprocess.js';

/** Two frames of one camera: from before the weight began to change and from after it settled. YUV420. */
export interface ViewPair {
  cameraId: string;
  width: number;
  height: number;
  before: Uint8Array;
  after: Uint8Array;
}

export interface ViewResult {
  cameraId: string;
  /** Where the change was seen, in pixels; null when this camera saw none. */
  region: Region | null;
}

export interface Recognition {
  /** Likeliest products first; empty when no camera saw a change or there are no references. */
  top: ProductScore[];
  views: ViewResult[];
  inferenceMs: number;
}

/** The model as recognition needs it: a batch of normalised crops in, a batch of embeddings out. */
export interface EmbeddingModel {
  manifest: ModelManifest;
  embed(input: Float32Array, batch: number): Promise<Float32Array>;
}

/**
 * Finds what changed between the view's frames and samples it, from the frame
 * that shows the pack, into `rgb` (size x size x 3). Returns the changed
 * region, or null (and leaves `rgb` alone) when nothing changed. The model's
 * training data is cut by this same function.
 */
export function cropOfChange(detector: ChangeDetector, view: ViewPair, removal: boolean, size: number, rgb: Uint8Array): Region | null {
  const region = detector.find(view.before, view.after);
  if (!region) return null;
  cropRgb(removal ? view.before : view.after, view.width, view.height, squareAround(region, view.width, view.height), size, rgb);
  return region;
}

export class Recogniser {
  readonly #detectors = new Map<string, ChangeDetector>();
  readonly #rgb: Uint8Array;
  #input = new Float32Array(0);
  #references: ReferenceSet | null = null;

  constructor(readonly model: EmbeddingModel, private readonly now: () => number = () => performance.now()) {
    this.#rgb = new Uint8Array(model.manifest.input.size * model.manifest.input.size * 3);
  }

  get references(): ReferenceSet | null {
    return this.#references;
  }

  /** References made with another model, or of another length, are refused: they would match nothing truly. */
  setReferences(refs: ReferenceSet): void {
    const m = this.model.manifest;
    if (refs.model !== m.version) throw new Error(`references are for model ${refs.model}, the model running is ${m.version}`);
    if (refs.dim !== m.output.size) throw new Error(`references have ${refs.dim} numbers each, the model gives ${m.output.size}`);
    this.#references = refs;
  }

  async recognise(views: readonly ViewPair[], removal: boolean, topK: number): Promise<Recognition> {
    const started = this.now();
    const { embeddings, regions, batch } = await this.#embed(views, removal);
    const refs = this.#references;
    if (!refs || batch === 0 || refs.gtins.length === 0) return { top: [], views: regions, inferenceMs: this.now() - started };
    const scores = new Float64Array(refs.gtins.length);
    const scratch = new Float64Array(refs.gtins.length);
    // Each camera that saw the change has an equal say.
    for (let b = 0; b < batch; b++) {
      accumulateScores(embeddings, b * refs.dim, refs, this.model.manifest.output.temperature, 1 / batch, scores, scratch);
    }
    return { top: topProducts(scores, refs, topK), views: regions, inferenceMs: this.now() - started };
  }

  /** The embedding of each view's change, null for a view that saw none: how a store makes references. */
  async embeddings(views: readonly ViewPair[], removal: boolean): Promise<(Float32Array | null)[]> {
    const { embeddings, regions } = await this.#embed(views, removal);
    const dim = this.model.manifest.output.size;
    const out: (Float32Array | null)[] = [];
    let b = 0;
    for (const r of regions) {
      if (!r.region) {
        out.push(null);
        continue;
      }
      out.push(embeddings.slice(b * dim, (b + 1) * dim));
      b++;
    }
    return out;
  }

  async #embed(views: readonly ViewPair[], removal: boolean): Promise<{ embeddings: Float32Array; regions: ViewResult[]; batch: number }> {
    const spec = this.model.manifest.input;
    const per = 3 * spec.size * spec.size;
    if (this.#input.length < per * views.length) this.#input = new Float32Array(per * views.length);
    const regions: ViewResult[] = [];
    let batch = 0;
    for (const view of views) {
      const region = cropOfChange(this.#detector(view.width, view.height), view, removal, spec.size, this.#rgb);
      regions.push({ cameraId: view.cameraId, region });
      if (!region) continue;
      normalise(this.#rgb, spec, this.#input, batch * per);
      batch++;
    }
    if (batch === 0) return { embeddings: new Float32Array(0), regions, batch };
    const embeddings = await this.model.embed(this.#input.subarray(0, batch * per), batch);
    return { embeddings, regions, batch };
  }

  #detector(width: number, height: number): ChangeDetector {
    const key = `${width}x${height}`;
    let d = this.#detectors.get(key);
    if (!d) {
      d = new ChangeDetector(width, height);
      this.#detectors.set(key, d);
    }
    return d;
  }
}
