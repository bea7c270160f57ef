// The catalog a simulated store sends its cart: the shelf's goods with fresh
// GTINs, weights spread a little from store to store, and each product's
// pack-to-pack spread (gramsSd) as the spec defines it.
import type { Gtin, Product } from '../../../firmware/domain.js';
import { randomGtin, type Symbology } from './gtin.js';
import type { CatalogProfile } from './profiles.js';
import type { Random } from './random.js';
import { everydayShelf, lightShelf, lookAlikeShelf, type ShelfItem } from './shelf.js';

/** A catalog product and how its label is printed, which the header does not say. */
export interface StockedProduct extends Product {
  /** Labelled with a GS1 DataBar (fresh meat, fish, produce), which a scanner may read instead of the EAN. */
  dataBar: boolean;
}

function symbologyFor(rng: Random, shelf: ShelfItem): Symbology {
  if (shelf.kind !== 'packed') return 'ean13';
  // Small packs carry the short EAN-8 more often; US imports carry UPC-A.
  if (shelf.grams < 100 && rng.chance(0.5)) return 'ean8';
  return rng.weighted([['ean13', 0.86], ['upca', 0.08], ['ean8', 0.06]] as const);
}

function stock(rng: Random, shelf: ShelfItem, grams: number, taken: Set<Gtin>): StockedProduct {
  let gtin: Gtin;
  do gtin = randomGtin(rng, symbologyFor(rng, shelf));
  while (taken.has(gtin));
  taken.add(gtin);
  const byWeight = shelf.kind === 'produce';
  const spread = byWeight ? rng.uniform(0.3, 0.36) : rng.uniform(0.01, 0.02);
  return {
    gtin,
    name: shelf.name,
    grams,
    gramsSd: Math.max(0.3, Math.round(grams * spread * 10) / 10),
    priceCents: Math.round(shelf.priceCents * rng.uniform(0.9, 1.1)),
    byWeight,
    dataBar: shelf.kind !== 'packed',
  };
}

/**
 * Look-alikes keep their small differences: the family's weight moves as one
 * from store to store, so that two 500 g pastas stay within a gram or two.
 */
function stockFamily(rng: Random, family: readonly ShelfItem[], taken: Set<Gtin>): StockedProduct[] {
  const factor = 1 + rng.normal(0, 0.015);
  return family.map((shelf) => stock(rng, shelf, Math.max(1, Math.round(shelf.grams * factor)), taken));
}

export function stockCatalog(rng: Random, profile: CatalogProfile): StockedProduct[] {
  const taken = new Set<Gtin>();
  const catalog: StockedProduct[] = [];
  for (const entry of everydayShelf) {
    catalog.push(...stockFamily(rng, 'name' in entry ? [entry] : entry, taken));
  }
  const families = [...lookAlikeShelf];
  for (let i = 0; i < profile.nearIdenticalGroups && families.length > 0; i++) {
    const [family] = families.splice(rng.int(0, families.length - 1), 1);
    if (family) catalog.push(...stockFamily(rng, family, taken));
  }
  const light = [...lightShelf];
  for (let i = 0; i < profile.lightItems && light.length > 0; i++) {
    const [shelf] = light.splice(rng.int(0, light.length - 1), 1);
    if (shelf) catalog.push(stock(rng, shelf, shelf.grams, taken));
  }
  return catalog;
}

/** The header's form of a product: only the fields the spec defines. */
export function catalogEntry(p: StockedProduct): Product {
  return { gtin: p.gtin, name: p.name, grams: p.grams, gramsSd: p.gramsSd, priceCents: p.priceCents, byWeight: p.byWeight };
}
