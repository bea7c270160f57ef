// The scale's legal-metrology records in SQLite: the calibration in force and
// the audit trail that stands in for a physical seal. NIST HB44 2.20 S.1.11
// (Table S.1.11, category 2) asks for two event counters, one for calibration
// and one for configuration parameters, each moved by every change; category 3
// adds an event logger with the parameter and its new value (we keep the old
// one too). Counters and entries only ever grow: nothing here deletes a row.
import type { CellCalibration } from '../domain.js';
import type { Db } from './database.js';

export type MetrologyKind = 'calibration' | 'configuration';

export interface MetrologyCounters {
  calibration: number;
  configuration: number;
}

export interface AuditEntry {
  seq: number;
  kind: MetrologyKind;
  /** The counter of this kind after the change. */
  counter: number;
  /** Wall-clock label for humans (the cart has no RTC); seq is the order. */
  wall: string;
  /** The technician, or what made the change (`service start` for a config file edited). */
  by: string;
  /** What changed: `zero`, `span`, or the configuration keys. */
  what: string;
  old: unknown;
  new: unknown;
  details: unknown;
}

export interface CalibrationChange {
  /** The calibration in force, which this one replaces. */
  before: readonly CellCalibration[];
  after: readonly CellCalibration[];
  by: string;
  what: string;
  details?: unknown;
  wall: string;
}

interface AuditRow {
  seq: number;
  kind: MetrologyKind;
  counter: number;
  wall: string;
  by: string;
  what: string;
  old: string | null;
  new: string;
  details: string | null;
}

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

function entryOf(row: AuditRow): AuditEntry {
  return { ...row, old: parse(row.old), new: parse(row.new), details: parse(row.details) };
}

/** JSON with keys in order, so that the same settings always compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The top-level keys whose values differ. */
function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.filter((k) => canonical(before[k]) !== canonical(after[k]));
}

export class MetrologyStore {
  constructor(private readonly db: Db) {}

  /** The calibration stored by cart-cal, or null before the first one (the config's factory calibration applies). */
  calibration(): CellCalibration[] | null {
    const rows = this.db.prepare('SELECT offset, counts_per_gram AS countsPerGram FROM calibration ORDER BY channel').all() as CellCalibration[];
    return rows.length === 4 ? rows : null;
  }

  counters(): MetrologyCounters {
    const rows = this.db.prepare('SELECT kind, MAX(counter) AS counter FROM metrology_audit GROUP BY kind').all() as { kind: MetrologyKind; counter: number }[];
    const counters: MetrologyCounters = { calibration: 0, configuration: 0 };
    for (const r of rows) counters[r.kind] = r.counter;
    return counters;
  }

  /** Stores a new calibration and its audit entry in one transaction; the calibration counter moves by one. */
  applyCalibration(change: CalibrationChange): AuditEntry {
    return this.db.transaction(() => {
      const counter = this.counters().calibration + 1;
      const seq = this.insert('calibration', counter, change.wall, change.by, change.what, change.before, change.after, change.details ?? null);
      const upsert = this.db.prepare(
        'INSERT INTO calibration (channel, offset, counts_per_gram, changed_seq) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT(channel) DO UPDATE SET offset = excluded.offset, counts_per_gram = excluded.counts_per_gram, changed_seq = excluded.changed_seq',
      );
      change.after.forEach((c, channel) => upsert.run(channel, c.offset, c.countsPerGram, seq));
      return this.entry(seq);
    }).immediate();
  }

  /**
   * Compares the metrological settings in force with the last recorded ones.
   * The first record is the baseline (counter 0, not a change); after that any
   * difference is one change, however many keys it touches. Returns the new
   * entry, or null when nothing changed.
   */
  recordConfiguration(settings: Record<string, unknown>, by: string, wall: string): AuditEntry | null {
    return this.db.transaction(() => {
      const last = this.db.prepare(`SELECT * FROM metrology_audit WHERE kind = 'configuration' ORDER BY seq DESC LIMIT 1`).get() as AuditRow | undefined;
      if (!last) return this.entry(this.insert('configuration', 0, wall, by, 'baseline', null, settings, null));
      const before = JSON.parse(last.new) as Record<string, unknown>;
      const keys = changedKeys(before, settings);
      if (keys.length === 0) return null;
      return this.entry(this.insert('configuration', last.counter + 1, wall, by, keys.join(','), before, settings, null));
    }).immediate();
  }

  /** The audit trail, newest first. */
  history(limit = 1000): AuditEntry[] {
    const rows = this.db.prepare('SELECT * FROM metrology_audit ORDER BY seq DESC LIMIT ?').all(limit) as AuditRow[];
    return rows.map(entryOf);
  }

  private insert(kind: MetrologyKind, counter: number, wall: string, by: string, what: string, old: unknown, next: unknown, details: unknown): number {
    const result = this.db
      .prepare('INSERT INTO metrology_audit (kind, counter, wall, by, what, old, new, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(kind, counter, wall, by, what, old === null ? null : canonical(old), canonical(next), details === null ? null : canonical(details));
    return Number(result.lastInsertRowid);
  }

  private entry(seq: number): AuditEntry {
    return entryOf(this.db.prepare('SELECT * FROM metrology_audit WHERE seq = ?').get(seq) as AuditRow);
  }
}
