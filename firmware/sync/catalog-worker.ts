// The main thread's side of the catalog worker (catalog-thread.ts): one
// thread, started with the first catalog update and kept for the next ones,
// checks each update off the main thread. A large update it then builds
// beside the catalog in use itself, on its own database connection, so that
// the main thread only swaps it in: receiving the products and inserting
// them on the main thread, a thousand at a time, still left gaps of 30 ms in
// the load cell sampling. A small delta's products are handed over. A thread
// that dies fails what was asked of it, and the next update starts a new one.
import type { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Product } from '../domain.js';
import { StagingStopped } from '../storage/catalog-staging.js';
import type { CatalogCheck } from './catalog-check.js';
import type { CatalogHeader } from './catalog-version.js';

export type CatalogPart = 'products' | 'upsert' | 'remove';

export type CheckedCatalog =
  | { ok: true; header: CatalogHeader; counts: Record<CatalogPart, number> }
  | Extract<CatalogCheck, { ok: false }>;

/** What the thread is started with: `stopFlag[0]` turns 1 when the cart stops. */
export interface CatalogThreadData {
  stopFlag: Int32Array;
}

/** Where the cart's database is and how many rows a transaction writes. */
export interface StageRequest {
  dbPath: string;
  chunkRows: number;
}

export type CatalogThreadRequest =
  /** storeKeyDer: the store's public key (SPKI, DER); null when the cart has none. */
  | { id: number; kind: 'check'; payload: Uint8Array; storeKeyDer: Uint8Array | null }
  | { id: number; kind: 'slice'; ref: number; part: CatalogPart; from: number; count: number }
  | ({ id: number; kind: 'stage'; ref: number } & StageRequest)
  | ({ id: number; kind: 'discard-old' } & StageRequest)
  | { id: number; kind: 'release'; ref: number };

export type CatalogThreadReply =
  | { id: number; kind: 'check'; checked: CheckedCatalog }
  | { id: number; kind: 'slice'; items: unknown[] }
  /** catalog_next is complete and holds `products`. */
  | { id: number; kind: 'staged'; products: number }
  | { id: number; kind: 'done' }
  | { id: number; kind: 'failed'; name: string; error: string };

/**
 * Compiled, this module sits beside catalog-thread.js. Run from the sources
 * (tests, benchmarks, under tsx) it sits beside catalog-thread.ts, and the
 * thread registers the TypeScript loader before it imports that.
 */
function newThread(workerData: CatalogThreadData): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./catalog-thread.js', import.meta.url), { workerData });
  const source = new URL('./catalog-thread.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`, { eval: true, workerData });
}

/** A checked update the thread holds until it is released. */
export interface HeldCatalog {
  checked: CheckedCatalog;
  /** Products of a part, handed to the main thread. */
  slice<T = Product>(part: CatalogPart, from: number, count: number): Promise<T[]>;
  /** Builds catalog_next from the update (catalog-staging.ts) and resolves with the number of products it holds. */
  stage(at: StageRequest): Promise<number>;
  release(): void;
}

type Asked = Extract<CatalogThreadRequest, { kind: 'check' | 'slice' | 'stage' | 'discard-old' }>;
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Pending = { resolve: (reply: CatalogThreadReply) => void; reject: (err: Error) => void };

export class CatalogWorker {
  #thread: Worker | null = null;
  readonly #stopFlag = new Int32Array(new SharedArrayBuffer(4));
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  #running(): Worker {
    if (this.#thread) return this.#thread;
    const thread = newThread({ stopFlag: this.#stopFlag });
    const fail = (err: Error) => {
      if (this.#thread !== thread) return;
      this.#thread = null;
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    };
    thread.on('message', (reply: CatalogThreadReply) => {
      const p = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (this.#pending.size === 0) thread.unref();
      if (reply.kind === 'failed') p?.reject(reply.name === 'StagingStopped' ? new StagingStopped(reply.error) : new Error(reply.error));
      else p?.resolve(reply);
    });
    thread.on('error', fail);
    thread.on('exit', (code) => fail(new Error(`the catalog worker exited with code ${code}`)));
    // An idle thread does not keep the process alive; one with work asked of it does.
    thread.unref();
    this.#thread = thread;
    return thread;
  }

  #request(req: WithoutId<Asked>, transfer: ArrayBuffer[] = []): Promise<CatalogThreadReply> {
    const thread = this.#running();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      thread.ref();
      thread.postMessage({ ...req, id }, transfer);
    });
  }

  /**
   * Checks an update in the thread. A payload that owns its whole memory (a
   * large MQTT message is assembled into a buffer of its own) is moved there
   * and is unusable here afterwards; a view into a shared buffer is copied.
   */
  async check(payload: Uint8Array, storeKey: KeyObject | null): Promise<HeldCatalog> {
    const whole = payload.byteOffset === 0 && payload.byteLength === payload.buffer.byteLength && payload.buffer instanceof ArrayBuffer;
    const copy = whole ? payload : new Uint8Array(payload);
    const storeKeyDer = storeKey ? new Uint8Array(storeKey.export({ type: 'spki', format: 'der' })) : null;
    const reply = await this.#request({ kind: 'check', payload: copy, storeKeyDer }, [copy.buffer as ArrayBuffer]);
    if (reply.kind !== 'check') throw new Error(`catalog worker answered ${reply.kind} to a check`);
    const ref = reply.id;
    return {
      checked: reply.checked,
      slice: async <T>(part: CatalogPart, from: number, count: number) => {
        const r = await this.#request({ kind: 'slice', ref, part, from, count });
        if (r.kind !== 'slice') throw new Error(`catalog worker answered ${r.kind} to a slice`);
        return r.items as T[];
      },
      stage: async (at: StageRequest) => {
        const r = await this.#request({ kind: 'stage', ref, ...at });
        if (r.kind !== 'staged') throw new Error(`catalog worker answered ${r.kind} to a stage`);
        return r.products;
      },
      release: () => this.#thread?.postMessage({ id: this.#nextId++, kind: 'release', ref } satisfies CatalogThreadRequest),
    };
  }

  /** Empties and drops catalog_old, left by a swap. */
  async discardOld(at: StageRequest): Promise<void> {
    const r = await this.#request({ kind: 'discard-old', ...at });
    if (r.kind !== 'done') throw new Error(`catalog worker answered ${r.kind} to a discard`);
  }

  /** From now on the thread abandons a build between two chunks (StagingStopped); `stop` ends it. */
  stopping(): void {
    Atomics.store(this.#stopFlag, 0, 1);
    Atomics.notify(this.#stopFlag, 0);
  }

  async stop(): Promise<void> {
    this.stopping();
    const thread = this.#thread;
    this.#thread = null;
    await thread?.terminate();
  }
}
