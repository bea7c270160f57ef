// Variable-measure codes (prefixes 02, 20-29): the store's layout says where
// the item, the price or weight and its verifier digit sit.
import t from 'tap';
import { priceCheckDigit } from '../../firmware/barcode/check-digits.js';
import { checkBarcodeConfig, defaultBarcodeConfig, variableMeasurePresets, type BarcodeConfig, type VariableMeasureLayout } from '../../firmware/barcode/index.js';
import { decode, withCheck } from './helpers.js';

const withLayouts = (variableMeasure: VariableMeasureLayout[]): BarcodeConfig => ({ ...defaultBarcodeConfig, variableMeasure });

t.test('German in-store codes published by a scan-and-go vendor read as their price and weight', async (t) => {
  const de = withLayouts(variableMeasurePresets.DE);
  t.match(decode('2623237002494', null, de), { kind: 'product-scan', source: 'variable-measure', gtin: '02623230000008', measure: { priceCents: 249 } });
  t.match(decode('2423230001544', ']E0', de), { kind: 'product-scan', source: 'variable-measure', gtin: '02423230000004', measure: { grams: 154 } });
  t.match(decode('2523232000061', null, de), { kind: 'product-scan', source: 'ean-13', gtin: '02523232000061' }, '25 (pieces) is no DE preset: kept as a plain in-store GTIN');
});

t.test('every preset: the value and the lookup GTIN come out, the verifier is checked', async (t) => {
  // Codes built from each layout: item 1s, a value, the verifier (7.9.3) where the layout has one.
  const build = (pattern: string, value: string): string => {
    let digits = '';
    let m = 0;
    for (const c of pattern.slice(0, 12)) {
      if (c === 'I') digits += '1';
      else if (c === 'M') digits += value[m++];
      else if (c === 'V') digits += 'V';
      else digits += c;
    }
    digits = digits.replace('V', String(priceCheckDigit(value)));
    return withCheck(digits);
  };
  for (const [preset, layouts] of Object.entries(variableMeasurePresets)) {
    const config = withLayouts(layouts);
    for (const layout of layouts) {
      const mLength = layout.pattern.split('M').length - 1;
      const value = '00042'.slice(-mLength).replace(/^0/, '1');
      const ean13 = build(layout.pattern, value);
      const data = ean13.startsWith('0') ? ean13.slice(1) : ean13; // UPC-A as a US scanner sends it
      const r = decode(data, null, config);
      t.match(r, { kind: 'product-scan', source: 'variable-measure', measure: { [layout.measure]: Number(value) * layout.step } }, `${preset} ${layout.name}: ${data}`);
      if (r.kind !== 'product-scan') continue;
      const zeroed = layout.pattern.slice(0, 12).split('').map((c, i) => (c === 'M' || c === 'V' ? '0' : ean13[i])).join('');
      t.equal(r.gtin, '0' + withCheck(zeroed), `${layout.name}: looked up with the value zeroed`);
      if (layout.pattern.includes('V')) {
        const v = layout.pattern.indexOf('V');
        const badV = ean13.slice(0, v) + String((Number(ean13[v]) + 1) % 10) + ean13.slice(v + 1, 12);
        const wrong = withCheck(badV);
        t.match(decode(wrong, null, config), { kind: 'rejected', reason: /verifier digit/ }, `${layout.name}: wrong verifier ${wrong}`);
      }
    }
  }
});

t.test('the GTIN check digit is checked before the layout', async (t) => {
  const de = withLayouts(variableMeasurePresets.DE);
  t.match(decode('2623237002495', null, de), { kind: 'rejected', reason: /check digit/ });
});

t.test('with no layout configured a 2x code is a plain in-store GTIN', async (t) => {
  t.match(decode('2623237002494'), { kind: 'product-scan', source: 'ean-13', gtin: '02623237002494' });
  t.same(defaultBarcodeConfig.variableMeasure, []);
});

t.test('the first matching layout decides', async (t) => {
  const config = withLayouts([...variableMeasurePresets.SE, ...variableMeasurePresets.DE]);
  const r = decode('2423230001544', null, config);
  t.match(r, { source: 'variable-measure', measure: { grams: 1540 } }, 'SE 24 (10 g steps) before DE 24');
});

t.test('a layout that cannot work is refused at start-up, every problem at once', async (t) => {
  const bad: VariableMeasureLayout[] = [
    { name: 'short', pattern: '2IIIMMMMC', measure: 'grams', step: 1 },
    { name: 'split value', pattern: '21IIMMIIMMMMC', measure: 'priceCents', step: 1 },
    { name: 'verifier over 3', pattern: '21IIIIIIVMMMC', measure: 'priceCents', step: 1 },
    { name: 'no prefix', pattern: 'IIIIIIVMMMMMC', measure: 'grams', step: 0 },
  ];
  const err = t.throws(() => checkBarcodeConfig(withLayouts(bad))) as { problems?: string[] };
  t.equal(err.problems?.length, 6);
  t.match(err.problems?.join('\n'), /short: pattern must be 13[\s\S]*split value: M must be one run[\s\S]*verifier over 3: a verifier digit V covers 4 or 5[\s\S]*no prefix: pattern must begin[\s\S]*no prefix: step/);
  for (const layouts of Object.values(variableMeasurePresets)) t.doesNotThrow(() => checkBarcodeConfig(withLayouts(layouts)));
});
