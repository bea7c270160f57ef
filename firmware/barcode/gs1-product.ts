// What a set of GS1 elements says about the item in the shopper's hand: its
// GTIN, batch, expiry, serial, and the net weight or price printed for it.
import type { EmbeddedMeasure } from '../domain.js';
import { gs1DateToIso } from './application-identifiers.js';
import type { Gs1Element } from './element-string.js';

export interface Gs1Product {
  gtin: string;
  batch?: string;
  /** ISO date; a GS1 day 00 is the last day of the month. */
  expiry?: string;
  serial?: string;
  measure?: EmbeddedMeasure;
}

export type Gs1ProductResult = { ok: true; product: Gs1Product } | { ok: false; reason: string };

/** Grams in one avoirdupois pound (international yard and pound agreement, 1959). */
const GRAMS_PER_POUND = 453.59237;

/** `digits` read with `decimals` digits after the point, times 10^`shift`, exactly when the result is an integer. */
function scaled(digits: string, decimals: number, shift: number): number {
  const exponent = shift - decimals;
  return exponent >= 0 ? Number(digits) * 10 ** exponent : Number(digits) / 10 ** -exponent;
}

/**
 * @param currency ISO 4217 numeric code of the store's currency, for (393n).
 */
export function productFromElements(elements: readonly Gs1Element[], currency: string): Gs1ProductResult {
  const product: Partial<Gs1Product> = {};
  const measure: EmbeddedMeasure = {};
  for (const { ai, value } of elements) {
    const family = ai.slice(0, 3);
    const decimals = Number(ai[3]);
    if (ai === '01') product.gtin = value;
    else if (ai === '10') product.batch = value;
    else if (ai === '17') product.expiry = gs1DateToIso(value) ?? undefined;
    else if (ai === '21') product.serial = value;
    else if (family === '310' || family === '320') {
      if (measure.grams !== undefined) return { ok: false, reason: 'two net weights in one code' };
      // (310n) kilograms, (320n) pounds, n digits after the point.
      measure.grams = family === '310' ? scaled(value, decimals, 3) : scaled(value, decimals, 0) * GRAMS_PER_POUND;
    } else if (family === '392' || family === '393') {
      if (measure.priceCents !== undefined) return { ok: false, reason: 'two prices in one code' };
      let amount = value;
      if (family === '393') {
        const code = value.slice(0, 3);
        if (code !== currency) return { ok: false, reason: `price is in currency ${code}, the store's is ${currency}` };
        amount = value.slice(3);
      }
      const cents = scaled(amount, decimals, 2);
      if (!Number.isInteger(cents)) return { ok: false, reason: `price ${amount} with ${decimals} decimals has fractions of a cent` };
      measure.priceCents = cents;
    }
  }
  if (product.gtin === undefined) {
    return { ok: false, reason: elements.some((e) => e.ai === '02') ? 'a (02) names the contents of a case, not an item' : 'no GTIN (01) in the code' };
  }
  if (measure.grams !== undefined || measure.priceCents !== undefined) product.measure = measure;
  return { ok: true, product: product as Gs1Product };
}
