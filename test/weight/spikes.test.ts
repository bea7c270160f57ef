import t from 'tap';
import { SpikeFilter } from '../../firmware/weight/spikes.js';

function filter(values: number[], size = 5, noiseSd = 1): (number | null)[] {
  const f = new SpikeFilter(size, 8);
  return values.map((v) => f.push(v, noiseSd));
}

t.test('a one-sample spike is replaced, a step keeps its edge', async (t) => {
  const input = [0, 0, 0, 0, 0, 900, 0, 0, 0, 0, 0, 0, 50, 50, 50, 50, 50, 50, 50];
  const out = filter(input);
  const delay = 2;
  // Output i is input i - delay.
  t.ok(out.every((v, i) => i < delay || v !== 900), 'the spike never comes out');
  const edge = out.slice(12 + delay, 12 + delay + 3);
  t.same(edge, [50, 50, 50], 'the step appears on time and whole');
});

t.test('a two-sample burst is removed by a five-sample window', async (t) => {
  const out = filter([10, 10, 10, 10, -8388, -8388, 10, 10, 10, 10]);
  t.ok(out.every((v) => v === null || v === 10));
});

t.test('missing samples are bridged by their neighbours, and held when all are missing', async (t) => {
  const out = filter([5, 5, 5, Number.NaN, 5, 5, Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
  t.ok(out.every((v) => v === null || v === 5));
});

t.test('noise smaller than the threshold passes untouched', async (t) => {
  const input = [0, 1.5, -2, 0.7, 3, -1, 0.2, 2.5];
  const out = filter(input);
  t.same(out.slice(4), input.slice(2, 6));
});
