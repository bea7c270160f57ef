// GS1 element strings (GS1-128, DataBar, GS1 DataMatrix, GS1 QR): AIs with
// their fixed and variable lengths and the GS separator.
import t from 'tap';
import { defaultBarcodeConfig } from '../../firmware/barcode/index.js';
import { decode } from './helpers.js';

const GS = '\x1d';

t.test('each GS1 symbology identifier reads an element string', async (t) => {
  for (const aim of [']C1', ']e0', ']d2', ']Q3']) {
    t.match(decode('0109506000134352', aim), { kind: 'product-scan', gtin: '09506000134352', source: 'gs1', symbology: aim }, aim);
  }
});

t.test('fixed-length AIs need no separator, variable-length ones end at GS or the end', async (t) => {
  // GenSpecs-style example: GTIN, expiry, batch (variable) then serial (variable, last).
  const r = decode(`0109506000134352172607081012A/B-3${GS}21XYZ-0042`, ']C1');
  t.match(r, { kind: 'product-scan', gtin: '09506000134352', expiry: '2026-07-08', batch: '12A/B-3', serial: 'XYZ-0042' });
  if (r.kind === 'product-scan') {
    t.same(r.elements, [
      { ai: '01', value: '09506000134352' },
      { ai: '17', value: '260708' },
      { ai: '10', value: '12A/B-3' },
      { ai: '21', value: 'XYZ-0042' },
    ]);
  }
});

t.test('expiry day 00 means the end of the month', async (t) => {
  t.match(decode('010950600013435217260200', ']d2'), { expiry: '2026-02-28' });
  t.match(decode('010950600013435217280200', ']d2'), { expiry: '2028-02-29' }, 'leap year');
  t.match(decode('010950600013435217261200', ']d2'), { expiry: '2026-12-31' });
});

t.test('impossible dates are rejected', async (t) => {
  t.match(decode('010950600013435217260230', ']C1'), { kind: 'rejected', reason: /\(17\) 260230 is not a date/ });
  t.match(decode('010950600013435217261301', ']C1'), { kind: 'rejected', reason: /not a date/ });
  t.match(decode('010950600013435215270229', ']C1'), { kind: 'rejected', reason: /\(15\)/ });
});

t.test('net weight (310n) in kg and (320n) in lb, n decimals, become grams', async (t) => {
  t.match(decode('0199506000134355' + '3103001250', ']C1'), { measure: { grams: 1250 } });
  t.match(decode('0199506000134355' + '3102000125', ']C1'), { measure: { grams: 1250 } });
  t.match(decode('0199506000134355' + '3100000002', ']C1'), { measure: { grams: 2000 } });
  const lb = decode('0199506000134355' + '3202000150', ']C1');
  t.equal(lb.kind === 'product-scan' ? lb.measure?.grams : undefined, 1.5 * 453.59237, '1.50 lb');
});

t.test('price (392n) and price with currency (393n) become cents', async (t) => {
  t.match(decode(`0199506000134355${'3922'}1299`, ']C1'), { measure: { priceCents: 1299 } });
  t.match(decode(`0199506000134355${'3921'}1299`, ']C1'), { measure: { priceCents: 12990 } });
  t.match(decode(`0199506000134355${'3920'}12`, ']C1'), { measure: { priceCents: 1200 } });
  t.match(decode(`01995060001343553103000450${'3932'}978599`, ']C1'), { measure: { grams: 450, priceCents: 599 } });
  t.match(decode(`0199506000134355${'3932'}826599`, ']C1'), { kind: 'rejected', reason: /currency 826/ });
  t.match(decode(`0199506000134355${'3923'}12995`, ']C1'), { kind: 'rejected', reason: /fractions of a cent/ });
  t.match(decode(`0199506000134355${'3923'}12990`, ']C1'), { measure: { priceCents: 1299 } });
  t.equal(defaultBarcodeConfig.currency, '978');
});

t.test('AIs the cart does not read are kept as they are', async (t) => {
  const r = decode(`0109506000134352${'7003'}2607081530${GS}${'8200'}http://example.com/x${GS}10B1`, ']d2');
  t.match(r, { kind: 'product-scan', batch: 'B1' });
  if (r.kind === 'product-scan') {
    t.same(r.elements?.map((e) => e.ai), ['01', '7003', '8200', '10']);
    t.equal(r.elements?.[2]?.value, 'http://example.com/x');
  }
});

t.test('every AI is held to its format in the GS1 table', async (t) => {
  const gtin = '0109506000134352';
  const accepted: [string, string][] = [
    ['7003', '2607081530'], // expiry date and time
    ['8001', '12345678901234'], // roll dimensions
    ['7007', '260708'], // harvest date
    ['7007', '260708260710'], // harvest date range
    ['253', '9506000134352'], // GDTI without serial
    ['253', '9506000134352ABC-1'],
    ['8010', 'CPID-42/A#'], // set 39
    ['8030', 'AbC-_9=='], // set 64
    ['4330', '012345'], ['4330', '012345-'], // temperature, optional minus
    ['7250', 'anything'], // assigned after the table: kept raw
  ];
  for (const [ai, value] of accepted) {
    const r = decode(`${gtin}${ai}${value}`, ']d2');
    t.match(r, { kind: 'product-scan' }, `(${ai}) ${value}`);
    if (r.kind === 'product-scan') t.same(r.elements?.[1], { ai, value }, `(${ai}) kept`);
  }
  const rejected: [string, string, RegExp][] = [
    ['7003', '260708153', /\(7003\) must have 10 characters, it has 9/],
    ['7003', '26070815301234567890', /\(7003\) must have 10 characters, it has 20/],
    ['7003', '2613081530', /\(7003\) 261308 is not a date/],
    ['7003', '2607001530', /\(7003\) 260700 is not a date/], // day 00 only where the AI allows it
    ['8001', '1234567890123', /\(8001\) must have 14 characters, it has 13/],
    ['7007', '260708260', /\(7007\) must have 6 or 12 characters, it has 9/],
    ['253', '9506000134353', /\(253\) 9506000134353 has a wrong check digit/],
    ['253', '950600013435', /\(253\) must have 13 to 30 characters, it has 12/],
    ['8010', 'cpid', /\(8010\) has a character outside GS1 character set 39/],
    ['8030', 'a+b', /character set 64/],
    ['421', '123AB 1', /\(421\) characters 4-7 must be GS1 character set 82/],
    ['422', 'ABC', /\(422\) must be digits/],
    ['8006', '095060001343531234', /\(8006\) 09506000134353 has a wrong check digit/],
    ['235', 'X'.repeat(29), /\(235\) must have 1 to 28 characters, it has 29/],
  ];
  for (const [ai, value, reason] of rejected) {
    t.match(decode(`${gtin}${ai}${value}`, ']d2'), { kind: 'rejected', reason }, `(${ai}) ${value}`);
  }
});

t.test('the separators scanners add are tolerated where harmless', async (t) => {
  t.match(decode(`${GS}0109506000134352`), { kind: 'product-scan', source: 'gs1' }, 'leading FNC1 sent as GS, no AIM');
  t.match(decode(`0109506000134352${GS}10ABC${GS}`, ']C1'), { kind: 'product-scan', batch: 'ABC' }, 'trailing GS');
  t.match(decode(`0109506000134352${GS}17260708`, ']C1'), { kind: 'product-scan', expiry: '2026-07-08' }, 'GS after a fixed-length value');
  t.match(decode('010950600013435210ABC'), { kind: 'product-scan', batch: 'ABC' }, 'no AIM, begins with (01)');
});

t.test('malformed element strings are rejected with the reason', async (t) => {
  const cases: [string, RegExp][] = [
    ['0109506000134353', /\(01\) 09506000134353 has a wrong check digit/],
    ['01095060001343', /\(01\) needs 14 characters/],
    [`010950600013435210${'X'.repeat(21)}`, /\(10\) must have 1 to 20 characters, it has 21/],
    [`0109506000134352${GS}${GS}10ABC`, /empty element/],
    [`0109506000134352${GS}10${GS}21A`, /\(10\) must have 1 to 20/],
    ['0109506000134352' + '10AB CD', /character set 82/],
    ['0109506000134352' + '5512', /no Application Identifier begins with "55"/],
    ['0109506000134352' + '0109506000134352', /\(01\) appears twice/],
    ['0109506000134352' + '3103001250' + '3202000150', /two net weights/],
    ['0109506000134352' + '392212' + GS + '3932978599', /two prices/],
    ['10ABC', /no GTIN \(01\)/],
    ['0209506000134352' + '3705', /contents of a case/],
    ['0109506000134352' + '17260708' + '31', /cut short/],
    ['0109506000134352' + '3103' + '00125', /\(3103\) needs 6 characters/],
    ['0109506000134352' + '30' + '12a', /\(30\) must be digits/],
    ['', /no data/],
    [GS, /no element/],
  ];
  for (const [data, reason] of cases) {
    const r = decode(data, ']C1');
    t.match(r, { kind: 'rejected', reason }, JSON.stringify(data));
  }
});
