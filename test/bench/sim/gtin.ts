// GTINs for the simulated catalog: made up, but each with a valid GS1 check
// digit (GS1 General Specifications 7.9.1), and written as the symbol on the
// pack would carry it (EAN-13, EAN-8 or UPC-A).
import type { Gtin } from '../../../firmware/domain.js';
import type { Random } from './random.js';

export type Symbology = 'ean13' | 'ean8' | 'upca';

/** The GS1 check digit of the digits before it: weights 3 and 1 from the right. */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export function hasValidCheckDigit(code: string): boolean {
  return /^[0-9]{2,}$/.test(code) && gs1CheckDigit(code.slice(0, -1)) === Number(code.at(-1));
}

function digits(rng: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(0, 9));
  return s;
}

/** GS1 member-organisation prefixes of European and North American countries, as real packs in a store carry them. */
const ean13Prefixes = ['30', '37', '40', '42', '50', '54', '56', '57', '73', '76', '80', '84', '87', '90'];

/** A new GTIN of the given symbology, as 14 digits (the spec's form: left-padded with zeros). */
export function randomGtin(rng: Random, symbology: Symbology): Gtin {
  let code: string;
  switch (symbology) {
    case 'ean13': {
      const body = rng.pick(ean13Prefixes) + digits(rng, 10);
      code = body + String(gs1CheckDigit(body));
      break;
    }
    case 'ean8': {
      // EAN-8 numbers are issued from prefixes 0-9 but never begin with 0 here,
      // so that the GTIN-14 shows its symbology by its six leading zeros.
      const body = String(rng.int(1, 9)) + digits(rng, 6);
      code = body + String(gs1CheckDigit(body));
      break;
    }
    case 'upca': {
      const body = String(rng.int(0, 1)) + digits(rng, 10);
      code = body + String(gs1CheckDigit(body));
      break;
    }
  }
  return code.padStart(14, '0');
}

/** Which symbol a GTIN-14 made by randomGtin is printed as. */
export function symbologyOf(gtin: Gtin): Symbology {
  if (gtin.startsWith('000000')) return 'ean8';
  if (gtin.startsWith('00')) return 'upca';
  return 'ean13';
}

/** The digits a scanner reads from the symbol: 13, 8 or 12 of them. */
export function symbolDigits(gtin: Gtin): string {
  switch (symbologyOf(gtin)) {
    case 'ean8':
      return gtin.slice(6);
    case 'upca':
      return gtin.slice(2);
    case 'ean13':
      return gtin.slice(1);
  }
}

/**
 * The same code with one data digit changed: what a smudged label can read as.
 * One changed digit always breaks the check, as the weights 1 and 3 are both
 * prime to 10.
 */
export function corruptDigit(rng: Random, code: string): string {
  const at = rng.int(0, code.length - 2);
  const changed = (code.charCodeAt(at) - 48 + rng.int(1, 9)) % 10;
  return code.slice(0, at) + String(changed) + code.slice(at + 1);
}
