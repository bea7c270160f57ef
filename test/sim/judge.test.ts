import t from 'tap';
import { onlyExplanation, verdictOf, type Candidate, type Expectation } from '../bench/sim/judge.js';
import { profiles } from '../bench/sim/profiles.js';

const res = profiles.typical.resolution;
const item = (grams: number, sd: number): Expectation => ({ grams, sd, bag: false });
const bag = (grams: number, sd: number): Expectation => ({ grams, sd, bag: true });
const scan = (key: string, e: Expectation): Candidate => ({ key, expectations: [e] });
/** A unit in the basket, weighed by its catalog entry and by what it weighed going in. */
const unit = (key: string, catalog: Expectation, placedGrams: number): Candidate => ({ key, expectations: [catalog, item(placedGrams, 2 + 0.004 * placedGrams)] });

t.test('a weight clearly fits, clearly misses, or is unclear in between', async (t) => {
  t.equal(verdictOf(258, [item(258, 3)], res), 'fits');
  t.equal(verdictOf(300, [item(258, 3)], res), 'no');
  t.equal(verdictOf(275, [item(258, 3)], res), 'unclear');
});

t.test('a placement is judged against every set of open scans', async (t) => {
  const butter = scan('butter', item(258, 3));
  const rice = scan('rice', item(1018, 17));
  t.ok(onlyExplanation(259, [butter, rice], ['butter'], res), 'butter alone explains 259 g');
  t.ok(onlyExplanation(1276, [butter, rice], ['butter', 'rice'], res), 'both together explain their sum');
  t.notOk(onlyExplanation(259, [butter, rice], ['rice'], res), 'the wrong explanation does not fit');
  const twin = scan('unsalted butter', item(257, 3));
  t.notOk(onlyExplanation(259, [butter, twin], ['butter'], res), 'a look-alike scan open at the same time leaves it in doubt');
  t.ok(onlyExplanation(600, [butter, rice], [], res), 'nothing open fits a 600 g item: an unscanned item or a mismatch');
});

t.test('an open scan of produce loses to an item that predicts the weight', async (t) => {
  const potatoes = scan('potatoes', bag(1400, 450));
  const rice = scan('rice', item(1018, 17));
  t.ok(onlyExplanation(1020, [potatoes, rice], ['rice'], res));
  t.notOk(onlyExplanation(1020, [potatoes, rice], ['potatoes'], res), 'but a bag is not taken for the item it happens to weigh like');
});

t.test('a removal without a scan is ambiguous only when a look-alike fits by catalog and by its measured weight', async (t) => {
  const penne = unit('penne', item(512, 6), 512.4);
  const fusilli = unit('fusilli', item(513, 8), 512.9);
  const rice = unit('rice', item(1018, 17), 1016.2);
  t.ok(onlyExplanation(512.4, [penne, fusilli, rice], ['penne'], res, { rivals: 'some', fewestFirst: true }));
  t.notOk(onlyExplanation(512.4, [penne, fusilli, rice], ['penne'], res, { fewestFirst: true }), 'so it is not unambiguous');
  const farFusilli = unit('fusilli', item(513, 8), 524);
  t.notOk(onlyExplanation(512.4, [penne, farFusilli, rice], ['penne'], res, { rivals: 'some', fewestFirst: true }),
    'a look-alike that weighed 12 g more going in is neither a clear rival nor clearly out');
  t.ok(onlyExplanation(1016.2, [penne, fusilli, rice], ['rice'], res, { fewestFirst: true }), 'the rice is unambiguous');
});

t.test('with the fewest-items rule a single item is not in doubt because two others add up to it', async (t) => {
  const sugar = unit('sugar', item(1012, 12), 1010);
  const a = unit('pasta', item(506, 6), 505);
  const b = unit('tins', item(505, 6), 505.5);
  t.ok(onlyExplanation(1010, [sugar, a, b], ['sugar'], res, { fewestFirst: true }));
  t.notOk(onlyExplanation(1010, [sugar, a, b], ['sugar'], res), 'without it, the pair is a rival');
});

t.test('part of an item fits nothing in the basket', async (t) => {
  const tuna = unit('tuna', item(298, 4.5), 297);
  const jam = unit('jam', item(520, 6), 521);
  t.ok(onlyExplanation(60, [tuna, jam], [], res));
  t.notOk(onlyExplanation(297, [tuna, jam], [], res), 'a whole tuna pack is not part of anything');
});
