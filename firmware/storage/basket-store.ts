// The basket in SQLite: each reconciler outcome is one transaction that appends
// the input and its decisions to the event log, updates the basket projection
// and the saved state, and queues the messages for the store in the outbox.
// Nothing is told to the shopper or the store before that transaction commits.
import type { Product } from '../domain.js';
import { basketLines, type BasketLine } from '../basket/lines.js';
import { emptyBasket, reconcile, type Outcome } from '../basket/reconciler.js';
import type { BasketInput, BasketState, Catalog, Decision, ReconcilerConfig } from '../basket/types.js';
import type Database from 'better-sqlite3';
import type { Db } from './database.js';

/** Decisions the store hears about; the rest stay in the cart's own log. */
const storeDecisions = new Set<Decision['kind']>(['add', 'remove', 'alert', 'alert-resolved', 'personal-item']);

export interface OutboxMessage {
  seq: number;
  topic: string;
  payload: string;
}

export interface Committed {
  /** The event_log sequence number of the last row written. */
  seq: number;
  decisions: Decision[];
}

export class BasketStore {
  readonly boot: number;
  #state: BasketState;
  // Made once, the transaction too: every commit runs them (compiling them each time was a third of a commit's cost).
  readonly #insertEvent: Database.Statement;
  readonly #setLastBasketSeq: Database.Statement;
  readonly #saveState: Database.Statement;
  readonly #clearLines: Database.Statement;
  readonly #insertLine: Database.Statement;
  readonly #insertOutbox: Database.Statement;
  readonly #write: Database.Transaction<(input: BasketInput, outcome: Outcome) => number>;

  constructor(private readonly db: Db, private readonly wallLabel: () => string = () => new Date().toISOString()) {
    this.boot = db.transaction(() => {
      const row = db.prepare(`SELECT value FROM meta WHERE key = 'boot'`).get() as { value: string } | undefined;
      const boot = row ? Number(row.value) + 1 : 1;
      db.prepare(`INSERT INTO meta (key, value) VALUES ('boot', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(String(boot));
      return boot;
    })();
    const saved = db.prepare('SELECT state FROM basket_state WHERE id = 1').get() as { state: string } | undefined;
    this.#state = saved ? (JSON.parse(saved.state) as BasketState) : emptyBasket();
    this.#insertEvent = db.prepare('INSERT INTO event_log (boot, at_sec, wall, kind, body) VALUES (?, ?, ?, ?, ?)');
    this.#setLastBasketSeq = db.prepare(`INSERT INTO meta (key, value) VALUES ('last_basket_seq', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
    this.#saveState = db.prepare('INSERT INTO basket_state (id, seq, state) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, state = excluded.state');
    this.#clearLines = db.prepare('DELETE FROM basket_lines');
    this.#insertLine = db.prepare('INSERT INTO basket_lines (gtin, qty, grams) VALUES (?, ?, ?)');
    this.#insertOutbox = db.prepare('INSERT INTO outbox (topic, payload) VALUES (?, ?)');
    this.#write = db.transaction((input: BasketInput, outcome: Outcome) => this.#writeRows(input, outcome));
  }

  get state(): BasketState {
    return this.#state;
  }

  /**
   * Writes an outcome. An input that changed nothing and decided nothing is
   * not logged (time passing, a status that did not change the basket).
   */
  commit(input: BasketInput, outcome: Outcome): Committed | null {
    const changed = outcome.decisions.length > 0 || input.kind !== 'tick';
    if (!changed) {
      this.#state = outcome.state;
      return null;
    }
    const seq = this.#write(input, outcome);
    this.#state = outcome.state;
    return { seq, decisions: outcome.decisions };
  }

  /** The commit's rows, in one transaction (run through #write); returns the event_log seq of the last. */
  #writeRows(input: BasketInput, outcome: Outcome): number {
    const wall = this.wallLabel();
    const insert = this.#insertEvent;
    let last = Number(insert.run(this.boot, input.atSec, wall, 'input', JSON.stringify(input)).lastInsertRowid);
    let basketSeq: number | null = null;
    for (const d of outcome.decisions) {
      last = Number(insert.run(this.boot, d.atSec, wall, d.kind, JSON.stringify(d)).lastInsertRowid);
      if (storeDecisions.has(d.kind)) basketSeq = this.queueMessage('events', { type: 'basket', boot: this.boot, logSeq: last, ...d });
    }
    if (basketSeq !== null) {
      this.#setLastBasketSeq.run(String(basketSeq));
    }
    if (outcome.decisions.some((d) => d.kind === 'add' || d.kind === 'remove' || d.kind === 'basket-restored')) this.#writeLines(outcome.state);
    this.#saveState.run(last, JSON.stringify(outcome.state));
    return last;
  }

  #writeLines(state: BasketState): void {
    this.#clearLines.run();
    for (const line of basketLines(state)) this.#insertLine.run(line.gtin, line.qty, line.grams);
  }

  lines(): BasketLine[] {
    return this.db.prepare('SELECT gtin, qty, grams FROM basket_lines ORDER BY gtin').all() as BasketLine[];
  }

  /** Folds every logged input through the reconciler again: must give the saved state. */
  rebuild(catalog: Catalog, config: ReconcilerConfig): BasketState {
    let state = emptyBasket();
    const rows = this.db.prepare(`SELECT body FROM event_log WHERE kind = 'input' ORDER BY seq`).iterate() as Iterable<{ body: string }>;
    for (const row of rows) state = reconcile(state, JSON.parse(row.body) as BasketInput, catalog, config).state;
    return state;
  }

  pendingMessages(limit: number): OutboxMessage[] {
    return this.db.prepare('SELECT seq, topic, payload FROM outbox ORDER BY seq LIMIT ?').all(limit) as OutboxMessage[];
  }

  /**
   * Queues a message for the store behind everything already queued and
   * returns its sequence number. Inside a caller's transaction it commits
   * together with the state change it reports.
   */
  queueMessage(topic: string, body: object): number {
    return Number(this.#insertOutbox.run(topic, JSON.stringify(body)).lastInsertRowid);
  }

  /** Messages still waiting, oldest first, after the one numbered `seq` (the ones before it are in flight). */
  messagesAfter(seq: number, limit: number): OutboxMessage[] {
    return this.db.prepare('SELECT seq, topic, payload FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?').all(seq, limit) as OutboxMessage[];
  }

  /** The sequence number of the last message ever queued, sent or not; 0 before the first. */
  lastQueuedSeq(): number {
    const row = this.db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'outbox'`).get() as { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  /** The sequence number of the last basket change or alert queued for the store; 0 before the first. */
  lastBasketSeq(): number {
    const row = this.db.prepare(`SELECT value FROM meta WHERE key = 'last_basket_seq'`).get() as { value: string } | undefined;
    return row ? Number(row.value) : 0;
  }

  /** The store has the message (PUBACK): it can go. */
  acknowledge(seq: number): void {
    this.db.prepare('DELETE FROM outbox WHERE seq = ?').run(seq);
  }

  outboxDepth(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  }
}

interface ProductRow { gtin: string; name: string; grams: number; grams_sd: number; price_cents: number; by_weight: number }

/**
 * The catalog the store sent, kept in SQLite and read from there by GTIN (a
 * primary-key lookup, microseconds). Not held in a map: 200,000 products
 * would be some 100 MB of JavaScript heap on a Pi, and collecting a heap
 * that size stalls the main thread, load cell sampling included, for
 * hundreds of milliseconds.
 */
export class CatalogStore implements Catalog {
  #size: number;
  readonly #byGtin: Database.Statement<[string], ProductRow>;
  /**
   * leastGrams reads every product (14-20 ms for 200,000 on the bench
   * machine, several times that on a Pi, with the sampler waiting); it is
   * asked for a few times a trip and changes only with the catalog, so it
   * is kept until the catalog changes.
   */
  #least: { sigmas: number; byWeightSigmas: number; grams: number | null } | null = null;

  constructor(private readonly db: Db) {
    this.#size = db.prepare('SELECT count(*) FROM catalog').pluck().get() as number;
    this.#byGtin = db.prepare('SELECT gtin, name, grams, grams_sd, price_cents, by_weight FROM catalog WHERE gtin = ?');
  }

  get(gtin: string): Product | undefined {
    const r = this.#byGtin.get(gtin);
    return r && { gtin: r.gtin, name: r.name, grams: r.grams, gramsSd: r.grams_sd, priceCents: r.price_cents, byWeight: r.by_weight === 1 };
  }

  leastGrams(sigmas: number, byWeightSigmas: number): number | null {
    const kept = this.#least;
    if (kept && kept.sigmas === sigmas && kept.byWeightSigmas === byWeightSigmas) return kept.grams;
    const grams = this.db.prepare('SELECT min(grams - (CASE by_weight WHEN 1 THEN ? ELSE ? END) * grams_sd) FROM catalog').pluck().get(byWeightSigmas, sigmas) as number | null;
    this.#least = { sigmas, byWeightSigmas, grams };
    return grams;
  }

  get size(): number {
    return this.#size;
  }

  replace(products: Product[], version: number): void {
    this.#least = null;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM catalog').run();
      const insert = this.db.prepare('INSERT INTO catalog (gtin, name, grams, grams_sd, price_cents, by_weight) VALUES (?, ?, ?, ?, ?, ?)');
      for (const p of products) insert.run(p.gtin, p.name, p.grams, p.gramsSd, p.priceCents, p.byWeight ? 1 : 0);
      this.db.prepare(`INSERT INTO meta (key, value) VALUES ('catalog_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(String(version));
    })();
    this.#size = new Set(products.map((p) => p.gtin)).size;
  }

  /** Adds or replaces `upsert`, drops `remove`, and moves to `version`, in one transaction. */
  applyDelta(upsert: Product[], remove: string[], version: number): void {
    this.#least = null;
    this.#size = this.db.transaction(() => {
      let size = this.#size;
      const drop = this.db.prepare('DELETE FROM catalog WHERE gtin = ?');
      for (const gtin of remove) size -= drop.run(gtin).changes;
      const put = this.db.prepare(`INSERT INTO catalog (gtin, name, grams, grams_sd, price_cents, by_weight) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(gtin) DO UPDATE SET name = excluded.name, grams = excluded.grams, grams_sd = excluded.grams_sd, price_cents = excluded.price_cents, by_weight = excluded.by_weight`);
      for (const p of upsert) {
        if (!this.#byGtin.get(p.gtin)) size++;
        put.run(p.gtin, p.name, p.grams, p.gramsSd, p.priceCents, p.byWeight ? 1 : 0);
      }
      this.db.prepare(`INSERT INTO meta (key, value) VALUES ('catalog_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(String(version));
      return size;
    })();
  }

  version(): number {
    const row = this.db.prepare(`SELECT value FROM meta WHERE key = 'catalog_version'`).get() as { value: string } | undefined;
    return row ? Number(row.value) : 0;
  }

  /** catalog-staging.ts has just swapped in a catalog table of `size` products. */
  swappedIn(size: number): void {
    this.#size = size;
    this.#least = null;
  }
}
