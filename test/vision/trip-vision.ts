// Recognition for replaying a trip, in this thread: the default model, and
// references for the trip's catalog made as a store would make them.
import { join } from 'node:path';
import { packReferences } from '../../firmware/vision/match.js';
import { embeddingModel, loadModel } from '../../firmware/vision/model.js';
import { Recogniser } from '../../firmware/vision/recognise.js';
import type { Recognises } from '../../firmware/vision/stage.js';
import { referenceEmbeddings } from '../../models/train/products.js';

export const defaultModelDir = join(import.meta.dirname, '../../models/default');

export interface TripVision {
  recogniser: Recognises;
  release(): Promise<void>;
}

export async function tripVision(gtins: readonly string[], referenceViews = 8): Promise<TripVision> {
  const loaded = await loadModel(defaultModelDir, 1);
  const recogniser = new Recogniser(embeddingModel(loaded));
  const m = loaded.manifest;
  recogniser.setReferences(packReferences(m.version, m.output.size, await referenceEmbeddings((v, r) => recogniser.embeddings(v, r), gtins, referenceViews, 2)));
  return {
    recogniser: { manifest: m, recognise: (views, removal, topK) => recogniser.recognise(views, removal, topK) },
    release: () => loaded.session.release(),
  };
}
