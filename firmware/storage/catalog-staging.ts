// A large catalog update applied without stopping the cart: the new catalog
// is built beside the old one, in a table of its own (catalog_next), by the
// catalog worker thread on a connection of its own to the cart's database
// (WAL: the main thread reads the old catalog meanwhile). Building it on the
// main thread, even a thousand rows a transaction, kept the event loop busy
// with the inserts themselves and left gaps of 30 ms and more in the load
// cell sampling (issue 15). The worker writes in short transactions and
// leaves the write lock free between them at least as long as it held it, so
// that a basket commit on the main thread, waiting for the lock
// (busy_timeout), waits a few milliseconds at most. Shopping goes on with
// the old catalog until the new one is complete; then the main thread swaps
// it in with one short transaction (swapInStaged) that renames the tables,
// sets the version and queues the store's answer, so that a power cut leaves
// the old catalog or the new one, never a mix. The worker then empties the
// old table the same way, a chunk at a time. A crash mid-way leaves a
// catalog_next or catalog_old behind, which the next update clears first.
import Database from 'better-sqlite3';
import type { Product } from '../domain.js';
import type { CatalogStore } from './basket-store.js';
import type { Db } from './database.js';

export interface StagingOptions {
  /** Rows in one transaction. */
  chunkRows: number;
  /** Between two transactions: `heldMs` is how long the last one held the write lock. */
  pause: (heldMs: number) => void;
  /** True once the cart stops: the update is abandoned between two chunks, the old catalog stays. */
  stopped: () => boolean;
}

export class StagingStopped extends Error {
  override name = 'StagingStopped';
}

const columns = 'gtin, name, grams, grams_sd, price_cents, by_weight';

/**
 * The staging's own connection to the cart's database file. Chunks commit
 * without an fsync (synchronous NORMAL): losing some to a power cut costs
 * nothing, and the swap, committed with the cart's synchronous=FULL, makes
 * everything before it durable too. The busy timeout lets a chunk wait for a
 * basket commit of the main thread.
 */
export function openStagingConnection(path: string): Db {
  const db = new Database(path, { fileMustExist: true });
  try {
    const mode = db.pragma('journal_mode', { simple: true });
    // In rollback-journal mode a writer locks readers out: the cart could not read its catalog while a new one is built.
    if (mode !== 'wal') throw new Error(`the cart database is in journal mode ${String(mode)}, not WAL; a catalog cannot be built beside the one in use`);
    db.pragma('busy_timeout = 2000');
    db.pragma('synchronous = NORMAL');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Builds catalog_next on the worker's connection; everything here runs in the catalog worker thread. */
export class CatalogStaging {
  constructor(private readonly db: Db, private readonly o: StagingOptions) {}

  /** One chunk, in a transaction that takes the write lock at once; then the pause. */
  #chunk<T>(write: () => T): T {
    if (this.o.stopped()) throw new StagingStopped('the cart is stopping; the catalog update is abandoned and the old catalog stays');
    const started = performance.now();
    const result = this.db.transaction(write).immediate();
    this.o.pause(performance.now() - started);
    return result;
  }

  #exists(table: string): boolean {
    return this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) !== undefined;
  }

  /** Empties a table a chunk at a time, then drops it: one DROP of a large table would hold the write lock while SQLite frees every page. */
  #discard(table: string): void {
    if (!this.#exists(table)) return;
    const chunk = this.db.prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} LIMIT ?)`);
    while (this.#chunk(() => chunk.run(this.o.chunkRows).changes) > 0);
    this.#chunk(() => this.db.exec(`DROP TABLE ${table}`));
  }

  #begin(): void {
    this.#discard('catalog_next');
    this.#discard('catalog_old');
    // The catalog table's own definition, renamed: the two cannot drift apart (SQLite quotes the name after a RENAME).
    const sql = this.db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'catalog'`).pluck().get() as string;
    this.#chunk(() => this.db.exec(sql.replace(/^CREATE TABLE\s+("catalog"|catalog)/, 'CREATE TABLE catalog_next')));
  }

  #putAll(products: readonly Product[]): void {
    const insert = this.db.prepare(`INSERT OR REPLACE INTO catalog_next (${columns}) VALUES (?, ?, ?, ?, ?, ?)`);
    for (let from = 0; from < products.length; from += this.o.chunkRows) {
      this.#chunk(() => {
        for (const p of products.slice(from, from + this.o.chunkRows)) insert.run(p.gtin, p.name, p.grams, p.gramsSd, p.priceCents, p.byWeight ? 1 : 0);
      });
    }
  }

  /**
   * The rows of catalog_next, once it is complete. The WAL is checkpointed
   * here first, off the main thread: otherwise the swap's commit, finding a
   * thousand pages or more in it, would checkpoint them itself.
   */
  #countNext(): number {
    this.db.pragma('wal_checkpoint(PASSIVE)');
    return this.db.prepare('SELECT count(*) FROM catalog_next').pluck().get() as number;
  }

  /** A full catalog: catalog_next holds `products`. Returns the number of products it holds. */
  buildFull(products: readonly Product[]): number {
    this.#begin();
    this.#putAll(products);
    return this.#countNext();
  }

  /** A delta too large for one transaction: the catalog held, copied beside, with `remove` dropped and `upsert` put. */
  buildPatch(upsert: readonly Product[], remove: readonly string[]): number {
    this.#begin();
    const maxRowid = (this.db.prepare('SELECT max(rowid) FROM catalog').pluck().get() as number | null) ?? 0;
    const copy = this.db.prepare(`INSERT INTO catalog_next (${columns}) SELECT ${columns} FROM catalog WHERE rowid > ? AND rowid <= ?`);
    for (let from = 0; from < maxRowid; from += this.o.chunkRows) this.#chunk(() => copy.run(from, from + this.o.chunkRows));
    const drop = this.db.prepare('DELETE FROM catalog_next WHERE gtin = ?');
    for (let from = 0; from < remove.length; from += this.o.chunkRows) {
      this.#chunk(() => {
        for (const gtin of remove.slice(from, from + this.o.chunkRows)) drop.run(gtin);
      });
    }
    this.#putAll(upsert);
    return this.#countNext();
  }

  /** After the swap: the old catalog's table, emptied and dropped. */
  discardOld(): void {
    this.#discard('catalog_old');
  }
}

/**
 * The swap, on the main thread's connection: one short transaction renames
 * catalog_next (of `size` products) to catalog, sets `version` and runs
 * `inSwap`, which queues what the store hears.
 */
export function swapInStaged(db: Db, catalog: CatalogStore, version: number, size: number, inSwap: (products: number) => void): void {
  db.transaction(() => {
    // The worker made catalog_next and dropped a catalog_old on its own
    // connection. ALTER TABLE checks names against this connection's cached
    // schema when it is prepared, and only a statement run here refreshes
    // that cache: this one.
    if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'catalog_next'`).get()) throw new Error('there is no catalog_next to swap in');
    db.exec('ALTER TABLE catalog RENAME TO catalog_old; ALTER TABLE catalog_next RENAME TO catalog');
    db.prepare(`INSERT INTO meta (key, value) VALUES ('catalog_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(String(version));
    inSwap(size);
  }).immediate();
  catalog.swappedIn(size);
}
