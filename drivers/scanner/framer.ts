// Cuts the scanner's byte stream into barcodes. Pure and clock-free: the
// time of each read comes in with it, so a live port and a recorded trip
// give the same frames.
//
// Framing (cart-trace.md, "Scanner bytes"): an optional AIM symbology
// identifier (`]` + two characters, ISO/IEC 15424) before the data, CR, LF
// or CR LF after it. A line may arrive in pieces, several lines may share a
// read, and a scanner set up without a suffix ends a line with silence.
import type { Frame, ScannerLog } from './scanner.js';

export interface FramerOptions {
  /** Longest line kept, in bytes with any AIM identifier; a longer line is dropped whole up to the next suffix. */
  maxLength: number;
  /** Silence that ends an unterminated line, in seconds. */
  flushGapSec: number;
  log?: ScannerLog;
}

/**
 * 512 bytes holds any GS1 element string or Digital Link URL met on a pack;
 * 0.3 s of silence is eight times the longest pause seen inside one code in
 * the recorded trips (35 ms between USB reads) and still short beside the
 * 1 s repeat window.
 */
export const defaultFramerOptions = { maxLength: 512, flushGapSec: 0.3 } as const;

const CR = 0x0d;
const LF = 0x0a;
const GS = 0x1d;

const silent: ScannerLog = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

function isDataByte(b: number): boolean {
  return (b >= 0x20 && b <= 0x7e) || b === GS;
}

function isAimIdentifier(line: string): boolean {
  if (line.length < 3 || line.charCodeAt(0) !== 0x5d) return false;
  return /^[A-Za-z][0-9A-Za-z]$/.test(line.slice(1, 3));
}

type LineState = 'clean' | 'noisy' | 'overlong';

/**
 * Noise comes in bursts (a loose cable, a scanner in the wrong mode reading
 * 1 MB of garbage): the first bad line of a burst is logged as it comes, the
 * rest only counted, and once the line has been clean this long one more line
 * gives the count, so a flood costs two log lines, not one a line.
 */
const noiseQuietSec = 1;

export class ScanFramer {
  private readonly maxLength: number;
  private readonly flushGapSec: number;
  private readonly log: ScannerLog;
  private line = '';
  /**
   * clean: data so far, any noise came before the first data byte (dropped, line kept);
   * noisy: noise after data began, the whole line is suspect and is dropped;
   * overlong: longer than maxLength, dropped.
   */
  private state: LineState = 'clean';
  /** Bytes of the open line that will be thrown away. */
  private dropped = 0;
  private lastReadAtSec: number | null = null;
  /** The burst of noise under way: lines and bytes dropped since its first, which was logged. */
  private noise: { fromSec: number; lastSec: number; lines: number; bytes: number } | null = null;
  private overlongLogged = false;
  /** Total bytes thrown away since construction. */
  discardedBytes = 0;

  constructor(opts: FramerOptions) {
    if (!(Number.isInteger(opts.maxLength) && opts.maxLength > 0)) throw new RangeError('maxLength must be a positive whole number of bytes');
    if (!(opts.flushGapSec > 0 && Number.isFinite(opts.flushGapSec))) throw new RangeError('flushGapSec must be a positive number of seconds');
    this.maxLength = opts.maxLength;
    this.flushGapSec = opts.flushGapSec;
    this.log = opts.log ?? silent;
  }

  /** Frames completed by this read: first a line that the silence before it ended, then those whose suffix it holds. */
  push(bytes: Uint8Array, atSec: number): Frame[] {
    if (this.lastReadAtSec !== null && atSec < this.lastReadAtSec) {
      throw new RangeError(`read at ${atSec} s is earlier than the previous one at ${this.lastReadAtSec} s`);
    }
    const frames = this.flush(atSec);
    if (bytes.length === 0) return frames;
    this.lastReadAtSec = atSec;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let i = 0;
    while (i < buf.length) {
      const b = buf[i] as number;
      if (b === CR || b === LF) {
        this.endLine(atSec, 'suffix', frames);
        i++;
      } else if (this.state !== 'clean') {
        this.dropped++;
        i++;
      } else if (!isDataByte(b)) {
        this.dropped++;
        if (this.line.length > 0) {
          this.state = 'noisy';
          this.dropped += this.line.length;
          this.line = '';
        }
        i++;
      } else {
        // A run of data bytes is taken in one piece.
        let end = i + 1;
        while (end < buf.length && isDataByte(buf[end] as number)) end++;
        if (this.line.length + (end - i) > this.maxLength) {
          this.state = 'overlong';
          this.dropped += this.line.length + (end - i);
          this.line = '';
          this.overlongLogged = this.noisy(atSec, 0, () => this.log.warn('line longer than maxLength, dropping it up to the next suffix', { maxLength: this.maxLength }));
        } else {
          this.line += buf.toString('latin1', i, end);
        }
        i = end;
      }
    }
    return frames;
  }

  /** Ends a line left open for flushGapSec of silence, and a burst of noise that has gone quiet; the frame is timed at the end of that silence. */
  flush(atSec: number): Frame[] {
    const frames: Frame[] = [];
    const due = this.flushDueAtSec();
    if (due !== null && atSec >= due) this.endLine(due, 'silence', frames);
    const noiseDue = this.noiseDueAtSec();
    if (noiseDue !== null && atSec >= noiseDue) this.endNoise();
    return frames;
  }

  /** When the open line will be ended by silence; null when no line is open. For the driver's timer. */
  flushDueAtSec(): number | null {
    if (this.lastReadAtSec === null) return null;
    if (this.line.length === 0 && this.dropped === 0) return null;
    return this.lastReadAtSec + this.flushGapSec;
  }

  /** When the burst of noise under way counts as over, if no more comes; null when there is none. For the driver's timer. */
  noiseDueAtSec(): number | null {
    return this.noise === null ? null : this.noise.lastSec + noiseQuietSec;
  }

  /** A line (or bytes) dropped as noise at `atSec`: logged by `first` when it opens a burst, else counted. Returns whether it was logged. */
  private noisy(atSec: number, bytes: number, first: () => void): boolean {
    if (this.noise === null) {
      this.noise = { fromSec: atSec, lastSec: atSec, lines: 0, bytes: 0 };
      first();
      return true;
    }
    this.noise.lastSec = atSec;
    this.noise.lines++;
    this.noise.bytes += bytes;
    return false;
  }

  private endNoise(): void {
    const n = this.noise!;
    this.noise = null;
    if (n.lines === 0) return;
    this.log.warn('noise burst over: more lines dropped after the first', { lines: n.lines, droppedBytes: n.bytes, forSec: Number((n.lastSec - n.fromSec).toFixed(3)) });
  }

  private endLine(atSec: number, endedBy: 'suffix' | 'silence', frames: Frame[]): void {
    const { line, dropped, state } = this;
    this.line = '';
    this.dropped = 0;
    this.state = 'clean';
    this.discardedBytes += dropped;
    if (state === 'overlong') {
      if (this.overlongLogged) this.log.info('stream resynchronised after an overlong line', { droppedBytes: dropped, endedBy });
      else if (this.noise) this.noise.bytes += dropped;
      return;
    }
    if (state === 'noisy') {
      this.noisy(atSec, dropped, () => this.log.warn('line with noise bytes dropped', { droppedBytes: dropped, endedBy }));
      return;
    }
    if (dropped > 0) this.noisy(atSec, dropped, () => this.log.warn('noise bytes before a line dropped', { droppedBytes: dropped }));
    if (line.length === 0) return;
    if (endedBy === 'silence') this.log.debug('line ended by silence, no suffix', { atSec });
    frames.push(
      isAimIdentifier(line)
        ? { atSec, symbology: line.slice(0, 3), data: line.slice(3) }
        : { atSec, symbology: null, data: line },
    );
  }
}
