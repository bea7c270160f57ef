// xsim2 store catalog: written by hand for this simulator (names, weights as
// sold incl. packaging, spread, prices). GTINs are built deterministically
// from the row index with valid GS1 check digits; they do not depend on the seed.
import { gs1Check, pad14, hashKeys } from './lib.mjs';

// code: ean13 | ean8 | upca | itf14 (GTIN-14 on outer packs) | dbar (GS1 DataBar,
//       variable measure, indicator digit 9)
// flags: roll = round, can roll/slide in the basket; multi:N = pack of N
//        separable units (a unit can be taken out: partial removal);
//        fragile = always placed, never dropped
const ROWS = [
  // name, grams, sd, priceCents, code, flags
  ['Whole milk 1 l', 1046, 8, 119, 'ean13', 'roll'],
  ['Semi-skimmed milk 1 l', 1043, 8, 109, 'ean13', 'roll'],
  ['Oat drink 1 l', 1068, 9, 229, 'ean13', ''],
  ['Whole milk 2 l', 2082, 16, 189, 'ean13', 'roll'],
  ['Greek yoghurt 500 g', 538, 6, 229, 'ean13', ''],
  ['Strawberry yoghurt 4x125 g', 548, 6, 199, 'ean13', 'multi:4'],
  ['Unsalted butter 250 g', 257, 3, 245, 'ean13', ''],
  ['Salted butter 250 g', 258, 3, 249, 'ean13', ''],
  ['Mature cheddar 400 g', 412, 5, 449, 'ean13', ''],
  ['Mozzarella 125 g in brine', 228, 5, 99, 'ean13', ''],
  ['Parmesan wedge 200 g', 206, 3, 499, 'ean13', ''],
  ['Cream cheese 180 g', 196, 3, 149, 'ean8', ''],
  ['Double cream 300 ml', 318, 4, 139, 'ean13', ''],
  ['Free range eggs 6', 392, 8, 239, 'ean13', 'multi:6 fragile'],
  ['Free range eggs 12', 770, 14, 429, 'ean13', 'multi:12 fragile'],
  ['Chicken breast fillets 500 g', 538, 8, 499, 'ean13', ''],
  ['Beef mince 5% 500 g', 526, 8, 429, 'ean13', ''],
  ['Pork sausages 454 g', 470, 6, 299, 'ean13', ''],
  ['Smoked salmon 100 g', 118, 2, 399, 'ean13', ''],
  ['Ham slices 120 g', 134, 2, 199, 'ean8', ''],
  ['Salami 80 g', 92, 2, 249, 'ean8', ''],
  ['Sliced white bread 800 g', 828, 10, 135, 'ean13', ''],
  ['Wholemeal bread 800 g', 832, 10, 145, 'ean13', ''],
  ['All butter croissants 4', 246, 4, 199, 'ean13', 'multi:4'],
  ['Plain bagels 5', 432, 8, 179, 'ean13', 'multi:5'],
  ['Baguette', 262, 10, 89, 'ean8', ''],
  ['Penne 500 g', 512, 4, 99, 'ean13', ''],
  ['Fusilli 500 g', 513, 4, 99, 'ean13', ''],
  ['Spaghetti 1 kg', 1018, 8, 169, 'ean13', ''],
  ['Basmati rice 1 kg', 1021, 8, 299, 'ean13', ''],
  ['Granulated sugar 1 kg', 1012, 8, 109, 'ean13', ''],
  ['Plain flour 1.5 kg', 1522, 14, 115, 'ean13', ''],
  ['Porridge oats 1 kg', 1034, 9, 149, 'ean13', ''],
  ['Cornflakes 500 g', 590, 7, 229, 'ean13', ''],
  ['Fruit muesli 750 g', 812, 8, 299, 'ean13', ''],
  ['Cereal bars 6x25 g', 168, 3, 199, 'ean13', 'multi:6'],
  ['Chopped tomatoes 400 g', 453, 5, 65, 'ean13', 'roll'],
  ['Kidney beans 400 g', 452, 5, 69, 'ean13', 'roll'],
  ['Chickpeas 400 g', 449, 5, 75, 'ean13', 'roll'],
  ['Tuna in oil 3x80 g', 312, 4, 349, 'ean13', 'multi:3'],
  ['Baked beans 415 g', 468, 5, 85, 'ean13', 'roll'],
  ['Coconut milk 400 ml', 455, 6, 139, 'ean13', 'roll'],
  ['Smooth peanut butter 340 g', 545, 6, 249, 'ean13', 'roll'],
  ['Strawberry jam 340 g', 520, 6, 179, 'ean13', 'roll'],
  ['Clear honey 454 g', 585, 6, 399, 'ean13', 'roll'],
  ['Extra virgin olive oil 1 l', 1338, 10, 899, 'ean13', 'roll'],
  ['Sunflower oil 1 l', 1006, 8, 249, 'ean13', 'roll'],
  ['Balsamic vinegar 250 ml', 470, 6, 349, 'ean13', 'roll'],
  ['Ground coffee 250 g', 268, 4, 449, 'ean13', ''],
  ['Coffee beans 1 kg', 1045, 9, 1599, 'ean13', ''],
  ['Instant coffee 200 g jar', 420, 6, 699, 'ean13', 'roll'],
  ['Tea bags 80', 262, 4, 299, 'ean13', ''],
  ['Dark chocolate 100 g', 108, 2, 199, 'ean8', ''],
  ['Milk chocolate bar 45 g', 48, 1, 89, 'ean8', ''],
  ['Chewing gum 10 pieces', 17, 0.6, 99, 'ean8', ''],
  ['Ready salted crisps 150 g', 162, 3, 179, 'ean13', ''],
  ['Salted peanuts 200 g', 214, 3, 149, 'ean13', ''],
  ['Digestive biscuits 400 g', 418, 5, 129, 'ean13', 'roll'],
  ['Tortilla chips 200 g', 212, 3, 169, 'ean13', ''],
  ['Table salt 750 g', 770, 8, 65, 'ean13', ''],
  ['Black pepper grinder 50 g', 128, 3, 249, 'ean13', 'roll'],
  ['Stock cubes 8', 92, 2, 119, 'ean8', ''],
  ['Still water 1.5 l', 1545, 12, 49, 'ean13', 'roll'],
  ['Still water 6x500 ml', 3120, 25, 269, 'itf14', 'multi:6'],
  ['Cola 2 l', 2110, 14, 229, 'ean13', 'roll'],
  ['Lemonade 2 l', 2104, 14, 149, 'ean13', 'roll'],
  ['Orange juice 1 l', 1090, 9, 249, 'ean13', ''],
  ['Apple juice 1 l', 1088, 9, 199, 'ean13', ''],
  ['Lager 4x440 ml', 1880, 15, 499, 'itf14', 'multi:4'],
  ['Red wine 750 ml', 1255, 14, 899, 'ean13', 'roll'],
  ['White wine 750 ml', 1248, 14, 749, 'ean13', 'roll'],
  ['Prosecco 750 ml', 1580, 16, 1099, 'ean13', 'roll'],
  ['Single malt whisky 700 ml', 1420, 15, 3899, 'ean13', 'roll'],
  ['London dry gin 700 ml', 1190, 12, 2499, 'ean13', 'roll'],
  ['Sparkling water 4x1 l', 4140, 30, 299, 'itf14', 'multi:4'],
  ['Laundry liquid 2 l', 2190, 16, 899, 'ean13', ''],
  ['Washing-up liquid 500 ml', 545, 5, 129, 'ean13', ''],
  ['Toilet roll 9 pack', 1010, 20, 549, 'itf14', 'multi:9'],
  ['Kitchen roll 2 pack', 330, 8, 249, 'ean13', 'roll'],
  ['Bin bags 20', 392, 6, 199, 'ean13', ''],
  ['Shampoo 400 ml', 452, 5, 349, 'ean13', ''],
  ['Toothpaste 75 ml', 118, 2, 199, 'ean13', ''],
  ['Shower gel 250 ml', 280, 4, 179, 'ean13', ''],
  ['AA batteries 4 pack', 112, 2, 599, 'upca', ''],
  ['Cat food pouches 12x100 g', 1340, 14, 599, 'itf14', 'multi:12'],
  ['Dry dog food 2 kg', 2040, 15, 799, 'ean13', ''],
  ['Cat litter 5 kg', 5050, 40, 649, 'ean13', ''],
  ['Wild bird seed 4 kg', 4020, 35, 899, 'ean13', ''],
  ['Potatoes 2.5 kg bag', 2530, 45, 199, 'ean13', ''],
  ['Maple syrup 250 ml', 400, 5, 699, 'upca', 'roll'],
  ['Peanut butter cups 42 g', 46, 1, 119, 'upca', ''],
  ['BBQ sauce 510 g', 610, 6, 299, 'upca', 'roll'],
  ['Hot sauce 150 ml', 265, 4, 349, 'upca', 'roll'],
  ['Frozen peas 1 kg', 1012, 10, 179, 'ean13', ''],
  ['Vanilla ice cream 900 ml', 560, 8, 449, 'ean13', ''],
  ['Margherita pizza 400 g', 408, 5, 299, 'ean13', ''],
  ['Fish fingers 10', 296, 5, 279, 'ean13', 'multi:10'],
  ['Avocado', 205, 25, 89, 'ean8', 'roll'],
  ['Pineapple', 1150, 150, 199, 'ean13', 'roll'],
  ['Bananas loose', 1000, 350, 169, 'dbar', 'bw'],
  ['Gala apples loose', 900, 300, 229, 'dbar', 'bw'],
  ['Vine tomatoes loose', 500, 180, 349, 'dbar', 'bw'],
  ['Carrots loose', 750, 250, 89, 'dbar', 'bw'],
  ['Brown onions loose', 700, 220, 99, 'dbar', 'bw'],
  ['Red grapes loose', 500, 160, 399, 'dbar', 'bw'],
  ['Deli olives', 250, 90, 375, 'dbar', 'bw'],
  ['Cheese counter Comte', 300, 110, 749, 'dbar', 'bw'],
  ['Chestnut mushrooms loose', 300, 110, 219, 'dbar', 'bw'],
  ['Lemons loose', 450, 150, 179, 'dbar', 'bw'],
];

const EAN13_PREFIXES = ['400', '401', '402', '403', '404', '500', '501', '502', '503', '505', '300', '301',
  '303', '800', '801', '803', '840', '841', '871', '872', '590', '760', '761', '539'];

function buildCode(i, name, code) {
  const h = hashKeys('xsim2-catalog', i, name);
  const digits = (n, salt) => {
    let s = ''; let x = hashKeys(h, salt);
    while (s.length < n) { s += String(x % 10); x = Math.floor(x / 10); if (x < 10) x = hashKeys(x, s); }
    return s;
  };
  switch (code) {
    case 'ean13': { const b = EAN13_PREFIXES[h % EAN13_PREFIXES.length] + digits(9, 'b'); return b + gs1Check(b); }
    case 'ean8': { const b = ['400', '500', '590', '800'][h % 4] + digits(4, 'b'); return b + gs1Check(b); }
    case 'upca': { const b = ['0', '0', '7', '8'][h % 4] + digits(10, 'b'); return b + gs1Check(b); }
    case 'itf14': { const b = String(1 + (h % 3)) + EAN13_PREFIXES[h % EAN13_PREFIXES.length] + digits(9, 'b'); return b + gs1Check(b); }
    case 'dbar': { const b = '9' + EAN13_PREFIXES[h % EAN13_PREFIXES.length] + digits(9, 'b'); return b + gs1Check(b); }
  }
  throw new Error('bad code ' + code);
}

export function buildCatalog() {
  const seen = new Set();
  return ROWS.map(([name, grams, sd, price, code, flags], i) => {
    let raw = buildCode(i, name, code);
    let salt = 0;
    while (seen.has(pad14(raw))) raw = buildCode(i, name + '#' + ++salt, code);
    seen.add(pad14(raw));
    const multi = /multi:(\d+)/.exec(flags);
    return {
      gtin: pad14(raw), name, grams, gramsSd: sd, priceCents: price,
      byWeight: flags.includes('bw'),
      // generator-private (not written to the header)
      _code: code, _raw: raw, _roll: flags.includes('roll'), _fragile: flags.includes('fragile'),
      _units: multi ? Number(multi[1]) : 1,
    };
  });
}

export function headerCatalog(cat) {
  return cat.map((p) => ({ gtin: p.gtin, name: p.name, grams: p.grams, gramsSd: p.gramsSd,
    priceCents: p.priceCents, byWeight: p.byWeight }));
}
