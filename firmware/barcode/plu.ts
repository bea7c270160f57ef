// Price look-up codes for loose produce (IFPS PLU codes): four digits in the
// range 3000-4999, or five with a leading 9 for the organic version.

export type PluResult = { ok: true; plu: string; organic: boolean } | { ok: false; reason: string };

function inRange(plu: string): boolean {
  const n = Number(plu);
  return n >= 3000 && n <= 4999;
}

/** `digits` is 4 or 5 ASCII digits. */
export function readPlu(digits: string): PluResult {
  if (digits.length === 4) {
    return inRange(digits) ? { ok: true, plu: digits, organic: false } : { ok: false, reason: `${digits} is outside the PLU range 3000-4999` };
  }
  const base = digits.slice(1);
  if (digits[0] !== '9') return { ok: false, reason: 'a 5-digit PLU begins with 9 (organic)' };
  return inRange(base) ? { ok: true, plu: base, organic: true } : { ok: false, reason: `${base} is outside the PLU range 3000-4999` };
}
