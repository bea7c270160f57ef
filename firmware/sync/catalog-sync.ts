// Takes catalog updates from the store and answers each one. The catalog
// worker checks it (JSON, schema, the store's signature) off the main thread;
// catalog-version.ts decides, against the version held, whether to apply it,
// ignore it or ask for a full copy; the worker builds a full catalog or a
// large delta beside the old one (catalog-staging.ts) and the main thread
// swaps it in, in one short transaction; a small delta is applied in one
// transaction. Whatever happens, a catalog.result goes in the cart's message
// stream; an applied one commits in the same transaction as the new version.
// Updates are handled one at a time, in arrival order.
import type { KeyObject } from 'node:crypto';
import type { Logger } from '../log.js';
import type { BasketStore, CatalogStore } from '../storage/basket-store.js';
import { StagingStopped, swapInStaged } from '../storage/catalog-staging.js';
import type { Db } from '../storage/database.js';
import type { Product } from '../domain.js';
import { CatalogWorker, type StageRequest } from './catalog-worker.js';
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
  /** Rows the worker writes in one transaction; a delta with no more changes is applied at once on the main thread. */
  chunkRows?: number;
}

/**
 * Rows a transaction of the worker writes: a basket commit waiting for the
 * write lock waits about as long as one holds it (on the development machine
 * at load average 5.8, 0.7 ms median, 90 % under 1.2 ms); a delta of this
 * many changes takes the main thread about as long.
 */
export const defaultCatalogChunkRows = 250;

export class CatalogSync {
  #queue: Promise<unknown> = Promise.resolve();
  readonly #worker = new CatalogWorker();
  readonly #chunkRows: number;
  readonly #at: StageRequest;

  constructor(private readonly d: CatalogSyncDeps) {
    this.#chunkRows = d.chunkRows ?? defaultCatalogChunkRows;
    // The worker opens the same file; a database in memory (no file) cannot be shared with it.
    if (d.db.memory) throw new Error('catalog updates need the cart database on disk: the catalog worker opens the same file');
    this.#at = { dbPath: d.db.name, chunkRows: this.#chunkRows };
  }

  /** Handles one update after those before it; resolves once its outcome and answer are committed. */
  handle(payload: Uint8Array, topic: string): Promise<CatalogOutcome> {
    const next = this.#queue.then(() => this.#handle(payload, topic));
    this.#queue = next.catch(() => {});
    return next;
  }

  /** Abandons an update under way between two chunks (its old catalog stays), waits for it to let go, and ends the worker. */
  async stop(): Promise<void> {
    this.#worker.stopping();
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
      const started = performance.now();
      if (header.type === 'catalog.full' || counts.upsert + counts.remove > this.#chunkRows) {
        const size = await reader.stage(this.#at);
        swapInStaged(this.d.db, catalog, header.version, size, (products) => this.#answer({ status: 'applied', ...about, heldVersion: header.version, products }));
        log.info(header.type === 'catalog.full' ? 'catalog replaced' : 'catalog updated', {
          from: held, to: header.version, products: size, ...(header.type === 'catalog.delta' ? { changed: counts.upsert, removed: counts.remove } : {}),
          ms: Math.round(performance.now() - started),
        });
        await this.#discardOld();
      } else {
        const [upsert, remove] = await Promise.all([reader.slice<Product>('upsert', 0, counts.upsert), reader.slice<string>('remove', 0, counts.remove)]);
        this.d.db.transaction(() => {
          catalog.applyDelta(upsert, remove, header.version);
          this.#answer({ status: 'applied', ...about, heldVersion: header.version, products: catalog.size });
        }).immediate();
        log.info('catalog updated', { from: held, to: header.version, changed: counts.upsert, removed: counts.remove });
      }
      return 'applied';
    } finally {
      reader.release();
    }
  }

  /** The old catalog's table, emptied by the worker: the update is applied and answered whatever happens here. */
  async #discardOld(): Promise<void> {
    try {
      await this.#worker.discardOld(this.#at);
    } catch (err) {
      if (!(err instanceof StagingStopped)) {
        this.d.log.warn('the old catalog table could not be emptied; the new catalog is in use and the next update clears it', { error: (err as Error).message });
      }
    }
  }
}
