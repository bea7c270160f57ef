// A settled weight change waits for the cameras' guess, briefly and in order.
import t from 'tap';
import type { BasketInput } from '../../firmware/basket/types.js';
import type { StableDelta, VisionGuess } from '../../firmware/domain.js';
import { createLogger, memorySink } from '../../firmware/log.js';
import { GuessGate } from '../../firmware/vision/gate.js';

const delta = (grams: number, atSec: number): StableDelta => ({ kind: 'stable-delta', grams, sdGrams: 1, centre: null, beganAtSec: atSec - 1, restAtSec: atSec - 0.3, atSec });
const guess: VisionGuess = { top: [{ gtin: '08024301475437', score: 0.97 }], confidentScore: 0.9, beforeAtSec: 1, afterAtSec: 2, model: 'test' };
const scan: BasketInput = { kind: 'product-scan', atSec: 5.05, gtin: '00000076372995', code: '76372995' };

function gate(source: (d: StableDelta) => Promise<VisionGuess | null> | null, apply?: (i: BasketInput) => void) {
  const applied: BasketInput[] = [];
  const sink = memorySink();
  const g = new GuessGate({ source: { guess: source }, maxWaitSec: 0.15 }, apply ?? ((i) => applied.push(i)), createLogger(sink, 'vision'));
  return { g, applied, lines: sink.lines };
}

t.test('the change waits for its guess; a scan that came meanwhile follows it, in order', async (t) => {
  let answer!: (g: VisionGuess) => void;
  const { g, applied } = gate(() => new Promise((resolve) => (answer = resolve)));
  g.input(delta(390, 5));
  g.input(scan);
  t.same(applied, [], 'nothing decided yet');
  t.ok(g.holding);
  answer(guess);
  await g.settled();
  t.same(applied.map((i) => i.kind), ['stable-delta', 'product-scan']);
  t.same((applied[0] as StableDelta).guess, guess);
});

t.test('a guess that does not come within the wait is not waited for, and is dropped if it comes later', async (t) => {
  let answer!: (g: VisionGuess) => void;
  const { g, applied, lines } = gate(() => new Promise((resolve) => (answer = resolve)));
  g.input(delta(390, 5));
  g.timePassed(5.1);
  t.same(applied, [], 'still within 150 ms');
  g.timePassed(5.16);
  t.equal(applied.length, 1);
  t.equal((applied[0] as StableDelta).guess, undefined);
  t.ok(lines.some((l) => l.includes('product guess late; the weight decides alone')));
  answer(guess);
  await new Promise((r) => setImmediate(r));
  t.equal(applied.length, 1, 'the late guess changes nothing');
});

t.test('no cameras to look with: no wait at all', async (t) => {
  const { g, applied } = gate(() => null);
  g.input(delta(390, 5));
  t.equal(applied.length, 1);
  t.notOk(g.holding);
});

t.test('a failed recognition: the weight decides alone and says so', async (t) => {
  const { g, applied, lines } = gate(() => Promise.reject(new Error('inference worker exited with 1')));
  g.input(delta(390, 5));
  await g.settled();
  t.equal(applied.length, 1);
  t.ok(lines.some((l) => l.includes('no product guess') && l.includes('inference worker exited with 1')));
});

t.test('an input that fails after a guess is logged and the ones behind it still go in', async (t) => {
  const applied: string[] = [];
  const { g, lines } = gate(async () => guess, (i) => {
    if (i.kind === 'stable-delta') throw new Error('disk full');
    applied.push(i.kind);
  });
  g.input(delta(390, 5));
  g.input(scan);
  await g.settled();
  t.same(applied, ['product-scan']);
  t.ok(lines.some((l) => l.includes('stable-delta could not be handled; the basket stays as last saved')));
});

t.test('a second change queued behind the first waits for its own guess', async (t) => {
  const answers: ((g: VisionGuess | null) => void)[] = [];
  const { g, applied } = gate(() => new Promise((resolve) => answers.push(resolve)));
  g.input(delta(390, 5));
  g.input(delta(258, 5.1));
  answers[0]!(guess);
  await new Promise((r) => setImmediate(r));
  t.equal(applied.length, 1);
  t.ok(g.holding, 'the second change now waits');
  answers[1]!(null);
  await g.settled();
  t.same(applied.map((i) => (i as StableDelta).grams), [390, 258]);
});
