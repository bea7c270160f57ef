// GS1 check digits and GTIN forms.
//
// GS1 General Specifications, "Check digit calculation" (section 7.9):
// the digits are weighted 3,1,3,1,... starting from the rightmost digit
// before the check digit; the check digit brings the weighted sum up to a
// multiple of 10. The same rule serves GTIN-8, -12, -13 and -14, so a code
// left-padded with zeros keeps its check digit.

export function checkDigit(body) {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return String((10 - (sum % 10)) % 10);
}

export function withCheckDigit(body) { return body + checkDigit(body); }

export function isValidGtin(code) {
  if (!/^\d{8}$|^\d{12,14}$/.test(code)) return false;
  return checkDigit(code.slice(0, -1)) === code.slice(-1);
}

/** the catalog's 14-digit form: "shorter codes left-padded with zeros" */
export function pad14(code) { return code.padStart(14, '0'); }

/** how the code is printed on the pack: which barcode carries it */
export function printedForm(gtin14) {
  if (gtin14.startsWith('000000')) return { kind: 'ean8', digits: gtin14.slice(6) };
  if (gtin14.startsWith('00')) return { kind: 'upca', digits: gtin14.slice(2) };
  return { kind: 'ean13', digits: gtin14.slice(1) };
}
