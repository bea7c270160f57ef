// One camera through the libcamera apps: the video app streams low-resolution
// YUV420 frames on its stdout into the ring; a still app takes a snapshot when
// a technician asks. The app may be missing, may exit, or may stop sending
// while it runs: each is noticed, the app is started again after a capped,
// doubling wait, and the status says so meanwhile. The same class drives the
// simulated apps (sim/apps.ts), so tests run this code.
import { imageType, type Camera, type CameraHealth, type CameraLog, type Snapshot } from './camera.js';
import { stillArgs, streamArgs, type CameraApps, type StreamProcess } from './apps.js';
import { FrameRing } from './ring.js';
import { Yuv420Framer } from './yuv420.js';

export interface LibcameraCameraOptions {
  /** The cart's name for the camera, e.g. "top". */
  id: string;
  cameraIndex: number;
  /** rpicam-vid on current Raspberry Pi OS, libcamera-vid on older ones. */
  streamBinary: string;
  /** rpicam-still, or libcamera-still. */
  stillBinary: string;
  width: number;
  height: number;
  framerate: number;
  /** Seconds of frames kept in the ring. */
  ringSec: number;
  /** Frames missing this long while the app runs: it is taken for hung and started again. */
  stallSec: number;
  snapshotTimeoutMs: number;
}

export interface LibcameraCameraDeps {
  apps: CameraApps;
  /** Monotonic seconds. */
  clock: () => number;
  log: CameraLog;
  /** Restart backoff, seconds: the first wait, doubled on each failure in a row up to the cap. */
  retry?: { firstSec: number; maxSec: number };
}

/** A second catches a camera app that crashed once; 30 s keeps a camera that is gone from filling the journal. */
export const defaultCameraRetry = { firstSec: 1, maxSec: 30 };
/** How long a stopped app may take to let go of the camera before it is killed. */
const exitGraceMs = 2000;
/** Enough of stderr to hold the app's last message. */
const stderrTailChars = 400;

export class LibcameraCamera implements Camera {
  readonly id: string;
  readonly ring: FrameRing;
  readonly #framer: Yuv420Framer;
  readonly #log: CameraLog;
  readonly #retry: { firstSec: number; maxSec: number };
  readonly #state: CameraHealth;
  #proc: StreamProcess | null = null;
  #launchedAtSec = 0;
  #stderrTail = '';
  #failuresInRow = 0;
  #running = false;
  /** A snapshot has the camera: the stream is off on purpose. */
  #paused = false;
  #restartTimer: NodeJS.Timeout | null = null;
  #watchdog: NodeJS.Timeout | null = null;

  constructor(private readonly opts: LibcameraCameraOptions, private readonly deps: LibcameraCameraDeps) {
    this.id = opts.id;
    this.ring = FrameRing.forSeconds(opts.width, opts.height, opts.ringSec, opts.framerate);
    this.#framer = new Yuv420Framer(opts.width, opts.height);
    this.#log = deps.log.child('camera');
    this.#retry = deps.retry ?? defaultCameraRetry;
    this.#state = { id: opts.id, status: 'stopped', starts: 0, failures: 0, stalls: 0, lastError: null, frames: 0, lastFrameAtSec: null };
  }

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#state.status = 'starting';
    this.#watchdog = setInterval(() => this.#checkStall(), Math.max(50, (this.opts.stallSec * 1000) / 4));
    this.#launch();
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    if (this.#watchdog) clearInterval(this.#watchdog);
    this.#restartTimer = null;
    this.#watchdog = null;
    await this.#endProcess();
    this.#state.status = 'stopped';
  }

  health(): CameraHealth {
    return { ...this.#state };
  }

  async snapshot(): Promise<Snapshot> {
    if (this.#paused) throw new Error(`camera ${this.id} is already taking a snapshot`);
    // A camera serves one app at a time: the stream lets go while the still app has it.
    this.#paused = true;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = null;
    await this.#endProcess();
    try {
      const bytes = await this.deps.apps.still(this.opts.stillBinary, stillArgs(this.opts.cameraIndex), this.opts.snapshotTimeoutMs);
      this.#log.info('snapshot taken for a technician', { camera: this.id, bytes: bytes.length });
      return { cameraId: this.id, atSec: this.deps.clock(), type: imageType(bytes), bytes };
    } catch (err) {
      throw new Error(`snapshot from camera ${this.id} failed: ${(err as Error).message}; the frame stream starts again`);
    } finally {
      this.#paused = false;
      if (this.#running) this.#launch();
    }
  }

  #launch(): void {
    this.#restartTimer = null;
    if (!this.#running || this.#paused) return;
    this.#state.starts++;
    this.#launchedAtSec = this.deps.clock();
    this.#framer.reset();
    this.#stderrTail = '';
    const binary = this.opts.streamBinary;
    let proc: StreamProcess;
    try {
      proc = this.deps.apps.stream(binary, streamArgs(this.opts));
    } catch (err) {
      this.#failed(`cannot start ${binary}: ${(err as Error).message}`);
      return;
    }
    this.#proc = proc;
    proc.stdout.on('data', (chunk: Buffer) => {
      if (this.#proc === proc) this.#framer.push(chunk, (frame) => this.#frame(frame));
    });
    proc.stderr.on('data', (chunk: Buffer) => {
      this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-stderrTailChars);
    });
    proc.once('error', (err: NodeJS.ErrnoException) => {
      if (this.#proc !== proc) return;
      this.#proc = null;
      this.#failed(err.code === 'ENOENT' ? `${binary} not found (camera.streamBinary; older systems call it libcamera-vid)` : `${binary}: ${err.message}`);
    });
    proc.once('exit', (code, signal) => {
      if (this.#proc !== proc) return;
      this.#proc = null;
      const said = this.#stderrTail.trim().split('\n').at(-1);
      this.#failed(`${binary} exited with ${code ?? signal}${said ? `: ${said}` : ''}`);
    });
  }

  #frame(frame: Uint8Array): void {
    const now = this.deps.clock();
    this.ring.push(now, frame);
    this.#state.frames++;
    this.#state.lastFrameAtSec = now;
    if (this.#state.status === 'ok') return;
    if (this.#state.status === 'restarting') {
      this.#log.info('camera sends frames again', { camera: this.id, failures: this.#state.failures });
    } else {
      this.#log.info('camera streaming', { camera: this.id, width: this.opts.width, height: this.opts.height, fps: this.opts.framerate });
    }
    this.#state.status = 'ok';
    this.#state.lastError = null;
    this.#failuresInRow = 0;
  }

  #checkStall(): void {
    const proc = this.#proc;
    if (!proc || this.#paused) return;
    const now = this.deps.clock();
    const last = Math.max(this.#launchedAtSec, this.#state.lastFrameAtSec ?? -Infinity);
    if (now - last < this.opts.stallSec) return;
    this.#proc = null;
    proc.kill('SIGKILL');
    this.#state.stalls++;
    this.#failed(`no frame for ${this.opts.stallSec} s while ${this.opts.streamBinary} ran`);
  }

  #failed(reason: string): void {
    this.#state.failures++;
    this.#state.lastError = reason;
    this.#state.status = 'restarting';
    this.#failuresInRow++;
    const waitSec = Math.min(this.#retry.maxSec, this.#retry.firstSec * 2 ** (this.#failuresInRow - 1));
    // The first failure in a row is news; its repeats only say the camera is still gone.
    const facts = { camera: this.id, error: reason, retryInSec: waitSec };
    if (this.#failuresInRow === 1) this.#log.warn('camera lost: no product guesses from it; the cart goes on with scans and weight, starting it again', facts);
    else this.#log.debug('camera still not working', { ...facts, failuresInRow: this.#failuresInRow });
    if (this.#running && !this.#paused) this.#restartTimer = setTimeout(() => this.#launch(), waitSec * 1000);
  }

  /** Asks the app to let go of the camera, and makes it if it will not. */
  async #endProcess(): Promise<void> {
    const proc = this.#proc;
    this.#proc = null;
    if (!proc) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => proc.kill('SIGKILL'), exitGraceMs);
      proc.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      proc.kill('SIGTERM');
    });
  }
}
