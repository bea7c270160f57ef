// The shopper's basket as the store and the replay see it: charged units
// grouped by product.
import type { Gtin, Grams } from '../domain.js';
import type { BasketState } from './types.js';

export interface BasketLine {
  gtin: Gtin;
  qty: number;
  grams: Grams;
}

export function basketLines(state: BasketState): BasketLine[] {
  const lines = new Map<Gtin, BasketLine>();
  for (const unit of state.units) {
    if (unit.status !== 'charged' || unit.gtin === null) continue;
    const line = lines.get(unit.gtin) ?? { gtin: unit.gtin, qty: 0, grams: 0 };
    line.qty += 1;
    line.grams += unit.grams;
    lines.set(unit.gtin, line);
  }
  return [...lines.values()]
    .map((l) => ({ ...l, grams: Math.round(l.grams * 10) / 10 }))
    .sort((a, b) => (a.gtin < b.gtin ? -1 : a.gtin > b.gtin ? 1 : 0));
}
