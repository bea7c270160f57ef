// The scan rate bound on its own: a token bucket, and a flood that lets
// nothing through until the line has been quiet for a second.
import t from 'tap';
import { ScanRateLimit } from '../../firmware/barcode/scan-rate.js';

/** Each read in turn at its time, ended() first as the stage calls it; what was admitted. */
function run(limit: ScanRateLimit, times: number[]): boolean[] {
  return times.map((at) => {
    limit.ended(at);
    return limit.admit(at);
  });
}

t.test('a burst up to the bound goes through; the next read starts a flood', async (t) => {
  const limit = new ScanRateLimit(5, 5);
  t.same(run(limit, [1, 1, 1, 1, 1, 1]), [true, true, true, true, true, false]);
  t.equal(limit.dropped, 1);
  t.equal(limit.ended(1.5), null, 'not over while the line has been quiet less than a second');
});

t.test('while a flood lasts nothing goes through, though the bucket would have refilled', async (t) => {
  const limit = new ScanRateLimit(5, 5);
  // 10 reads a second for 10 s: a bucket alone would let every other one through, once its burst is spent.
  const times = Array.from({ length: 100 }, (_, i) => 1 + i / 10);
  const admitted = run(limit, times);
  const first = admitted.indexOf(false);
  t.ok(first >= 5 && first < 10, `the burst and what refilled while it was spent (${first} reads) go through`);
  t.ok(admitted.slice(first).every((a) => !a), 'from the first dropped read on, none');
  t.equal(limit.dropped, 100 - first, 'every dropped read counted');
});

t.test('a flood is over once the line has been quiet for a second: reported once, with its count and span', async (t) => {
  const limit = new ScanRateLimit(5, 5);
  run(limit, Array.from({ length: 30 }, (_, i) => 1 + i / 100));
  t.equal(limit.ended(2.28), null, 'the last dropped read was at 1.29 s');
  t.same(limit.ended(2.3), { fromSec: 1.05, lastSec: 1.29, dropped: 25 });
  t.equal(limit.ended(2.4), null, 'once');
  t.equal(limit.dropped, 0);
  t.same(run(limit, [2.5, 2.5, 2.5, 2.5, 2.5, 2.5]), [true, true, true, true, true, false], 'a full burst again, then a new flood');
});

t.test('a shopper at full speed, with the scanner repeating every code, is never dropped', async (t) => {
  const limit = new ScanRateLimit(5, 5);
  // A scan every 0.7 s for two minutes, each with a repeat 0.1 s later, and three codes of a multipack in one second.
  const times = Array.from({ length: 170 }, (_, i) => [i * 0.7, i * 0.7 + 0.1]).flat();
  times.push(120, 120.3, 120.35, 120.6, 120.65);
  t.ok(run(limit, times).every(Boolean));
  t.equal(limit.dropped, 0);
});

t.test('a bound that cannot work is refused', async (t) => {
  t.throws(() => new ScanRateLimit(0, 5), RangeError);
  t.throws(() => new ScanRateLimit(5, 0.5), RangeError);
});

t.test('a flood gone quiet but not yet taken by ended() keeps its count when the next one starts', async (t) => {
  const limit = new ScanRateLimit(1, 1);
  t.same([limit.admit(1), limit.admit(1), limit.admit(1)], [true, false, false]);
  t.same([limit.admit(5), limit.admit(5)], [true, false], 'quiet: the bucket pays again, and the next read is dropped');
  t.same(limit.ended(7), { fromSec: 1, lastSec: 5, dropped: 3 }, 'nothing dropped goes uncounted');
});
