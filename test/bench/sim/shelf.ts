// What a simulated store sells: names, a typical weight as sold (packaging
// included) and a price. Weights of fixed-weight goods spread by 1-2 % from
// pack to pack, produce by about a third, as in the sample catalogs.

/** packed: a fixed-weight pack; fresh: the same, but labelled with a GS1 DataBar; produce: sold by weight, one bag a unit. */
export type ShelfKind = 'packed' | 'fresh' | 'produce';

export interface ShelfItem {
  name: string;
  grams: number;
  priceCents: number;
  kind: ShelfKind;
}

function item(name: string, grams: number, priceCents: number, kind: ShelfKind = 'packed'): ShelfItem {
  return { name, grams, priceCents, kind };
}

/**
 * Goods every simulated store has. Items in one inner list weigh the same as
 * sold (two 500 g pastas, two 400 g tins): real stores have such look-alikes,
 * and they are what makes a removal without a scan ambiguous.
 */
export const everydayShelf: readonly (ShelfItem | readonly ShelfItem[])[] = [
  item('Oat drink 1 l', 1060, 239),
  [item('Whole milk 1 l', 1046, 119), item('Skimmed milk 1 l', 1044, 115)],
  item('Semi-skimmed milk 2 l', 2080, 185),
  item('Natural yoghurt 500 g', 538, 189),
  item('Salted butter 250 g', 259, 239),
  item('Unsalted butter 250 g', 257, 245),
  item('Red Leicester 200 g', 213, 265),
  item('Free range eggs 6', 392, 229),
  item('Free range eggs 12', 770, 399),
  item('Soft cheese 180 g', 194, 149),
  item('Chicken thighs 600 g', 628, 399, 'fresh'),
  item('Pork sausages 400 g', 421, 279, 'fresh'),
  item('Lamb mince 400 g', 418, 449, 'fresh'),
  item('Salmon fillets 240 g', 262, 499, 'fresh'),
  item('Cooked ham 125 g', 141, 189),
  item('White bloomer 800 g', 826, 145),
  item('Seeded loaf 600 g', 618, 175),
  item('Bagels 5', 448, 139),
  [item('Penne 500 g', 512, 95), item('Fusilli 500 g', 513, 95)],
  item('Spaghetti 1 kg', 1022, 169),
  item('Long grain rice 1 kg', 1016, 149),
  item('Caster sugar 1 kg', 1011, 115),
  item('Self-raising flour 1.5 kg', 1523, 109),
  [item('Chopped tomatoes 400 g', 451, 59), item('Red kidney beans 400 g', 452, 59)],
  item('Baked beans 415 g', 467, 85),
  item('Sweetcorn 198 g', 241, 79),
  item('Tuna steaks 3x110 g', 372, 399),
  item('Crunchy peanut butter 340 g', 455, 209),
  item('Orange marmalade 454 g', 618, 159),
  item('Rapeseed oil 1 l', 982, 199),
  item('Balsamic vinegar 250 ml', 412, 219),
  item('Instant coffee 100 g', 296, 449),
  item('Black tea 160 bags', 540, 399),
  item('Muesli 750 g', 792, 259),
  item('Porridge oats 1 kg', 1031, 149),
  item('Dried basil 14 g', 62, 110),
  item('Dried yeast 3x7 g', 24, 95),
  item('Chocolate bar 100 g', 108, 129),
  item('Chewing gum 10', 29, 95),
  item('Mint tin 40 g', 45, 139),
  item('Salted crisps 150 g', 163, 145),
  item('Cashew nuts 200 g', 215, 299),
  item('Oat biscuits 300 g', 318, 129),
  item('Still water 1.5 l', 1538, 55),
  item('Apple juice 1 l', 1078, 149),
  item('Lemonade 2 l', 2095, 129),
  item('Ale 4x500 ml', 2240, 599),
  item('White wine 75 cl', 1285, 749),
  item('Dish soap 450 ml', 492, 119),
  item('Kitchen rolls 4', 610, 329),
  item('Toilet tissue 9 rolls', 1015, 429),
  item('Toothpaste 100 ml', 148, 169),
  item('Hand soap 250 ml', 296, 119),
  item('Laundry gel 1.3 l', 1390, 699),
  item('Cat food 12x85 g', 1105, 479),
  item('Frozen peas 900 g', 915, 129),
  item('Frozen fish fingers 10', 292, 219),
  item('Ice cream 1 l', 572, 279),
  item('Bananas', 950, 105, 'produce'),
  item('Braeburn apples', 1000, 210, 'produce'),
  item('Cherry tomatoes on the vine', 480, 330, 'produce'),
  item('Red onions', 650, 95, 'produce'),
  item('Baking potatoes', 1400, 85, 'produce'),
  item('Limes', 320, 280, 'produce'),
  item('Green grapes', 600, 420, 'produce'),
  item('Deli olives', 240, 1450, 'produce'),
];

/**
 * Look-alike families for the harsh profile: each weighs the same as sold
 * within a gram or two, so a weight alone cannot tell them apart.
 */
export const lookAlikeShelf: readonly (readonly ShelfItem[])[] = [
  [item('Strawberry yoghurt 125 g', 131, 45), item('Peach yoghurt 125 g', 131, 45), item('Cherry yoghurt 125 g', 132, 45)],
  [item('Cola can 330 ml', 348, 79), item('Lemon soda can 330 ml', 348, 75), item('Orange soda can 330 ml', 349, 75)],
  [item('Chicken noodles 85 g', 92, 59), item('Beef noodles 85 g', 92, 59)],
  [item('Tomato soup 400 g', 462, 99), item('Mushroom soup 400 g', 461, 99), item('Lentil soup 400 g', 462, 105)],
  [item('Dark chocolate 100 g', 107, 149), item('Hazelnut chocolate 100 g', 108, 149)],
  [item('Shampoo 250 ml', 289, 249), item('Conditioner 250 ml', 290, 249)],
  [item('Green pesto 190 g', 318, 229), item('Red pesto 190 g', 318, 229)],
];

/** Light goods for the harsh profile, 20-60 g as sold. */
export const lightShelf: readonly ShelfItem[] = [
  item('Paprika 40 g', 58, 109),
  item('Ground cumin 35 g', 52, 109),
  item('Birthday candles 24', 31, 149),
  item('Hair ties 10', 22, 199),
  item('Lip balm', 24, 249),
  item('Lollipops 3', 41, 99),
  item('Stock cubes 4', 47, 65),
  item('Seed packet basil', 21, 179),
  item('Sugar-free mints 35 g', 39, 119),
  item('Tea lights 10', 56, 129),
  item('Hot chocolate sachet 28 g', 33, 59),
  item('Vanilla pods 2', 26, 399),
];
