// The store's catalog: what the simulated store sends to its carts.
//
// GTINs are invented for this bench; each carries a valid GS1 check digit
// (see gtin.mjs). Prefixes follow the GS1 prefix ranges of the country the
// product might come from (50 UK, 40-44 DE, 30-37 FR, 80-83 IT, 84 ES,
// 87 NL, 54 BE, 57 DK, 70 NO, 73 SE, 76 CH, 52 GR, 88 KR, 94 NZ); a few small
// items carry an EAN-8 (stored left-padded to 14 digits) and two US imports
// a UPC-A. Loose produce and deli items use prefix 20/21, which GS1 reserves
// for restricted circulation (in-store numbers).
//
// Weights: typical pack weight including packaging, as a kitchen scale
// would show it (e.g. a 400 g can weighs about 450 g, a 1 l carton about
// 1040-1080 g, a 75 cl wine bottle about 1.2-1.35 kg). gramsSd is the
// spread between packs; fill tolerance plus packaging variation is about
// 0.5-1.5 % for packaged goods, larger for fresh meat and bakery.
// By-weight items: grams is a typical bag and gramsSd is large, as the
// format page says.
//
// Fields beyond the format page (category, shape, multi) are used by the
// simulator only; category is also written to the header as an unknown
// field a reader must ignore. shape decides how an item lands and whether
// it rolls; multi marks packs a shopper can split (one pot out of a 4-pack).
//
// Deliberate near-twins (different products, weights within a few grams)
// make removals ambiguous: the two 1 l milks, the two butters, the two
// breads, penne/fusilli, rice/sugar/frozen peas/toilet rolls, the 400 g
// cans, the two chocolate bars, the two juices, cola 2 l / cola cans.

export const CATALOG = [
  { gtin: '05012460278399', name: "Whole milk 1 l", grams: 1046, gramsSd: 12, priceCents: 115, byWeight: false, category: 'dairy', shape: 'bottle' },
  { gtin: '05030721369051', name: "Semi-skimmed milk 1 l", grams: 1044, gramsSd: 12, priceCents: 109, byWeight: false, category: 'dairy', shape: 'bottle' },
  { gtin: '05070811504023', name: "Semi-skimmed milk 2 l", grams: 2080, gramsSd: 25, priceCents: 185, byWeight: false, category: 'dairy', shape: 'bottle' },
  { gtin: '07340898508947', name: "Oat drink 1 l", grams: 1058, gramsSd: 10, priceCents: 229, byWeight: false, category: 'dairy', shape: 'box' },
  { gtin: '05052679179360', name: "Natural yoghurt 500 g", grams: 538, gramsSd: 7, priceCents: 145, byWeight: false, category: 'dairy', shape: 'box' },
  { gtin: '04083278815602', name: "Strawberry yoghurt 4x125 g", grams: 548, gramsSd: 6, priceCents: 199, byWeight: false, category: 'dairy', shape: 'box', multi: { count: 4, grams: 133 } },
  { gtin: '05238973661668', name: "Greek style yoghurt 1 kg", grams: 1062, gramsSd: 12, priceCents: 349, byWeight: false, category: 'dairy', shape: 'box' },
  { gtin: '05722361138653', name: "Salted butter 250 g", grams: 257, gramsSd: 3, priceCents: 239, byWeight: false, category: 'dairy', shape: 'box' },
  { gtin: '05709003960667', name: "Unsalted butter 250 g", grams: 257, gramsSd: 3, priceCents: 249, byWeight: false, category: 'dairy', shape: 'box' },
  { gtin: '05074657714325', name: "Mature cheddar 400 g", grams: 418, gramsSd: 6, priceCents: 399, byWeight: false, category: 'dairy', shape: 'box' },
  { gtin: '08047358380424', name: "Mozzarella 125 g", grams: 215, gramsSd: 5, priceCents: 99, byWeight: false, category: 'dairy', shape: 'soft' },
  { gtin: '08053083431799', name: "Parmigiano Reggiano 200 g", grams: 208, gramsSd: 3, priceCents: 549, byWeight: false, category: 'dairy', shape: 'box' },
  { gtin: '05098035686356', name: "Free range eggs 6", grams: 392, gramsSd: 9, priceCents: 235, byWeight: false, category: 'dairy', shape: 'box' },
  { gtin: '05052930860402', name: "Free range eggs 12", grams: 770, gramsSd: 15, priceCents: 429, byWeight: false, category: 'dairy', shape: 'box' },
  { gtin: '05021216509854', name: "Single cream 300 ml", grams: 318, gramsSd: 4, priceCents: 119, byWeight: false, category: 'dairy', shape: 'bottle' },
  { gtin: '08788422582190', name: "Cream cheese 180 g", grams: 196, gramsSd: 3, priceCents: 159, byWeight: false, category: 'dairy', shape: 'box' },
  { gtin: '05057124318523', name: "Chicken breast fillets 600 g", grams: 640, gramsSd: 25, priceCents: 549, byWeight: false, category: 'meat', shape: 'tray' },
  { gtin: '05046696555948', name: "Beef mince 5% 500 g", grams: 528, gramsSd: 8, priceCents: 429, byWeight: false, category: 'meat', shape: 'tray' },
  { gtin: '05034622423065', name: "Pork sausages 8", grams: 476, gramsSd: 10, priceCents: 299, byWeight: false, category: 'meat', shape: 'tray' },
  { gtin: '07097603680039', name: "Smoked salmon 200 g", grams: 226, gramsSd: 3, priceCents: 699, byWeight: false, category: 'fish', shape: 'box' },
  { gtin: '04081364543415', name: "Cooked ham 10 slices", grams: 312, gramsSd: 5, priceCents: 279, byWeight: false, category: 'meat', shape: 'tray' },
  { gtin: '07025767378790', name: "Salmon fillets 2", grams: 262, gramsSd: 12, priceCents: 549, byWeight: false, category: 'fish', shape: 'tray' },
  { gtin: '05017965191334', name: "White sliced bread 800 g", grams: 828, gramsSd: 12, priceCents: 135, byWeight: false, category: 'bakery', shape: 'soft' },
  { gtin: '05004778028483', name: "Wholemeal bread 800 g", grams: 832, gramsSd: 12, priceCents: 145, byWeight: false, category: 'bakery', shape: 'soft' },
  { gtin: '03005396543664', name: "All butter croissants 4", grams: 252, gramsSd: 6, priceCents: 219, byWeight: false, category: 'bakery', shape: 'soft' },
  { gtin: '05037218673233', name: "Plain bagels 5", grams: 465, gramsSd: 10, priceCents: 189, byWeight: false, category: 'bakery', shape: 'soft' },
  { gtin: '08442653007395', name: "Tortilla wraps 8", grams: 510, gramsSd: 8, priceCents: 169, byWeight: false, category: 'bakery', shape: 'soft' },
  { gtin: '08054769791862', name: "Penne pasta 500 g", grams: 511, gramsSd: 4, priceCents: 119, byWeight: false, category: 'dry', shape: 'bag' },
  { gtin: '08049819346680', name: "Fusilli pasta 500 g", grams: 512, gramsSd: 4, priceCents: 119, byWeight: false, category: 'dry', shape: 'bag' },
  { gtin: '08031823688399', name: "Spaghetti 500 g", grams: 509, gramsSd: 4, priceCents: 109, byWeight: false, category: 'dry', shape: 'box' },
  { gtin: '05081471152813', name: "Basmati rice 1 kg", grams: 1016, gramsSd: 8, priceCents: 289, byWeight: false, category: 'dry', shape: 'bag' },
  { gtin: '05031721945078', name: "Granulated sugar 1 kg", grams: 1014, gramsSd: 8, priceCents: 99, byWeight: false, category: 'dry', shape: 'bag' },
  { gtin: '05098501573968', name: "Plain flour 1.5 kg", grams: 1522, gramsSd: 12, priceCents: 99, byWeight: false, category: 'dry', shape: 'bag' },
  { gtin: '05028898142515', name: "Porridge oats 1 kg", grams: 1034, gramsSd: 10, priceCents: 159, byWeight: false, category: 'dry', shape: 'bag' },
  { gtin: '05094396838342', name: "Corn flakes 500 g", grams: 572, gramsSd: 6, priceCents: 219, byWeight: false, category: 'dry', shape: 'box' },
  { gtin: '07636594912530', name: "Fruit muesli 750 g", grams: 812, gramsSd: 8, priceCents: 289, byWeight: false, category: 'dry', shape: 'box' },
  { gtin: '08030660299584', name: "Chopped tomatoes 400 g", grams: 452, gramsSd: 5, priceCents: 69, byWeight: false, category: 'tins', shape: 'can' },
  { gtin: '08411706567070', name: "Chickpeas 400 g", grams: 451, gramsSd: 5, priceCents: 79, byWeight: false, category: 'tins', shape: 'can' },
  { gtin: '05034163406046', name: "Red kidney beans 400 g", grams: 453, gramsSd: 5, priceCents: 75, byWeight: false, category: 'tins', shape: 'can' },
  { gtin: '05098558875466', name: "Baked beans 415 g", grams: 468, gramsSd: 5, priceCents: 89, byWeight: false, category: 'tins', shape: 'can' },
  { gtin: '08456663495134', name: "Tuna chunks in brine 3x145 g", grams: 510, gramsSd: 7, priceCents: 429, byWeight: false, category: 'tins', shape: 'box', multi: { count: 3, grams: 170 } },
  { gtin: '08812074343905', name: "Coconut milk 400 ml", grams: 455, gramsSd: 5, priceCents: 139, byWeight: false, category: 'tins', shape: 'can' },
  { gtin: '05082220907920', name: "Cream of chicken soup 400 g", grams: 462, gramsSd: 5, priceCents: 129, byWeight: false, category: 'tins', shape: 'can' },
  { gtin: '00784028912278', name: "Smooth peanut butter 340 g", grams: 482, gramsSd: 6, priceCents: 249, byWeight: false, category: 'spreads', shape: 'jar' },
  { gtin: '05046637164390', name: "Strawberry jam 454 g", grams: 640, gramsSd: 8, priceCents: 189, byWeight: false, category: 'spreads', shape: 'jar' },
  { gtin: '09456783920706', name: "Clear honey 340 g", grams: 468, gramsSd: 6, priceCents: 379, byWeight: false, category: 'spreads', shape: 'jar' },
  { gtin: '05282114489031', name: "Extra virgin olive oil 750 ml", grams: 1265, gramsSd: 12, priceCents: 899, byWeight: false, category: 'oils', shape: 'bottle' },
  { gtin: '05046937470191', name: "Sunflower oil 1 l", grams: 982, gramsSd: 10, priceCents: 249, byWeight: false, category: 'oils', shape: 'bottle' },
  { gtin: '08035400856980', name: "Balsamic vinegar 500 ml", grams: 905, gramsSd: 10, priceCents: 349, byWeight: false, category: 'oils', shape: 'bottle' },
  { gtin: '08780840486487', name: "Tomato ketchup 460 g", grams: 532, gramsSd: 6, priceCents: 219, byWeight: false, category: 'sauces', shape: 'bottle' },
  { gtin: '08729993108976', name: "Mayonnaise 400 ml", grams: 435, gramsSd: 5, priceCents: 249, byWeight: false, category: 'sauces', shape: 'jar' },
  { gtin: '07605927172460', name: "Ground coffee 227 g", grams: 245, gramsSd: 3, priceCents: 449, byWeight: false, category: 'hot drinks', shape: 'bag' },
  { gtin: '07643100165281', name: "Instant coffee 200 g", grams: 452, gramsSd: 6, priceCents: 699, byWeight: false, category: 'hot drinks', shape: 'jar' },
  { gtin: '05061202861719', name: "Tea bags 80", grams: 262, gramsSd: 4, priceCents: 279, byWeight: false, category: 'hot drinks', shape: 'box' },
  { gtin: '05440710278163', name: "Drinking chocolate 500 g", grams: 560, gramsSd: 6, priceCents: 329, byWeight: false, category: 'hot drinks', shape: 'box' },
  { gtin: '00000040288468', name: "Dried oregano 10 g", grams: 46, gramsSd: 1, priceCents: 119, byWeight: false, category: 'herbs', shape: 'jar' },
  { gtin: '00000050592630', name: "Instant yeast 3x7 g", grams: 25, gramsSd: 0.6, priceCents: 89, byWeight: false, category: 'baking', shape: 'box' },
  { gtin: '08766069586573', name: "Black pepper grinder 50 g", grams: 178, gramsSd: 3, priceCents: 259, byWeight: false, category: 'herbs', shape: 'jar' },
  { gtin: '05023296391756', name: "Table salt 750 g", grams: 790, gramsSd: 8, priceCents: 65, byWeight: false, category: 'baking', shape: 'box' },
  { gtin: '07647705015361', name: "Milk chocolate bar 100 g", grams: 106, gramsSd: 1.5, priceCents: 139, byWeight: false, category: 'snacks', shape: 'box' },
  { gtin: '07677283759142', name: "Dark chocolate 85% 100 g", grams: 106, gramsSd: 1.5, priceCents: 229, byWeight: false, category: 'snacks', shape: 'box' },
  { gtin: '05083231870593', name: "Ready salted crisps 150 g", grams: 162, gramsSd: 3, priceCents: 149, byWeight: false, category: 'snacks', shape: 'soft' },
  { gtin: '05017025322838', name: "Salted peanuts 200 g", grams: 212, gramsSd: 3, priceCents: 159, byWeight: false, category: 'snacks', shape: 'bag' },
  { gtin: '05045137853476', name: "Digestive biscuits 400 g", grams: 414, gramsSd: 5, priceCents: 109, byWeight: false, category: 'snacks', shape: 'box' },
  { gtin: '00000040776217', name: "Spearmint chewing gum 10", grams: 28, gramsSd: 0.6, priceCents: 99, byWeight: false, category: 'snacks', shape: 'box' },
  { gtin: '00000087565416', name: "Peppermints tin 50 g", grams: 71, gramsSd: 1, priceCents: 169, byWeight: false, category: 'snacks', shape: 'box' },
  { gtin: '05092305879431', name: "Oat cereal bars 6x35 g", grams: 232, gramsSd: 3, priceCents: 229, byWeight: false, category: 'snacks', shape: 'box' },
  { gtin: '03032430151387', name: "Still water 6x1.5 l", grams: 9240, gramsSd: 60, priceCents: 299, byWeight: false, category: 'drinks', shape: 'box', multi: { count: 6, grams: 1540 } },
  { gtin: '03002941257489', name: "Sparkling water 1.5 l", grams: 1545, gramsSd: 10, priceCents: 65, byWeight: false, category: 'drinks', shape: 'bottle' },
  { gtin: '05438304454895', name: "Cola 2 l", grams: 2098, gramsSd: 15, priceCents: 199, byWeight: false, category: 'drinks', shape: 'bottle' },
  { gtin: '05488783415436', name: "Cola cans 6x330 ml", grams: 2088, gramsSd: 18, priceCents: 449, byWeight: false, category: 'drinks', shape: 'box', multi: { count: 6, grams: 348 } },
  { gtin: '05080754565357', name: "Orange juice 1 l", grams: 1082, gramsSd: 12, priceCents: 219, byWeight: false, category: 'drinks', shape: 'box' },
  { gtin: '05023457813363', name: "Apple juice 1 l", grams: 1080, gramsSd: 12, priceCents: 169, byWeight: false, category: 'drinks', shape: 'box' },
  { gtin: '08729544018372', name: "Lager 4x440 ml", grams: 1910, gramsSd: 20, priceCents: 549, byWeight: false, category: 'drinks', shape: 'box', multi: { count: 4, grams: 477 } },
  { gtin: '08408718404653', name: "Red wine 75 cl", grams: 1290, gramsSd: 25, priceCents: 899, byWeight: false, category: 'drinks', shape: 'bottle' },
  { gtin: '03009270090749', name: "White wine 75 cl", grams: 1280, gramsSd: 25, priceCents: 799, byWeight: false, category: 'drinks', shape: 'bottle' },
  { gtin: '05000138946961', name: "Single malt whisky 70 cl", grams: 1390, gramsSd: 20, priceCents: 3499, byWeight: false, category: 'drinks', shape: 'bottle' },
  { gtin: '08077976279671', name: "Prosecco 75 cl", grams: 1560, gramsSd: 25, priceCents: 999, byWeight: false, category: 'drinks', shape: 'bottle' },
  { gtin: '08793916204175', name: "Washing-up liquid 450 ml", grams: 492, gramsSd: 6, priceCents: 129, byWeight: false, category: 'household', shape: 'bottle' },
  { gtin: '04091809805541', name: "Laundry capsules 20", grams: 540, gramsSd: 8, priceCents: 899, byWeight: false, category: 'household', shape: 'box' },
  { gtin: '05026413067411', name: "Toilet rolls 9", grams: 1012, gramsSd: 15, priceCents: 449, byWeight: false, category: 'household', shape: 'soft' },
  { gtin: '05025643692059', name: "Kitchen roll 2", grams: 372, gramsSd: 6, priceCents: 229, byWeight: false, category: 'household', shape: 'soft' },
  { gtin: '08770493810739', name: "Toothpaste 75 ml", grams: 112, gramsSd: 2, priceCents: 189, byWeight: false, category: 'personal', shape: 'box' },
  { gtin: '08765736009827', name: "Toothbrush heads 2", grams: 48, gramsSd: 1, priceCents: 1899, byWeight: false, category: 'personal', shape: 'box' },
  { gtin: '03003400004323', name: "Shampoo 400 ml", grams: 452, gramsSd: 5, priceCents: 349, byWeight: false, category: 'personal', shape: 'bottle' },
  { gtin: '04061460442140', name: "Shower gel 250 ml", grams: 282, gramsSd: 4, priceCents: 149, byWeight: false, category: 'personal', shape: 'bottle' },
  { gtin: '00000054495739', name: "Razor blades 4", grams: 62, gramsSd: 1.2, priceCents: 1399, byWeight: false, category: 'personal', shape: 'box' },
  { gtin: '00020360745434', name: "AA batteries 4", grams: 112, gramsSd: 2, priceCents: 599, byWeight: false, category: 'household', shape: 'box' },
  { gtin: '04022459777247', name: "Cat food pouches 12x85 g", grams: 1080, gramsSd: 12, priceCents: 549, byWeight: false, category: 'pets', shape: 'box', multi: { count: 12, grams: 90 } },
  { gtin: '04044372072476', name: "Cat litter 5 l", grams: 3020, gramsSd: 40, priceCents: 449, byWeight: false, category: 'pets', shape: 'bag' },
  { gtin: '05034391577433', name: "Frozen peas 1 kg", grams: 1012, gramsSd: 10, priceCents: 169, byWeight: false, category: 'frozen', shape: 'bag' },
  { gtin: '08043275571372', name: "Frozen pizza margherita", grams: 365, gramsSd: 6, priceCents: 249, byWeight: false, category: 'frozen', shape: 'box' },
  { gtin: '08710964967357', name: "Vanilla ice cream 900 ml", grams: 520, gramsSd: 8, priceCents: 349, byWeight: false, category: 'frozen', shape: 'box' },
  { gtin: '05052954278580', name: "Fish fingers 10", grams: 290, gramsSd: 5, priceCents: 219, byWeight: false, category: 'frozen', shape: 'box' },
  { gtin: '02067402322299', name: "Bananas loose", grams: 900, gramsSd: 300, priceCents: 119, byWeight: true, category: 'produce', shape: 'produce' },
  { gtin: '02014780312510', name: "Gala apples loose", grams: 1000, gramsSd: 350, priceCents: 229, byWeight: true, category: 'produce', shape: 'produce' },
  { gtin: '02004098129429', name: "Vine tomatoes loose", grams: 550, gramsSd: 200, priceCents: 349, byWeight: true, category: 'produce', shape: 'produce' },
  { gtin: '02071730035691', name: "Brown onions loose", grams: 700, gramsSd: 250, priceCents: 99, byWeight: true, category: 'produce', shape: 'produce' },
  { gtin: '02082637720474', name: "White potatoes loose", grams: 1500, gramsSd: 450, priceCents: 89, byWeight: true, category: 'produce', shape: 'produce' },
  { gtin: '02073806871332', name: "Lemons loose", grams: 380, gramsSd: 130, priceCents: 299, byWeight: true, category: 'produce', shape: 'produce' },
  { gtin: '02092577551281', name: "Carrots loose", grams: 650, gramsSd: 220, priceCents: 79, byWeight: true, category: 'produce', shape: 'produce' },
  { gtin: '02034223171580', name: "Chestnut mushrooms loose", grams: 280, gramsSd: 100, priceCents: 599, byWeight: true, category: 'produce', shape: 'produce' },
  { gtin: '02043321586776', name: "Green grapes loose", grams: 520, gramsSd: 160, priceCents: 449, byWeight: true, category: 'produce', shape: 'produce' },
  { gtin: '02179325230381', name: "Deli green olives", grams: 250, gramsSd: 90, priceCents: 1490, byWeight: true, category: 'deli', shape: 'produce' },
  { gtin: '02176777921430', name: "Deli sliced ham", grams: 220, gramsSd: 80, priceCents: 1590, byWeight: true, category: 'deli', shape: 'produce' },
];

export const BY_GTIN = new Map(CATALOG.map((p) => [p.gtin, p]));
