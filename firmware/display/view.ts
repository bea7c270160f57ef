// What a screen on the cart shows, as plain data: the basket lines with their
// names and catalog prices, the open alerts with what they ask of the
// shopper, and the cart's status. Pure; the server sends it as JSON.
import { basketLines } from '../basket/lines.js';
import type { AlertKind, BasketState, Catalog } from '../basket/types.js';
import type { Gtin, Grams } from '../domain.js';
import type { LightMode } from '../feedback/index.js';
import type { LinkStatus } from '../sync/store-link.js';

export interface DisplayLine {
  gtin: Gtin;
  /** null when the catalog does not know the product (yet). */
  name: string | null;
  qty: number;
  /** What the scale measured for the line's units together. */
  grams: Grams;
  /** The catalog price as the store sent it; the bill is the store's to make. */
  priceCents: number | null;
  byWeight: boolean;
}

export interface DisplayAlert {
  id: number;
  kind: AlertKind;
  /** What the shopper is asked, in words for the screen. */
  ask: string;
}

export interface DisplayStatus {
  light: LightMode | null;
  link: LinkStatus;
  /** The "my bag" button was pressed and the next item put in will be the shopper's own. */
  myBagArmed: boolean;
}

export interface DisplayView {
  lines: DisplayLine[];
  alerts: DisplayAlert[];
  status: DisplayStatus;
}

const asks: Record<AlertKind, string> = {
  'unscanned-item': 'Please scan the item you just put in.',
  'weight-mismatch': 'What went in does not match what was scanned. Please check the basket.',
  'unknown-removal': 'Something was taken out that does not match the basket. Please put it back or ask for help.',
  'ambiguous-removal': 'Please scan the item you took out.',
};

export function displayView(state: BasketState, catalog: Catalog, status: Omit<DisplayStatus, 'myBagArmed'>): DisplayView {
  return {
    lines: basketLines(state).map((l) => {
      const p = catalog.get(l.gtin);
      return { gtin: l.gtin, name: p?.name ?? null, qty: l.qty, grams: l.grams, priceCents: p?.priceCents ?? null, byWeight: p?.byWeight ?? false };
    }),
    alerts: state.openAlerts.map((a) => ({ id: a.id, kind: a.kind, ask: asks[a.kind] })),
    status: { ...status, myBagArmed: state.personalArmedAtSec !== null },
  };
}
