// A scripted shopper for the sync tests and the fleet benchmark: it feeds the
// real cart (Cart.apply: reconciler, SQLite commit, outbox) with scans and
// weight changes that make adds, removes and alerts, on its own clock.
import type { Product } from '../../../firmware/domain.js';
import type { Cart } from '../../../firmware/cart.js';

/** Products far enough apart in weight that every change has one explanation. */
export const syncCatalog: Product[] = Array.from({ length: 12 }, (_, i) => ({
  gtin: String(4_000_000_000_017 + i * 1000).padStart(14, '0'),
  name: `item ${i + 1}`,
  grams: 120 + i * 137,
  gramsSd: 2,
  priceCents: 99 + i * 50,
  byWeight: false,
}));

export class Shopper {
  #atSec: number;
  readonly inBasket: string[] = [];

  constructor(private readonly cart: Cart, startSec = 10, private readonly catalog: Product[] = syncCatalog) {
    this.#atSec = startSec;
  }

  get atSec(): number {
    return this.#atSec;
  }

  #product(i: number): Product {
    return this.catalog[i % this.catalog.length]!;
  }

  #delta(grams: number): void {
    const began = this.#atSec + 0.5;
    this.cart.apply({ kind: 'stable-delta', grams, sdGrams: 1, centre: null, beganAtSec: began, restAtSec: began + 0.6, atSec: began + 0.7 });
  }

  /** Scans product i and puts it in: one `add`. */
  add(i: number): void {
    const p = this.#product(i);
    this.cart.apply({ kind: 'product-scan', atSec: this.#atSec, gtin: p.gtin, code: p.gtin.slice(1) });
    this.#delta(p.grams);
    this.inBasket.push(p.gtin);
    this.#atSec += 10;
  }

  /** Takes the last item added back out: one `remove`. */
  removeLast(): void {
    const gtin = this.inBasket.pop();
    const p = this.catalog.find((c) => c.gtin === gtin);
    if (!p) return;
    this.#delta(-p.grams);
    this.#atSec += 10;
  }

  /** Puts something in without scanning it: one `alert` (unscanned item), once the basket has been still for basket.continuationSec. */
  sneak(grams = 777): void {
    this.#delta(grams);
    this.cart.apply({ kind: 'tick', atSec: this.#atSec + 5 });
    this.#atSec += 30;
  }

  /** One realistic step of shopping, chosen by step number: mostly adds, now and then a removal or an unscanned item. */
  step(n: number): void {
    if (n % 9 === 8 && this.inBasket.length > 0) this.removeLast();
    else this.add(n * 5 + 3);
  }
}
