// The main thread's side of the inference worker: requests go out as
// messages and come back as promises, so the event loop (and with it the
// 80 Hz load cell sampling) never waits for the model. The worker keeps the
// last model it accepted; if it dies, it is started again after a capped,
// doubling wait and given that model and its references again.
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log.js';
import type { ModelManifest } from './manifest.js';
import type { ReferenceSet } from './match.js';
import type { WorkerReply, WorkerRequest, WorkerSettings } from './protocol.js';
import type { Recognition, ViewPair } from './recognise.js';

export type InferenceStatus = 'starting' | 'ok' | 'no-model' | 'no-references' | 'restarting' | 'stopped';

export interface InferenceHealth {
  status: InferenceStatus;
  /** Version of the model in use, null before one is accepted. */
  model: string | null;
  /** Products with reference embeddings. */
  products: number;
  restarts: number;
  lastError: string | null;
}

export class ModelRefusedError extends Error {}

/** Request kinds and what their replies carry. */
type Kind = WorkerRequest['kind'];
type ReplyOf<K extends Kind> = Extract<WorkerReply, { ok: true; kind: K }>;
type Pending = { resolve: (reply: WorkerReply) => void; reject: (err: Error) => void };
type Body<K extends Kind> = Omit<Extract<WorkerRequest, { kind: K }>, 'id' | 'kind'>;

/**
 * Compiled, this module sits beside worker.js. Run from the sources (tests,
 * benchmarks, under tsx) it sits beside worker.ts, and the worker thread has
 * to register the TypeScript loader itself before it can import that.
 */
function newWorker(settings: WorkerSettings): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { workerData: settings });
  const source = new URL('./worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true, workerData: settings });
}

/** Only a buffer a view covers whole can be handed over; a view into a larger one is copied. */
function transferable(views: readonly ViewPair[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of views) {
    for (const a of [v.before, v.after]) {
      if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) out.add(a.buffer);
    }
  }
  return [...out];
}

export class InferenceWorker {
  #worker: Worker | null = null;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #modelDir: string | null = null;
  #manifest: ModelManifest | null = null;
  #refs: ReferenceSet | null = null;
  #restarts = 0;
  #crashesInRow = 0;
  #lastError: string | null = null;
  #status: InferenceStatus = 'stopped';
  #restartTimer: NodeJS.Timeout | null = null;

  constructor(private readonly settings: WorkerSettings, private readonly log: Logger, private readonly retry = { firstSec: 1, maxSec: 30 }) {}

  get manifest(): ModelManifest | null {
    return this.#manifest;
  }

  start(): void {
    if (this.#worker) return;
    this.#status = 'starting';
    this.#spawn();
  }

  async stop(): Promise<void> {
    this.#status = 'stopped';
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = null;
    const worker = this.#worker;
    this.#worker = null;
    await worker?.terminate();
  }

  health(): InferenceHealth {
    return { status: this.#status, model: this.#manifest?.version ?? null, products: this.#refs?.gtins.length ?? 0, restarts: this.#restarts, lastError: this.#lastError };
  }

  /** Loads the model in `dir`; a model that is refused leaves the one in use (if any) in place, and the promise rejects with why. */
  async load(dir: string): Promise<ModelManifest> {
    let reply: ReplyOf<'load'>;
    try {
      reply = await this.#request('load', { dir });
    } catch (err) {
      const facts = { dir, error: (err as Error).message };
      if (this.#manifest) this.log.warn('model refused; the model in use stays', { ...facts, inUse: this.#manifest.version });
      else {
        this.log.error('model refused; no model in use, so no product guesses: the cart goes on with scans and weight', facts);
        this.#status = 'no-model';
      }
      throw err;
    }
    const changed = this.#manifest?.version !== reply.manifest.version;
    this.#modelDir = dir;
    this.#manifest = reply.manifest;
    if (changed && this.#refs && this.#refs.model !== reply.manifest.version) this.#refs = null;
    this.#status = this.#refs ? 'ok' : 'no-references';
    this.log.info('model loaded', { name: reply.manifest.name, version: reply.manifest.version, threads: this.settings.threads });
    return reply.manifest;
  }

  async setReferences(refs: ReferenceSet): Promise<void> {
    await this.#request('references', { refs });
    this.#refs = refs;
    this.#status = 'ok';
    this.log.info('product references in use', { products: refs.gtins.length, model: refs.model });
  }

  /** The frames are handed to the worker: the caller must not use them afterwards. */
  async recognise(views: ViewPair[], removal: boolean, topK: number): Promise<Recognition> {
    return (await this.#request('recognise', { views, removal, topK }, transferable(views))).recognition;
  }

  async embed(views: ViewPair[], removal: boolean): Promise<(Float32Array | null)[]> {
    return (await this.#request('embed', { views, removal }, transferable(views))).embeddings;
  }

  #request<K extends Kind>(kind: K, body: Body<K>, transfer: ArrayBuffer[] = []): Promise<ReplyOf<K>> {
    const worker = this.#worker;
    if (!worker) return Promise.reject(new Error('the inference worker is not running'));
    const id = this.#nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, kind, ...body }, transfer);
    }).then((reply) => {
      if (!reply.ok) throw reply.refused ? new ModelRefusedError(reply.error) : new Error(reply.error);
      return reply as ReplyOf<K>;
    });
  }

  #spawn(): void {
    this.#restartTimer = null;
    const worker = newWorker(this.settings);
    this.#worker = worker;
    worker.on('message', (reply: WorkerReply) => {
      const pending = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      pending?.resolve(reply);
    });
    worker.on('error', (err) => this.#lost(worker, `inference worker failed: ${err.message}`));
    worker.on('exit', (code) => this.#lost(worker, `inference worker exited with ${code}`));
    if (this.#modelDir) void this.#restore();
  }

  /** A new worker gets the model and references the old one had. */
  async #restore(): Promise<void> {
    try {
      await this.load(this.#modelDir!);
      if (this.#refs) await this.setReferences(this.#refs);
      this.#crashesInRow = 0;
      this.#lastError = null;
    } catch (err) {
      this.#lastError = (err as Error).message;
    }
  }

  #lost(worker: Worker, reason: string): void {
    if (this.#worker !== worker) return;
    this.#worker = null;
    for (const p of this.#pending.values()) p.reject(new Error(reason));
    this.#pending.clear();
    if (this.#status === 'stopped') return;
    this.#restarts++;
    this.#crashesInRow++;
    this.#lastError = reason;
    this.#status = 'restarting';
    const waitSec = Math.min(this.retry.maxSec, this.retry.firstSec * 2 ** (this.#crashesInRow - 1));
    if (this.#crashesInRow === 1) this.log.error('product recognition stopped; the cart goes on with scans and weight, starting it again', { error: reason, retryInSec: waitSec });
    this.#restartTimer = setTimeout(() => this.#spawn(), waitSec * 1000);
  }
}
