// EAN-13, UPC-A, EAN-8 and UPC-E: verified and normalised to the 14-digit GTIN.
import t from 'tap';
import { expandUpcE } from '../../firmware/barcode/gtin.js';
import { decode, withCheck, wrongCheckDigits } from './helpers.js';

t.test('valid codes become 14-digit GTINs, with or without an AIM identifier', async (t) => {
  const cases: [string, string | null, string, string][] = [
    ['4006381333931', null, '04006381333931', 'ean-13'],
    ['4006381333931', ']E0', '04006381333931', 'ean-13'],
    ['036000291452', null, '00036000291452', 'upc-a'],
    ['0036000291452', ']E0', '00036000291452', 'upc-a'],
    ['036000291452', ']E0', '00036000291452', 'upc-a'],
    ['96385074', null, '00000096385074', 'ean-8'],
    ['96385074', ']E4', '00000096385074', 'ean-8'],
    ['09506000134352', null, '09506000134352', 'gtin-14'],
    ['19506000134359', ']I1', '19506000134359', 'gtin-14'],
  ];
  for (const [data, symbology, gtin, source] of cases) {
    const r = decode(data, symbology);
    t.match(r, { kind: 'product-scan', gtin, source, code: data, symbology }, `${symbology ?? ''}${data}`);
  }
});

t.test('a wrong check digit is rejected with the reason, never repaired', async (t) => {
  for (const code of ['4006381333931', '036000291452', '96385074', '09506000134352']) {
    for (const wrong of wrongCheckDigits(code)) {
      const r = decode(wrong);
      t.equal(r.kind, 'rejected', wrong);
      if (r.kind === 'rejected') t.match(r.reason, /check digit/, `${wrong}: ${r.reason}`);
    }
  }
});

t.test('UPC-E expands to UPC-A by the last digit (GenSpecs zero suppression)', async (t) => {
  // Expected bodies worked out by hand from the four rules.
  const cases: [string, string][] = [
    ['0654321', '06510000432'], // last 0-2: XX d6 0000 XXX
    ['0425261', '04210000526'],
    ['0123453', '01230000045'], // last 3: XXX 00000 XX
    ['0123464', '01234000006'], // last 4: XXXX 00000 X
    ['0123457', '01234500007'], // last 5-9: XXXXX 0000 d6
    ['1987659', '19876500009'],
  ];
  for (const [upcE7, body] of cases) {
    const upcA = withCheck(body);
    const upcE = upcE7 + upcA.slice(-1);
    t.equal(expandUpcE(upcE), upcA, `${upcE} -> ${upcA}`);
    t.match(decode(upcE, ']E0'), { kind: 'product-scan', gtin: upcA.padStart(14, '0'), source: 'upc-e' });
  }
  t.equal(expandUpcE('06543217'), '065100004327', 'the textbook example');
});

t.test('UPC-E with a wrong check digit or number system 2-9 is rejected', async (t) => {
  for (const wrong of wrongCheckDigits('06543217')) t.match(decode(wrong, ']E0'), { kind: 'rejected', reason: /check digit/ });
  t.match(decode('26543217', ']E0'), { kind: 'rejected', reason: /number system/ });
});

t.test('without an AIM identifier 8 digits are EAN-8, so a UPC-E there is checked as EAN-8', async (t) => {
  // 06543217 is a valid UPC-E; as EAN-8 its check digit would be 6.
  t.match(decode('06543217'), { kind: 'rejected', reason: /ean-8 check digit/ });
});

t.test('an EAN with add-on reads the main symbol', async (t) => {
  t.match(decode('978030640615712', ']E3'), { kind: 'product-scan', gtin: '09780306406157' });
  t.match(decode('978030640615751234', ']E3'), { kind: 'product-scan', gtin: '09780306406157' });
  t.match(decode('12', ']E1'), { kind: 'rejected', reason: /add-on alone/ });
  t.match(decode('9780306406157123', ']E3'), { kind: 'rejected' });
});

t.test('wrong lengths and non-digits are rejected with the reason', async (t) => {
  t.match(decode('590123412345', ']E4'), { kind: 'rejected', reason: /8 digits/ });
  t.match(decode('59012341234', ']E0'), { kind: 'rejected', reason: /13 digits/ });
  t.match(decode('59O1234123457', ']E0'), { kind: 'rejected', reason: /digits/ });
  t.match(decode('5901234123'), { kind: 'rejected', reason: /10 digits/ });
  t.match(decode('00000000'), { kind: 'rejected', reason: /all zeros/ });
  t.match(decode('', ']E0'), { kind: 'rejected', reason: /no data/ });
  t.match(decode('hello'), { kind: 'rejected', reason: /not a product code/ });
});
