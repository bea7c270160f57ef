// The barcode stage: bytes in, one scan per code the shopper meant.
import t from 'tap';
import { createScanStage, defaultBarcodeConfig } from '../../firmware/barcode/index.js';
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
