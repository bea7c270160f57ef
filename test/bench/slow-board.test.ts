// The boards a cart reads are slower than the bench's 80 Hz: an M5Stack
// unit converts 10 times a second. Field trips generated at 10 Hz, replayed
// and scored against their truth: rest judged from a 0.4 s window of 4
// samples took a hand still settling an item for rest; the window now holds
// at least 12 (scale.ts). And the thinning of recorded traces to a slower
// rate (slow-trips.ts), which the shared samples are scored at.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parseGenerateArgs } from './generate-args.js';
import { replayTrace } from './replay.js';
import { scoreTrip } from './score.js';
import { Random } from './sim/random.js';
import { generateTrip } from './sim/trip.js';
import { slowTrace } from './slow-trips.js';

const dir = mkdtempSync(join(tmpdir(), 'cart-slow-board-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

t.test('field trips generated at 10 Hz come out as they were done', async (t) => {
  // The first five trips of `cart-bench generate --profile field --seed 1301 --rate-hz 10`.
  const seeds = new Random(1301).fork('trips');
  for (let i = 1; i <= 5; i++) {
    const trip = generateTrip({ profile: 'field', seed: seeds.next32(), name: `field-s1301-${i}-10hz`, rateHz: 10 });
    t.equal(trip.header.rateHz, 10);
    const path = join(dir, `${trip.name}.jsonl`);
    writeFileSync(path, [...trip.lines()].join('\n') + '\n');
    const score = scoreTrip(await replayTrace(path), trip.truth);
    t.same(score.problems, [], `${trip.name}`);
  }
});

t.test('thinning keeps every line but the samples, and the samples at the slower rate', async (t) => {
  const header = JSON.stringify({ kind: 'header', rateHz: 80 });
  const samples = Array.from({ length: 800 }, (_, i) => JSON.stringify({ t: i / 80 + 0.003, kind: 'adc', raw: [i, 0, 0, 0] }));
  // A stall of a second: the ticks start afresh after it rather than catching up.
  const lines = [header, ...samples.slice(0, 400), JSON.stringify({ t: 5.5, kind: 'serial', data: 'x' }), ...samples.slice(480)];
  const thin = slowTrace(lines, 10);
  t.same(JSON.parse(thin[0]!), { kind: 'header', rateHz: 10 });
  t.equal(thin.filter((l) => l.includes('"serial"')).length, 1, 'the scan is kept');
  const times = thin.filter((l) => l.includes('"adc"')).map((l) => (JSON.parse(l) as { t: number }).t);
  t.equal(times.length, 50 + 40, '10 a second over the 9 s with samples');
  // 0.1 s apart within a sample period of 80 Hz (12.5 ms), but across the stall.
  const odd = times.slice(1).map((x, i) => x - times[i]!).filter((g) => !(Math.abs(g - 0.1) <= 0.0125 + 1e-9));
  t.equal(odd.length, 1, `one gap off the rate: ${odd.join(', ')}`);
  t.ok(odd[0]! > 1, 'the stall');
  t.throws(() => slowTrace([header], 100), /slower rate/);
});

t.test('cart-bench generate --rate-hz: a rate a board can be read at, or a clear refusal', async (t) => {
  t.equal(parseGenerateArgs(['--out', 'x', '--rate-hz', '10']).rateHz, 10);
  t.equal(parseGenerateArgs(['--out', 'x']).rateHz, undefined, 'the generator\'s 80 Hz by default');
  for (const bad of ['0', '-5', 'ten', '250']) t.throws(() => parseGenerateArgs(['--out', 'x', `--rate-hz=${bad}`]), /--rate-hz must be a number above 0/, `--rate-hz ${bad}`);
});
