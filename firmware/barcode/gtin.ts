// GTINs as EAN/UPC symbols carry them, normalised to 14 digits
// (GS1 General Specifications 3.3.2: shorter GTINs are right-justified with
// leading zeros). UPC-E is zero-suppressed UPC-A and is expanded first
// (GS1 General Specifications 5.2.2.4.2).
import { gs1CheckDigit, hasValidGs1CheckDigit } from './check-digits.js';

export type RetailSource = 'ean-13' | 'upc-a' | 'ean-8' | 'upc-e' | 'gtin-14';

export type GtinResult = { ok: true; gtin: string; source: RetailSource } | { ok: false; reason: string };

export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

const ALL_ZEROS = '00000000000000';

function checked(padded: string, source: RetailSource): GtinResult {
  if (!hasValidGs1CheckDigit(padded)) {
    const expected = gs1CheckDigit(padded.slice(0, -1));
    return { ok: false, reason: `${source} check digit is ${padded.slice(-1)}, the digits before it give ${expected}` };
  }
  if (padded === ALL_ZEROS) return { ok: false, reason: 'all zeros is not a GTIN' };
  return { ok: true, gtin: padded, source };
}

/** A GTIN-8, -12, -13 or -14 as digits, check digit verified, padded to 14. */
export function gtinFromDigits(digits: string): GtinResult {
  if (!isDigits(digits)) return { ok: false, reason: 'a GTIN has only digits' };
  switch (digits.length) {
    case 8:
      return checked(digits.padStart(14, '0'), 'ean-8');
    case 12:
      return checked(digits.padStart(14, '0'), 'upc-a');
    case 13:
      return checked('0' + digits, digits.startsWith('0') ? 'upc-a' : 'ean-13');
    case 14:
      return checked(digits, 'gtin-14');
    default:
      return { ok: false, reason: `${digits.length} digits is no GTIN length (8, 12, 13 or 14)` };
  }
}

/**
 * The UPC-A that an 8-digit UPC-E (number system, six digits, check digit)
 * stands for, or null when the number system is not 0 or 1.
 */
export function expandUpcE(upcE: string): string | null {
  const ns = upcE[0];
  if (upcE.length !== 8 || !isDigits(upcE) || (ns !== '0' && ns !== '1')) return null;
  const d = upcE.slice(1, 7);
  const last = d[5];
  let body: string;
  switch (last) {
    case '0':
    case '1':
    case '2':
      body = d.slice(0, 2) + last + '0000' + d.slice(2, 5);
      break;
    case '3':
      body = d.slice(0, 3) + '00000' + d.slice(3, 5);
      break;
    case '4':
      body = d.slice(0, 4) + '00000' + d[4];
      break;
    default:
      body = d.slice(0, 5) + '0000' + last;
  }
  return ns + body + upcE[7];
}

/** An 8-digit UPC-E, expanded to UPC-A, its check digit verified over the expansion. */
export function gtinFromUpcE(upcE: string): GtinResult {
  const upcA = expandUpcE(upcE);
  if (upcA === null) return { ok: false, reason: 'a UPC-E has 8 digits and number system 0 or 1' };
  return checked(upcA.padStart(14, '0'), 'upc-e');
}
