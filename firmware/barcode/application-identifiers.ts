// GS1 Application Identifiers (GS1 General Specifications 3.2 and 7.8):
// how many digits the AI itself has, which element strings have a
// predefined length (no FNC1 needed after them), and each value checked
// against its AI's format (ai-table.ts): length, character set, check digit
// and dates. An AI assigned after that table is kept raw, checked only for
// its length class and character set.
import { AI_FORMATS } from './ai-table.js';
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

/** Character sets of GS1 AI values (GenSpecs 7.11): 82, 39 and 64 (the last for digital signatures). */
type Charset = 'N' | 'X' | 'Y' | 'Z';
const CHARSETS: Record<Charset, RegExp> = {
  N: /^[0-9]*$/,
  X: /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/,
  Y: /^[#\-/0-9A-Z]*$/,
  Z: /^[A-Za-z0-9\-_]*=*$/,
};
const CHARSET_NAMES: Record<Charset, string> = { N: 'digits', X: 'GS1 character set 82', Y: 'GS1 character set 39', Z: 'GS1 character set 64' };

/** Longest value an AI the cart does not know may carry: the largest in the AI table. */
const UNKNOWN_MAX_LENGTH = 90;

interface Component {
  charset: Charset;
  min: number;
  max: number;
  optional: boolean;
  check?: 'csum' | 'date' | 'date0';
}

interface AiFormat {
  components: Component[];
  /** Shortest and longest whole value. */
  min: number;
  max: number;
}

/** One component of a format of ai-table.ts, e.g. "N6,date0", "X..20", "[N..12]". */
function parseComponent(text: string): Component {
  const optional = text.startsWith('[');
  const m = /^\[?([NXYZ])(\.\.)?([0-9]+)\]?(?:,(csum|date0|date))?\]?$/.exec(text);
  if (!m) throw new Error(`AI table: bad format component "${text}"`);
  const length = Number(m[3]);
  const component: Component = { charset: m[1] as Charset, min: m[2] ? 1 : length, max: length, optional };
  if (m[4]) component.check = m[4] as Component['check'];
  return component;
}

const FORMATS: ReadonlyMap<string, AiFormat> = new Map(
  [...AI_FORMATS].map(([ai, text]) => {
    const components = text.split(' ').map(parseComponent);
    const min = components.reduce((sum, c) => sum + (c.optional ? 0 : c.min), 0);
    const max = components.reduce((sum, c) => sum + c.max, 0);
    return [ai, { components, min, max }];
  }),
);

export function isKnownAi(ai: string): boolean {
  return FORMATS.has(ai);
}

/** Gregorian calendar; month 1-12. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * A GS1 date YYMMDD as an ISO date. Years are read as 20YY: GS1's sliding
 * century rule (7.12) gives the same for any plausible date on goods sold
 * before 2050. Day 00 means the last day of the month (7.12 note), where the
 * AI allows it (`dayZero`: best before, expiry and the other N6 dates of
 * 11-17; not the dates inside 7003, 7006, 7007...).
 */
export function gs1DateToIso(yymmdd: string, dayZero = true): string | null {
  if (!/^[0-9]{6}$/.test(yymmdd)) return null;
  const year = 2000 + Number(yymmdd.slice(0, 2));
  const month = Number(yymmdd.slice(2, 4));
  let day = Number(yymmdd.slice(4, 6));
  if (month < 1 || month > 12) return null;
  const last = daysInMonth(year, month);
  if (day === 0 && dayZero) day = last;
  if (day < 1 || day > last) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The lengths a format allows: "14", "1 to 20", or "6 or 12" where the optional part has a fixed length. */
function lengthsText({ components, min, max }: AiFormat): string {
  if (min === max) return `${min}`;
  const last = components[components.length - 1]!;
  return last.optional && last.min === last.max ? `${min} or ${max}` : `${min} to ${max}`;
}

/** Why the value does not fit the AI, or null when it does. */
export function checkElement(ai: string, value: string): string | null {
  const format = FORMATS.get(ai);
  if (!format) {
    const fixed = predefinedDataLength(ai.slice(0, 2));
    if (fixed !== null) return CHARSETS.N.test(value) ? null : `(${ai}) must be digits`;
    if (value.length === 0) return `(${ai}) is empty`;
    if (value.length > UNKNOWN_MAX_LENGTH) return `(${ai}) is ${value.length} characters long, more than any AI allows`;
    return CHARSETS.X.test(value) ? null : `(${ai}) has a character outside GS1 character set 82`;
  }
  const wrongLength = `(${ai}) must have ${lengthsText(format)} characters, it has ${value.length}`;
  if (value.length < format.min || value.length > format.max) return wrongLength;
  let at = 0;
  for (const component of format.components) {
    if (at === value.length && component.optional) break;
    // Only the last component varies in length, so it takes the rest.
    const length = component.min === component.max ? component.max : value.length - at;
    const part = value.slice(at, at + length);
    if (part.length < component.min || part.length > component.max) return wrongLength;
    if (!CHARSETS[component.charset].test(part)) {
      return format.components.length === 1
        ? `(${ai}) ${component.charset === 'N' ? 'must be digits' : `has a character outside ${CHARSET_NAMES[component.charset]}`}`
        : `(${ai}) characters ${at + 1}-${at + length} must be ${CHARSET_NAMES[component.charset]}`;
    }
    if (component.check === 'csum' && !hasValidGs1CheckDigit(part)) return `(${ai}) ${part} has a wrong check digit`;
    if ((component.check === 'date' || component.check === 'date0') && gs1DateToIso(part, component.check === 'date0') === null) {
      return `(${ai}) ${part} is not a date YYMMDD`;
    }
    at += length;
  }
  return null;
}
