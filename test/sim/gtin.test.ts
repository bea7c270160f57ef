import t from 'tap';
import { corruptDigit, gs1CheckDigit, hasValidCheckDigit, randomGtin, symbolDigits, symbologyOf } from '../bench/sim/gtin.js';
import { Random } from '../bench/sim/random.js';

t.test('check digits follow GS1 mod 10', async (t) => {
  // Published examples: EAN-13 4006381333931, UPC-A 036000291452, EAN-8 96385074.
  t.equal(gs1CheckDigit('400638133393'), 1);
  t.equal(gs1CheckDigit('03600029145'), 2);
  t.equal(gs1CheckDigit('9638507'), 4);
  t.ok(hasValidCheckDigit('4006381333931'));
  t.notOk(hasValidCheckDigit('4006381333932'));
});

t.test('a random GTIN is 14 digits, valid, and printed as the symbol it was made for', async (t) => {
  const rng = new Random(5);
  for (const symbology of ['ean13', 'ean8', 'upca'] as const) {
    for (let i = 0; i < 200; i++) {
      const gtin = randomGtin(rng, symbology);
      t.match(gtin, /^[0-9]{14}$/);
      if (!hasValidCheckDigit(gtin)) t.fail(`${gtin} has a wrong check digit`);
      if (symbologyOf(gtin) !== symbology) t.fail(`${gtin} reads as ${symbologyOf(gtin)}, not ${symbology}`);
      const digits = symbolDigits(gtin);
      if (digits.padStart(14, '0') !== gtin || !hasValidCheckDigit(digits)) t.fail(`${gtin} prints as ${digits}`);
    }
  }
});

t.test('a misread label always fails its check digit', async (t) => {
  const rng = new Random(9);
  for (let i = 0; i < 500; i++) {
    const code = symbolDigits(randomGtin(rng, 'ean13'));
    const bad = corruptDigit(rng, code);
    t.equal(bad.length, code.length);
    if (hasValidCheckDigit(bad)) t.fail(`${code} misread as ${bad} still checks`);
  }
});
