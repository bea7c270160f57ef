// GS1 identification keys and element strings, written from the GS1 General
// Specifications (section 7.9 "Check digit calculation"; section 7.8 "Processing of
// data from a GS1 symbology using GS1 Application Identifiers", figure "Element
// strings with predefined length") and ISO/IEC 15424 (AIM symbology identifiers).

export const GS = '\u001d'; // ASCII 29: FNC1 as a field separator in transmitted data

/** GS1 mod-10 check digit of a digit string that lacks it (weights 3,1,3,... from the right). */
export function checkDigit(body) {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = body.charCodeAt(body.length - 1 - i) - 48;
    sum += d * (i % 2 === 0 ? 3 : 1);
  }
  return String((10 - (sum % 10)) % 10);
}

export const withCheck = (body) => body + checkDigit(body);
export const isValidGtin = (code) => /^\d{8}$|^\d{12,14}$/.test(code) && checkDigit(code.slice(0, -1)) === code.slice(-1);
/** 14-digit GTIN as the catalog holds it: shorter codes left-padded with zeros */
export const gtin14 = (code) => code.padStart(14, '0');

// Application Identifiers whose data length is predefined (first two digits); no FNC1
// separator is needed after them, every other field is followed by GS unless it is last.
const PREDEFINED = new Set(['00', '01', '02', '03', '04', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20', '31', '32', '33', '34', '35', '36', '41']);

/** [[ai, value], ...] -> element string with GS after every variable-length field but the last */
export function elementString(fields) {
  let s = '';
  fields.forEach(([ai, value], i) => {
    s += ai + value;
    if (i < fields.length - 1 && !PREDEFINED.has(ai.slice(0, 2))) s += GS;
  });
  return s;
}

// AIM symbology identifiers (ISO/IEC 15424): ']' + code character + modifier.
export const AIM = {
  ean13: ']E0',     // EAN-13, and UPC-A sent as 13 digits
  ean8: ']E4',      // EAN-8
  itf14: ']I1',     // ITF (Interleaved 2 of 5), check digit verified and sent
  gs1_128: ']C1',   // GS1-128 (Code 128 with FNC1 in first position)
  code128: ']C0',   // plain Code 128 (loyalty cards)
  databar: ']e0',   // GS1 DataBar family (element string)
  gs1dm: ']d2',     // GS1 DataMatrix (FNC1 in first position)
  qr: ']Q1',        // QR Code model 2
};
