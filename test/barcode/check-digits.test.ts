// Check digits against the worked examples of GS1 General Specifications 7.9.
import t from 'tap';
import { gs1CheckDigit, hasValidGs1CheckDigit, priceCheckDigit } from '../../firmware/barcode/check-digits.js';

t.test('the GS1 mod-10 check digit matches published codes', async (t) => {
  t.equal(gs1CheckDigit('629104150021'), 3, 'GenSpecs 7.9.1 example GTIN-13 629104150021-3');
  t.equal(gs1CheckDigit('0950600013435'), 2, 'GS1 Digital Link example GTIN 09506000134352');
  t.equal(gs1CheckDigit('03600029145'), 2, 'UPC-A 036000291452');
  t.equal(gs1CheckDigit('9638507'), 4, 'EAN-8 96385074');
});

t.test('a code validates only with its own check digit', async (t) => {
  t.ok(hasValidGs1CheckDigit('4006381333931'));
  for (let d = 0; d <= 9; d++) {
    if (d !== 1) t.notOk(hasValidGs1CheckDigit(`400638133393${d}`), `check digit ${d} is wrong`);
  }
});

t.test('price verifier digits match the GenSpecs 7.9.3 examples', async (t) => {
  t.equal(priceCheckDigit('2875'), 9, 'four-digit price 2875');
  t.equal(priceCheckDigit('14685'), 6, 'five-digit price 14685');
});

t.test('a verifier covers four or five digits only', async (t) => {
  t.throws(() => priceCheckDigit('123'), RangeError);
  t.throws(() => priceCheckDigit('123456'), RangeError);
});
