// Reading cart-trace v1 files (spec: shared/bench/cart-trace.md), line by line,
// so that memory stays flat however long the trip.
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { BasketGeometry, CellCalibration, Product, Seconds } from '../../firmware/domain.js';

export interface TraceHeader {
  kind: 'header';
  format: 'cart-trace';
  version: 1;
  cart: string;
  rateHz: number;
  channels: string[];
  geometry: BasketGeometry;
  calibration: CellCalibration[];
  catalog: Product[];
}

export type TraceLine =
  | { kind: 'adc'; t: Seconds; raw: (number | null)[] }
  | { kind: 'serial'; t: Seconds; data: string }
  | { kind: 'button'; t: Seconds; name: string; pressed: boolean };

/** A camera frame (docs/vision.md): YUV420 as the camera app sent it, base64. Only readers that ask for frames get them. */
export interface FrameLine {
  kind: 'frame';
  t: Seconds;
  camera: string;
  width: number;
  height: number;
  data: string;
}

export class TraceError extends Error {}

export function parseHeader(line: string): TraceHeader {
  const h = JSON.parse(line) as Partial<TraceHeader>;
  if (h.kind !== 'header' || h.format !== 'cart-trace') throw new TraceError('line 1 is not a cart-trace header');
  if (h.version !== 1) throw new TraceError(`cart-trace version ${String(h.version)} is not supported (this reader knows version 1)`);
  if (!Array.isArray(h.channels) || !Array.isArray(h.calibration) || h.calibration.length !== h.channels.length) {
    throw new TraceError('header needs one calibration entry per channel');
  }
  if (!Array.isArray(h.catalog)) throw new TraceError('header has no catalog');
  if (typeof h.rateHz !== 'number' || !h.geometry) throw new TraceError('header needs rateHz and geometry');
  return h as TraceHeader;
}

/** One line after the header, or null for a kind this reader does not know (the spec says: skip it). */
export function parseLine(line: string, lineNo: number): TraceLine | null {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new TraceError(`line ${lineNo} is not JSON`);
  }
  if (typeof o.t !== 'number' || !Number.isFinite(o.t)) throw new TraceError(`line ${lineNo} has no time t`);
  switch (o.kind) {
    case 'adc':
      if (!Array.isArray(o.raw)) throw new TraceError(`line ${lineNo}: adc without raw`);
      // The parsed object itself: a trip is mostly samples, and a copy of each was a second object a line.
      return o as TraceLine;
    case 'serial':
      if (typeof o.data !== 'string') throw new TraceError(`line ${lineNo}: serial without data`);
      return { kind: 'serial', t: o.t, data: o.data };
    case 'button':
      return { kind: 'button', t: o.t, name: String(o.name), pressed: o.pressed === true };
    default:
      return null;
  }
}

/** A frame line, or null for a line of another kind. */
export function parseFrame(line: string, lineNo: number): FrameLine | null {
  // Most lines are samples: skip them without parsing again.
  if (!line.includes('"frame"')) return null;
  const o = JSON.parse(line) as Record<string, unknown>;
  if (o.kind !== 'frame') return null;
  const side = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0 && v % 2 === 0;
  if (typeof o.t !== 'number' || typeof o.camera !== 'string' || !side(o.width) || !side(o.height) || o.format !== 'yuv420' || typeof o.data !== 'string') {
    throw new TraceError(`line ${lineNo}: a frame needs t, camera, an even width and height, format yuv420 and data`);
  }
  return { kind: 'frame', t: o.t, camera: o.camera, width: o.width, height: o.height, data: o.data };
}

type ReadLine = TraceHeader | TraceLine | FrameLine;

/** Bytes a read of the file: memory stays flat however long the trip. */
const READ_BYTES = 65536;

/** Streams a trace file: the header first, then each known line in order; camera frames too when asked for. */
export function readTrace(path: string): Generator<TraceHeader | TraceLine>;
export function readTrace(path: string, opts: { frames: true }): Generator<ReadLine>;
export function* readTrace(path: string, opts: { frames?: boolean } = {}): Generator<ReadLine> {
  for (const batch of readTraceBatches(path, opts)) yield* batch;
}

/**
 * The lines of readTrace, a batch for each read of the file. The file is read
 * synchronously: a trace is a local file read as fast as it can be, and a
 * stream's promises and events cost more than its 24,000 lines take to
 * parse (docs/bench.md, Start-up).
 */
export function readTraceBatches(path: string): Generator<(TraceHeader | TraceLine)[]>;
export function readTraceBatches(path: string, opts: { frames?: boolean }): Generator<ReadLine[]>;
export function* readTraceBatches(path: string, opts: { frames?: boolean } = {}): Generator<ReadLine[]> {
  let lineNo = 0;
  let lastT = -Infinity;
  const parse = (line: string): ReadLine | null => {
    lineNo++;
    if (line.trim() === '') return null;
    if (lineNo === 1) return parseHeader(line);
    const parsed = parseLine(line, lineNo) ?? (opts.frames ? parseFrame(line, lineNo) : null);
    if (!parsed) return null;
    if (parsed.t < lastT) throw new TraceError(`line ${lineNo}: time goes back from ${lastT} to ${parsed.t}`);
    lastT = parsed.t;
    return parsed;
  };
  const fd = openSync(path, 'r');
  try {
    const bytes = Buffer.allocUnsafe(READ_BYTES);
    // A character of several bytes may straddle two reads: the decoder holds its first bytes back.
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (let n; (n = readSync(fd, bytes, 0, READ_BYTES, null)) > 0; ) {
      const lines = (rest + decoder.write(bytes.subarray(0, n))).split('\n');
      rest = lines.pop()!;
      const batch: ReadLine[] = [];
      for (let i = 0; i < lines.length; i++) {
        const parsed = parse(withoutCr(lines[i]!));
        if (parsed) batch.push(parsed);
      }
      yield batch;
    }
    rest += decoder.end();
    const last = rest === '' ? null : parse(withoutCr(rest));
    if (last) yield [last];
  } finally {
    closeSync(fd);
  }
  if (lineNo === 0) throw new TraceError(`${path} is empty`);
}

/** CR LF ends a line as LF does. */
function withoutCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** The bytes of a serial line: the spec stores each byte as one code point 0-255. */
export function serialBytes(data: string): Buffer {
  return Buffer.from(data, 'latin1');
}
