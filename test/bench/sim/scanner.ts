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
  /** When the line is taken by each read so far, first byte to last: a serial line carries one read at a time. */
  private readonly busy: [Seconds, Seconds][] = [];
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
    const repeats: Seconds[] = [];
    let arrivals: (offset: number) => Seconds;
    if (this.rng.chance(this.profile.doubleReadShare)) {
      arrivals = this.pieces(t4(at), text + text);
      repeats.push(arrivals(text.length));
    } else {
      arrivals = this.pieces(t4(at), text);
    }
    const t = arrivals(0);
    if (this.rng.chance(this.profile.repeatReadShare)) repeats.push(this.pieces(t4(t + this.rng.uniform(0.15, 0.9)), text)(0));
    return { t, repeats };
  }

  /**
   * Puts text on the line from time t, maybe in pieces; returns when the
   * byte at a given offset arrived. A read that would overlap one already on
   * the line (a repeat of the last label while the next is read) waits for
   * it: the bytes of two reads never interleave on one serial line.
   */
  private pieces(t: Seconds, text: string): (offset: number) => Seconds {
    const pieces: { from: number; t: Seconds }[] = [{ from: 0, t }];
    if (text.length >= 3 && this.rng.chance(this.profile.splitShare)) {
      const parts = this.rng.chance(this.profile.threePartShare) ? 3 : 2;
      const cuts = new Set<number>();
      while (cuts.size < parts - 1) cuts.add(this.rng.int(1, text.length - 1));
      let when = t;
      for (const from of [...cuts].sort((a, b) => a - b)) {
        when = t4(when + this.rng.uniform(0.004, 0.036));
        pieces.push({ from, t: when });
      }
      // A gap after the last piece too, unused: every trip generated so far drew it, and a seed keeps its trips.
      this.rng.uniform(0.004, 0.036);
    }
    let start = t;
    const span = pieces.at(-1)!.t - t;
    for (let moved = true; moved; ) {
      moved = false;
      for (const [from, to] of this.busy) {
        if (start <= to && start + span >= from) {
          start = t4(to + LINE_GAP_SEC);
          moved = true;
        }
      }
    }
    const shifted = pieces.map((p) => ({ from: p.from, t: t4(p.t + start - t) }));
    this.busy.push([start, shifted.at(-1)!.t]);
    shifted.forEach((p, i) => this.reads.push({ t: p.t, data: text.slice(p.from, shifted[i + 1]?.from ?? text.length) }));
    return (offset) => shifted.filter((p) => p.from <= offset).at(-1)!.t;
  }
}

/** A read that must wait for the line starts this long after the one before ends (about a byte at 9600 baud). */
const LINE_GAP_SEC = 0.002;
