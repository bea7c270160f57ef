// What the shopper's screen shows, as plain data: the basket lines with their
// names, catalog prices and amounts, the total, the open alerts with what
// they ask of the shopper, and the cart's status. Pure; the server sends it
// as JSON.
import { basketLines } from '../basket/lines.js';
import type { AlertKind, BasketState, Catalog } from '../basket/types.js';
import type { Gtin, Grams, ScaleState, Seconds } from '../domain.js';
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
  /** qty × price; null for an unknown product or one sold by weight, which the store prices. */
  amountCents: number | null;
}

export interface DisplayTotal {
  /** The sum of the lines' amounts. */
  cents: number;
  /** Lines left out of `cents` because only the store can price them. */
  unpricedLines: number;
  /** ISO 4217 code of the catalog's prices. */
  currency: string;
}

export interface DisplayAlert {
  id: number;
  kind: AlertKind;
  /** What the shopper is asked, in words for the screen. */
  ask: string;
}

/** The scale's state; `out-of-order` when two or more corners are dead and it weighs nothing. */
export type DisplayScale = ScaleState | 'out-of-order';

export interface DisplayStatus {
  light: LightMode | null;
  link: LinkStatus;
  scale: DisplayScale;
  /** The "my bag" button was pressed and the next item put in now will be the shopper's own. */
  myBagArmed: boolean;
}

export interface DisplayView {
  lines: DisplayLine[];
  total: DisplayTotal;
  alerts: DisplayAlert[];
  status: DisplayStatus;
}

export interface ViewContext {
  light: LightMode | null;
  link: LinkStatus;
  /** Now, on the clock the basket's times are on. */
  atSec: Seconds;
  /** How long a "my bag" press waits for the bag (basket.personalArmSec). */
  myBagSec: Seconds;
  currency: string;
}

const asks: Record<AlertKind, string> = {
  'unscanned-item': 'Please scan the item you just put in.',
  'weight-mismatch': 'What went in does not match what was scanned. Please check the basket.',
  'unknown-removal': 'Something was taken out that does not match the basket. Please put it back or ask for help.',
  'ambiguous-removal': 'Please scan the item you took out.',
};

/** With two corners silent the scale stops reporting changes (docs/scale.md, degraded mode). */
const deadCornersOutOfOrder = 2;

export function displayView(state: BasketState, catalog: Catalog, ctx: ViewContext): DisplayView {
  const lines = basketLines(state).map((l): DisplayLine => {
    const p = catalog.get(l.gtin);
    const priceCents = p?.priceCents ?? null;
    const byWeight = p?.byWeight ?? false;
    const amountCents = priceCents === null || byWeight ? null : priceCents * l.qty;
    return { gtin: l.gtin, name: p?.name ?? null, qty: l.qty, grams: l.grams, priceCents, byWeight, amountCents };
  });
  // The reconciler keeps the press until the next placement; past its window that placement is charged.
  const armedAt = state.personalArmedAtSec;
  return {
    lines,
    total: {
      cents: lines.reduce((sum, l) => sum + (l.amountCents ?? 0), 0),
      unpricedLines: lines.filter((l) => l.amountCents === null).length,
      currency: ctx.currency,
    },
    alerts: state.openAlerts.map((a) => ({ id: a.id, kind: a.kind, ask: asks[a.kind] })),
    status: {
      light: ctx.light,
      link: ctx.link,
      scale: state.deadChannels.length >= deadCornersOutOfOrder ? 'out-of-order' : state.scaleState,
      myBagArmed: armedAt !== null && ctx.atSec - armedAt <= ctx.myBagSec,
    },
  };
}
