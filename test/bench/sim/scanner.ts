// The barcode scanner as its serial port shows it: each label read becomes
// bytes with the scanner's framing (optional AIM symbology identifier, then
// CR, LF or CR LF), sometimes split across reads, sometimes sent twice.
// AIM identifiers: ]E0 EAN-13 (and UPC-A as 13 digits), ]E4 EAN-8,
// ]e0 GS1 DataBar (ISO/IEC 15424).
import type { Gtin, Seconds } from '../../../firmware/domain.js';
import { symbolDigits, symbologyOf } from './gtin.js';
import type { ScannerProfile } from './profiles.js';
import type { Random } from './random.js';

export type Suffix = 'CR' | 'LF' | 'CRLF';

export interface ScannerStyle {
  aim: boolean;
  suffix: Suffix;
}

export interface SerialRead {
  t: Seconds;
  data: string;
}

const suffixBytes: Record<Suffix, string> = { CR: '\r', LF: '\n', CRLF: '\r\n' };

/** Trace times are written to 0.1 ms; the truth names a scan by the time of its read, so both use the rounded one. */
function t4(t: Seconds): Seconds {
  return Math.round(t * 1e4) / 1e4;
}
/** ASCII GS: ends a variable-length GS1 element string that is followed by another (FNC1). */
const GS = '\x1d';

export function chooseScannerStyle(rng: Random, profile: ScannerProfile): ScannerStyle {
  return { aim: rng.chance(profile.aimShare), suffix: rng.pick(['CR', 'LF', 'CRLF'] as const) };
}

/** When this scanner reads a label: the time of its first byte, and of each repeat the firmware must ignore. */
export interface ReadTimes {
  t: Seconds;
  repeats: Seconds[];
}

export class Scanner {
  readonly reads: SerialRead[] = [];
  /** Expiry dates on DataBar labels are days after this one (days since 1970-01-01). */
  private readonly todayDays: number;

  constructor(
    private readonly rng: Random,
    private readonly profile: ScannerProfile,
    readonly style: ScannerStyle,
  ) {
    // Some day in 2026 or 2027: the date only shows inside (17) expiry fields.
    this.todayDays = Date.UTC(2026, 0, 1) / 86_400_000 + rng.int(0, 700);
  }

  /** A product's label read at time t. A fresh product may be read from its DataBar instead of its EAN. */
  read(t: Seconds, gtin: Gtin, dataBarLabel: boolean): ReadTimes {
    const dataBar = dataBarLabel && this.rng.chance(this.style.aim ? this.profile.dataBarShare : this.profile.dataBarNoAimShare);
    return this.send(t, dataBar ? this.dataBarText(gtin) : this.eanText(gtin));
  }

  /** Digits as read, framed: used for codes that are not a product's GTIN as well (a misread label). */
  readDigits(t: Seconds, code: string): ReadTimes {
    const prefix = code.length === 8 ? ']E4' : ']E0';
    const data = this.style.aim && code.length === 12 ? '0' + code : code;
    return this.send(t, (this.style.aim ? prefix : '') + data + suffixBytes[this.style.suffix]);
  }

  private eanText(gtin: Gtin): string {
    return this.frame(symbologyOf(gtin) === 'ean8' ? ']E4' : ']E0', this.style.aim ? this.aimDigits(gtin) : symbolDigits(gtin));
  }

  /** With AIM, UPC-A is reported as the 13-digit EAN it is a subset of. */
  private aimDigits(gtin: Gtin): string {
    return symbologyOf(gtin) === 'ean8' ? gtin.slice(6) : gtin.slice(1);
  }

  /** GS1 element string: (01) GTIN, optionally (10) batch closed by GS, then (17) expiry YYMMDD. */
  private dataBarText(gtin: Gtin): string {
    let data = '01' + gtin;
    const expiry = this.rng.chance(this.profile.expiryShare);
    if (this.rng.chance(this.profile.lotShare)) {
      const lot = 'L' + String(this.rng.int(100, 99999));
      data += '10' + lot + (expiry ? GS : '');
    }
    if (expiry) data += '17' + this.yymmdd(this.todayDays + this.rng.int(2, 20));
    return this.frame(']e0', data);
  }

  private yymmdd(days: number): string {
    const d = new Date(days * 86_400_000);
    const two = (n: number) => String(n).padStart(2, '0');
    return two(d.getUTCFullYear() % 100) + two(d.getUTCMonth() + 1) + two(d.getUTCDate());
  }

  private frame(aim: string, data: string): string {
    return (this.style.aim ? aim : '') + data + suffixBytes[this.style.suffix];
  }

  /**
   * Puts one reading on the line. The scanner may send it twice in one read,
   * or repeat it in a read of its own within a second; a read may arrive in
   * two or three pieces a few milliseconds apart (the USB-serial adapter's
   * buffering: samples show 4-36 ms).
   */
  private send(at: Seconds, text: string): ReadTimes {
    const t = t4(at);
    const repeats: Seconds[] = [];
    if (this.rng.chance(this.profile.doubleReadShare)) {
      const arrivals = this.pieces(t, text + text);
      repeats.push(arrivals(text.length));
    } else {
      this.pieces(t, text);
    }
    if (this.rng.chance(this.profile.repeatReadShare)) {
      const again = t4(t + this.rng.uniform(0.15, 0.9));
      this.pieces(again, text);
      repeats.push(again);
    }
    return { t, repeats };
  }

  /** Puts text on the line from time t, maybe in pieces; returns when the byte at a given offset arrived. */
  private pieces(t: Seconds, text: string): (offset: number) => Seconds {
    if (text.length < 3 || !this.rng.chance(this.profile.splitShare)) {
      this.reads.push({ t, data: text });
      return () => t;
    }
    const parts = this.rng.chance(this.profile.threePartShare) ? 3 : 2;
    const cuts = new Set<number>();
    while (cuts.size < parts - 1) cuts.add(this.rng.int(1, text.length - 1));
    const at = [0, ...[...cuts].sort((a, b) => a - b), text.length];
    const starts: { from: number; t: Seconds }[] = [];
    let when = t;
    for (let i = 0; i + 1 < at.length; i++) {
      this.reads.push({ t: when, data: text.slice(at[i], at[i + 1]) });
      starts.push({ from: at[i]!, t: when });
      when = t4(when + this.rng.uniform(0.004, 0.036));
    }
    return (offset) => starts.filter((s) => s.from <= offset).at(-1)!.t;
  }
}
