// From scanner bytes to scans the reconciler takes: framing, decoding, and
// dropping the scanner's repeats. The same code runs on the cart (bytes from
// the serial port) and in a replay (bytes from the trace).
import { ScanFramer, defaultFramerOptions } from '../drivers/scanner/framer.js';
import type { Frame } from '../drivers/scanner/scanner.js';
import { defaultBarcodeConfig, type BarcodeConfig } from './barcode/config.js';
import { decodeBarcode } from './barcode/decode.js';
import { ScanDeduper } from './barcode/deduper.js';
import type { ScanOutcome, ScanStage } from './cart.js';
import type { Seconds } from './domain.js';

export interface ScanStageOptions {
  barcodes: BarcodeConfig;
  /** The same code read again within this time is the scanner repeating itself. */
  repeatWindowSec: Seconds;
}

export const defaultScanStageOptions: ScanStageOptions = { barcodes: defaultBarcodeConfig, repeatWindowSec: 1 };

export function createScanStage(opts: ScanStageOptions = defaultScanStageOptions): ScanStage {
  const framer = new ScanFramer(defaultFramerOptions);
  const deduper = new ScanDeduper(opts.repeatWindowSec);
  const decode = (frames: Frame[]): ScanOutcome[] => {
    const out: ScanOutcome[] = [];
    for (const frame of frames) {
      if (!deduper.accept(frame.data, frame.atSec)) continue;
      const scan = decodeBarcode(frame, opts.barcodes);
      if (scan.kind === 'plu-scan') {
        out.push({ kind: 'rejected', atSec: scan.atSec, code: scan.code, reason: 'a PLU names no GTIN; produce is scanned by its store label' });
      } else {
        out.push(scan);
      }
    }
    return out;
  };
  return {
    push: (bytes, atSec) => decode(framer.push(bytes, atSec)),
    idle: (atSec) => decode(framer.flush(atSec)),
    frame: (frame) => decode([frame]),
  };
}
