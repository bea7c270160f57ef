// A large catalog update applied without stopping the cart: the new catalog
// is built beside the old one, in a table of its own (catalog_next), in
// transactions of a thousand rows or so with a pause between
// them, so that the load cell sampling and the store link run in between.
// Shopping goes on with the old catalog until the new one is complete; then
// one short transaction renames the tables, sets the version and queues the
// store's answer, so that a power cut leaves the old catalog or the new one,
// never a mix. The old table is emptied afterwards the same way, a chunk at
// a time. A crash mid-way leaves a catalog_next or catalog_old behind, which
// the next update clears first.
import type { Product } from '../domain.js';
import type { CatalogStore } from './basket-store.js';
import type { Db } from './database.js';

export interface StagingOptions {
  /** Rows in one transaction. */
  chunkRows: number;
  /** Lets the event loop run between chunks. */
  pause: () => Promise<void>;
  /** True once the cart stops: the update is abandoned between two chunks, the old catalog stays. */
  stopped: () => boolean;
}

/** Reads `count` items from `from` of an update's part (the catalog worker holds them). */
export interface PartReader<T> {
  total: number;
  read(from: number, count: number): Promise<T[]>;
}

export class StagingStopped extends Error {
  override name = 'StagingStopped';
}

const columns = 'gtin, name, grams, grams_sd, price_cents, by_weight';
export const pauseForEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class CatalogStaging {
  constructor(private readonly db: Db, private readonly catalog: CatalogStore, private readonly o: StagingOptions) {}

  async #step(): Promise<void> {
    await this.o.pause();
    if (this.o.stopped()) throw new StagingStopped('the cart is stopping; the catalog update is abandoned and the old catalog stays');
  }

  /** One chunk's writes, committed without an fsync; basket commits between chunks keep the connection's setting. */
  #unsynced(write: () => void): void {
    const was = this.db.pragma('synchronous', { simple: true }) as number;
    this.db.pragma('synchronous = NORMAL');
    try {
      this.db.transaction(write)();
    } finally {
      this.db.pragma(`synchronous = ${was}`);
    }
  }

  #exists(table: string): boolean {
    return this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) !== undefined;
  }

  /** Empties a table a chunk at a time, then drops it: one DROP of a large table would hold the thread while SQLite frees every page. */
  async #discard(table: string): Promise<void> {
    if (!this.#exists(table)) return;
    const chunk = this.db.prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} LIMIT ?)`);
    for (;;) {
      let changes = 0;
      this.#unsynced(() => void (changes = chunk.run(this.o.chunkRows).changes));
      if (changes === 0) break;
      await this.#step();
    }
    this.db.exec(`DROP TABLE ${table}`);
  }

  async #begin(): Promise<void> {
    await this.#discard('catalog_next');
    await this.#discard('catalog_old');
    // The catalog table's own definition, renamed: the two cannot drift apart (SQLite quotes the name after a RENAME).
    const sql = this.db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'catalog'`).pluck().get() as string;
    this.db.exec(sql.replace(/^CREATE TABLE\s+("catalog"|catalog)/, 'CREATE TABLE catalog_next'));
  }

  async #putAll(part: PartReader<Product>): Promise<void> {
    const insert = this.db.prepare(`INSERT OR REPLACE INTO catalog_next (${columns}) VALUES (?, ?, ?, ?, ?, ?)`);
    for (let from = 0; from < part.total; from += this.o.chunkRows) {
      const products = await part.read(from, this.o.chunkRows);
      this.#unsynced(() => {
        for (const p of products) insert.run(p.gtin, p.name, p.grams, p.gramsSd, p.priceCents, p.byWeight ? 1 : 0);
      });
      await this.#step();
    }
  }

  /** Rows of catalog_next, counted a range of rowids at a time. */
  async #countNext(): Promise<number> {
    const maxRowid = (this.db.prepare('SELECT max(rowid) FROM catalog_next').pluck().get() as number | null) ?? 0;
    const range = this.db.prepare('SELECT count(*) FROM catalog_next WHERE rowid > ? AND rowid <= ?').pluck();
    let rows = 0;
    for (let from = 0; from < maxRowid; from += 10 * this.o.chunkRows) {
      rows += range.get(from, from + 10 * this.o.chunkRows) as number;
      await this.#step();
    }
    return rows;
  }

  /** The swap: one short transaction; `inSwap` queues what the store hears, with the number of products now held. */
  async #swap(version: number, inSwap: (products: number) => void): Promise<void> {
    const size = await this.#countNext();
    this.db.transaction(() => {
      this.db.exec('ALTER TABLE catalog RENAME TO catalog_old; ALTER TABLE catalog_next RENAME TO catalog');
      this.db.prepare(`INSERT INTO meta (key, value) VALUES ('catalog_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(String(version));
      inSwap(size);
    })();
    this.catalog.swappedIn(size);
    await this.#discard('catalog_old');
  }

  /** A full catalog: `products` become the whole catalog at `version`. */
  async replace(products: PartReader<Product>, version: number, inSwap: (products: number) => void): Promise<void> {
    await this.#begin();
    await this.#putAll(products);
    await this.#swap(version, inSwap);
  }

  /** A delta too large for one transaction: the catalog held, copied beside, with `remove` dropped and `upsert` put. */
  async patch(upsert: PartReader<Product>, remove: PartReader<string>, version: number, inSwap: (products: number) => void): Promise<void> {
    await this.#begin();
    const maxRowid = (this.db.prepare('SELECT max(rowid) AS m FROM catalog').get() as { m: number | null }).m ?? 0;
    const copy = this.db.prepare(`INSERT INTO catalog_next (${columns}) SELECT ${columns} FROM catalog WHERE rowid > ? AND rowid <= ?`);
    for (let from = 0; from < maxRowid; from += this.o.chunkRows) {
      this.#unsynced(() => void copy.run(from, from + this.o.chunkRows));
      await this.#step();
    }
    const drop = this.db.prepare('DELETE FROM catalog_next WHERE gtin = ?');
    for (let from = 0; from < remove.total; from += this.o.chunkRows) {
      const gtins = await remove.read(from, this.o.chunkRows);
      this.#unsynced(() => {
        for (const gtin of gtins) drop.run(gtin);
      });
      await this.#step();
    }
    await this.#putAll(upsert);
    await this.#swap(version, inSwap);
  }
}
