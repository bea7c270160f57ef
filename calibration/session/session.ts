// The scale as the calibration procedures see it, whether the service holds
// it (the control socket) or the tool does (the drivers, service stopped).
// The procedures are written once against this and run the same either way.
import type { LiveReading, ScaleInfo } from '../../firmware/control/index.js';
import type { CellCalibration } from '../../firmware/domain.js';
import type { AuditEntry, MetrologyCounters } from '../../firmware/storage/metrology-store.js';

export interface CalibrationToApply {
  calibration: CellCalibration[];
  what: 'zero' | 'span';
  details?: unknown;
}

export interface History {
  entries: AuditEntry[];
  counters: MetrologyCounters;
}

export interface ScaleSession {
  readonly via: 'service' | 'direct';
  info(): Promise<ScaleInfo>;
  /** One reading per sample; returns a function that stops them. */
  onReading(listener: (reading: LiveReading) => void): () => void;
  /** Heard once if the session ends by itself (the service stopped). */
  onLost(listener: (why: string) => void): void;
  /** No shopping session may start until close(); refused while one is under way. */
  enterMaintenance(technician: string): Promise<void>;
  /** Stores the calibration with its audit entry and applies it to the scale at once. */
  apply(change: CalibrationToApply): Promise<AuditEntry>;
  /** Zero-setting of the scale (not stored): false unless stable on four cells. */
  zero(): Promise<boolean>;
  history(limit?: number): Promise<History>;
  /** Leaves maintenance mode and lets go of the scale. */
  close(): Promise<void>;
}

/** The session could not do what was asked: refused, lost, or not reachable. */
export class SessionError extends Error {}
