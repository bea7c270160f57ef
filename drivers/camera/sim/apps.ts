// Simulated camera apps, at the driver's own boundary: a "process" that takes
// the same arguments as rpicam-vid and writes raw YUV420 bytes on its stdout
// in pipe-sized pieces at the frame rate, and a still app that answers with
// an image. What the frames show comes from a frame source (a rendered scene,
// recorded frames). Faults can be switched on: no app installed, no camera
// plugged in, an app that crashes, one that stops sending, a still that hangs.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { CameraApps, StreamProcess } from '../apps.js';
import { yuv420FrameBytes } from '../yuv420.js';
import { bmpFromYuv420 } from './bmp.js';

/** Fills `out` with the frame camera `cameraIndex` sees at `atSec`. */
export type FrameSource = (cameraIndex: number, atSec: number, width: number, height: number, out: Uint8Array) => void;

export interface SimulatedCameraAppsOptions {
  /** Monotonic seconds: the frames' time. */
  clock: () => number;
  source: FrameSource;
  /** A pipe hands the reader at most this much at once (64 KiB on Linux). */
  pipeBytes?: number;
}

/** What the real apps print when libcamera finds no camera. */
const noCameras = 'ERROR: *** no cameras available ***';

export class SimulatedCameraApps implements CameraApps {
  /** The apps are not installed: starting one fails as a missing binary does. */
  missing = false;
  /** Camera numbers with nothing on the connector. */
  readonly unplugged = new Set<number>();
  /** The next stills never finish, as with a wedged camera. */
  stillHangs = false;
  /** Video apps started, for tests. */
  launches = 0;
  readonly #streams = new Set<SimulatedStream>();

  constructor(private readonly opts: SimulatedCameraAppsOptions) {}

  /** Video apps running now. */
  get running(): number {
    return this.#streams.size;
  }

  stream(binary: string, args: readonly string[]): StreamProcess {
    this.launches++;
    const proc = new SimulatedStream(this.opts, args, () => this.#streams.delete(proc));
    if (this.missing) {
      proc.failToSpawn(binary);
      return proc;
    }
    const problem = checkStreamArgs(args);
    const cameraIndex = Number(argValue(args, '--camera') ?? 0);
    if (problem) proc.exitWith(255, problem);
    else if (this.unplugged.has(cameraIndex)) proc.exitWith(255, noCameras);
    else {
      this.#streams.add(proc);
      proc.begin();
    }
    return proc;
  }

  async still(binary: string, args: readonly string[], timeoutMs: number): Promise<Buffer> {
    if (this.missing) throw new Error(`${binary} not found (camera.stillBinary; older systems call it libcamera-still)`);
    const cameraIndex = Number(argValue(args, '--camera') ?? 0);
    if (this.unplugged.has(cameraIndex)) throw new Error(`${binary} failed: ${noCameras}`);
    if (this.stillHangs) {
      await new Promise((resolve) => setTimeout(resolve, timeoutMs));
      throw new Error(`${binary} took longer than ${timeoutMs} ms and was stopped`);
    }
    // A still is the scene at the stream's size: enough for a simulated technician.
    const width = 320;
    const height = 240;
    const frame = new Uint8Array(yuv420FrameBytes(width, height));
    this.opts.source(cameraIndex, this.opts.clock(), width, height, frame);
    return bmpFromYuv420(frame, width, height);
  }

  /** The video app of that camera exits as if it crashed. */
  crash(cameraIndex: number): void {
    for (const s of this.#streams) if (s.cameraIndex === cameraIndex) s.exitWith(1, 'ERROR: *** failed to dequeue buffer ***');
  }

  /** The video app of that camera keeps running but sends nothing more. */
  freeze(cameraIndex: number): void {
    for (const s of this.#streams) if (s.cameraIndex === cameraIndex) s.frozen = true;
  }
}

function argValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** What the real app would refuse, or the driver could not read. */
function checkStreamArgs(args: readonly string[]): string | null {
  if (argValue(args, '--codec') !== 'yuv420') return 'simulated camera app: only --codec yuv420 is simulated';
  if (argValue(args, '--output') !== '-') return 'simulated camera app: only --output - is simulated';
  for (const name of ['--width', '--height', '--framerate']) {
    const value = Number(argValue(args, name));
    if (!(value > 0)) return `ERROR: *** invalid ${name} ***`;
  }
  return null;
}

class SimulatedStream extends EventEmitter implements StreamProcess {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly cameraIndex: number;
  frozen = false;
  #timer: NodeJS.Timeout | null = null;
  #ended = false;

  constructor(
    private readonly opts: SimulatedCameraAppsOptions,
    private readonly args: readonly string[],
    private readonly onEnd: () => void,
  ) {
    super();
    this.cameraIndex = Number(argValue(args, '--camera') ?? 0);
  }

  begin(): void {
    const width = Number(argValue(this.args, '--width'));
    const height = Number(argValue(this.args, '--height'));
    const fps = Number(argValue(this.args, '--framerate'));
    const pipeBytes = this.opts.pipeBytes ?? 65536;
    this.#timer = setInterval(() => {
      if (this.frozen) return;
      // A fresh buffer each frame: the reader owns what it was handed.
      const frame = Buffer.alloc(yuv420FrameBytes(width, height));
      this.opts.source(this.cameraIndex, this.opts.clock(), width, height, frame);
      for (let at = 0; at < frame.length; at += pipeBytes) this.stdout.write(frame.subarray(at, at + pipeBytes));
    }, 1000 / fps);
  }

  failToSpawn(binary: string): void {
    setImmediate(() => this.emit('error', Object.assign(new Error(`spawn ${binary} ENOENT`), { code: 'ENOENT' })));
  }

  exitWith(code: number, message: string): void {
    this.stderr.write(`${message}\n`);
    this.#end(code, null);
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    this.#end(null, signal);
    return true;
  }

  #end(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#timer) clearInterval(this.#timer);
    this.onEnd();
    // As a process: the pipes close, then the exit is heard, never within the call that caused it.
    setImmediate(() => {
      this.stdout.end();
      this.stderr.end();
      this.emit('exit', code, signal);
    });
  }
}
