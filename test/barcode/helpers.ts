// Building frames and codes for the barcode tests.
import type { Frame } from '../../drivers/scanner/scanner.js';
import { gs1CheckDigit } from '../../firmware/barcode/check-digits.js';
import { decodeBarcode, defaultBarcodeConfig, type BarcodeConfig, type DecodeResult } from '../../firmware/barcode/index.js';

export function frame(data: string, symbology: string | null = null, atSec = 10): Frame {
  return { atSec, symbology, data };
}

export function decode(data: string, symbology: string | null = null, config: BarcodeConfig = defaultBarcodeConfig): DecodeResult {
  return decodeBarcode(frame(data, symbology), config);
}

/** The digits with their GS1 check digit appended (the check digit itself is tested against GS1's examples). */
export function withCheck(digits: string): string {
  return digits + String(gs1CheckDigit(digits));
}

/** The same code with its last digit replaced by each wrong one. */
export function wrongCheckDigits(code: string): string[] {
  const right = code.slice(-1);
  return '0123456789'.split('').filter((d) => d !== right).map((d) => code.slice(0, -1) + d);
}
