// The scale as the calibration tool reaches it, wherever the scale runs: in
// the service (through the control socket) or in the tool itself when the
// service is stopped. It hands out a LiveReading after every sample, stores a
// new calibration with its audit entry and applies it to the running scale
// at once, and sets zero.
import type { ScaleHardwareHealth } from '../../drivers/loadcell/index.js';
import type { CellCalibration, Seconds } from '../domain.js';
import type { Logger } from '../log.js';
import type { AuditEntry, MetrologyCounters, MetrologyStore } from '../storage/metrology-store.js';
import { checkCalibration } from '../weight/calibration.js';
import type { Scale } from '../weight/scale.js';
import { liveReading, type LiveReading } from './live-reading.js';

export interface ScaleHostDeps {
  scale: Scale;
  /** The calibration the scale was built with. */
  calibration: readonly CellCalibration[];
  metrology: MetrologyStore;
  hardware: () => ScaleHardwareHealth;
  clock: () => Seconds;
  /** Wall-clock label for the audit trail. */
  wall: () => string;
  log: Logger;
}

export interface NewCalibration {
  calibration: readonly CellCalibration[];
  what: 'zero' | 'span';
  by: string;
  details?: unknown;
}

export type ReadingListener = (reading: LiveReading) => void;

export class ScaleHost {
  #calibration: CellCalibration[];
  readonly #listeners = new Set<ReadingListener>();

  constructor(private readonly deps: ScaleHostDeps) {
    this.#calibration = deps.calibration.map((c) => ({ ...c }));
  }

  calibration(): CellCalibration[] {
    return this.#calibration.map((c) => ({ ...c }));
  }

  counters(): MetrologyCounters {
    return this.deps.metrology.counters();
  }

  history(limit?: number): AuditEntry[] {
    return this.deps.metrology.history(limit);
  }

  /** Returns a function that removes the listener. */
  onReading(listener: ReadingListener): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Called after the scale has taken a sample. */
  sampled(): void {
    if (this.#listeners.size === 0) return;
    const reading = liveReading(this.deps.scale.reading(), this.#calibration, this.deps.hardware());
    for (const listener of this.#listeners) {
      try {
        listener(reading);
      } catch (err) {
        this.deps.log.error('a reading listener threw; it is dropped', { error: (err as Error).message });
        this.#listeners.delete(listener);
      }
    }
  }

  /**
   * Stored first, then applied: if the database refuses, the scale keeps the
   * calibration it had, and what the scale uses is always what is on record.
   */
  apply(change: NewCalibration): AuditEntry {
    checkCalibration(change.calibration);
    const after = change.calibration.map((c) => ({ offset: c.offset, countsPerGram: c.countsPerGram }));
    const entry = this.deps.metrology.applyCalibration({
      before: this.#calibration, after, by: change.by, what: change.what, details: change.details, wall: this.deps.wall(),
    });
    this.deps.scale.setCalibration(after);
    this.#calibration = after;
    this.deps.log.info('calibration applied', { what: change.what, by: change.by, calibrationCounter: entry.counter });
    return entry;
  }

  /** The scale's zero-setting (a tare of the empty basket); false unless stable on four cells. */
  zero(): boolean {
    return this.deps.scale.tare(this.deps.clock());
  }
}
