// The store's catalog (fixed for all trips, like one store's master data) and
// the codes a shopper may scan that are not in it.
//
// Weights are package gross weights ("as sold, packaging included"), my own
// estimates of typical European supermarket goods. Packaged goods get a
// standard deviation of 1-3 % of the weight (filling tolerance plus packaging
// variation; EU average-quantity rules (Directive 76/211/EEC) allow a tolerable
// negative error of 1.5-9 % depending on size, real fillers run tighter).
// byWeight goods (loose produce, deli counter) have a "typical" weight and a
// large sd (25-40 %).
//
// GTINs are generated from a fixed seed, with GS1 prefixes of real member
// organisations (400-440 DE, 500-509 UK, 300-379 FR, 800-839 IT, 870-879 NL,
// 540-549 BE/LU, 760-769 CH, 560 PT, 590 PL) and valid check digits.

import { makeRng } from './rng.mjs';

// name, grams, sd%(packaged) or sd grams (byWeight), priceCents, options
// opts: b = byWeight, f = barcode format ('ean8' | 'upca', default ean13),
//       g = also carries a GS1 DataBar / GS1-128 label (fresh goods),
//       n = pieces in a multipack (a piece can be taken out), tw = twin group
const P = [
  // dairy & eggs
  ['Whole milk 1 l', 1042, 1.2, 115, { tw: 'milk1l' }],
  ['Semi-skimmed milk 1 l', 1041, 1.2, 109, { tw: 'milk1l' }],
  ['Organic oat drink 1 l', 1068, 1.3, 229, {}],
  ['Natural yoghurt 500 g', 538, 1.5, 129, {}],
  ['Greek style yoghurt 450 g', 487, 1.6, 199, { g: 1 }],
  ['Fruit yoghurt 6x125 g', 812, 1.8, 269, { n: 6 }],
  ['Unsalted butter 250 g', 257, 1.1, 239, { tw: 'butter' }],
  ['Salted butter 250 g', 257.5, 1.1, 239, { tw: 'butter' }],
  ['Mature cheddar 400 g', 418, 1.4, 399, { g: 1 }],
  ['Mozzarella 125 g', 232, 2.4, 99, {}],
  ['Parmigiano Reggiano 200 g', 214, 1.6, 489, { g: 1 }],
  ['Free range eggs 10', 655, 2.6, 329, { n: 10 }],
  ['Barn eggs 6', 384, 2.8, 179, { n: 6 }],
  ['Single cream 250 ml', 268, 1.3, 119, {}],
  ['Feta 200 g', 236, 1.7, 219, {}],
  // bakery
  ['Sourdough loaf 800 g', 812, 2.5, 289, {}],
  ['White toast bread 500 g', 514, 2.0, 129, {}],
  ['Plain bagels 5 pack', 462, 2.2, 179, { n: 5 }],
  ['Rye crispbread 250 g', 271, 1.5, 149, {}],
  ['Butter croissants 6', 298, 2.6, 249, { n: 6 }],
  // pantry
  ['Spaghetti 500 g', 511, 1.1, 109, { tw: 'pasta500' }],
  ['Penne rigate 500 g', 511.5, 1.1, 109, { tw: 'pasta500' }],
  ['Long grain rice 1 kg', 1016, 1.2, 189, {}],
  ['Arborio risotto rice 1 kg', 1024, 1.2, 299, {}],
  ['Plain wheat flour 1 kg', 1011, 1.3, 89, {}],
  ['White sugar 1 kg', 1009, 1.0, 119, {}],
  ['Sea salt 500 g', 538, 1.3, 99, {}],
  ['Chopped tomatoes 400 g can', 458, 1.3, 69, { tw: 'can400' }],
  ['Red kidney beans 400 g can', 458.5, 1.3, 79, { tw: 'can400' }],
  ['Coconut milk 400 ml can', 446, 1.3, 149, {}],
  ['Tuna in olive oil 3x80 g', 318, 1.5, 399, { n: 3 }],
  ['Sardines in oil 120 g', 152, 1.6, 159, {}],
  ['Runny honey 340 g jar', 520, 1.7, 379, {}],
  ['Apricot jam 450 g jar', 667, 1.6, 229, {}],
  ['Crunchy peanut butter 350 g', 452, 1.5, 249, {}],
  ['Extra virgin olive oil 750 ml', 1210, 1.5, 899, {}],
  ['Sunflower oil 1 l', 982, 1.4, 249, {}],
  ['Balsamic vinegar 500 ml', 815, 1.6, 299, {}],
  ['Tomato ketchup 500 ml', 596, 1.5, 219, {}],
  ['Mayonnaise 400 ml jar', 512, 1.4, 249, {}],
  ['Dijon mustard 200 g jar', 318, 1.6, 149, {}],
  ['Instant noodles 85 g', 91, 1.9, 59, {}],
  ['Corn flakes 375 g', 412, 1.9, 239, {}],
  ['Fruit muesli 750 g', 788, 1.8, 299, {}],
  ['Rolled oats 500 g', 518, 1.4, 99, {}],
  ['Coffee beans 1 kg', 1032, 1.1, 1199, {}],
  ['Ground coffee 250 g', 268, 1.2, 449, {}],
  ['Instant coffee 100 g jar', 338, 1.6, 599, {}],
  ['Black tea 40 bags', 112, 2.0, 199, {}],
  ['Cocoa powder 250 g', 286, 1.5, 279, {}],
  ['Ground cinnamon 40 g jar', 96, 2.2, 189, { f: 'ean8' }],
  ['Black peppercorns 50 g', 58, 2.4, 229, { f: 'ean8' }],
  ['Baking powder 3x15 g', 51, 2.5, 69, { f: 'ean8' }],
  ['Dried yeast 3x7 g', 27, 2.8, 89, { f: 'ean8' }],
  ['Peppermint chewing gum', 33, 2.5, 119, { f: 'ean8' }],
  ['Mints tin 45 g', 57, 1.8, 169, { f: 'upca' }],
  ['Milk chocolate bar 100 g', 106, 1.4, 129, { tw: 'choc' }],
  ['Dark chocolate bar 100 g', 106.2, 1.4, 149, { tw: 'choc' }],
  ['Fruit gums 200 g', 209, 1.5, 119, {}],
  ['Salted crisps 175 g', 183, 2.0, 199, {}],
  ['Tortilla chips 200 g', 212, 2.0, 179, {}],
  ['Pretzel sticks 250 g', 262, 1.6, 119, {}],
  ['Chocolate digestives 300 g', 315, 1.5, 169, {}],
  ['Cream crackers 200 g', 218, 1.8, 99, {}],
  // drinks
  ['Still mineral water 1.5 l', 1548, 1.1, 59, { tw: 'water15' }],
  ['Sparkling mineral water 1.5 l', 1549, 1.1, 65, { tw: 'water15' }],
  ['Spring water 5 l', 5095, 1.0, 149, {}],
  ['Orange juice 1 l carton', 1089, 1.2, 219, { tw: 'juice1l' }],
  ['Apple juice 1 l carton', 1088, 1.2, 189, { tw: 'juice1l' }],
  ['Cola 6x330 ml cans', 2118, 1.4, 449, { n: 6, f: 'upca' }],
  ['Pilsner 4x500 ml cans', 2145, 1.4, 499, { n: 4 }],
  ['Red wine Rioja 75 cl', 1262, 2.0, 899, { tw: 'wine' }],
  ['White wine Soave 75 cl', 1261, 2.0, 799, { tw: 'wine' }],
  ['Energy drink 250 ml', 273, 1.4, 139, { f: 'upca' }],
  ['Sparkling lemonade 1 l', 1078, 1.3, 129, {}],
  // household & personal care
  ['Laundry liquid 2.5 l', 2705, 1.5, 1099, {}],
  ['Washing-up liquid 450 ml', 497, 1.4, 139, {}],
  ['Toilet tissue 9 rolls', 935, 2.5, 499, {}],
  ['Kitchen roll 3 pack', 436, 2.5, 279, {}],
  ['Bin bags 20', 312, 2.0, 229, {}],
  ['Scouring sponges 3', 36, 2.8, 129, { f: 'ean8' }],
  ['AA batteries 4', 104, 1.5, 599, { f: 'upca' }],
  ['LED bulb E27', 61, 2.0, 449, {}],
  ['Dishwasher tablets 30', 588, 1.6, 699, {}],
  ['Cat litter 5 kg', 5030, 1.2, 549, {}],
  ['Dry dog food 4 kg', 4065, 1.1, 1299, {}],
  ['Cat food pouches 12x85 g', 1164, 1.6, 549, { n: 12 }],
  ['Shampoo 250 ml', 289, 1.5, 349, {}],
  ['Toothpaste 75 ml', 104, 1.9, 199, { f: 'upca' }],
  ['Toothbrush medium', 24, 2.5, 249, { f: 'ean8' }],
  ['Shower gel 250 ml', 291, 1.5, 189, {}],
  ['Deodorant spray 150 ml', 128, 1.6, 299, {}],
  ['Razor blades 4', 41, 2.0, 1199, { f: 'upca' }],
  ['Facial tissues box', 187, 2.2, 149, {}],
  // frozen & chilled meat/fish
  ['Frozen garden peas 900 g', 928, 1.6, 199, {}],
  ['Frozen pizza margherita', 371, 2.5, 279, {}],
  ['Fish fingers 10', 312, 2.0, 299, { n: 10 }],
  ['Vanilla ice cream 1 l', 568, 2.5, 399, {}],
  ['Chicken breast fillets 400 g', 431, 2.2, 549, { g: 1 }],
  ['Beef mince 500 g', 529, 2.0, 499, { g: 1 }],
  ['Pork sausages 6', 472, 2.5, 329, { g: 1, n: 6 }],
  ['Smoked salmon 200 g', 231, 1.8, 699, { g: 1 }],
  // loose produce & counters (byWeight: sd in grams)
  ['Bananas loose', 950, 300, 119, { b: 1, g: 1 }],
  ['Braeburn apples loose', 1100, 380, 249, { b: 1, g: 1 }],
  ['Conference pears loose', 800, 280, 229, { b: 1 }],
  ['Vine tomatoes loose', 600, 210, 349, { b: 1, g: 1 }],
  ['Brown onions loose', 750, 260, 99, { b: 1 }],
  ['Potatoes loose', 1600, 500, 119, { b: 1 }],
  ['Carrots loose', 700, 240, 89, { b: 1 }],
  ['Seedless grapes loose', 550, 180, 499, { b: 1, g: 1 }],
  ['Mushrooms loose', 320, 110, 399, { b: 1 }],
  ['Lemons loose', 420, 150, 299, { b: 1 }],
  ['Deli ham sliced', 210, 75, 1890, { b: 1, g: 1 }],
  ['Cheese counter Gouda', 380, 140, 1590, { b: 1, g: 1 }],
  ['Olive bar mix', 260, 95, 1790, { b: 1, g: 1 }],
];

const PREFIXES = ['400', '401', '402', '403', '404', '405', '406', '407', '408', '409', '410', '420', '425', '440',
  '500', '501', '502', '503', '504', '505', '506', '300', '301', '330', '340', '350', '360', '376',
  '800', '801', '802', '803', '830', '870', '871', '872', '540', '541', '542', '760', '761', '560', '590'];

// GS1 check digit (GS1 General Specifications 7.9.1): weights 3,1,3,... from
// the rightmost data digit; check = (10 - sum mod 10) mod 10.
export function checkDigit(data) {
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const d = data.charCodeAt(data.length - 1 - i) - 48;
    sum += d * (i % 2 === 0 ? 3 : 1);
  }
  return String((10 - (sum % 10)) % 10);
}
export function validGtin(code) {
  return /^\d+$/.test(code) && checkDigit(code.slice(0, -1)) === code.slice(-1);
}

function digits(rng, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(0, 9));
  return s;
}

function buildCatalog() {
  const rng = makeRng(0x5eed1234);
  const used = new Set();
  const out = [];
  for (const [name, grams, sdArg, priceCents, o] of P) {
    const fmt = o.f || 'ean13';
    let code;
    do {
      if (fmt === 'ean8') {
        const d = rng.pick(['40', '50', '87', '76', '20'].filter((p) => p !== '20')) + digits(rng, 5);
        code = d + checkDigit(d); // 8 digits
      } else if (fmt === 'upca') {
        const d = rng.pick(['0', '0', '7', '8']) + digits(rng, 10);
        code = d + checkDigit(d); // 12 digits
      } else {
        const d = rng.pick(PREFIXES) + digits(rng, 9);
        code = d + checkDigit(d); // 13 digits
      }
    } while (used.has(code));
    used.add(code);
    const gtin = code.padStart(14, '0');
    const byWeight = !!o.b;
    const sd = byWeight ? sdArg : Math.round(grams * sdArg) / 100;
    out.push({
      gtin, name, grams, gramsSd: sd, priceCents, byWeight,
      // simulator-only fields (not written to the header):
      code, fmt, gs1Label: !!o.g, pieces: o.n || 1, twin: o.tw || null,
    });
  }
  return out;
}

export const CATALOG = buildCatalog();
export const BY_GTIN = new Map(CATALOG.map((p) => [p.gtin, p]));

// What goes into the trace header.
export function headerCatalog() {
  return CATALOG.map((p) => ({
    gtin: p.gtin, name: p.name, grams: p.grams, gramsSd: p.gramsSd,
    priceCents: p.priceCents, byWeight: p.byWeight,
  }));
}

// Codes that are not products of this catalog: coupons (GS1 prefix 99,
// coupons), store loyalty cards (restricted-circulation prefix 2x or a
// plain Code 128 card number), and a product the store does not list.
export function nonCatalogCode(rng) {
  const kind = rng.weighted([[3, 'coupon'], [3, 'loyalty'], [2, 'loyalty128'], [2, 'unlisted']]);
  for (;;) {
    let c;
    if (kind === 'coupon') { const d = '99' + digits(rng, 10); c = { sym: 'ean13', data: d + checkDigit(d), kind }; }
    else if (kind === 'loyalty') { const d = '29' + digits(rng, 10); c = { sym: 'ean13', data: d + checkDigit(d), kind }; }
    else if (kind === 'loyalty128') { c = { sym: 'code128', data: 'LC' + digits(rng, 10), kind }; }
    else { const d = rng.pick(PREFIXES) + digits(rng, 9); c = { sym: 'ean13', data: d + checkDigit(d), kind }; }
    if (c.sym === 'ean13' && BY_GTIN.has(c.data.padStart(14, '0'))) continue;
    return c;
  }
}
