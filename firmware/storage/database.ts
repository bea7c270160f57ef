// Opening the cart's SQLite database: pragmas, versioned migrations, and what
// to do when the file is damaged.
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, renameSync, rmSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../log.js';
import { storageFaultOf, StorageUnavailableError } from './faults.js';
import { recordSetAside } from './set-aside.js';

export type Db = Database.Database;

// Each entry moves the schema one version up; PRAGMA user_version holds the version reached.
const migrations: string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   -- Append-only: every accepted input and every decision, in order. at_sec is
   -- monotonic time within boot; wall is a label for humans, never an order.
   CREATE TABLE event_log (
     seq INTEGER PRIMARY KEY,
     boot INTEGER NOT NULL,
     at_sec REAL NOT NULL,
     wall TEXT NOT NULL,
     kind TEXT NOT NULL,
     body TEXT NOT NULL
   );
   CREATE TABLE basket_lines (gtin TEXT PRIMARY KEY, qty INTEGER NOT NULL, grams REAL NOT NULL);
   -- The reconciler's whole state after event_log row seq, so that a restart
   -- does not have to fold the log.
   CREATE TABLE basket_state (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, state TEXT NOT NULL);
   -- seq is the cart's message sequence number: AUTOINCREMENT so that a number
   -- is never reused after its row is deleted on PUBACK.
   CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, payload TEXT NOT NULL);
   CREATE TABLE catalog (
     gtin TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     grams REAL NOT NULL,
     grams_sd REAL NOT NULL,
     price_cents INTEGER NOT NULL,
     by_weight INTEGER NOT NULL
   );
   CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     shopper TEXT NOT NULL,
     started_seq INTEGER NOT NULL,
     ended_seq INTEGER
   );
   CREATE TABLE calibration (
     channel INTEGER PRIMARY KEY,
     offset REAL NOT NULL,
     counts_per_gram REAL NOT NULL,
     changed_seq INTEGER NOT NULL
   );`,
  // Store sync: telemetry waiting for the link. Kept out of the outbox so that
  // thinning it while the link is down leaves no gap in the cart's message
  // sequence, which the store checks for continuity.
  `CREATE TABLE telemetry_queue (id INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL);`,
  // Sealing by audit trail (NIST HB44 2.20 S.1.11, categories 2 and 3; OIML
  // R76-1 4.1.2.4): every change of calibration or of metrological
  // configuration, with old and new values. `counter` is the event counter of
  // its kind after the change; calibration.changed_seq refers to seq here.
  `CREATE TABLE metrology_audit (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     kind TEXT NOT NULL CHECK (kind IN ('calibration', 'configuration')),
     counter INTEGER NOT NULL,
     wall TEXT NOT NULL,
     by TEXT NOT NULL,
     what TEXT NOT NULL,
     old TEXT,
     new TEXT NOT NULL,
     details TEXT,
     UNIQUE (kind, counter)
   );`,
];

export const schemaVersion = migrations.length;

export class DatabaseError extends Error {}

function migrate(db: Db): void {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > migrations.length) {
    throw new DatabaseError(`database schema version ${from} is newer than this firmware knows (${migrations.length})`);
  }
  for (let v = from; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

function openChecked(path: string): Db {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    // better-sqlite3 leaves WAL databases at NORMAL, where a power cut can lose
    // the last transactions: a basket change the shopper was told about must
    // survive, so every commit waits for the disk.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // The catalog worker writes this file from a connection of its own
    // (catalog-staging.ts). busy_timeout covers waiting for its write lock; a
    // transaction that reads before it writes must also begin IMMEDIATE, or
    // SQLite refuses its first write (SQLITE_BUSY_SNAPSHOT) whenever the
    // worker committed after the read.
    db.pragma('busy_timeout = 2000');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new DatabaseError(`integrity check failed: ${String(check)}`);
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export interface OpenedDatabase {
  db: Db;
  /** Where a damaged database was moved to, when the cart had to start clean. */
  setAside: string | null;
}

/** A storage error other than corruption, as the error the cart stops with; anything else unchanged. */
export function unavailableOr(err: unknown, path: string): unknown {
  const fault = storageFaultOf(err);
  if (!fault || fault === 'corrupt') return err;
  const code = (err as { code: string }).code;
  return new StorageUnavailableError(fault === 'io' ? ioCause(dirname(path)) : fault, path, `${code}: ${(err as Error).message}`);
}

/**
 * SQLite reports a full or read-only disk met while making its -wal or -shm
 * file as a plain I/O error (SQLITE_IOERR_*, SQLITE_CANTOPEN): the file
 * system itself says which it is.
 */
function ioCause(dir: string): 'full' | 'read-only' | 'io' {
  try {
    accessSync(dir, constants.W_OK);
  } catch (err) {
    if (storageFaultOf(err) === 'read-only') return 'read-only';
  }
  try {
    const fs = statfsSync(dir);
    // Less than the few pages a commit needs.
    if (fs.bavail * fs.bsize < 64 * 1024) return 'full';
  } catch {
    // No answer: an I/O error it stays.
  }
  return 'io';
}

function isCorrupt(err: unknown): boolean {
  return storageFaultOf(err) === 'corrupt' || (err instanceof DatabaseError && err.message.startsWith('integrity check failed'));
}

/**
 * Opens the database. Only when SQLite finds it corrupt or not a database is
 * it moved aside for diagnosis and a clean one started (recorded in it, for
 * health, telemetry and taking the basket back from the store): a cart that
 * cannot read its database must still start, not loop on a crash. A full,
 * read-only, locked or failing disk leaves the file where it is and throws
 * StorageUnavailableError: moving a healthy database aside would lose the
 * basket, the boot count and the catalog for a fault that freeing space or a
 * remount cures.
 */
export function openDatabase(path: string, log: Logger, nowLabel: () => string = () => new Date().toISOString()): OpenedDatabase {
  try {
    return { db: openChecked(path), setAside: null };
  } catch (err) {
    if (!isCorrupt(err)) throw unavailableOr(err, path);
    const at = nowLabel();
    const aside = `${path}.damaged-${at.replace(/[:.]/g, '-')}`;
    const moved: string[] = [];
    try {
      for (const suffix of ['', '-wal', '-shm']) {
        if (!existsSync(path + suffix)) continue;
        renameSync(path + suffix, aside + suffix);
        moved.push(suffix);
      }
      const db = openChecked(path);
      recordSetAside(db, { at, movedTo: aside, reason: (err as Error).message });
      log.error('database unreadable, moved aside; the cart starts with an empty basket and takes back the last one the store acknowledged',
        { path, movedTo: aside, error: (err as Error).message, code: (err as { code?: string }).code });
      return { db, setAside: aside };
    } catch (cleanErr) {
      // The clean start failed too (a full disk, say): put the damaged files
      // back, so that the next start finds them and sets them aside with a record.
      for (const suffix of ['-wal', '-shm']) rmSync(path + suffix, { force: true });
      for (const suffix of moved) renameSync(aside + suffix, path + suffix);
      throw unavailableOr(cleanErr, path);
    }
  }
}
