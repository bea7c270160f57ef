import t from 'tap';
import { DriftTrend } from '../../firmware/weight/drift.js';
import { NoiseFloor, chiSquareQuantileRatio } from '../../firmware/weight/noise.js';
import { gaussian, random } from './synth.js';

/** Residual variance of one block of n white-noise samples of variance v (n - 2 degrees of freedom, as the rest window's). */
function blockVariance(rand: () => number, n: number, v: number): number {
  let s = 0;
  for (let i = 0; i < n - 2; i++) s += v * gaussian(rand) ** 2;
  return s / (n - 2);
}

t.test('the Wilson-Hilferty quantile is close to the tabulated chi-square', async (t) => {
  // chi-square(30): 2.5 % quantile 16.79, 97.5 % quantile 46.98.
  t.ok(Math.abs(chiSquareQuantileRatio(30, -1.96) * 30 - 16.79) < 0.1);
  t.ok(Math.abs(chiSquareQuantileRatio(30, 1.96) * 30 - 46.98) < 0.1);
});

t.test('the noise floor finds the true noise from quiet blocks, whatever the prior within reach', async (t) => {
  for (const [prior, truth] of [[1, 4], [4, 1], [2, 2]] as const) {
    const rand = random(3);
    const floor = new NoiseFloor(prior, 150, 30, 0.4);
    for (let i = 0; i < 300; i++) floor.add(blockVariance(rand, 32, truth));
    t.ok(Math.abs(floor.variance() / truth - 1) < 0.2, `prior ${prior}, truth ${truth}: found ${floor.variance().toFixed(2)}`);
  }
});

t.test('a cart noisier than the prior: the floor rises after 1.2 s of quiet blocks, and never from fewer than two', async (t) => {
  // Blocks of 0.4 s (80 Hz), 0.6 s (25 Hz) and 1.2 s (10 Hz): three, two and two blocks.
  for (const [blockSec, blocks] of [[0.4, 3], [0.6, 2], [1.2, 2]] as const) {
    const floor = new NoiseFloor(1, 150, 10, blockSec);
    for (let i = 1; i <= blocks; i++) {
      t.equal(floor.variance(), 1, `${blockSec} s blocks: the prior stands before block ${i}`);
      floor.add(4);
    }
    t.ok(floor.variance() > 4, `${blockSec} s blocks: raised after ${blocks} (${floor.variance().toFixed(2)})`);
  }
});

t.test('busy blocks (hands, a long push) do not raise the noise floor', async (t) => {
  const rand = random(5);
  const floor = new NoiseFloor(1, 150, 30, 0.4);
  for (let i = 0; i < 100; i++) floor.add(blockVariance(rand, 32, 1));
  // Forty seconds of pushing, longer than the memory's quiet share.
  for (let i = 0; i < 200; i++) floor.add(blockVariance(rand, 32, 400));
  t.ok(floor.variance() < 1.3, `floor ${floor.variance().toFixed(2)}`);
});

t.test('the noise floor is the low quantile of the blocks it remembers, however they come and go', async (t) => {
  const rand = random(17);
  const memory = 12;
  const floor = new NoiseFloor(1, memory, 30, 0.4);
  const kept: number[] = [];
  const ratio = chiSquareQuantileRatio(30, -0.8416);
  for (let i = 0; i < 400; i++) {
    // Repeated values too: a block that leaves must take out one of its equals, not all of them.
    const v = i % 7 === 0 ? 1 : Math.round(blockVariance(rand, 32, 1 + (i % 50) / 10) * 4) / 4;
    const accepted = v <= 9 * floor.variance();
    floor.add(v);
    if (!accepted) continue;
    kept.push(v);
    if (kept.length > memory) kept.shift();
    if (kept.length < 10) continue;
    const q = [...kept].sort((a, b) => a - b)[Math.floor(0.2 * (kept.length - 1))]!;
    if (Math.abs(floor.variance() - q / ratio) > 1e-12) return t.fail(`block ${i}: floor ${floor.variance()}, quantile of the last ${memory} ${q / ratio}`);
  }
  t.pass('the floor followed the quantile of the last blocks for 400 blocks');
});

t.test('the drift trend carries a steady drift across a gap', async (t) => {
  const rand = random(9);
  const trend = new DriftTrend(30, 0.1);
  const rate = 0.08; // g/s: 5 g a minute on the total
  for (let s = 0; s < 20; s += 1 / 80) trend.add(s, 500 + rate * s + 2 * gaussian(rand));
  const p = trend.predict(50, 4)!;
  t.ok(Math.abs(p.grams - (500 + rate * 50)) < 3 * Math.sqrt(p.variance), `predicted ${p.grams.toFixed(2)} ± ${Math.sqrt(p.variance).toFixed(2)}`);
  t.ok(Math.sqrt(p.variance) < 1, 'and knows it to about a gram');
});

t.test('the drift trend follows load changes without mistaking them for drift', async (t) => {
  const trend = new DriftTrend(30, 0.1);
  for (let s = 0; s < 10; s += 1 / 80) trend.add(s, 300);
  trend.loadChanged(250);
  for (let s = 12; s < 20; s += 1 / 80) trend.add(s, 550);
  const p = trend.predict(40, 4)!;
  t.ok(Math.abs(p.grams - 550) < 0.5, `predicted ${p.grams.toFixed(2)}`);
});

t.test('a short stable period does not let noise pass for a drift rate', async (t) => {
  const rand = random(11);
  const trend = new DriftTrend(30, 0.1);
  for (let s = 0; s < 0.5; s += 1 / 80) trend.add(s, 200 + 3 * gaussian(rand));
  const p = trend.predict(30.5, 9)!;
  t.ok(Math.abs(p.grams - 200) < 3 * Math.sqrt(p.variance), `predicted ${p.grams.toFixed(2)} ± ${Math.sqrt(p.variance).toFixed(2)}`);
  t.ok(Math.sqrt(p.variance) <= 0.1 * 30 + 1, 'the uncertainty is no more than the prior allows');
});
