import t from 'tap';
import { Random } from '../bench/sim/random.js';

function draws(rng: Random, n: number): number[] {
  return Array.from({ length: n }, () => rng.next32());
}

t.test('the same seed gives the same numbers, another seed other numbers', async (t) => {
  t.same(draws(new Random(42), 100), draws(new Random(42), 100));
  t.not(draws(new Random(42), 100).join(), draws(new Random(43), 100).join());
});

t.test('a forked stream depends on its label and does not disturb its parent', async (t) => {
  const a = new Random(7);
  const b = new Random(7);
  const forked = draws(a.fork('render'), 10);
  t.same(draws(a, 10), draws(b, 10), 'forking draws nothing from the parent');
  t.same(draws(new Random(7).fork('render'), 10), forked);
  t.not(draws(new Random(7).fork('cells'), 10).join(), forked.join());
});

t.test('uniform and normal draws have the moments they promise', async (t) => {
  const rng = new Random(1);
  const n = 20_000;
  const u = Array.from({ length: n }, () => rng.next());
  const mean = u.reduce((a, b) => a + b, 0) / n;
  t.ok(Math.abs(mean - 0.5) < 0.01, `uniform mean ${mean}`);
  t.ok(u.every((x) => x >= 0 && x < 1));
  const g = Array.from({ length: n }, () => rng.normal(10, 2));
  const gm = g.reduce((a, b) => a + b, 0) / n;
  const gsd = Math.sqrt(g.reduce((a, b) => a + (b - gm) ** 2, 0) / n);
  t.ok(Math.abs(gm - 10) < 0.05, `normal mean ${gm}`);
  t.ok(Math.abs(gsd - 2) < 0.05, `normal sd ${gsd}`);
  const tn = Array.from({ length: 2000 }, () => rng.truncatedNormal(0, 1, 2));
  t.ok(tn.every((x) => Math.abs(x) <= 2), 'a truncated normal stays within its limit');
});

t.test('integers cover their range, both ends included', async (t) => {
  const rng = new Random(3);
  const seen = new Set(Array.from({ length: 500 }, () => rng.int(1, 6)));
  t.same([...seen].sort(), [1, 2, 3, 4, 5, 6]);
});
