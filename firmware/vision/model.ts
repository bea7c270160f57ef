// Loading a model the way its manifest describes it, or refusing it. A model
// is taken only when the manifest is valid, the file's checksum matches, ONNX
// Runtime loads it, its input and output names and shapes are the manifest's,
// and a trial run gives an embedding of the promised size and unit length.
// Anything else is refused with the reason, and the caller keeps the model it
// had. Runs in the inference worker: creating a session and running it block.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { parseManifest, type ModelManifest } from './manifest.js';
import type { EmbeddingModel } from './recognise.js';

export class ModelRefused extends Error {}

export interface LoadedModel {
  manifest: ModelManifest;
  session: ort.InferenceSession;
}

/**
 * One session for the life of the model. `threads` is the intra-op thread
 * count: on a 4-core board the main thread (load cells at 80 Hz, the
 * database) and the camera apps need cores too. Sequential execution, since a
 * small convolutional net has no parallel branches worth a second pool, and
 * every graph optimisation, done once at load.
 */
export function sessionOptions(threads: number): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
}

async function readManifest(dir: string): Promise<ModelManifest> {
  let text: string;
  try {
    text = await readFile(join(dir, 'manifest.json'), 'utf8');
  } catch (err) {
    throw new ModelRefused(`no manifest.json in ${dir}: ${(err as Error).message}`);
  }
  try {
    return parseManifest(JSON.parse(text));
  } catch (err) {
    throw new ModelRefused((err as Error).message);
  }
}

function dimsOf(meta: ort.InferenceSession.ValueMetadata | undefined): readonly (number | string)[] | null {
  return meta && meta.isTensor ? meta.shape : null;
}

/** A dimension the model fixes must be the manifest's; a free one (named or -1) is fine. */
function shapeFits(actual: readonly (number | string)[] | null, expected: readonly (number | null)[]): boolean {
  if (!actual) return true;
  if (actual.length !== expected.length) return false;
  return actual.every((d, i) => typeof d !== 'number' || d < 0 || expected[i] === null || d === expected[i]);
}

export async function loadModel(dir: string, threads: number): Promise<LoadedModel> {
  const manifest = await readManifest(dir);
  const bytes = await readFile(join(dir, manifest.file)).catch((err: Error) => {
    throw new ModelRefused(`model file ${manifest.file} cannot be read: ${err.message}`);
  });
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== manifest.sha256) throw new ModelRefused(`model file ${manifest.file} does not match the manifest's checksum (damaged or replaced)`);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, sessionOptions(threads));
  } catch (err) {
    throw new ModelRefused(`ONNX Runtime cannot load ${manifest.file}: ${(err as Error).message.split('\n')[0]}`);
  }
  try {
    checkSession(session, manifest);
    await trialRun(session, manifest);
  } catch (err) {
    await session.release();
    throw err;
  }
  return { manifest, session };
}

function checkSession(session: ort.InferenceSession, m: ModelManifest): void {
  const inIndex = session.inputNames.indexOf(m.input.name);
  const outIndex = session.outputNames.indexOf(m.output.name);
  if (inIndex < 0) throw new ModelRefused(`the model has no input "${m.input.name}" (it has ${session.inputNames.join(', ')})`);
  if (outIndex < 0) throw new ModelRefused(`the model has no output "${m.output.name}" (it has ${session.outputNames.join(', ')})`);
  if (!shapeFits(dimsOf(session.inputMetadata[inIndex]), [null, 3, m.input.size, m.input.size])) {
    throw new ModelRefused(`the model's input is ${JSON.stringify(dimsOf(session.inputMetadata[inIndex]))}, the manifest says [N, 3, ${m.input.size}, ${m.input.size}]`);
  }
  if (!shapeFits(dimsOf(session.outputMetadata[outIndex]), [null, m.output.size])) {
    throw new ModelRefused(`the model's output is ${JSON.stringify(dimsOf(session.outputMetadata[outIndex]))}, the manifest says [N, ${m.output.size}]`);
  }
}

/** Two images of the mean colour through the model: the output must be what the manifest promises. */
async function trialRun(session: ort.InferenceSession, m: ModelManifest): Promise<void> {
  const size = m.input.size;
  const input = new ort.Tensor('float32', new Float32Array(2 * 3 * size * size), [2, 3, size, size]);
  let out: ort.Tensor | undefined;
  try {
    out = (await session.run({ [m.input.name]: input }))[m.output.name] as ort.Tensor | undefined;
  } catch (err) {
    throw new ModelRefused(`a trial run failed: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!out || out.dims.length !== 2 || out.dims[0] !== 2 || out.dims[1] !== m.output.size) {
    throw new ModelRefused(`a trial run gave ${JSON.stringify(out?.dims)}, the manifest says [2, ${m.output.size}]`);
  }
  const data = out.data as Float32Array;
  for (let row = 0; row < 2; row++) {
    let norm = 0;
    for (let k = 0; k < m.output.size; k++) norm += data[row * m.output.size + k]! ** 2;
    if (!(Math.abs(Math.sqrt(norm) - 1) < 1e-3)) throw new ModelRefused(`a trial run gave an embedding of length ${Math.sqrt(norm).toFixed(3)}, the manifest promises unit length`);
  }
}

/** The loaded model as recognition uses it. */
export function embeddingModel(loaded: LoadedModel): EmbeddingModel {
  const { manifest, session } = loaded;
  const size = manifest.input.size;
  return {
    manifest,
    async embed(input, batch) {
      const feeds = { [manifest.input.name]: new ort.Tensor('float32', input, [batch, 3, size, size]) };
      const out = (await session.run(feeds))[manifest.output.name] as ort.Tensor;
      return out.data as Float32Array;
    },
  };
}
