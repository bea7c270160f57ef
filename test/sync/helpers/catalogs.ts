// Large catalogs made by code, for the tests and the benchmark of catalog
// updates: `count` products with distinct 14-digit GTINs; `variant` changes
// every price, so that two catalogs of the same size differ in every row.
import type { Product } from '../../../firmware/domain.js';

export function largeCatalog(count: number, variant = 0, firstIndex = 0): Product[] {
  return Array.from({ length: count }, (_, k) => {
    const i = firstIndex + k;
    return {
      gtin: String(20_000_000_000_000 + i * 7).padStart(14, '0'),
      name: `product ${i} of a large store, 500 g pack`,
      grams: 50 + (i % 4000),
      gramsSd: 1 + (i % 7),
      priceCents: 99 + ((i * 13 + variant) % 5000),
      byWeight: i % 50 === 0,
    };
  });
}
