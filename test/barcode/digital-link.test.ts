// GS1 Digital Link URIs in QR codes: /01/<GTIN> and its qualifiers in the
// path, further AIs as numeric query parameters.
import t from 'tap';
import { decode } from './helpers.js';

t.test('a Digital Link names the product, with batch, serial and expiry', async (t) => {
  const r = decode('https://id.gs1.org/01/09506000134352/10/ABC%2F1/21/12345?17=261231&linkType=gs1:pip', ']Q1');
  t.match(r, { kind: 'product-scan', source: 'digital-link', gtin: '09506000134352', batch: 'ABC/1', serial: '12345', expiry: '2026-12-31' });
});

t.test('any host, a path before /01/, and shorter GTINs padded to 14', async (t) => {
  t.match(decode('https://brand.example.com/products/en/01/9506000134352'), { gtin: '09506000134352' });
  t.match(decode('HTTP://example.com/01/96385074?3103=000450'), { gtin: '00000096385074', measure: { grams: 450 } });
  t.match(decode('https://example.com/01/09506000134352?linkType=all&10=A%2FB#top'), { gtin: '09506000134352', batch: 'A/B' }, 'fragment ignored');
});

t.test('a third-party serial (235) may follow the GTIN, alone', async (t) => {
  const r = decode('https://id.gs1.org/01/09506000134352/235/TPX-0042?17=261231', ']Q1');
  t.match(r, { kind: 'product-scan', gtin: '09506000134352', expiry: '2026-12-31' });
  if (r.kind === 'product-scan') t.same(r.elements?.[1], { ai: '235', value: 'TPX-0042' });
  t.match(decode('https://id.gs1.org/01/09506000134352/21/1/235/X', ']Q1'), { kind: 'rejected', reason: /unexpected path segment "235"/ });
  t.match(decode('https://id.gs1.org/01/09506000134352/235/X/21/1', ']Q1'), { kind: 'rejected', reason: /unexpected path segment "21"/ });
});

t.test('a wrong Digital Link is rejected with the reason', async (t) => {
  const cases: [string, RegExp][] = [
    ['https://id.gs1.org/01/09506000134353', /wrong check digit/],
    ['https://id.gs1.org/01/0950600013435', /13 digits|check digit/],
    ['https://id.gs1.org/01/095060001343', /12 digits|check digit/],
    ['https://id.gs1.org/01/9506000134', /10 digits/],
    ['https://example.com/shop/item/42', /no \/01\/<GTIN>/],
    ['https://id.gs1.org/01/09506000134352/21/1/10/B', /unexpected path segment "10"/],
    ['https://id.gs1.org/01/09506000134352/99/x', /unexpected path segment "99"/],
    ['https://id.gs1.org/01/09506000134352/10', /unexpected path segment "10"/],
    ['https://id.gs1.org/01/09506000134352/10/%E0%A4%A', /percent-encoding/],
    ['https://id.gs1.org/01/09506000134352?17=261340', /not a date/],
    ['https://id.gs1.org/01/09506000134352?555=1', /not an Application Identifier/],
    ['https://id.gs1.org/01/09506000134352?01=09506000134352', /appears twice/],
    ['https://', /no host and path/],
    ['https:///01/09506000134352', /no host and path/],
    ['https://id.gs1.org/01/09506000134352?10=AB%ZZ', /\(10\) is not valid percent-encoding/],
  ];
  for (const [url, reason] of cases) t.match(decode(url, ']Q1'), { kind: 'rejected', reason }, url);
});
