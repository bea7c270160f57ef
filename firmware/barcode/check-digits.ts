// Check digits of the GS1 system (GS1 General Specifications section 7.9).
// Inputs are strings of ASCII digits; callers check that first.

const ZERO = 48;

/** The standard GS1 mod-10 check digit (7.9.1) for the digits before it: weights 3,1,3,... from the right. */
export function gs1CheckDigit(digits: string): number {
  let sum = 0;
  let weight = 3;
  for (let i = digits.length - 1; i >= 0; i--) {
    sum += (digits.charCodeAt(i) - ZERO) * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the last digit of `code` is the GS1 check digit of the others. */
export function hasValidGs1CheckDigit(code: string): boolean {
  return gs1CheckDigit(code.slice(0, -1)) === code.charCodeAt(code.length - 1) - ZERO;
}

// Weighting factors of 7.9.3, as the product digit for each digit 0-9:
// "2-": units of 2d minus its tens; "3": units of 3d; "5+": units of 5d plus
// its tens; "5-": units of 5d minus its tens.
const TWO_MINUS = [0, 2, 4, 6, 8, 9, 1, 3, 5, 7];
const THREE = [0, 3, 6, 9, 2, 5, 8, 1, 4, 7];
const FIVE_PLUS = [0, 5, 1, 6, 2, 7, 3, 8, 4, 9];
const FIVE_MINUS = [0, 5, 9, 4, 8, 3, 7, 2, 6, 1];

function productDigit(table: number[], digits: string, i: number): number {
  return table[digits.charCodeAt(i) - ZERO] ?? 0;
}

/**
 * Price or measure verifier digit (7.9.3) over a field of four or five digits,
 * as variable-measure codes carry it beside the price or weight.
 */
export function priceCheckDigit(field: string): number {
  if (field.length === 4) {
    // Weights 2-, 2-, 3, 5-; the units digit of the sum times 3.
    const sum =
      productDigit(TWO_MINUS, field, 0) +
      productDigit(TWO_MINUS, field, 1) +
      productDigit(THREE, field, 2) +
      productDigit(FIVE_MINUS, field, 3);
    return (sum * 3) % 10;
  }
  if (field.length === 5) {
    // Weights 5+, 2-, 5-, 5+, 2-; the check digit is the one whose 5- product
    // makes the sum a multiple of ten.
    const sum =
      productDigit(FIVE_PLUS, field, 0) +
      productDigit(TWO_MINUS, field, 1) +
      productDigit(FIVE_MINUS, field, 2) +
      productDigit(FIVE_PLUS, field, 3) +
      productDigit(TWO_MINUS, field, 4);
    return FIVE_MINUS.indexOf((10 - (sum % 10)) % 10);
  }
  throw new RangeError(`a price verifier covers 4 or 5 digits, not ${field.length}`);
}
