// The barcode stage: bytes in, one scan per code the shopper meant.
import t from 'tap';
import { createScanStage, defaultBarcodeConfig } from '../../firmware/barcode/index.js';
import { gs1CheckDigit } from '../../firmware/barcode/check-digits.js';
import { createLogger, memorySink } from '../../firmware/log.js';

const bytes = (s: string) => Buffer.from(s, 'latin1');

t.test('a repeated read within the window gives one scan, logged at debug', async (t) => {
  const sink = memorySink();
  const stage = createScanStage({ log: createLogger(sink, 'cart') });
  t.match(stage.push(bytes('5901234123457\r5901234123457\r'), 1), [{ kind: 'product-scan', gtin: '05901234123457', atSec: 1 }]);
  t.same(stage.push(bytes('5901234123457\r'), 1.9), []);
  t.match(stage.push(bytes('5901234123457\r'), 3), [{ kind: 'product-scan', atSec: 3 }]);
  t.match(sink.lines, [/DEBUG barcode repeat read ignored code=5901234123457 atSec=1/, /repeat read ignored .*atSec=1.9/]);
});

t.test('a repeat that lost an element the cart does not weigh by is still a repeat; another weight is another label', async (t) => {
  // xsim2 8259 trip 10: a DataBar label (GTIN, net weight 0.444 kg, price 0.79) read twice within 12 ms, the copy without the price.
  const base = '9872897647424';
  const gtin = base + gs1CheckDigit(base);
  const label = (weight: string, price = '') => `]e001${gtin}3103${weight}${price}\n`;
  const stage = createScanStage();
  t.match(stage.push(bytes(label('000444', '392279')), 181.402), [{ kind: 'product-scan', gtin, measure: { grams: 444 } }]);
  t.same(stage.push(bytes(label('000444')), 181.414), [], 'the copy without the price: one scan');
  t.match(stage.push(bytes(label('000445')), 181.6), [{ kind: 'product-scan', gtin, measure: { grams: 445 } }], 'a label of another weight is another scan');
  t.match(stage.push(bytes(label('000444')), 182.5), [{ kind: 'product-scan', gtin, measure: { grams: 444 } }], 'read again after the window: a deliberate scan');
});

t.test('reads that are no product are compared as read: the same bad code once, two different bad codes twice', async (t) => {
  const stage = createScanStage();
  t.match(stage.push(bytes('5901234123458\r5901234123458\r'), 1), [{ kind: 'rejected', code: '5901234123458' }], 'a repeated bad read is one rejection');
  t.match(stage.push(bytes('5901234123459\r'), 1.2), [{ kind: 'rejected', code: '5901234123459' }], 'another bad read within the window is its own');
});

t.test('a code without suffix comes out when time passes', async (t) => {
  const stage = createScanStage({ framer: { maxLength: 64, flushGapSec: 0.2 } });
  t.same(stage.push(bytes('96385074'), 1), []);
  t.same(stage.idle(1.1), []);
  t.match(stage.idle(1.25), [{ kind: 'product-scan', gtin: '00000096385074', atSec: 1.2 }]);
});

t.test('rejections carry their reason; a PLU, which has no GTIN, is one of them', async (t) => {
  const stage = createScanStage();
  t.match(stage.push(bytes('5901234123458\r94011\r'), 1), [
    { kind: 'rejected', code: '5901234123458', reason: /check digit/ },
    { kind: 'rejected', code: '94011', reason: 'PLU 4011 (organic) has no GTIN in the catalog' },
  ]);
});

t.test('store codes pass through as such', async (t) => {
  const stage = createScanStage({ config: { ...defaultBarcodeConfig, storeCodes: [{ purpose: 'pairing', prefix: 'PAIR-' }] } });
  t.match(stage.push(bytes(']Q1PAIR-42\n'), 1), [{ kind: 'store-code', purpose: 'pairing', code: 'PAIR-42' }]);
});

t.test('a config that cannot work stops the stage from being built', async (t) => {
  t.throws(() => createScanStage({ config: { ...defaultBarcodeConfig, currency: 'euro' } }), /currency/);
});

t.test('frames the driver has cut go through the same repeat check and decoder', async (t) => {
  const stage = createScanStage();
  t.match(stage.frame({ atSec: 4, symbology: ']E4', data: '96385074' }), [{ kind: 'product-scan', gtin: '00000096385074', symbology: ']E4' }]);
  t.same(stage.frame({ atSec: 4.5, symbology: ']E4', data: '96385074' }), []);
});

/** `count` distinct EAN-13 lines whose check digit is wrong: each a rejection, if it were decoded. */
const badCodes = (from: number, count: number) => Array.from({ length: count }, (_, k) => {
  const digits = String(400000000000 + from + k);
  return `]E0${digits}${(gs1CheckDigit(digits) + 1) % 10}\r\n`;
}).join('');

t.test('reads over the bound are counted and never decoded, for as long as the flood lasts', async (t) => {
  const sink = memorySink('info');
  const stage = createScanStage({ log: createLogger(sink, 'cart') });
  const out = stage.push(bytes(badCodes(0, 5)), 10);
  t.equal(out.length, 5, 'the burst is decoded');
  t.ok(out.every((s) => s.kind === 'rejected'));
  // Then 10 reads a second for 3 s: a token bucket alone would decode every other one.
  for (let i = 1; i <= 30; i++) t.same(stage.push(bytes(badCodes(1000 * i, 10)), 10 + i / 10), [], `read at ${10 + i / 10} s: nothing decoded`);
  t.same(stage.idle(14.1), []);
  t.match(sink.lines.at(-1), /WARN  barcode scanner flood over dropped=300 forSec=2.9/);
});

t.test('each flood gives one line when it starts and one with its count when it is over', async (t) => {
  const sink = memorySink('info');
  const stage = createScanStage({ log: createLogger(sink, 'cart') });
  for (const startSec of [10, 20]) {
    for (let i = 0; i < 50; i++) stage.push(bytes(badCodes(100 * i, 100)), startSec + i / 50);
    for (let s = 0; s <= 50; s++) stage.idle(startSec + 1 + s / 25);
  }
  const flood = sink.lines.filter((l) => /scanner flood/.test(l));
  t.equal(flood.length, 4);
  t.match(flood, [
    /WARN  barcode scanner flood: more than 5 reads a second; the rest are dropped unread until it stops, and the shopper scans again atSec=10\b/,
    /WARN  barcode scanner flood over dropped=4995 forSec=0.98\b/,
    /scanner flood: more than 5 reads .* atSec=20\b/,
    /scanner flood over dropped=4995 /,
  ]);
  t.equal(sink.lines.length, flood.length, 'no other line: rejections are the cart\'s to log');
});
