// The framer cuts the scanner's bytes into barcodes however the reads fall.
import t from 'tap';
import { ScanFramer, defaultFramerOptions } from '../../../drivers/scanner/framer.js';
import { createLogger, memorySink } from '../../../firmware/log.js';

const bytes = (s: string) => Buffer.from(s, 'latin1');

function framer(opts: { maxLength?: number; flushGapSec?: number } = {}) {
  const sink = memorySink();
  const f = new ScanFramer({ ...defaultFramerOptions, ...opts, log: createLogger(sink, 'scanner') });
  return { f, lines: sink.lines };
}

t.test('CR, LF and CR LF each end one code', async (t) => {
  for (const suffix of ['\r', '\n', '\r\n']) {
    const { f } = framer();
    t.same(f.push(bytes(`5901234123457${suffix}`), 1), [{ atSec: 1, symbology: null, data: '5901234123457' }], JSON.stringify(suffix));
  }
});

t.test('a code split across reads is framed at the read that holds its suffix', async (t) => {
  const { f } = framer();
  t.same(f.push(bytes(']E0590123'), 1.0), []);
  t.same(f.push(bytes('4123457\r'), 1.03), [{ atSec: 1.03, symbology: ']E0', data: '5901234123457' }]);
  t.same(f.push(bytes('\n'), 1.05), [], 'the LF of a CR LF split from its CR makes no empty frame');
});

t.test('several codes in one read come out in order', async (t) => {
  const { f } = framer();
  const frames = f.push(bytes(']E05901234123457\r\n]E496385074\r\n]C10109506000134352\x1d10AB\r\n'), 2);
  t.same(frames, [
    { atSec: 2, symbology: ']E0', data: '5901234123457' },
    { atSec: 2, symbology: ']E4', data: '96385074' },
    { atSec: 2, symbology: ']C1', data: '0109506000134352\x1d10AB' },
  ]);
});

t.test('only "]", a letter and a letter or digit make an AIM identifier', async (t) => {
  const { f } = framer();
  t.same(f.push(bytes(']9X123\r]E\r'), 1), [
    { atSec: 1, symbology: null, data: ']9X123' },
    { atSec: 1, symbology: null, data: ']E' },
  ]);
});

t.test('line noise before a code is dropped and logged, the code kept', async (t) => {
  const { f, lines } = framer();
  t.same(f.push(bytes('\x00\xff\x185901234123457\r'), 1), [{ atSec: 1, symbology: null, data: '5901234123457' }]);
  t.equal(f.discardedBytes, 3);
  t.match(lines, [/WARN  scanner noise bytes before a line dropped droppedBytes=3/]);
});

t.test('noise inside a code drops the whole line: a code missing a byte could pass its check digit', async (t) => {
  const { f, lines } = framer();
  t.same(f.push(bytes('59012341\x0023457\r96385074\r'), 1), [{ atSec: 1, symbology: null, data: '96385074' }]);
  t.equal(f.discardedBytes, 14);
  t.match(lines, [/WARN  scanner line with noise bytes dropped droppedBytes=14 endedBy=suffix/]);
});

t.test('a line with no suffix is ended by silence, timed at the end of the gap', async (t) => {
  const { f } = framer({ flushGapSec: 0.3 });
  t.same(f.push(bytes('5901234123457'), 5), []);
  t.equal(f.flushDueAtSec(), 5.3);
  t.same(f.flush(5.29), [], 'not before the gap');
  t.same(f.flush(5.31), [{ atSec: 5.3, symbology: null, data: '5901234123457' }]);
  t.equal(f.flushDueAtSec(), null);
  t.same(f.flush(9), [], 'once only');
});

t.test('the next read after the gap ends the open line first, whoever calls flush', async (t) => {
  const { f } = framer({ flushGapSec: 0.3 });
  f.push(bytes('96385074'), 1);
  t.same(f.push(bytes('5901234123457\r'), 2), [
    { atSec: 1.3, symbology: null, data: '96385074' },
    { atSec: 2, symbology: null, data: '5901234123457' },
  ]);
});

t.test('an overlong line is dropped up to the next suffix, logged, and the stream resynchronises', async (t) => {
  const { f, lines } = framer({ maxLength: 16 });
  t.same(f.push(bytes('1234567890123456'), 1), [], 'exactly maxLength is kept open');
  t.same(f.push(bytes('\r'), 1), [{ atSec: 1, symbology: null, data: '1234567890123456' }]);
  t.same(f.push(bytes('x'.repeat(40)), 2), []);
  t.same(f.push(bytes('y'.repeat(40) + '\r96385074\r'), 2.01), [{ atSec: 2.01, symbology: null, data: '96385074' }]);
  t.equal(f.discardedBytes, 80);
  t.match(lines, [/WARN  scanner line longer than maxLength.* maxLength=16/, /INFO  scanner stream resynchronised after an overlong line droppedBytes=80 endedBy=suffix/]);
});

t.test('an overlong line ended by silence resynchronises too', async (t) => {
  const { f } = framer({ maxLength: 4, flushGapSec: 0.3 });
  f.push(bytes('123456'), 1);
  t.same(f.flush(2), []);
  t.same(f.push(bytes('4011\r'), 3), [{ atSec: 3, symbology: null, data: '4011' }]);
});

t.test('reads must come in time order, options must make sense', async (t) => {
  const { f } = framer();
  f.push(bytes('1'), 2);
  t.throws(() => f.push(bytes('2'), 1), RangeError);
  t.throws(() => new ScanFramer({ maxLength: 0, flushGapSec: 0.3 }), RangeError);
  t.throws(() => new ScanFramer({ maxLength: 10, flushGapSec: 0 }), RangeError);
  t.throws(() => new ScanFramer({ maxLength: 10, flushGapSec: Number.NaN }), RangeError);
});

t.test('an empty read changes nothing', async (t) => {
  const { f } = framer({ flushGapSec: 0.3 });
  f.push(bytes('4011'), 1);
  t.same(f.push(Buffer.alloc(0), 1.2), []);
  t.equal(f.flushDueAtSec(), 1.3, 'the silence is counted from the last byte');
});
