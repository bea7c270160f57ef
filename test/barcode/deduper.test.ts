// A scanner repeating itself is one scan.
import t from 'tap';
import { ScanDeduper } from '../../firmware/barcode/index.js';

t.test('the same code within the window is a repeat, after it a new scan', async (t) => {
  const d = new ScanDeduper(1);
  t.ok(d.accept('A', 10));
  t.notOk(d.accept('A', 10.8), '0.8 s later, as some scanners repeat');
  t.ok(d.accept('A', 12));
});

t.test('the window counts from the scan taken: a repeat in between does not swallow a deliberate second scan', async (t) => {
  const d = new ScanDeduper(1);
  const reads = [0, 0.86, 1.83, 2.5, 2.9].map((s) => d.accept('A', s));
  t.same(reads, [true, false, true, false, true]);
});

t.test('exactly one window later is a new scan', async (t) => {
  const d = new ScanDeduper(0.5);
  t.ok(d.accept('A', 1));
  t.ok(d.accept('A', 1.5));
});

t.test('different codes do not suppress each other', async (t) => {
  const d = new ScanDeduper(1);
  t.ok(d.accept('A', 1));
  t.ok(d.accept('B', 1.1));
  t.notOk(d.accept('A', 1.2));
  t.notOk(d.accept('B', 1.3));
});

t.test('memory holds only the codes read within the last window', async (t) => {
  const d = new ScanDeduper(1);
  let most = 0;
  for (let i = 0; i < 20000; i++) {
    d.accept(`code-${i}`, i * 0.1);
    most = Math.max(most, d.size);
  }
  t.ok(most <= 11, `at most 11 codes remembered, saw ${most}`);
});

t.test('bad times and windows are refused', async (t) => {
  const d = new ScanDeduper(1);
  d.accept('A', 5);
  t.throws(() => d.accept('A', 4), RangeError);
  t.throws(() => new ScanDeduper(-1), RangeError);
  t.throws(() => new ScanDeduper(Number.POSITIVE_INFINITY), RangeError);
});
