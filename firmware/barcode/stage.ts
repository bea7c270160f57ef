// The barcode stage of the cart: serial bytes in, scans out. Framing, decoding
// and repeat suppression, in that order, all pure; the same object runs on
// the cart (fed by the scanner driver) and in a replay (fed by the trace).
import { defaultFramerOptions, ScanFramer, type FramerOptions } from '../../drivers/scanner/framer.js';
import type { Frame } from '../../drivers/scanner/scanner.js';
import type { Seconds } from '../domain.js';
import { silentLogger, type Logger } from '../log.js';
import { checkBarcodeConfig, defaultBarcodeConfig, type BarcodeConfig } from './config.js';
import { decodeBarcode, type BarcodeProductScan, type BarcodeStoreCodeScan, type DecodeResult, type RejectedScan } from './decode.js';
import { ScanDeduper } from './deduper.js';
import { ScanRateLimit } from './scan-rate.js';
import { printable } from './element-string.js';

export type ScanStageOutput = BarcodeProductScan | BarcodeStoreCodeScan | RejectedScan;

export interface ScanStageOptions {
  config?: BarcodeConfig;
  framer?: Omit<FramerOptions, 'log'>;
  /** The same code again within this many seconds of its last read is the scanner repeating itself (cart-trace.md: 1 s). */
  repeatWindowSec?: Seconds;
  /** Scans a second let through to the basket, after a burst of as many again; Infinity for a decoding benchmark. */
  maxScansPerSec?: number;
  log?: Logger;
}

export const defaultRepeatWindowSec = 1;

/**
 * A shopper scans an item, puts it in, scans the next: well under one scan a
 * second, a few in a row at most (a multipack's codes), and a scanner's own
 * repeat of a code (counted here, then dropped as a repeat). 5 reads a second
 * after a burst of 5 never touches that; a flood gets its first 5 scans
 * through (10 event-log rows), then nothing until it stops (scan-rate.ts).
 */
export const defaultMaxScansPerSec = 5;

const NO_SCANS: readonly ScanStageOutput[] = Object.freeze([]);

export interface ScanStage {
  /** Bytes as read from the scanner port at `atSec`. */
  push(bytes: Buffer, atSec: Seconds): readonly ScanStageOutput[];
  /** Time passing without bytes: a line left without its suffix is taken once the gap has passed. */
  idle(atSec: Seconds): readonly ScanStageOutput[];
  /** A frame from a live driver, which frames the bytes itself. */
  frame(frame: Frame): readonly ScanStageOutput[];
}

/**
 * What makes two reads one scan when they come within the window: for a
 * product, its GTIN and the weight its label states, so that a repeat
 * that lost or gained an element the cart does not weigh by (a price, a
 * date: a label's element strings read again in part) is still a repeat;
 * for anything else, the code as read.
 */
function repeatKey(result: DecodeResult, frame: Frame): string {
  if (result.kind === 'product-scan') return `${result.gtin}|${result.measure?.grams ?? ''}`;
  return `${frame.symbology ?? ''}${frame.data}`;
}

export function createScanStage(opts: ScanStageOptions = {}): ScanStage {
  const config = checkBarcodeConfig(opts.config ?? defaultBarcodeConfig);
  const log = (opts.log ?? silentLogger).child('barcode');
  const framer = new ScanFramer({ ...(opts.framer ?? defaultFramerOptions), log });
  const deduper = new ScanDeduper(opts.repeatWindowSec ?? defaultRepeatWindowSec);
  const perSec = opts.maxScansPerSec ?? defaultMaxScansPerSec;
  const rate = Number.isFinite(perSec) ? new ScanRateLimit(perSec, perSec) : null;

  // A flood costs two log lines: its first dropped scan, and its count once it is over.
  const floodOver = (atSec: Seconds) => {
    const flood = rate?.ended(atSec);
    if (flood) log.warn('scanner flood over', { dropped: flood.dropped, forSec: Number((flood.lastSec - flood.fromSec).toFixed(3)) });
  };

  const scans = (frames: Frame[]): readonly ScanStageOutput[] => {
    // Most calls are time passing at every load sample, with nothing framed.
    if (frames.length === 0) return NO_SCANS;
    const out: ScanStageOutput[] = [];
    for (const frame of frames) {
      // The bound comes first, so that a flood of distinct codes costs a
      // count each and never fills the repeat window's memory.
      floodOver(frame.atSec);
      if (rate && !rate.admit(frame.atSec)) {
        if (rate.dropped === 1) log.warn(`scanner flood: more than ${perSec} reads a second; the rest are dropped unread until it stops, and the shopper scans again`, { atSec: frame.atSec });
        continue;
      }
      const result = decodeBarcode(frame, config);
      if (!deduper.accept(repeatKey(result, frame), frame.atSec)) {
        log.debug('repeat read ignored', { code: printable(frame.data), atSec: frame.atSec });
        continue;
      }
      if (result.kind === 'plu-scan') {
        // The catalog is keyed by GTIN and GS1 defines none for a PLU.
        const organic = result.organic ? ' (organic)' : '';
        out.push({ kind: 'rejected', atSec: result.atSec, code: result.code, symbology: result.symbology, reason: `PLU ${result.plu}${organic} has no GTIN in the catalog` });
      } else {
        out.push(result);
      }
    }
    return out;
  };

  return {
    push: (bytes, atSec) => scans(framer.push(bytes, atSec)),
    idle: (atSec) => {
      const out = scans(framer.flush(atSec));
      floodOver(atSec);
      return out;
    },
    frame: (frame) => scans([frame]),
  };
}
