// The scanner on a serial port (USB CDC-ACM or a USB-serial adapter): opens
// the port, frames what it reads, survives being unplugged, and sends the
// good-read / bad-read signal back. It talks to the port through a
// serialport binding, so the same code drives the real port
// (@serialport/bindings-cpp) and the simulated scanner (binding-mock).
//
// SerialPort.list() is never called: it spawns udevadm, and where there is
// none it fails from an event nobody can catch. The port is named in config
// by its stable /dev/serial/by-id/ path instead.
import { EventEmitter } from 'node:events';
import { SerialPortStream } from '@serialport/stream';
import { feedbackBytes, SsiReplyFilter } from './feedback.js';
import { ScanFramer } from './framer.js';
import type { Frame, Scanner, ScannerFamily, ScannerHealth, ScannerLog } from './scanner.js';

/** A serialport binding: the real one for the platform, or a simulated device's. */
export type PortBinding = ConstructorParameters<typeof SerialPortStream>[0]['binding'];

export interface SerialScannerOptions {
  /** e.g. /dev/serial/by-id/usb-Honeywell_Imaging___Mobility_1900-if00 */
  path: string;
  baudRate: number;
  dataBits: 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
  family: ScannerFamily;
  /** Longest barcode line kept, bytes. */
  maxLength: number;
  /** Silence that ends a line sent without suffix, seconds. */
  flushGapSec: number;
}

export interface SerialScannerDeps {
  binding: PortBinding;
  /** Monotonic seconds. */
  clock: () => number;
  log: ScannerLog;
  /** Reconnect backoff, seconds: the first delay, doubled on each failure up to the cap. */
  retry?: { firstSec: number; maxSec: number };
}

/** Half a second catches a replug quickly; 30 s keeps a missing scanner from filling the journal. */
export const defaultRetry = { firstSec: 0.5, maxSec: 30 };

export class SerialScanner extends EventEmitter implements Scanner {
  private readonly log: ScannerLog;
  private readonly retry: { firstSec: number; maxSec: number };
  private port: SerialPortStream | null = null;
  private framer: ScanFramer;
  private ssiReplies: SsiReplyFilter | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  /** Failed opens since the last good one. */
  private failures = 0;
  private running = false;
  private readonly state: ScannerHealth;

  constructor(
    private readonly opts: SerialScannerOptions,
    private readonly deps: SerialScannerDeps,
  ) {
    super();
    this.log = deps.log.child('scanner');
    this.retry = deps.retry ?? defaultRetry;
    this.framer = this.newFramer();
    this.state = { status: 'stopped', path: opts.path, opens: 0, disconnects: 0, lastError: null, lastByteAtSec: null, frames: 0, discardedBytes: 0 };
  }

  /** Resolves after the first attempt to open, whether or not the scanner is there: a cart without scanner still runs, and says so. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.state.status = 'starting';
    await this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.clearTimers();
    const port = this.port;
    this.port = null;
    if (port) await closeQuietly(port);
    this.resetFramer();
    this.state.status = 'stopped';
  }

  health(): ScannerHealth {
    return { ...this.state, discardedBytes: this.state.discardedBytes + this.framer.discardedBytes };
  }

  async signal(ok: boolean): Promise<void> {
    const bytes = feedbackBytes(this.opts.family, ok);
    if (!bytes) return;
    const port = this.port;
    if (!port?.isOpen) {
      this.log.debug('not connected, feedback not sent', { ok });
      return;
    }
    await new Promise<void>((resolve, reject) => {
      port.write(bytes, (err) => (err ? reject(err) : resolve()));
    });
  }

  private newFramer(): ScanFramer {
    return new ScanFramer({ maxLength: this.opts.maxLength, flushGapSec: this.opts.flushGapSec, log: this.log });
  }

  private connect(): Promise<void> {
    const { path, baudRate, dataBits, parity, stopBits } = this.opts;
    const port = new SerialPortStream({ binding: this.deps.binding, path, baudRate, dataBits, parity, stopBits, autoOpen: false });
    // An error with no callback to take it comes as an event; without a listener it would end the process.
    port.on('error', (err: Error) => this.onPortError(port, err));
    return new Promise((resolve) => {
      port.open((err) => {
        if (err) {
          port.destroy();
          this.openFailed(err);
          resolve();
        } else if (!this.running) {
          void closeQuietly(port).then(resolve); // stopped while opening
        } else {
          // Bytes that waited in the kernel while nobody read are likely a code cut in half: dropped.
          port.flush((flushErr) => {
            if (!this.running || flushErr) {
              void closeQuietly(port).then(resolve);
              if (flushErr) this.openFailed(flushErr);
              return;
            }
            this.opened(port);
            resolve();
          });
        }
      });
    });
  }

  private opened(port: SerialPortStream): void {
    this.port = port;
    this.ssiReplies = this.opts.family === 'zebra-ssi' ? new SsiReplyFilter() : null;
    this.state.status = 'ok';
    this.state.opens++;
    this.state.lastError = null;
    if (this.failures > 0) this.log.info('port open again', { path: this.opts.path, failedAttempts: this.failures });
    else this.log.info('port open', { path: this.opts.path, baudRate: this.opts.baudRate });
    this.failures = 0;
    port.on('data', (chunk: Buffer) => this.onBytes(chunk));
    port.on('close', (err: Error | null) => this.onClose(port, err));
  }

  private openFailed(err: Error): void {
    this.state.lastError = err.message;
    if (!this.running) return;
    this.state.status = 'reconnecting';
    this.failures++;
    // The first failure is news; the repeats while the scanner stays away are not.
    if (this.failures === 1) this.log.warn('port cannot be opened; retrying', { path: this.opts.path, error: err.message });
    else this.log.debug('port still cannot be opened', { attempt: this.failures, error: err.message });
    this.scheduleRetry();
  }

  /** One timer; capped exponential backoff with jitter, so carts that lost power together do not retry in step. */
  private scheduleRetry(): void {
    const delaySec = Math.min(this.retry.maxSec, this.retry.firstSec * 2 ** this.failures) * (0.8 + 0.4 * Math.random());
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.running) void this.connect();
    }, delaySec * 1000);
  }

  private onClose(port: SerialPortStream, err: Error | null): void {
    if (port !== this.port) return;
    this.port = null;
    this.lostLine();
    port.removeAllListeners('data');
    port.destroy();
    if (!this.running) return;
    this.state.status = 'reconnecting';
    this.state.disconnects++;
    this.state.lastError = err?.message ?? 'port closed';
    this.log.warn('disconnected; reconnecting', { path: this.opts.path, error: this.state.lastError });
    this.scheduleRetry();
  }

  private onPortError(port: SerialPortStream, err: Error): void {
    this.state.lastError = err.message;
    this.log.warn('port error', { error: err.message });
    if (port === this.port && !port.isOpen) this.onClose(port, err);
  }

  private lostLine(): void {
    if (this.framer.flushDueAtSec() !== null) this.log.warn('line cut off by the disconnect, dropped');
    this.resetFramer();
  }

  /** A fresh framer for the next connection, so no half line carries over; its count of dropped bytes is kept. */
  private resetFramer(): void {
    this.clearFlushTimer();
    this.state.discardedBytes += this.framer.discardedBytes;
    this.framer = this.newFramer();
  }

  private onBytes(chunk: Buffer): void {
    const bytes = this.ssiReplies ? this.ssiReplies.push(chunk) : chunk;
    const now = this.deps.clock();
    this.state.lastByteAtSec = now;
    this.emitFrames(this.framer.push(bytes, now));
    this.armFlushTimer(now);
  }

  /** A line sent without suffix is ended by silence: one timer, set for when the framer says. */
  private armFlushTimer(now: number): void {
    this.clearFlushTimer();
    // Also when a burst of noise goes quiet: the framer then logs its count.
    const dues = [this.framer.flushDueAtSec(), this.framer.noiseDueAtSec()].filter((d) => d !== null);
    if (dues.length === 0) return;
    const due = Math.min(...dues);
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      const at = this.deps.clock();
      this.emitFrames(this.framer.flush(at));
      // A timer can fire a hair before the clock reaches the gap's end: try again then, or the line waits for the next byte.
      this.armFlushTimer(at);
    }, Math.max(0, (due - now) * 1000) + 1);
  }

  private emitFrames(frames: Frame[]): void {
    for (const frame of frames) {
      this.state.frames++;
      try {
        this.emit('frame', frame);
      } catch (err) {
        this.log.error('frame listener failed; the scanner goes on', { error: (err as Error).message });
      }
    }
  }

  private clearFlushTimer(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
  }

  private clearTimers(): void {
    this.clearFlushTimer();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}

function closeQuietly(port: SerialPortStream): Promise<void> {
  return new Promise((resolve) => {
    port.removeAllListeners('data');
    port.removeAllListeners('close');
    if (!port.isOpen) {
      port.destroy();
      resolve();
      return;
    }
    port.close(() => {
      port.destroy();
      resolve();
    });
  });
}
