// The expected outcome of a simulated trip (NAME.truth.json), with the fields
// the spec defines (basket, alerts, actions) and those the samples add.
import type { Gtin, Grams, Seconds } from '../../../firmware/domain.js';
import type { ProfileName } from './profiles.js';
import type { ScannerStyle } from './scanner.js';

export type AlertKind = 'unscanned-item' | 'weight-mismatch' | 'unknown-removal' | 'ambiguous-removal';

export interface TruthAction {
  /** When the hand starts to move the weight. */
  t: Seconds;
  /** When the basket is at rest again (a push that follows keeps it moving). */
  restAt: Seconds;
  op: 'add' | 'remove';
  /** The product moved; null for the shopper's own bag. */
  gtin: Gtin | null;
  grams: Grams;
  scanned: boolean;
  /** The change belongs in the basket the cart may charge for. */
  charged: boolean;
  alert: AlertKind | null;
  /** Which physical unit: a removal names the unit it takes from. */
  unit: number;
  /** Only part of the unit was taken out. */
  partial?: true;
  /** A mismatch: the product that was scanned for it. */
  scannedGtin?: Gtin;
  /** The shopper's own bag, announced with the my-bag button. */
  personal?: true;
}

/**
 * item: announced a placement; abandoned: nothing followed; duplicate: the
 * scanner repeating itself within 1 s; removal: announced a removal;
 * mismatch: something else was put in; resolution: named the item taken out
 * after an ambiguous-removal alert; not-in-catalog and misread: announce nothing.
 */
export type ScanRole = 'item' | 'abandoned' | 'duplicate' | 'removal' | 'mismatch' | 'resolution' | 'not-in-catalog' | 'misread';

export interface TruthScan {
  t: Seconds;
  gtin: Gtin;
  role: ScanRole;
}

export interface Truth {
  basket: { gtin: Gtin; qty: number }[];
  alerts: { kind: AlertKind; t: Seconds }[];
  actions: TruthAction[];
  honest: boolean;
  trip: string;
  profile: ProfileName;
  seed: number;
  durationS: Seconds;
  scanner: ScannerStyle;
  scans: TruthScan[];
  motion: [Seconds, Seconds][];
  rearranged: [Seconds, Seconds][];
}

/** What the cart may charge for: charged additions less charged removals, each GTIN once. */
export function basketOf(actions: readonly TruthAction[]): Truth['basket'] {
  const qty = new Map<Gtin, number>();
  for (const a of actions) {
    if (!a.charged || a.gtin === null) continue;
    qty.set(a.gtin, (qty.get(a.gtin) ?? 0) + (a.op === 'add' ? 1 : -1));
  }
  return [...qty].filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : 1)).map(([gtin, n]) => ({ gtin, qty: n }));
}

/** Each alert at the moment its weight change came to rest. */
export function alertsOf(actions: readonly TruthAction[]): Truth['alerts'] {
  return actions.flatMap((a) => (a.alert ? [{ kind: a.alert, t: a.restAt }] : [])).sort((a, b) => a.t - b.t);
}

/** Laid out like the samples: one basket line, alert, action and scan a line, for people reading diffs. */
export function formatTruth(truth: Truth): string {
  const lines = (items: readonly unknown[]) => (items.length === 0 ? '[]' : `[\n${items.map((i) => '  ' + JSON.stringify(i)).join(',\n')}\n ]`);
  const fields = Object.entries(truth).map(([key, value]) => {
    const text = Array.isArray(value) ? lines(value) : JSON.stringify(value);
    return ` ${JSON.stringify(key)}: ${text}`;
  });
  return `{\n${fields.join(',\n')}\n}\n`;
}
