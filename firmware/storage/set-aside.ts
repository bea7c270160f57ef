// The record, kept in the clean database, that an earlier one was set aside
// as damaged, and whether the basket was taken back from the store since: a
// cart that lost its database says so in health and telemetry for as long as
// this database lives, not only in one log line at the start that made it.
import type { Db } from './database.js';

export interface SetAside {
  /** Wall-clock label of the start that set the old database aside. */
  at: string;
  movedTo: string;
  /** What SQLite said about the old file. */
  reason: string;
  /** Wall-clock label of the commit that took the basket back from the store's snapshot; null while it has not. */
  basketTakenBackAt: string | null;
}

const keys = { at: 'set_aside_at', movedTo: 'set_aside_to', reason: 'set_aside_reason' } as const;

export function recordSetAside(db: Db, record: Omit<SetAside, 'basketTakenBackAt'>): void {
  const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  db.transaction(() => {
    for (const [field, key] of Object.entries(keys)) put.run(key, record[field as keyof typeof keys]);
  })();
}

export function readSetAside(db: Db): SetAside | null {
  const rows = db.prepare(`SELECT key, value FROM meta WHERE key IN ('set_aside_at', 'set_aside_to', 'set_aside_reason')`).all() as { key: string; value: string }[];
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  const at = value(keys.at);
  if (at === undefined) return null;
  const restored = db.prepare(`SELECT wall FROM event_log WHERE kind = 'basket-restored' ORDER BY seq LIMIT 1`).get() as { wall: string } | undefined;
  return { at, movedTo: value(keys.movedTo) ?? '', reason: value(keys.reason) ?? '', basketTakenBackAt: restored?.wall ?? null };
}
