// A catalog held in memory: what a replay reads from a trace's header, and
// what the tests hand the reconciler. The cart's own catalog lives in SQLite
// (storage/basket-store.ts), as 200,000 products would not fit the heap.
import type { Grams, Gtin, Product } from '../domain.js';
import type { Catalog } from './types.js';

/** The least any of `products` may weigh, as Catalog.leastGrams defines it. */
export function leastGrams(products: Iterable<Product>, sigmas: number, byWeightSigmas: number): Grams | null {
  let least: Grams | null = null;
  for (const p of products) {
    const grams = p.grams - (p.byWeight ? byWeightSigmas : sigmas) * p.gramsSd;
    if (least === null || grams < least) least = grams;
  }
  return least;
}

export function catalogOf(products: Iterable<Product>): Catalog {
  const byGtin = new Map<Gtin, Product>();
  for (const p of products) byGtin.set(p.gtin, p);
  return {
    get: (gtin) => byGtin.get(gtin),
    leastGrams: (sigmas, byWeightSigmas) => leastGrams(byGtin.values(), sigmas, byWeightSigmas),
  };
}
