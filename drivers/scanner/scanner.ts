// The barcode scanner as the rest of the cart sees it: a source of frames
// (one decoded barcode each, as the scanner sent it), a health record, and a
// good-read / bad-read signal back to the scanner.

/** One barcode as the scanner sent it, its framing removed. */
export interface Frame {
  /** Monotonic seconds of the read that completed the frame (the one holding its suffix, or the end of the silence that closed it). */
  atSec: number;
  /** The AIM symbology identifier (`]` and two characters, e.g. `]E0`), null when the scanner sent none. */
  symbology: string | null;
  /** Printable ASCII and GS (29), nothing else. */
  data: string;
}

/** ESPHome-style status: degraded operation is declared, not silent. */
export type ScannerStatus = 'stopped' | 'starting' | 'ok' | 'reconnecting';

export interface ScannerHealth {
  status: ScannerStatus;
  path: string;
  /** Times the port was (re)opened since start. */
  opens: number;
  /** Times the port was lost since start. */
  disconnects: number;
  /** The last open or I/O error, null when none since the last good open. */
  lastError: string | null;
  /** Monotonic seconds of the last byte received, null before the first. */
  lastByteAtSec: number | null;
  frames: number;
  /** Bytes thrown away: line noise, overlong lines. */
  discardedBytes: number;
}

/** Good-read / bad-read commands differ by scanner family; "none" sends nothing. */
export type ScannerFamily = 'none' | 'honeywell' | 'zebra-ssi';

type Facts = Record<string, string | number | boolean | null | undefined>;

/** The part of the firmware logger that drivers use; drivers import no firmware code, the firmware's Logger fits. */
export interface ScannerLog {
  debug(message: string, facts?: Facts): void;
  info(message: string, facts?: Facts): void;
  warn(message: string, facts?: Facts): void;
  error(message: string, facts?: Facts): void;
  child(module: string): ScannerLog;
}

export interface Scanner {
  start(): Promise<void>;
  stop(): Promise<void>;
  on(event: 'frame', listener: (frame: Frame) => void): this;
  off(event: 'frame', listener: (frame: Frame) => void): this;
  health(): ScannerHealth;
  /** Tells the scanner the last code was accepted and saved (ok) or refused, so its beep means that. */
  signal(ok: boolean): Promise<void>;
}
