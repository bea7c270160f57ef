// Takes catalog updates from the store and answers each one. The catalog
// worker checks it (JSON, schema, the store's signature) off the main thread;
// catalog-version.ts decides, against the version held, whether to apply it,
// ignore it or ask for a full copy; a full catalog or a large delta is built
// beside the old one a chunk at a time (catalog-staging.ts), a small delta
// is applied in one transaction. Whatever happens, a catalog.result goes in
// the cart's message stream; an applied one commits in the same transaction
// as the new version. Updates are handled one at a time, in arrival order.
import type { KeyObject } from 'node:crypto';
import type { Logger } from '../log.js';
import type { BasketStore, CatalogStore } from '../storage/basket-store.js';
import { CatalogStaging, pauseForEventLoop, type PartReader } from '../storage/catalog-staging.js';
import type { Db } from '../storage/database.js';
import type { Product } from '../domain.js';
import { CatalogWorker, type CatalogPart } from './catalog-worker.js';
import { catalogAction } from './catalog-version.js';
import type { CatalogResult } from './schemas.js';

export type CatalogOutcome = 'applied' | 'ignored' | 'rejected' | { requestFullFrom: number };

/** A result as queued: the link adds v, stream, seq and id when it sends it. */
type QueuedCatalogResult = Omit<CatalogResult, 'v' | 'stream' | 'seq' | 'id' | 'type'>;

export interface CatalogSyncDeps {
  db: Db;
  catalog: CatalogStore;
  basket: BasketStore;
  publicKey: KeyObject | null;
  log: Logger;
  /** Rows a transaction writes at most; a delta with fewer changes is applied at once. */
  chunkRows?: number;
}

/** A thousand rows: a transaction of them takes a few milliseconds, well inside a load cell tick. */
export const defaultCatalogChunkRows = 1000;

export class CatalogSync {
  #queue: Promise<unknown> = Promise.resolve();
  #stopping = false;
  readonly #worker = new CatalogWorker();
  readonly #staging: CatalogStaging;
  readonly #chunkRows: number;

  constructor(private readonly d: CatalogSyncDeps) {
    this.#chunkRows = d.chunkRows ?? defaultCatalogChunkRows;
    this.#staging = new CatalogStaging(d.db, d.catalog, { chunkRows: this.#chunkRows, pause: pauseForEventLoop, stopped: () => this.#stopping });
  }

  /** Handles one update after those before it; resolves once its outcome and answer are committed. */
  handle(payload: Uint8Array, topic: string): Promise<CatalogOutcome> {
    const next = this.#queue.then(() => this.#handle(payload, topic));
    this.#queue = next.catch(() => {});
    return next;
  }

  /** Abandons an update under way between two chunks (its old catalog stays), waits for it to let go, and ends the worker. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#queue;
    await this.#worker.stop();
  }

  #answer(result: QueuedCatalogResult): void {
    this.d.basket.queueMessage('events', { type: 'catalog.result', ...result });
  }

  async #handle(payload: Uint8Array, topic: string): Promise<CatalogOutcome> {
    const { catalog, log } = this.d;
    const reader = await this.#worker.check(payload, this.d.publicKey);
    try {
      const { checked } = reader;
      const held = catalog.version();
      if (!checked.ok) {
        const { echo } = checked;
        this.#answer({
          status: 'rejected', catalog: echo.catalog, version: echo.version, ...(echo.baseVersion === undefined ? {} : { baseVersion: echo.baseVersion }),
          heldVersion: held, products: catalog.size, reason: checked.reason, detail: checked.detail, ...(checked.field === undefined ? {} : { field: checked.field }),
        });
        log.warn('catalog update rejected; the cart keeps the catalog it has and tells the store', { topic, reason: checked.reason, why: checked.detail, version: echo.version ?? undefined, held });
        return 'rejected';
      }
      const { header, counts } = checked;
      const about = { catalog: header.type, version: header.version, ...(header.type === 'catalog.delta' ? { baseVersion: header.baseVersion } : {}) };
      const decision = catalogAction(held, header);
      switch (decision.action) {
        case 'ignore':
          this.#answer({ status: 'ignored', ...about, heldVersion: held, products: catalog.size, reason: decision.reason, detail: decision.why });
          log.info('catalog update ignored; the store is told', { topic, why: decision.why });
          return 'ignored';
        case 'request-full':
          this.#answer({ status: 'full-requested', ...about, heldVersion: held, products: catalog.size, reason: decision.reason, detail: decision.why });
          log.info('catalog delta does not fit; asking the store for a full copy', { why: decision.why });
          return { requestFullFrom: held };
        case 'apply':
          break;
      }
      const part = <T>(name: CatalogPart): PartReader<T> => ({ total: counts[name], read: (from, count) => reader.slice<T>(name, from, count) });
      const applied = (products: number) => this.#answer({ status: 'applied', ...about, heldVersion: header.version, products });
      const started = performance.now();
      if (header.type === 'catalog.full') {
        await this.#staging.replace(part<Product>('products'), header.version, applied);
        log.info('catalog replaced', { from: held, to: header.version, products: counts.products, ms: Math.round(performance.now() - started) });
      } else if (counts.upsert + counts.remove > this.#chunkRows) {
        await this.#staging.patch(part<Product>('upsert'), part<string>('remove'), header.version, applied);
        log.info('catalog updated', { from: held, to: header.version, changed: counts.upsert, removed: counts.remove, ms: Math.round(performance.now() - started) });
      } else {
        const [upsert, remove] = await Promise.all([reader.slice<Product>('upsert', 0, counts.upsert), reader.slice<string>('remove', 0, counts.remove)]);
        this.d.db.transaction(() => {
          catalog.applyDelta(upsert, remove, header.version);
          applied(catalog.size);
        })();
        log.info('catalog updated', { from: held, to: header.version, changed: counts.upsert, removed: counts.remove });
      }
      return 'applied';
    } finally {
      reader.release();
    }
  }
}
