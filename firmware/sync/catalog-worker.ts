// The main thread's side of the catalog worker (catalog-thread.ts): one
// thread, started with the first catalog update and kept for the next ones,
// checks each update off the main thread and then hands its products over a
// slice at a time, as they are asked for. Receiving a slice of a few
// thousand products takes the main thread about a millisecond; receiving
// 200,000 at once would stall it about as long as parsing them did. A thread
// that dies fails what was asked of it, and the next update starts a new one.
import type { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Product } from '../domain.js';
import type { CatalogCheck } from './catalog-check.js';
import type { CatalogHeader } from './catalog-version.js';

export type CatalogPart = 'products' | 'upsert' | 'remove';

export type CheckedCatalog =
  | { ok: true; header: CatalogHeader; counts: Record<CatalogPart, number> }
  | Extract<CatalogCheck, { ok: false }>;

export type CatalogThreadRequest =
  /** storeKeyDer: the store's public key (SPKI, DER); null when the cart has none. */
  | { id: number; kind: 'check'; payload: Uint8Array; storeKeyDer: Uint8Array | null }
  | { id: number; kind: 'slice'; ref: number; part: CatalogPart; from: number; count: number }
  | { id: number; kind: 'release'; ref: number };

export type CatalogThreadReply =
  | { id: number; kind: 'check'; checked: CheckedCatalog }
  | { id: number; kind: 'slice'; items: unknown[] }
  | { id: number; kind: 'failed'; error: string };

/**
 * Compiled, this module sits beside catalog-thread.js. Run from the sources
 * (tests, benchmarks, under tsx) it sits beside catalog-thread.ts, and the
 * thread registers the TypeScript loader before it imports that.
 */
function newThread(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./catalog-thread.js', import.meta.url));
  const source = new URL('./catalog-thread.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`, { eval: true });
}

/** A checked update the thread holds: its products are read with `slice` until it is released. */
export interface HeldCatalog {
  checked: CheckedCatalog;
  slice<T = Product>(part: CatalogPart, from: number, count: number): Promise<T[]>;
  release(): void;
}

type Asked = Extract<CatalogThreadRequest, { kind: 'check' | 'slice' }>;
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Pending = { resolve: (reply: CatalogThreadReply) => void; reject: (err: Error) => void };

export class CatalogWorker {
  #thread: Worker | null = null;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  #running(): Worker {
    if (this.#thread) return this.#thread;
    const thread = newThread();
    const fail = (err: Error) => {
      if (this.#thread !== thread) return;
      this.#thread = null;
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    };
    thread.on('message', (reply: CatalogThreadReply) => {
      const p = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (reply.kind === 'failed') p?.reject(new Error(reply.error));
      else p?.resolve(reply);
    });
    thread.on('error', fail);
    thread.on('exit', (code) => fail(new Error(`the catalog worker exited with code ${code}`)));
    // An idle thread does not keep the process alive.
    thread.unref();
    this.#thread = thread;
    return thread;
  }

  #request(req: WithoutId<Asked>, transfer: ArrayBuffer[] = []): Promise<CatalogThreadReply> {
    const thread = this.#running();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
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
      release: () => this.#thread?.postMessage({ id: this.#nextId++, kind: 'release', ref } satisfies CatalogThreadRequest),
    };
  }

  async stop(): Promise<void> {
    const thread = this.#thread;
    this.#thread = null;
    await thread?.terminate();
  }
}
