// Produce PLUs and the store's own codes (coupons, cards, cart pairing):
// recognised as what they are, not looked up as products.
import t from 'tap';
import { checkBarcodeConfig, defaultBarcodeConfig, type BarcodeConfig } from '../../firmware/barcode/index.js';
import { decode, withCheck, wrongCheckDigits } from './helpers.js';

t.test('4-digit PLUs and 5-digit organic PLUs', async (t) => {
  t.match(decode('4011'), { kind: 'plu-scan', plu: '4011', organic: false });
  t.match(decode('94011', ']C0'), { kind: 'plu-scan', plu: '4011', organic: true, code: '94011' });
  t.match(decode('3000'), { kind: 'plu-scan', plu: '3000' });
  t.match(decode('4999'), { kind: 'plu-scan', plu: '4999' });
});

t.test('codes outside the PLU ranges are rejected with the reason', async (t) => {
  t.match(decode('2999'), { kind: 'rejected', reason: /outside the PLU range/ });
  t.match(decode('5000'), { kind: 'rejected', reason: /outside the PLU range/ });
  t.match(decode('84011'), { kind: 'rejected', reason: /begins with 9/ });
  t.match(decode('95000'), { kind: 'rejected', reason: /outside the PLU range/ });
});

t.test('GS1 coupon numbers are store codes by default', async (t) => {
  const coupon = withCheck('991234567890');
  t.match(decode(coupon, ']E0'), { kind: 'store-code', purpose: 'coupon', code: coupon });
  t.match(decode(withCheck('981234567890')), { kind: 'store-code', purpose: 'coupon' });
  for (const wrong of wrongCheckDigits(coupon)) t.match(decode(wrong, ']E0'), { kind: 'rejected', reason: /coupon code has a wrong check digit/ });
  t.match(decode('4006381333931'), { kind: 'product-scan' }, 'an ordinary product is not a coupon');
});

t.test('the store names its own codes by prefix, first rule wins', async (t) => {
  const config: BarcodeConfig = {
    ...defaultBarcodeConfig,
    storeCodes: [
      { purpose: 'pairing', prefix: 'CART-PAIR:' },
      { purpose: 'staff', prefix: 'STAFF', length: 10 },
      { purpose: 'loyalty', prefix: '2999', length: 13, gs1CheckDigit: true },
      ...defaultBarcodeConfig.storeCodes,
    ],
  };
  t.match(decode('CART-PAIR:7f3a9c', ']Q1', config), { kind: 'store-code', purpose: 'pairing', code: 'CART-PAIR:7f3a9c' });
  t.match(decode('STAFF00042', ']C0', config), { kind: 'store-code', purpose: 'staff' });
  t.match(decode('STAFF000421', ']C0', config), { kind: 'rejected' }, 'wrong length: not a staff card, and no product either');
  t.match(decode(withCheck('299912345678'), null, config), { kind: 'store-code', purpose: 'loyalty' });
});

t.test('a store-code rule that cannot work is refused at start-up', async (t) => {
  const err = t.throws(() =>
    checkBarcodeConfig({
      ...defaultBarcodeConfig,
      storeCodes: [
        { purpose: 'gift' as 'coupon', prefix: 'G' },
        { purpose: 'staff', prefix: '' },
        { purpose: 'staff', prefix: 'ABC', length: 2 },
      ],
      currency: 'EUR',
    }),
  ) as { problems?: string[] };
  t.same(err.problems, [
    'storeCodes[0].purpose must be one of coupon, loyalty, staff, pairing',
    'storeCodes[1].prefix must be a non-empty string',
    'storeCodes[2].length must be a whole number longer than the prefix',
    'currency must be an ISO 4217 numeric code like "978"',
  ]);
});
