import t from 'tap';
import { RestTest, RestWindow, goesOn } from '../../firmware/weight/settle.js';
import { gaussian, random } from './synth.js';

const N = 32;
const DT = 1 / 80;

function windowOf(signal: (s: number) => number, seed = 1): RestWindow {
  const rand = random(seed);
  const w = new RestWindow(N, 1);
  for (let i = 0; i < N; i++) {
    const x = signal(i * DT) + 2 * gaussian(rand);
    w.push(i * DT, [x], x);
  }
  return w;
}

const test = new RestTest(N, 2);
const noiseVariance = 4;

t.test('a still load passes nearly always', async (t) => {
  let passed = 0;
  for (let seed = 1; seed <= 200; seed++) if (test.passes(windowOf(() => 500, seed).fit(), noiseVariance)) passed++;
  t.ok(passed >= 180, `${passed} of 200`);
});

t.test('a load still creeping in fails', async (t) => {
  // 40 g/s: 16 g over the window, against 2 g of noise.
  t.notOk(test.passes(windowOf((s) => 500 + 40 * s).fit(), noiseVariance));
});

t.test('a slow tail the way the change went can pass the rest test but not the onward test', async (t) => {
  // 6 g/s: 2.4 g over the window, 2 g of noise; slope sd about 3 g/s.
  let rest = 0;
  let onward = 0;
  for (let seed = 1; seed <= 200; seed++) {
    const fit = windowOf((s) => 500 + 6 * s, seed).fit();
    if (test.passes(fit, noiseVariance)) rest++;
    if (goesOn(fit, noiseVariance, 1, 1)) onward++;
  }
  t.ok(rest > 80, `two-sided rest test passes ${rest} of 200`);
  t.ok(onward > 150, `found still going up in ${onward} of 200`);
  t.notOk(goesOn(windowOf((s) => 500 + 8 * s).fit(), noiseVariance, -1, 1), 'going up is not going on down');
});

t.test('a ring of a few noise sd fails', async (t) => {
  t.notOk(test.passes(windowOf((s) => 500 + 6 * Math.sin(2 * Math.PI * 9 * s)).fit(), noiseVariance));
});

t.test('the level is read from the fitted line at the asked time', async (t) => {
  const w = new RestWindow(N, 2);
  for (let i = 0; i < N; i++) w.push(i * DT, [100 + 10 * i * DT, 50], 150 + 10 * i * DT);
  const out = new Float64Array(2);
  const factor = w.cornerLevels(w.endSec, out);
  t.ok(Math.abs((out[0] ?? 0) - (100 + 10 * w.endSec)) < 1e-9);
  t.ok(Math.abs((out[1] ?? 0) - 50) < 1e-9);
  t.ok(factor > 1 / N && factor < 5 / N, 'reading at the end costs up to four times the variance of the mean');
});
