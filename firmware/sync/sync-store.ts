// What the store link keeps in the cart's SQLite database beside the basket:
// the stream id of the message sequence, the newest accepted command and its
// result, the lock, shopping sessions, and telemetry waiting for the link. A command's
// effect, its place in the command sequence and its result message commit in
// one transaction, so a restart never leaves one without the others.
import { randomBytes } from 'node:crypto';
import type { BasketStore } from '../storage/basket-store.js';
import type { Db } from '../storage/database.js';
import type { CommandMark } from './command-check.js';
import type { CommandResult } from './schemas.js';
import type { ActiveSession } from './session-rules.js';
import { telemetryToThin } from './telemetry.js';

/** A result as queued: the link adds v, stream, seq and id when it sends it. */
export type QueuedResult = Omit<CommandResult, 'v' | 'stream' | 'seq' | 'id' | 'type' | 'basketSeq'>;

export type CommandEffect =
  | { kind: 'session-start'; sessionId: string; shopper: string }
  | { kind: 'session-end'; sessionId: string }
  | { kind: 'lock'; locked: boolean };

/** The result of the command that holds the mark, as first queued, and its seq in the stream. */
export interface KeptResult {
  result: QueuedResult;
  seq: number;
}

export interface QueuedTelemetry {
  id: number;
  payload: string;
}

export class SyncStore {
  #stream: string | null = null;

  constructor(private readonly db: Db, private readonly basket: BasketStore) {}

  #meta(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  #setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** This database's message stream: made once, with the database, so a replaced database starts a new one. */
  stream(): string {
    if (this.#stream) return this.#stream;
    this.#stream = this.db.transaction(() => {
      const held = this.#meta('sync_stream');
      if (held) return held;
      const made = randomBytes(8).toString('hex');
      this.#setMeta('sync_stream', made);
      return made;
    }).immediate();
    return this.#stream;
  }

  commandMark(): CommandMark {
    return { seq: Number(this.#meta('command_seq') ?? 0), id: this.#meta('command_id') };
  }

  /** The result given to the command that holds the mark; null before the first, or in a database older than this field. */
  keptResult(): KeptResult | null {
    const held = this.#meta('command_result');
    return held ? (JSON.parse(held) as KeptResult) : null;
  }

  locked(): boolean {
    return this.#meta('locked') === '1';
  }

  activeSession(): ActiveSession | null {
    const row = this.db.prepare('SELECT id, shopper, started_seq AS startedSeq FROM sessions WHERE ended_seq IS NULL ORDER BY started_seq DESC LIMIT 1')
      .get() as ActiveSession | undefined;
    return row ?? null;
  }

  sessionEnded(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM sessions WHERE id = ? AND ended_seq IS NOT NULL').get(id) !== undefined;
  }

  lastEndedSessionId(): string | null {
    const row = this.db.prepare('SELECT id FROM sessions WHERE ended_seq IS NOT NULL ORDER BY ended_seq DESC LIMIT 1').get() as { id: string } | undefined;
    return row?.id ?? null;
  }

  /**
   * Commits a command's outcome: its effect, the command mark with the result
   * (when the command used up its seq) and the result for the store. Returns
   * the result's sequence number.
   */
  recordCommand(result: QueuedResult, mark: CommandMark | null, effect: CommandEffect | null): number {
    return this.db.transaction(() => {
      const seq = this.basket.queueMessage('events', { type: 'command.result', ...result, basketSeq: this.basket.lastBasketSeq() });
      if (mark) {
        this.#setMeta('command_seq', String(mark.seq));
        if (mark.id !== null) this.#setMeta('command_id', mark.id);
        this.#setMeta('command_result', JSON.stringify({ result, seq } satisfies KeptResult));
      }
      if (effect?.kind === 'session-start') {
        this.db.prepare('INSERT INTO sessions (id, shopper, started_seq) VALUES (?, ?, ?)').run(effect.sessionId, effect.shopper, seq);
      } else if (effect?.kind === 'session-end') {
        this.db.prepare('UPDATE sessions SET ended_seq = ? WHERE id = ? AND ended_seq IS NULL').run(seq, effect.sessionId);
      } else if (effect?.kind === 'lock') {
        this.#setMeta('locked', effect.locked ? '1' : '0');
      }
      return seq;
    }).immediate();
  }

  /** Queues telemetry, thinning the older half when the queue is full. Returns how many old rows were dropped. */
  pushTelemetry(payload: string, maxRows: number): number {
    return this.db.transaction(() => {
      const ids = (this.db.prepare('SELECT id FROM telemetry_queue ORDER BY id').all() as { id: number }[]).map((r) => r.id);
      const drop = telemetryToThin(ids, maxRows);
      const del = this.db.prepare('DELETE FROM telemetry_queue WHERE id = ?');
      for (const id of drop) del.run(id);
      this.db.prepare('INSERT INTO telemetry_queue (payload) VALUES (?)').run(payload);
      return drop.length;
    }).immediate();
  }

  pendingTelemetry(limit: number): QueuedTelemetry[] {
    return this.db.prepare('SELECT id, payload FROM telemetry_queue ORDER BY id LIMIT ?').all(limit) as QueuedTelemetry[];
  }

  acknowledgeTelemetry(id: number): void {
    this.db.prepare('DELETE FROM telemetry_queue WHERE id = ?').run(id);
  }

  telemetryDepth(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM telemetry_queue').get() as { n: number }).n;
  }
}
