// Vision on the cart, started in one place: the inference worker with the
// model and the product references, the cameras, and the stage that turns a
// weight change into a guess. Every part may be missing or fail (no camera,
// no model, no references): the cart then shops on scans and weight alone,
// and its health says which part is missing.
import type { Camera, Snapshot } from '../../drivers/camera/camera.js';
import type { Logger } from '../log.js';
import type { GateOptions } from './gate.js';
import { InferenceWorker, type InferenceHealth } from './inference.js';
import type { ReferenceSet } from './match.js';
import { readReferences } from './references.js';
import { VisionStage } from './stage.js';

export { GuessGate, type GateOptions, type GuessSource } from './gate.js';
export { InferenceWorker, ModelRefusedError, type InferenceHealth } from './inference.js';
export type { ModelManifest } from './manifest.js';
export { packReferences, type ReferenceSet } from './match.js';
export { readReferences, referencesJson } from './references.js';
export type { Recognition, ViewPair } from './recognise.js';
export { VisionStage } from './stage.js';

export interface VisionConfig {
  /** Folder holding manifest.json and the model file, absolute. */
  modelDir: string;
  referencesPath: string;
  threads: number;
  maxWaitMs: number;
  topK: number;
}

/** The shape of a device in health and telemetry. */
export interface VisionDevice {
  device: string;
  status: 'ok' | 'warning';
  detail?: string;
}

export interface RunningVision {
  worker: InferenceWorker;
  cameras: readonly Camera[];
  /** For the cart's pipeline. */
  gate: GateOptions;
  /**
   * Cameras and recognition as devices. Never "failed": a cart without
   * cameras is still fit to shop (the health verdict takes a failed device
   * for a cart out of service), so a missing part is a warning that says
   * what the shopper loses.
   */
  devices(): VisionDevice[];
  /** New references, from the store with the catalog; refused when made by another model. */
  useReferences(refs: ReferenceSet): Promise<void>;
  /** A still from one camera, for a technician who asks for it; nothing else ever leaves the cart. */
  snapshot(cameraId: string): Promise<Snapshot>;
  stop(): Promise<void>;
}

const noGuesses = 'no product guesses: scans and weight alone';

function recognitionDevice(h: InferenceHealth): VisionDevice {
  switch (h.status) {
    case 'ok':
      return { device: 'recognition', status: 'ok', detail: `model ${h.model}, ${h.products} products` };
    case 'no-references':
      return { device: 'recognition', status: 'warning', detail: `no product references for model ${h.model}: ${noGuesses}` };
    default:
      return { device: 'recognition', status: 'warning', detail: `${h.status}${h.lastError ? `: ${h.lastError}` : ''}; ${noGuesses}`.slice(0, 120) };
  }
}

export async function startVision(config: VisionConfig, cameras: readonly Camera[], log: Logger): Promise<RunningVision> {
  const worker = new InferenceWorker({ threads: config.threads }, log);
  worker.start();
  try {
    const manifest = await worker.load(config.modelDir);
    const refs = await readReferences(config.referencesPath, manifest.output.size);
    if (refs) await worker.setReferences(refs);
    else log.warn('no product references yet; the cameras watch but name nothing until the store sends them', { path: config.referencesPath });
  } catch (err) {
    // The worker has logged a refused model; references that do not fit are logged here. Shopping goes on either way.
    if (worker.manifest) log.warn('product references not used', { error: (err as Error).message });
  }
  for (const camera of cameras) await camera.start();
  const stage = new VisionStage(cameras, worker, config.topK, log);
  return {
    worker,
    cameras,
    gate: { source: stage, maxWaitSec: config.maxWaitMs / 1000 },
    devices: () => [
      ...cameras.map((c): VisionDevice => {
        const h = c.health();
        if (h.status === 'ok') return { device: `camera-${c.id}`, status: 'ok' };
        return { device: `camera-${c.id}`, status: 'warning', detail: `${h.status}${h.lastError ? `: ${h.lastError}` : ''}`.slice(0, 120) };
      }),
      recognitionDevice(worker.health()),
    ],
    useReferences: (refs) => worker.setReferences(refs),
    snapshot: (cameraId) => {
      const camera = cameras.find((c) => c.id === cameraId);
      return camera ? camera.snapshot() : Promise.reject(new Error(`no camera named ${cameraId}`));
    },
    async stop() {
      for (const camera of cameras) await camera.stop();
      await worker.stop();
    },
  };
}
