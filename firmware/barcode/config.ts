// What a store decides about its barcodes, checked once at start-up with
// every problem reported together.
import type { StoreCodeRule } from './store-codes.js';
import { checkStoreCodeRule } from './store-codes.js';
import type { VariableMeasureLayout } from './variable-measure.js';
import { checkLayout } from './variable-measure.js';

export interface BarcodeConfig {
  /** Codes that are not products, first match wins. */
  storeCodes: StoreCodeRule[];
  /** Variable-measure layouts, first match wins; see variableMeasurePresets. */
  variableMeasure: VariableMeasureLayout[];
  /** ISO 4217 numeric code of the store's currency, against which (393n) prices are checked. */
  currency: string;
}

export const defaultBarcodeConfig: BarcodeConfig = {
  storeCodes: [
    // GS1 coupon numbers (GS1 prefix list): GTIN-13 prefixes 981-984 for
    // common currency areas and 990-999 within one country.
    ...['981', '982', '983', '984', '99'].map((prefix) => ({ purpose: 'coupon' as const, prefix, length: 13, gs1CheckDigit: true })),
  ],
  // None until the store says which: a wrong layout would misread prices.
  variableMeasure: [],
  currency: '978',
};

export class BarcodeConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`barcode config: ${problems.join('; ')}`);
  }
}

/** The config if it is usable; otherwise a BarcodeConfigError naming every problem. */
export function checkBarcodeConfig(config: BarcodeConfig): BarcodeConfig {
  const problems: string[] = [];
  if (!Array.isArray(config.storeCodes)) problems.push('storeCodes must be a list');
  else config.storeCodes.forEach((rule, i) => problems.push(...checkStoreCodeRule(rule, i)));
  if (!Array.isArray(config.variableMeasure)) problems.push('variableMeasure must be a list');
  else config.variableMeasure.forEach((layout) => problems.push(...checkLayout(layout)));
  if (typeof config.currency !== 'string' || !/^[0-9]{3}$/.test(config.currency)) problems.push('currency must be an ISO 4217 numeric code like "978"');
  if (problems.length > 0) throw new BarcodeConfigError(problems);
  return config;
}
