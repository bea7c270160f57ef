// Store-internal codes that are not products (coupons, loyalty and staff
// cards, cart-pairing codes): recognised by prefix so that they are routed
// as what they are and never looked up in the catalog.
import type { StoreCodePurpose } from '../domain.js';
import { hasValidGs1CheckDigit } from './check-digits.js';

export interface StoreCodeRule {
  purpose: StoreCodePurpose;
  /** The code (the data after any AIM identifier) begins with this. */
  prefix: string;
  /** Exact length in characters, for codes that have one. */
  length?: number;
  /** The code is digits and its last one is a GS1 check digit over the others. */
  gs1CheckDigit?: boolean;
}

export const storeCodePurposes: readonly StoreCodePurpose[] = ['coupon', 'loyalty', 'staff', 'pairing'];

export type StoreCodeMatch = { ok: true; purpose: StoreCodePurpose } | { ok: false; reason: string };

/** The first rule that claims the code, or null when none does. */
export function matchStoreCode(code: string, rules: readonly StoreCodeRule[]): StoreCodeMatch | null {
  for (const rule of rules) {
    if (!code.startsWith(rule.prefix)) continue;
    if (rule.length !== undefined && code.length !== rule.length) continue;
    if (rule.gs1CheckDigit && !(/^[0-9]+$/.test(code) && hasValidGs1CheckDigit(code))) {
      return { ok: false, reason: `${rule.purpose} code has a wrong check digit` };
    }
    return { ok: true, purpose: rule.purpose };
  }
  return null;
}

export function checkStoreCodeRule(rule: StoreCodeRule, index: number): string[] {
  const problems: string[] = [];
  const at = `storeCodes[${index}]`;
  if (!storeCodePurposes.includes(rule.purpose)) problems.push(`${at}.purpose must be one of ${storeCodePurposes.join(', ')}`);
  if (typeof rule.prefix !== 'string' || rule.prefix.length === 0) problems.push(`${at}.prefix must be a non-empty string`);
  if (rule.length !== undefined && !(Number.isInteger(rule.length) && rule.length > (rule.prefix?.length ?? 0))) {
    problems.push(`${at}.length must be a whole number longer than the prefix`);
  }
  return problems;
}
