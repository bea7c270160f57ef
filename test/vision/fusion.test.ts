// What the cameras' guesses change in the basket's decisions, and what they
// must leave alone: they choose only among what the weight allows, and only
// when sure.
import t from 'tap';
import type { Product, ProductScan, StableDelta, VisionGuess } from '../../firmware/domain.js';
import { catalogOf } from '../../firmware/basket/catalog.js';
import { basketLines } from '../../firmware/basket/lines.js';
import { shareAmong, seenAmong } from '../../firmware/basket/guess.js';
import { emptyBasket, reconcile } from '../../firmware/basket/reconciler.js';
import { defaultReconcilerConfig, type BasketInput, type BasketState, type Catalog, type Decision } from '../../firmware/basket/types.js';

const products: Product[] = [
  { gtin: '05901234123457', name: 'Oat milk 1 l', grams: 1062, gramsSd: 6, priceCents: 249, byWeight: false },
  { gtin: '00000076372995', name: 'Butter 250 g', grams: 258, gramsSd: 3, priceCents: 245, byWeight: false },
  { gtin: '08024301475437', name: 'Free range eggs 6', grams: 390, gramsSd: 5, priceCents: 229, byWeight: false },
  { gtin: '05038364476358', name: 'Penne pasta 500 g', grams: 512, gramsSd: 5.7, priceCents: 99, byWeight: false },
  { gtin: '04028651334035', name: 'Fusilli pasta 500 g', grams: 513, gramsSd: 8, priceCents: 99, byWeight: false },
];
const catalog: Catalog = catalogOf(products);
const [oat, butter, eggs, penne, fusilli] = products.map((p) => p.gtin) as [string, string, string, string, string];

const scan = (gtin: string, atSec: number): ProductScan => ({ kind: 'product-scan', atSec, gtin, code: gtin });
function delta(grams: number, beganAtSec: number, guess?: VisionGuess): StableDelta {
  const d: StableDelta = { kind: 'stable-delta', grams, sdGrams: 1.5, centre: null, beganAtSec, restAtSec: beganAtSec + 0.6, atSec: beganAtSec + 0.7 };
  if (guess) d.guess = guess;
  return d;
}
function guess(...top: [string, number][]): VisionGuess {
  return { top: top.map(([gtin, score]) => ({ gtin, score })), confidentScore: 0.9, beforeAtSec: 0, afterAtSec: 1, model: 'test' };
}

/** The inputs, then a tick once weight nothing explains has waited out basket.continuationSec, so its alert is raised. */
function run(inputs: BasketInput[], state: BasketState = emptyBasket()) {
  const decisions: Decision[] = [];
  const lastAtSec = inputs.at(-1)?.atSec ?? 0;
  for (const input of [...inputs, { kind: 'tick' as const, atSec: lastAtSec + defaultReconcilerConfig.continuationSec + 0.5 }]) {
    const out = reconcile(state, input, catalog, defaultReconcilerConfig);
    state = out.state;
    decisions.push(...out.decisions);
  }
  return { state, decisions, lines: basketLines(state), alerts: decisions.filter((d): d is Extract<Decision, { kind: 'alert' }> => d.kind === 'alert') };
}

const twoPastas = () => run([scan(penne, 1), delta(512.5, 2), scan(fusilli, 5), delta(513.5, 6)]).state;

t.test('a removal that fits two pastas: the cameras, sure it was the fusilli, take the fusilli out and no alert is raised', async (t) => {
  for (const [seen, left] of [[fusilli, penne], [penne, fusilli]]) {
    const r = run([delta(-513, 20, guess([seen!, 0.95], [oat, 0.02]))], twoPastas());
    t.same(r.alerts, [], `saw ${seen}`);
    t.same(r.lines.map((l) => l.gtin), [left]);
    t.match(r.decisions.find((d) => d.kind === 'remove'), { gtin: seen, reason: { rule: /the cameras saw this one go/ } });
  }
});

t.test('a doubtful guess leaves the removal ambiguous, as without cameras', async (t) => {
  const without = run([delta(-513, 20)], twoPastas());
  const doubtful = run([delta(-513, 20, guess([fusilli, 0.6], [penne, 0.4]))], twoPastas());
  t.match(doubtful.alerts, [{ alert: 'ambiguous-removal' }]);
  t.same(doubtful.decisions, without.decisions);
});

t.test('a guess of something the weight rules out changes nothing', async (t) => {
  const r = run([delta(-513, 20, guess([oat, 0.97], [fusilli, 0.02], [penne, 0.01]))], twoPastas());
  t.match(r.alerts, [{ alert: 'ambiguous-removal' }], 'narrowed to the two pastas the guess is split 2:1, not sure');
});

t.test('an unscanned item: the alert names the product the cameras saw, if its weight fits', async (t) => {
  const r = run([delta(391, 5, guess([eggs, 0.96], [butter, 0.02]))]);
  t.match(r.alerts, [{ alert: 'unscanned-item', likelyGtin: eggs, reason: { rule: 'weight added with no open scan' } }]);
  t.same(r.lines, [], 'still not charged: naming it is not scanning it');
  const wrongWeight = run([delta(391, 5, guess([oat, 0.98]))]);
  t.equal(wrongWeight.alerts[0]!.likelyGtin, undefined, 'oat milk weighs 1062 g: not what went in');
});

t.test('a weight mismatch says when the cameras saw another product go in than the one scanned', async (t) => {
  const r = run([scan(butter, 1), delta(390.5, 3, guess([eggs, 0.97]))]);
  t.match(r.alerts, [{ alert: 'weight-mismatch', likelyGtin: butter, reason: { rule: 'weight does not fit the scanned item, and the cameras saw another product go in', expectedGrams: 258 } }]);
  const unsure = run([scan(butter, 1), delta(390.5, 3, guess([eggs, 0.6]))]);
  t.equal(unsure.alerts[0]!.reason.rule, 'weight does not fit the scanned item', 'an unsure guess adds nothing');
});

t.test('without a guess every decision is what it was', async (t) => {
  const inputs: BasketInput[] = [scan(penne, 1), delta(512.5, 2), scan(fusilli, 5), delta(513.5, 6), delta(-513, 20), delta(391, 30), scan(butter, 40), delta(390, 42)];
  const withUnsure = inputs.map((i) => (i.kind === 'stable-delta' ? { ...i, guess: guess([oat, 0.5], [eggs, 0.3]) } : i));
  t.same(run(withUnsure).decisions.map((d) => ({ ...d, reason: undefined })), run(inputs).decisions.map((d) => ({ ...d, reason: undefined })));
});

t.test('belief the guess did not report is counted against the product it names', async (t) => {
  t.equal(shareAmong(guess([eggs, 0.5]), eggs, new Set([eggs, butter])), 0.5, 'half the belief is unreported and may be on butter');
  t.equal(seenAmong(guess([eggs, 0.5]), [eggs, butter]), null);
  t.same(seenAmong(guess([eggs, 0.9], [butter, 0.05], [oat, 0.05]), [eggs, butter]), { gtin: eggs, share: 0.947 });
  t.equal(seenAmong(undefined, [eggs]), null);
});
