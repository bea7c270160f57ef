// Reads a simulated serial line back into codes, independently of the
// scanner model: framing per cart-trace.md (optional AIM ]xy, then CR, LF or
// CR LF), GS1 element strings by their (01) GTIN.
import type { Seconds } from '../../firmware/domain.js';

export interface ReadCode {
  /** Time of the read that carried the code's first byte. */
  t: Seconds;
  /** The code as a GTIN-14 (a GS1 element string: its (01)). */
  gtin: string;
  aim: string | null;
  /** The whole code as sent, without AIM and line end. */
  data: string;
}

export function decodeSerial(reads: readonly { t: Seconds; data: string }[]): ReadCode[] {
  const out: ReadCode[] = [];
  let buffer = '';
  let startT: Seconds | null = null;
  for (const read of reads) {
    for (const ch of read.data) {
      if (ch === '\r' || ch === '\n') {
        if (buffer !== '') out.push(codeOf(startT!, buffer));
        buffer = '';
        startT = null;
        continue;
      }
      if (buffer === '') startT = read.t;
      buffer += ch;
    }
  }
  return out;
}

function codeOf(t: Seconds, text: string): ReadCode {
  const aim = text.startsWith(']') ? text.slice(0, 3) : null;
  const data = aim ? text.slice(3) : text;
  const gs1 = aim === ']e0' || (aim === null && data.length > 14 && data.startsWith('01'));
  return { t, aim, data, gtin: gs1 ? data.slice(2, 16) : data.padStart(14, '0') };
}
