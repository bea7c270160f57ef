// Variable-measure trade items: restricted-circulation GTIN-13s (prefixes 02
// and 20-29, GS1 General Specifications 2.1.14.2) whose digits hold an item
// reference and the item's price or weight. Where each part sits is set per
// country or store, so a layout is configuration; the presets below are the
// common national ones.
import type { EmbeddedMeasure } from '../domain.js';
import { gs1CheckDigit, priceCheckDigit } from './check-digits.js';

export interface VariableMeasureLayout {
  /** Shown in logs and config errors. */
  name: string;
  /**
   * 13 characters laid over the GTIN-13 (a UPC-A with its leading 0): a digit
   * must match, I is the item reference, V the price or measure verifier
   * digit (GS1 7.9.3), M the price or measure, C the GTIN check digit.
   */
  pattern: string;
  /** What the M field holds. */
  measure: keyof EmbeddedMeasure;
  /** Cents (price) or grams (weight) per step of the M field. */
  step: number;
}

const price = (name: string, pattern: string, step = 1): VariableMeasureLayout => ({ name, pattern, measure: 'priceCents', step });
const weight = (name: string, pattern: string, step = 1): VariableMeasureLayout => ({ name, pattern, measure: 'grams', step });

export const variableMeasurePresets = {
  /** GS1 US: UPC-A number system 2, 5-digit item, price verifier, price in cents. */
  US: [price('US price', '02IIIIIVMMMMC')],
  /** GS1 UK: prefixes 20 and 28, 5-digit item reference, price verifier, price in pence. */
  GB: [price('GB price 20', '20IIIIIVMMMMC'), price('GB price 28', '28IIIIIVMMMMC')],
  /** German in-store codes: 5-digit item with the prefix's second digit, 5-digit verifier, weight in grams (24) or price in cents (26-29). */
  DE: [
    weight('DE weight 24', '24IIIIVMMMMMC'),
    ...['26', '27', '28', '29'].map((p) => price(`DE price ${p}`, `${p}IIIIVMMMMMC`)),
  ],
  /** GS1 Sweden: 2X, 6-digit item, 4-digit value; X gives the unit (price in öre/tenths/kronor, weight in g/10 g/100 g). */
  SE: [
    price('SE price 0.01', '20IIIIIIMMMMC', 1),
    price('SE price 0.1', '21IIIIIIMMMMC', 10),
    price('SE price 1', '22IIIIIIMMMMC', 100),
    weight('SE weight 1 g', '23IIIIIIMMMMC', 1),
    weight('SE weight 10 g', '24IIIIIIMMMMC', 10),
    weight('SE weight 100 g', '25IIIIIIMMMMC', 100),
  ],
} satisfies Record<string, VariableMeasureLayout[]>;

export type VariableMeasurePreset = keyof typeof variableMeasurePresets;

/** Everything wrong with a layout, empty when it is usable. */
export function checkLayout(layout: VariableMeasureLayout): string[] {
  const problems: string[] = [];
  const { name, pattern } = layout;
  if (!/^[0-9IVMC]{13}$/.test(pattern)) problems.push(`layout ${name}: pattern must be 13 of 0-9, I, V, M, C`);
  if (!/^[0-9]/.test(pattern)) problems.push(`layout ${name}: pattern must begin with the prefix digits that select it`);
  if (pattern.indexOf('C') !== 12 || pattern.lastIndexOf('C') !== 12) problems.push(`layout ${name}: C (check digit) must be the last character only`);
  const m = /M+/.exec(pattern);
  const mLength = m?.[0].length ?? 0;
  if (mLength < 1 || mLength > 6 || pattern.split('M').length - 1 !== mLength) problems.push(`layout ${name}: M must be one run of 1 to 6 digits`);
  const vCount = pattern.split('V').length - 1;
  if (vCount > 1) problems.push(`layout ${name}: at most one V`);
  if (vCount === 1 && mLength !== 4 && mLength !== 5) problems.push(`layout ${name}: a verifier digit V covers 4 or 5 M digits`);
  if (layout.measure !== 'grams' && layout.measure !== 'priceCents') problems.push(`layout ${name}: measure must be grams or priceCents`);
  if (!(layout.step > 0 && Number.isFinite(layout.step))) problems.push(`layout ${name}: step must be a positive number`);
  return problems;
}

export type VariableMeasureResult =
  | { ok: true; gtin: string; measure: EmbeddedMeasure; layout: string }
  | { ok: false; reason: string };

function matches(pattern: string, code: string): boolean {
  for (let i = 0; i < 13; i++) {
    const p = pattern.charCodeAt(i);
    if (p >= 48 && p <= 57 && p !== code.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Reads a GTIN-13 (check digit already verified) against the layouts; the
 * first whose prefix matches decides. Null when none matches. The GTIN to
 * look the item up by is the code with the verifier and the value zeroed and
 * the check digit recomputed, padded to 14 digits.
 */
export function readVariableMeasure(gtin13: string, layouts: readonly VariableMeasureLayout[]): VariableMeasureResult | null {
  const layout = layouts.find((l) => matches(l.pattern, gtin13));
  if (!layout) return null;
  const { pattern } = layout;
  const mStart = pattern.indexOf('M');
  const mEnd = pattern.lastIndexOf('M') + 1;
  const field = gtin13.slice(mStart, mEnd);
  const v = pattern.indexOf('V');
  if (v >= 0) {
    const expected = priceCheckDigit(field);
    if (expected !== gtin13.charCodeAt(v) - 48) {
      return { ok: false, reason: `${layout.name}: verifier digit ${gtin13[v]} does not match ${layout.measure === 'grams' ? 'weight' : 'price'} ${field} (expected ${expected})` };
    }
  }
  let lookup = '';
  for (let i = 0; i < 12; i++) lookup += pattern[i] === 'V' || pattern[i] === 'M' ? '0' : gtin13[i];
  lookup += String(gs1CheckDigit(lookup));
  return {
    ok: true,
    gtin: '0' + lookup,
    measure: { [layout.measure]: Number(field) * layout.step },
    layout: layout.name,
  };
}
