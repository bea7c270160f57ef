// The Raspberry Pi camera apps (rpicam-vid / rpicam-still, formerly
// libcamera-vid / libcamera-still), run as child processes.
//
// node-libcamera wraps the same apps, but it cannot be used on the cart: it
// builds one shell string and runs it with exec (a value that reached it would
// reach a shell), it has no timeout (a hung camera app would hang the capture
// forever), its binary names are fixed to the libcamera-* names that current
// Raspberry Pi OS no longer ships, and its option set has no --camera or
// --framerate, which a cart with two cameras and a steady stream needs. So the
// apps are run here with spawn / execFile: an argument array, no shell, a
// timeout on every still, and the binary named in config.
import { execFile, spawn, type ExecFileException } from 'node:child_process';
import type { Readable } from 'node:stream';

/** The video app while it runs: frames on stdout, messages on stderr. A ChildProcess fits. */
export interface StreamProcess {
  readonly stdout: Readable;
  readonly stderr: Readable;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  once(event: 'error', listener: (err: Error) => void): this;
  kill(signal?: NodeJS.Signals): boolean;
}

export interface CameraApps {
  /** Starts the video app; it runs until killed. */
  stream(binary: string, args: readonly string[]): StreamProcess;
  /** Runs the still app to its end and resolves with what it wrote to stdout; killed once timeoutMs have gone by. */
  still(binary: string, args: readonly string[], timeoutMs: number): Promise<Buffer>;
}

export interface StreamSettings {
  /** libcamera's camera number: 0 and 1 on a board with two camera connectors. */
  cameraIndex: number;
  width: number;
  height: number;
  framerate: number;
}

/** Raw YUV420 frames to stdout, forever, with no preview window. */
export function streamArgs(s: StreamSettings): string[] {
  return [
    '--camera', String(s.cameraIndex),
    '--nopreview',
    '--timeout', '0',
    '--codec', 'yuv420',
    '--width', String(s.width),
    '--height', String(s.height),
    '--framerate', String(s.framerate),
    // Each frame leaves the app as soon as it is ready, not when a stdio buffer fills.
    '--flush',
    '--output', '-',
  ];
}

/** One JPEG at the sensor's full resolution to stdout; half a second of preview lets exposure and white balance settle. */
export function stillArgs(cameraIndex: number): string[] {
  return ['--camera', String(cameraIndex), '--nopreview', '--timeout', '500', '--encoding', 'jpg', '--output', '-'];
}

/** A still is a few MB at most; more than this is not a still. */
const maxStillBytes = 32 * 1024 * 1024;

function stillFailure(binary: string, err: ExecFileException, stderr: Buffer, timeoutMs: number): Error {
  if (err.code === 'ENOENT') return new Error(`${binary} not found (camera.stillBinary; older systems call it libcamera-still)`);
  if (err.killed && err.signal === 'SIGKILL') return new Error(`${binary} took longer than ${timeoutMs} ms and was stopped`);
  const said = stderr.toString('utf8').trim().split('\n').at(-1);
  return new Error(`${binary} failed: ${said || err.message}`);
}

/** The apps themselves. */
export const libcameraApps: CameraApps = {
  stream: (binary, args) => spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] }),
  still: (binary, args, timeoutMs) =>
    new Promise((resolve, reject) => {
      execFile(binary, args, { encoding: 'buffer', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: maxStillBytes }, (err, stdout, stderr) => {
        if (err) reject(stillFailure(binary, err, stderr, timeoutMs));
        else resolve(stdout);
      });
    }),
};
