// Vision in the demo: a simulated camera above the demo basket, and the
// store's part, played here: reference embeddings of the demo catalog, made
// with the cart's model and written where the cart reads them at start.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BasketScene, openCameras, SimulatedCameraApps, type Camera } from '../../drivers/camera/index.js';
import type { Config } from '../../firmware/config.js';
import type { CentreMm, Product, Seconds } from '../../firmware/domain.js';
import type { Logger } from '../../firmware/log.js';
import { projectRoot } from '../../firmware/process.js';
import { packReferences, referencesJson } from '../../firmware/vision/index.js';
import { embeddingModel, loadModel } from '../../firmware/vision/model.js';
import { Recogniser } from '../../firmware/vision/recognise.js';
import { referenceEmbeddings } from '../../models/train/products.js';

export interface DemoCameras {
  cameras: Camera[];
  put(grams: number, at: CentreMm, atSec: Seconds): void;
  take(grams: number, atSec: Seconds): void;
}

export function demoCameras(config: Config, catalog: readonly Product[], clock: () => Seconds, log: Logger): DemoCameras {
  const scene = new BasketScene({ widthMm: config.scale.widthMm, depthMm: config.scale.depthMm });
  const apps = new SimulatedCameraApps({ clock, source: scene.source });
  const cameras = openCameras(config.camera, { clock, log, apps });
  // The demo's steps say what a pack weighs, not what it is: the product nearest in weight is the one in the hand.
  const productOf = (grams: number) => catalog.reduce((a, b) => (Math.abs(b.grams - grams) < Math.abs(a.grams - grams) ? b : a)).gtin;
  return {
    cameras,
    put: (grams, at, atSec) => scene.put(productOf(grams), at, atSec),
    take: (grams, atSec) => scene.take(productOf(grams), atSec),
  };
}

/** What the store sends with its catalog: 8 rendered views of each product, through the cart's model. */
export async function writeDemoReferences(config: Config, catalog: readonly Product[]): Promise<void> {
  const loaded = await loadModel(resolve(projectRoot(), config.vision.modelDir), 1);
  try {
    const recogniser = new Recogniser(embeddingModel(loaded));
    const byGtin = await referenceEmbeddings((v, r) => recogniser.embeddings(v, r), catalog.map((p) => p.gtin), 8, 1);
    writeFileSync(config.vision.referencesPath, referencesJson(packReferences(loaded.manifest.version, loaded.manifest.output.size, byGtin)));
  } finally {
    await loaded.session.release();
  }
}
