// The inference worker: holds the model's one ONNX Runtime session and runs
// recognitions, one at a time, off the main thread (session.run blocks its
// thread for the whole inference, which on the main thread would stall the
// load cell sampling). A model that is refused leaves the current one in place.
import { parentPort, workerData } from 'node:worker_threads';
import { embeddingModel, loadModel, ModelRefused, type LoadedModel } from './model.js';
import type { WorkerReply, WorkerRequest, WorkerSettings } from './protocol.js';
import { Recogniser } from './recognise.js';

const settings = workerData as WorkerSettings;
const port = parentPort;
if (!port) throw new Error('the inference worker must run as a worker thread');

let loaded: LoadedModel | null = null;
let recogniser: Recogniser | null = null;

function running(): Recogniser {
  if (!recogniser) throw new Error('no model loaded');
  return recogniser;
}

async function handle(req: WorkerRequest): Promise<WorkerReply> {
  switch (req.kind) {
    case 'load': {
      const next = await loadModel(req.dir, settings.threads);
      const previous = loaded;
      const refs = recogniser?.references ?? null;
      loaded = next;
      recogniser = new Recogniser(embeddingModel(next));
      // References belong to the model that made them; a new version needs new ones.
      if (refs && refs.model === next.manifest.version) recogniser.setReferences(refs);
      await previous?.session.release();
      return { id: req.id, ok: true, kind: 'load', manifest: next.manifest };
    }
    case 'references':
      running().setReferences(req.refs);
      return { id: req.id, ok: true, kind: 'references', products: req.refs.gtins.length };
    case 'recognise':
      return { id: req.id, ok: true, kind: 'recognise', recognition: await running().recognise(req.views, req.removal, req.topK) };
    case 'embed':
      return { id: req.id, ok: true, kind: 'embed', embeddings: await running().embeddings(req.views, req.removal) };
  }
}

// One request at a time: the session and the crop buffers are shared.
let queue: Promise<void> = Promise.resolve();
port.on('message', (req: WorkerRequest) => {
  queue = queue.then(async () => {
    let reply: WorkerReply;
    try {
      reply = await handle(req);
    } catch (err) {
      reply = { id: req.id, ok: false, error: (err as Error).message, refused: err instanceof ModelRefused };
    }
    port.postMessage(reply);
  });
});
