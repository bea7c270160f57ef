// A cart camera as the rest of the cart sees it: a ring of its latest frames,
// a health record, and a diagnostic still on request. Frames are never
// written anywhere by the driver; they live in the ring until overwritten.
import type { FrameRing } from './ring.js';

/** ESPHome-style status: degraded operation is declared, not silent. */
export type CameraStatus = 'stopped' | 'starting' | 'ok' | 'restarting';

export interface CameraHealth {
  id: string;
  status: CameraStatus;
  /** Times the camera app was started since start(). */
  starts: number;
  /** Times the camera app exited, failed to start or was killed for sending nothing. */
  failures: number;
  /** Of those, times frames stopped coming while the app kept running. */
  stalls: number;
  /** The last failure in words, null when none since the last frame. */
  lastError: string | null;
  frames: number;
  /** Monotonic seconds of the last frame, null before the first. */
  lastFrameAtSec: number | null;
}

/** A still image for a technician: JPEG from the camera app, BMP from the simulated one. */
export interface Snapshot {
  cameraId: string;
  atSec: number;
  type: 'image/jpeg' | 'image/bmp' | 'application/octet-stream';
  bytes: Buffer;
}

type Facts = Record<string, string | number | boolean | null | undefined>;

/** The part of the firmware logger that drivers use; drivers import no firmware code, the firmware's Logger fits. */
export interface CameraLog {
  debug(message: string, facts?: Facts): void;
  info(message: string, facts?: Facts): void;
  warn(message: string, facts?: Facts): void;
  error(message: string, facts?: Facts): void;
  child(module: string): CameraLog;
}

export interface Camera {
  readonly id: string;
  /** The last seconds of frames, newest last; the live path reads frames from here and nowhere else. */
  readonly ring: FrameRing;
  /** Resolves once the app is launched, whether or not it runs: a cart without cameras still shops, and says so. */
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): CameraHealth;
  /** A full-resolution still, only when a technician asks; the stream pauses while it is taken. */
  snapshot(): Promise<Snapshot>;
}

/** What the first bytes of an image say it is. */
export function imageType(bytes: Buffer): Snapshot['type'] {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes[0] === 0x42 && bytes[1] === 0x4d) return 'image/bmp';
  return 'application/octet-stream';
}
