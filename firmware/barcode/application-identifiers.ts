// GS1 Application Identifiers (GS1 General Specifications 3.2 and 7.8):
// how many digits the AI itself has, which element strings have a
// predefined length (no FNC1 needed after them), and the format of the AIs
// the cart reads. Any other AI is kept raw, checked only for its length
// class and character set.
import { hasValidGs1CheckDigit } from './check-digits.js';

/** Digits in the AI itself, by its first two digits; null where no AI begins so. */
export function aiLength(firstTwo: string): number | null {
  if (!/^[0-9]{2}$/.test(firstTwo)) return null;
  const p = Number(firstTwo);
  if (p <= 4 || (p >= 10 && p <= 22) || p === 30 || p === 37 || p >= 90) return 2;
  if ((p >= 23 && p <= 25) || (p >= 40 && p <= 42) || p === 71) return 3;
  if ((p >= 31 && p <= 36) || p === 39 || p === 43 || p === 70 || p === 72 || (p >= 80 && p <= 82)) return 4;
  return null;
}

/** Data length of the element strings whose length is predefined (7.8.5, Figure 7.8.5-2), by the AI's first two digits. */
export function predefinedDataLength(firstTwo: string): number | null {
  const p = Number(firstTwo);
  if (p === 0) return 18;
  if (p >= 1 && p <= 3) return 14;
  if (p === 4) return 16;
  if (p >= 11 && p <= 19) return 6;
  if (p === 20) return 2;
  if (p >= 31 && p <= 36) return 6;
  if (p === 41) return 13;
  return null;
}

/** GS1 AI encodable character set 82 (7.11, Figure 7.11-1). */
const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;
const DIGITS = /^[0-9]*$/;

/** Longest value an AI the cart does not know may carry: the largest in the AI table. */
const UNKNOWN_MAX_LENGTH = 90;

interface AiFormat {
  numeric: boolean;
  min: number;
  max: number;
  gs1CheckDigit?: boolean;
  date?: boolean;
}

const n = (length: number, extra: Partial<AiFormat> = {}): AiFormat => ({ numeric: true, min: length, max: length, ...extra });
const upTo = (numeric: boolean, max: number, min = 1): AiFormat => ({ numeric, min, max });

const KNOWN: Record<string, AiFormat> = {
  '00': n(18, { gs1CheckDigit: true }), // SSCC
  '01': n(14, { gs1CheckDigit: true }), // GTIN
  '02': n(14, { gs1CheckDigit: true }), // GTIN of contained trade items
  '10': upTo(false, 20), // batch or lot
  '11': n(6, { date: true }), // production date
  '12': n(6, { date: true }), // due date
  '13': n(6, { date: true }), // packaging date
  '15': n(6, { date: true }), // best before
  '16': n(6, { date: true }), // sell by
  '17': n(6, { date: true }), // expiration date
  '20': n(2), // internal product variant
  '21': upTo(false, 20), // serial number
  '22': upTo(false, 20), // consumer product variant
  '30': upTo(true, 8), // variable count
  '37': upTo(true, 8), // count of trade items
};

/** Format of an AI: exact entries first, then the families whose last digit is a decimal-point position. */
function formatOf(ai: string): AiFormat | null {
  const exact = KNOWN[ai];
  if (exact) return exact;
  const family = ai.slice(0, 3);
  const decimals = Number(ai[3]);
  if ((family === '310' || family === '320') && decimals <= 5) return n(6); // net weight kg / lb
  if (family === '392') return upTo(true, 15); // amount payable, one currency area
  if (family === '393') return upTo(true, 18, 4); // ISO 4217 currency + amount payable
  return null;
}

export function isKnownAi(ai: string): boolean {
  return formatOf(ai) !== null;
}

/** Gregorian calendar; month 1-12. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * A GS1 date YYMMDD as an ISO date. Years are read as 20YY: GS1's sliding
 * century rule (7.12) gives the same for any plausible date on goods sold
 * before 2050. Day 00 means the last day of the month (7.12 note).
 */
export function gs1DateToIso(yymmdd: string): string | null {
  if (!/^[0-9]{6}$/.test(yymmdd)) return null;
  const year = 2000 + Number(yymmdd.slice(0, 2));
  const month = Number(yymmdd.slice(2, 4));
  let day = Number(yymmdd.slice(4, 6));
  if (month < 1 || month > 12) return null;
  const last = daysInMonth(year, month);
  if (day === 0) day = last;
  if (day > last) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Why the value does not fit the AI, or null when it does. */
export function checkElement(ai: string, value: string): string | null {
  const format = formatOf(ai);
  if (!format) {
    const fixed = predefinedDataLength(ai.slice(0, 2));
    if (fixed !== null) return DIGITS.test(value) ? null : `(${ai}) must be digits`;
    if (value.length === 0) return `(${ai}) is empty`;
    if (value.length > UNKNOWN_MAX_LENGTH) return `(${ai}) is ${value.length} characters long, more than any AI allows`;
    return CSET82.test(value) ? null : `(${ai}) has a character outside GS1 character set 82`;
  }
  if (value.length < format.min || value.length > format.max) {
    const want = format.min === format.max ? `${format.min}` : `${format.min} to ${format.max}`;
    return `(${ai}) must have ${want} characters, it has ${value.length}`;
  }
  if (format.numeric && !DIGITS.test(value)) return `(${ai}) must be digits`;
  if (!format.numeric && !CSET82.test(value)) return `(${ai}) has a character outside GS1 character set 82`;
  if (format.gs1CheckDigit && !hasValidGs1CheckDigit(value)) return `(${ai}) ${value} has a wrong check digit`;
  if (format.date && gs1DateToIso(value) === null) return `(${ai}) ${value} is not a date YYMMDD`;
  return null;
}
