// Messages between the cart's main thread and the inference worker. Frames
// go over as transferred buffers, so the main thread copies each frame once
// (out of the ring) and never waits on the model.
import type { ModelManifest } from './manifest.js';
import type { ReferenceSet } from './match.js';
import type { Recognition, ViewPair } from './recognise.js';

export interface WorkerSettings {
  /** ONNX Runtime intra-op threads. */
  threads: number;
}

export type WorkerRequest =
  | { id: number; kind: 'load'; dir: string }
  | { id: number; kind: 'references'; refs: ReferenceSet }
  | { id: number; kind: 'recognise'; views: ViewPair[]; removal: boolean; topK: number }
  | { id: number; kind: 'embed'; views: ViewPair[]; removal: boolean };

export type WorkerReply =
  | { id: number; ok: false; error: string; refused?: boolean }
  | { id: number; ok: true; kind: 'load'; manifest: ModelManifest }
  | { id: number; ok: true; kind: 'references'; products: number }
  | { id: number; ok: true; kind: 'recognise'; recognition: Recognition }
  | { id: number; ok: true; kind: 'embed'; embeddings: (Float32Array | null)[] };
