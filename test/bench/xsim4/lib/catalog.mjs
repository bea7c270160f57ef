// The store catalog used by every xsim4 trip (one store; the same for all seeds).
//
// grams = mean gross weight of one unit as sold (packaging included), gramsSd = unit to
// unit spread. Where the numbers come from (reasoning, not measurement):
//  - liquids: nominal volume x density (milk 1.03, juice ~1.045, cola ~1.04, oil 0.915,
//    water 1.0) + container (1 l carton ~28 g, 1.5 l PET ~32 g, 75 cl wine bottle
//    ~450-520 g, 1 l olive-oil glass ~700 g);
//  - packed dry goods: declared net weight + pack, with EU average-quantity filling
//    ("e" mark, Directive 76/211/EEC) putting the mean slightly above nominal;
//  - spreads: about 0.8-1.5 % of the gross for fixed goods (filling + pack variation),
//    a few % for light items where the pack dominates, and 25-35 % of the typical
//    weight for loose produce and deli counter items (byWeight: the catalog mean is only a
//    typical bag).
// Price of a byWeight item is per kilogram.
//
// sym: how the product's code is printed: ean13, upca (GTIN-12), ean8, itf14 (outer case,
// GTIN-14), case (ITF-14 or GS1-128 on a case), dm (GS1 DataMatrix beside an EAN-13 on
// pharmacy packs), var (GS1 DataBar Expanded label from an in-store scale: AI 01 with a
// variable-measure GTIN-14, indicator digit 9, and AI 3103 net weight).
//
// tags: roll (bottles, cans, round things: roll in a moving basket), fragile (not dropped),
// soft (soft impact), frozen, heavy, steal (small expensive theft targets),
// multi:N:g (multipack of N pieces of g grams: one piece can be taken out),
// piece:a:b (loose produce: one piece weighs a-b g).

import { Rng } from './prng.mjs';
import { withCheck, gtin14 } from './gs1.mjs';

const P = (name, grams, sd, price, sym, tags = '', pop = 1) => ({ name, grams, sd, price, sym, tags: tags.split(' ').filter(Boolean), pop });

const PRODUCTS = [
  // dairy and chilled
  P('Whole milk 1 l carton', 1057, 8, 119, 'ean13', '', 3),
  P('Semi-skimmed milk 1 l carton', 1054, 8, 109, 'ean13', '', 3),
  P('Whole milk 2 l bottle', 2098, 15, 219, 'ean13', 'roll', 2),
  P('Oat drink 1 l', 1046, 9, 229, 'ean13', '', 1.5),
  P('Natural yoghurt 500 g', 531, 6, 139, 'ean13', '', 2),
  P('Greek-style yoghurt 1 kg', 1052, 11, 329, 'ean13', '', 1),
  P('Strawberry yoghurt 4x125 g', 547, 7, 189, 'ean13', 'multi:4:133', 1.5),
  P('Butter 250 g', 255, 2.4, 259, 'ean13', '', 2.5),
  P('Salted butter 250 g', 255, 2.4, 269, 'ean13', '', 1.5),
  P('Mature cheddar 400 g', 414, 4, 449, 'ean13', '', 1.5),
  P('Mozzarella 125 g in whey', 226, 5, 99, 'ean13', 'soft', 1.5),
  P('Parmesan wedge 200 g', 207, 3, 499, 'ean13', 'steal', 1),
  P('Free-range eggs 10', 648, 17, 349, 'ean13', 'fragile', 2),
  P('Large eggs 6', 428, 13, 229, 'ean13', 'fragile', 1.5),
  P('Single cream 250 ml', 268, 3, 119, 'ean13', '', 1),
  P('Orange juice 1 l', 1089, 9, 249, 'ean13', '', 2),
  P('Apple juice 1 l', 1084, 9, 189, 'ean13', '', 1.5),
  // meat and fish
  P('Chicken breast fillets 600 g', 628, 9, 699, 'ean13', '', 2),
  P('Beef mince 5% fat 500 g', 524, 7, 549, 'ean13', '', 2),
  P('Pork sausages x6', 437, 8, 299, 'ean13', '', 1.5),
  P('Salmon fillets 2x125 g', 268, 5, 599, 'ean13', 'steal', 1.2),
  P('Smoked salmon 200 g', 224, 3, 749, 'ean13', 'steal', 1),
  P('Cooked ham slices 200 g', 213, 3, 279, 'ean13', '', 1.5),
  P('Salami slices 100 g', 109, 2, 229, 'ean13', '', 1),
  // bakery
  P('Sandwich loaf 800 g', 812, 11, 149, 'ean13', 'soft', 2.5),
  P('Rye bread 500 g', 509, 8, 219, 'ean13', 'soft', 1),
  P('Baguette', 264, 11, 119, 'ean13', 'soft', 1.5),
  P('Croissants x6', 372, 7, 249, 'ean13', 'soft', 1.2),
  // pantry
  P('Spaghetti 500 g', 507, 3.5, 129, 'ean13', '', 2),
  P('Penne 500 g', 509, 3.5, 129, 'ean13', '', 2),
  P('Fusilli 500 g', 509, 3.8, 139, 'ean13', '', 1.5),
  P('Long-grain rice 1 kg', 1017, 6, 189, 'ean13', '', 1.5),
  P('Basmati rice 1 kg', 1019, 6, 349, 'ean13', '', 1.2),
  P('Plain flour 1 kg', 1009, 8, 99, 'ean13', 'soft', 1),
  P('White sugar 1 kg', 1006, 6, 119, 'ean13', '', 1),
  P('Rolled oats 500 g', 521, 5, 109, 'ean13', 'soft', 1),
  P('Corn flakes 375 g', 408, 5, 259, 'ean13', 'soft', 1.2),
  P('Crunchy muesli 750 g', 791, 8, 379, 'ean13', 'soft', 1),
  P('Chopped tomatoes 400 g can', 461, 5, 79, 'ean13', 'roll', 2.5),
  P('Red kidney beans 400 g can', 459, 5, 89, 'ean13', 'roll', 1.5),
  P('Coconut milk 400 ml can', 451, 5, 179, 'ean13', 'roll', 1),
  P('Tuna chunks 3x80 g', 294, 4, 379, 'ean13', 'multi:3:96', 1.5),
  P('Extra virgin olive oil 1 l glass', 1642, 18, 1099, 'ean13', 'roll fragile steal', 1),
  P('Sunflower oil 1 l', 957, 8, 249, 'ean13', 'roll', 1),
  P('Balsamic vinegar 500 ml', 878, 11, 349, 'ean13', 'roll fragile', 0.6),
  P('Peanut butter 340 g', 417, 5, 389, 'upca', '', 1),
  P('Clear honey 450 g jar', 641, 9, 499, 'ean13', 'fragile', 1),
  P('Strawberry jam 450 g jar', 637, 9, 229, 'ean13', 'fragile', 1.2),
  P('Ground coffee 500 g', 517, 4, 749, 'ean13', 'steal', 1.5),
  P('Coffee beans 1 kg', 1024, 7, 1599, 'ean13', 'steal', 0.8),
  P('Black tea 80 bags', 263, 3, 299, 'ean13', '', 1.2),
  P('Tomato ketchup 500 ml', 584, 6, 219, 'upca', '', 1),
  // snacks and small things
  P('Milk chocolate 100 g', 105, 1.2, 139, 'ean8', '', 2),
  P('Dark chocolate 100 g', 104, 1.2, 169, 'ean8', '', 1),
  P('Chocolate bar 300 g', 316, 3, 399, 'ean13', '', 0.8),
  P('Spearmint chewing gum', 31, 0.7, 129, 'ean8', '', 1.5),
  P('Mints tin', 43, 0.8, 179, 'ean8', '', 1),
  P('Sea salt crisps 150 g', 163, 3, 219, 'ean13', 'soft', 1.5),
  P('Tortilla chips 200 g', 214, 3, 189, 'ean13', 'soft', 1),
  P('Salted peanuts 200 g', 211, 3, 169, 'ean13', '', 1),
  P('Digestive biscuits 400 g', 421, 5, 149, 'ean13', '', 1.2),
  P('Dried oregano 15 g jar', 54, 1.4, 159, 'ean8', 'fragile', 0.6),
  P('Dried yeast 3x7 g', 25, 0.6, 89, 'ean8', '', 0.6),
  P('Vanilla pods x2', 22, 0.7, 649, 'ean8', 'steal', 0.3),
  // drinks
  P('Still water 1.5 l', 1532, 11, 59, 'ean13', 'roll', 2),
  P('Still water 6x1.5 l', 9230, 55, 329, 'ean13', 'heavy multi:6:1532', 1),
  P('Sparkling water 6x1.5 l', 9252, 55, 349, 'itf14', 'heavy multi:6:1540', 0.8),
  P('Cola 1.5 l', 1594, 11, 199, 'ean13', 'roll', 1.5),
  P('Cola zero 1.5 l', 1549, 11, 199, 'ean13', 'roll', 1.2),
  P('Cola 6x330 ml cans', 2128, 18, 449, 'upca', 'multi:6:350', 1),
  P('Lager 24x330 ml cans', 8610, 70, 1899, 'case', 'heavy multi:24:352', 0.6),
  P('Pale ale 6x500 ml bottles', 4570, 45, 999, 'ean13', 'heavy fragile multi:6:752', 0.7),
  P('Red wine 75 cl', 1268, 18, 699, 'ean13', 'roll fragile', 1.2),
  P('Reserve red wine 75 cl', 1287, 20, 2499, 'ean13', 'roll fragile steal', 0.5),
  P('Prosecco 75 cl', 1592, 22, 1099, 'ean13', 'roll fragile', 0.6),
  P('London dry gin 70 cl', 1265, 20, 2799, 'ean13', 'roll fragile steal', 0.4),
  // household and health
  P('Toilet tissue 9 rolls', 1032, 18, 499, 'ean13', 'soft', 1),
  P('Kitchen roll x4', 612, 10, 379, 'ean13', 'soft', 0.8),
  P('Washing-up liquid 450 ml', 503, 6, 149, 'ean13', '', 1),
  P('Laundry liquid 2.5 l', 2755, 28, 1199, 'ean13', 'heavy', 0.7),
  P('Cat litter 10 kg', 10060, 90, 899, 'ean13', 'heavy soft', 0.4),
  P('Potatoes 5 kg bag', 5080, 65, 399, 'ean13', 'heavy soft', 0.7),
  P('AA batteries x4', 103, 1.4, 699, 'upca', 'steal', 0.6),
  P('Razor blades x4', 61, 1, 1799, 'ean13', 'steal', 0.4),
  P('microSD card 64 GB', 23, 0.8, 1999, 'upca', 'steal', 0.3),
  P('Toothpaste 75 ml', 113, 2, 189, 'ean13', '', 1.2),
  P('Shampoo 250 ml', 289, 4, 349, 'ean13', '', 1),
  P('Deodorant spray 150 ml', 129, 2, 299, 'ean13', 'steal', 0.8),
  P('Ibuprofen 200 mg x24', 26, 0.7, 249, 'dm', '', 0.5),
  P('Vitamin C effervescent x20', 97, 1.8, 399, 'dm', 'roll', 0.4),
  P('Infant formula 800 g', 962, 9, 1899, 'dm', 'steal', 0.3),
  // frozen
  P('Frozen peas 1 kg', 1013, 8, 199, 'ean13', 'frozen soft', 1),
  P('Frozen pizza margherita', 388, 7, 279, 'ean13', 'frozen', 1.2),
  P('Vanilla ice cream 900 ml', 561, 8, 449, 'ean13', 'frozen', 1),
  P('Fish fingers x10', 317, 5, 289, 'ean13', 'frozen', 1),
  P('Frozen mixed berries 500 g', 512, 6, 399, 'ean13', 'frozen soft', 0.6),
  // sold by weight (price per kg)
  P('Bananas loose', 980, 290, 139, 'var', 'soft piece:120:210', 2.5),
  P('Apples loose', 1150, 340, 249, 'var', 'roll piece:150:240', 2),
  P('Vine tomatoes loose', 620, 190, 399, 'var', 'soft piece:80:140', 1.5),
  P('Carrots loose', 760, 240, 119, 'var', 'piece:60:130', 1),
  P('Lemons loose', 400, 130, 299, 'var', 'roll piece:100:160', 1),
  P('Red grapes loose', 560, 150, 599, 'var', 'soft piece:90:180', 1),
  P('Mushrooms loose', 340, 110, 699, 'var', 'soft piece:40:90', 0.8),
  P('Deli cheese cut to order', 330, 110, 1990, 'var', '', 0.6),
  P('Deli olives', 290, 90, 1590, 'var', '', 0.5),
  P('Beef steak from the counter', 430, 130, 3290, 'var', '', 0.5),
];

// GS1 prefixes by country, used to make the codes look like a European store's shelves.
const EAN13_PREFIXES = ['400', '401', '402', '405', '409', '410', '425', '500', '501', '502', '503', '506', '300', '301', '320', '340', '800', '801', '803', '840', '841', '870', '871', '872', '540', '541', '590', '760', '762', '900', '901', '570', '575', '859', '599'];
const EAN8_PREFIXES = ['40', '41', '42', '43', '50', '87', '90'];
const UPC_SYSTEMS = ['0', '0', '0', '7', '8'];

function digits(rng, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(0, 9));
  return s;
}

function makeCode(rng, sym) {
  switch (sym) {
    case 'ean8': return withCheck(rng.pick(EAN8_PREFIXES) + digits(rng, 5));
    case 'upca': return withCheck(rng.pick(UPC_SYSTEMS) + digits(rng, 10));
    case 'itf14': case 'case': return withCheck(String(rng.int(1, 8)) + rng.pick(EAN13_PREFIXES) + digits(rng, 9));
    case 'var': return withCheck('9' + rng.pick(EAN13_PREFIXES) + digits(rng, 9));
    default: return withCheck(rng.pick(EAN13_PREFIXES) + digits(rng, 9));
  }
}

function parseTags(p) {
  const t = { roll: false, fragile: false, soft: false, frozen: false, heavy: false, steal: false, multi: null, piece: null };
  for (const tag of p.tags) {
    const [k, a, b] = tag.split(':');
    if (k === 'multi') t.multi = { n: Number(a), grams: Number(b) };
    else if (k === 'piece') t.piece = { lo: Number(a), hi: Number(b) };
    else t[k] = true;
  }
  return t;
}

function build() {
  const rng = new Rng('xsim4-catalog', 1);
  const seen = new Set();
  const products = PRODUCTS.map((p, index) => {
    let code;
    do { code = makeCode(rng, p.sym); } while (seen.has(gtin14(code)));
    seen.add(gtin14(code));
    return {
      index,
      gtin: gtin14(code),
      code, // as printed: 8, 12, 13 or 14 digits
      name: p.name,
      grams: p.grams,
      sd: p.sd,
      price: p.price,
      byWeight: p.sym === 'var',
      sym: p.sym,
      pop: p.pop,
      ...parseTags(p),
    };
  });
  // Products that are not in the catalog: imports the store never listed. Valid codes.
  const foreignProducts = [
    ['Hot sauce 150 ml (import)', '750', 262, 4],
    ['Energy drink 250 ml can', '909', 276, 3],
    ['Soy sauce 500 ml', '490', 618, 8],
    ['Rice noodles 400 g', '885', 415, 5],
    ['Protein bar 60 g', '069', 67, 1.5],
  ].map(([name, prefix, grams, sd]) => {
    let code;
    do { code = withCheck(prefix + digits(rng, 12 - prefix.length)); } while (seen.has(gtin14(code)));
    seen.add(gtin14(code));
    return { name, code, gtin: gtin14(code), grams, sd };
  });
  return { products, foreignProducts, byGtin: new Map(products.map((p) => [p.gtin, p])) };
}

export const CATALOG = build();

/** the header's catalog entries (format page: gtin, name, grams, gramsSd, priceCents, byWeight) */
export function headerCatalog() {
  return CATALOG.products.map((p) => ({ gtin: p.gtin, name: p.name, grams: p.grams, gramsSd: p.sd, priceCents: p.price, byWeight: p.byWeight }));
}
