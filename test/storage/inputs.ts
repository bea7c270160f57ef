// A deterministic stream of basket inputs for the storage tests: scans and the
// weight changes that follow them, some removals, some unscanned items.
import { catalogOf } from '../../firmware/basket/catalog.js';
import type { BasketInput, Catalog } from '../../firmware/basket/types.js';
import type { Product } from '../../firmware/domain.js';

export const testProducts: Product[] = [
  { gtin: '05901234123457', name: 'Oat milk 1 l', grams: 1062, gramsSd: 6, priceCents: 249, byWeight: false },
  { gtin: '00000076372995', name: 'Butter 250 g', grams: 258, gramsSd: 3, priceCents: 245, byWeight: false },
  { gtin: '08024301475437', name: 'Free range eggs 6', grams: 390, gramsSd: 5, priceCents: 229, byWeight: false },
];
export const testCatalog: Catalog = catalogOf(testProducts);

/** The i-th input of an endless, repeatable shopping trip. */
export function inputAt(i: number): BasketInput {
  const step = Math.floor(i / 2);
  const p = testProducts[step % testProducts.length]!;
  const atSec = i * 3;
  const removal = step % 5 === 4;
  const unscanned = step % 7 === 6;
  if (i % 2 === 0) {
    // A button release changes nothing but is logged like every input, so the
    // count of logged inputs is the position in the stream.
    if (removal || unscanned) return { kind: 'button', atSec, name: 'help', pressed: false };
    return { kind: 'product-scan', atSec, gtin: p.gtin, code: p.gtin };
  }
  const grams = removal ? -p.grams : p.grams + ((step * 37) % 7) - 3;
  return { kind: 'stable-delta', grams, sdGrams: 1.5, centre: null, beganAtSec: atSec - 1, restAtSec: atSec - 0.4, atSec };
}
