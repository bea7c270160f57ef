// Random and mutated byte streams through the framer and the decoder: no
// exception escapes, a corrupted code never reads as a valid one, and memory
// stays bounded.
import t from 'tap';
import fc from 'fast-check';
import { ScanFramer, defaultFramerOptions } from '../../drivers/scanner/framer.js';
import { decodeBarcode, defaultBarcodeConfig, variableMeasurePresets, type BarcodeConfig, type DecodeResult } from '../../firmware/barcode/index.js';
import { priceCheckDigit } from '../../firmware/barcode/check-digits.js';
import { decode, withCheck } from './helpers.js';

const runs = { numRuns: Number(process.env.FUZZ_RUNS ?? 400) };

const digits = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((a) => a.join(''));
/** A valid GTIN of 8, 12, 13 or 14 digits (not all zeros). */
const validGtin = fc.constantFrom(7, 11, 12, 13).chain((n) => digits(n, n).map((body) => withCheck(body))).filter((c) => !/^0+$/.test(c));

/** Chops bytes into reads of random sizes, as a USB-serial adapter delivers them. */
function chopped(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const to of [...at, bytes.length]) {
    out.push(bytes.subarray(from, to));
    from = to;
  }
  return out;
}

function frameAll(reads: Buffer[], maxLength = 128): DecodeResult[] {
  const framer = new ScanFramer({ maxLength, flushGapSec: 0.3 });
  const results: DecodeResult[] = [];
  let at = 0;
  for (const read of reads) {
    at += 0.01;
    for (const f of framer.push(read, at)) {
      if (f.data.length + (f.symbology?.length ?? 0) > maxLength || !/^[\x20-\x7e\x1d]*$/.test(f.data)) {
        throw new Error(`frame is not printable ASCII and GS within maxLength: ${JSON.stringify(f)}`);
      }
      results.push(decodeBarcode(f, defaultBarcodeConfig));
    }
  }
  for (const f of framer.flush(at + 1)) results.push(decodeBarcode(f, defaultBarcodeConfig));
  return results;
}

t.test('any bytes in any reads: no exception, every result well formed', async (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat(), { maxLength: 20 }), (bytes, cuts) => {
      for (const r of frameAll(chopped(Buffer.from(bytes), cuts), 64)) {
        if (r.kind === 'product-scan' && !/^[0-9]{14}$/.test(r.gtin)) return false;
        if (r.kind === 'rejected' && r.reason.length === 0) return false;
      }
      return true;
    }),
    { numRuns: 300 },
  );
});

t.test('printable garbage shaped like barcodes: the decoder never throws', async (t) => {
  const alphabet = fc.constantFrom(...'0123456789]ECedQ1034(/)?=:&%\x1dhtps.'.split(''));
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 60 }), fc.option(fc.constantFrom(']E0', ']E4', ']E3', ']C1', ']e0', ']d2', ']Q3', ']Q1', ']I1')), (chars, aim) => {
      const r = decodeBarcode({ atSec: 1, symbology: aim, data: chars.join('') }, defaultBarcodeConfig);
      return ['product-scan', 'store-code', 'plu-scan', 'rejected'].includes(r.kind);
    }),
    { numRuns: 2000 },
  );
});

t.test('one digit changed in a valid GTIN, check digit included: always rejected', async (t) => {
  fc.assert(
    fc.property(validGtin, fc.nat(), fc.integer({ min: 1, max: 9 }), fc.boolean(), (code, where, delta, aim) => {
      const i = where % code.length;
      const bad = code.slice(0, i) + String((Number(code[i]) + delta) % 10) + code.slice(i + 1);
      const symbology = aim && code.length === 13 ? ']E0' : aim && code.length === 8 ? ']E4' : null;
      return decode(bad, symbology).kind === 'rejected';
    }),
    runs,
  );
});

t.test('one digit changed inside a GS1 element string: never another GTIN', async (t) => {
  fc.assert(
    fc.property(validGtin, digits(6, 6), fc.nat(), fc.integer({ min: 1, max: 9 }), (code, yymmdd, where, delta) => {
      const original = '01' + code.padStart(14, '0') + '17' + yymmdd;
      const i = where % original.length;
      const bad = original.slice(0, i) + String((Number(original[i]) + delta) % 10) + original.slice(i + 1);
      const r = decode(bad, ']C1');
      return r.kind !== 'product-scan' || r.gtin === code.padStart(14, '0');
    }),
    runs,
  );
});

t.test('a variable-measure price changed and the GTIN check digit made to fit: the verifier still refuses it', async (t) => {
  // Each preset on its own: GB and DE both claim prefix 28.
  const withVerifier = Object.values(variableMeasurePresets).flatMap((layouts) => layouts.filter((l) => l.pattern.includes('V')).map((layout) => ({ layout, layouts })));
  fc.assert(
    fc.property(fc.constantFrom(...withVerifier), digits(6, 6), digits(5, 5), fc.nat(), fc.integer({ min: 1, max: 9 }), ({ layout, layouts }, item, value, where, delta) => {
      const config: BarcodeConfig = { ...defaultBarcodeConfig, variableMeasure: layouts };
      const m = layout.pattern.split('M').length - 1;
      const field = value.slice(0, m);
      const build = (f: string) => {
        let s = '';
        let k = 0;
        let ii = 0;
        for (const c of layout.pattern.slice(0, 12)) s += c === 'I' ? item[ii++ % 6] : c === 'M' ? f[k++] : c === 'V' ? String(priceCheckDigit(field)) : c;
        return withCheck(s);
      };
      const good = build(field);
      const j = where % m;
      const changed = field.slice(0, j) + String((Number(field[j]) + delta) % 10) + field.slice(j + 1);
      const bad = build(changed); // verifier of the old price, outer check digit recomputed
      return decode(good, null, config).kind === 'product-scan' && decode(bad, null, config).kind === 'rejected';
    }),
    runs,
  );
});

t.test('valid framed codes, each with at most one byte corrupted, reads chopped: nothing but the original codes comes out', async (t) => {
  const suffix = fc.constantFrom('\r', '\n', '\r\n');
  // A corrupted data byte, any value but CR or LF: a suffix appearing inside a code would cut it in two, which no check digit can see.
  const corruption = fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }).filter((b) => b !== 0x0d && b !== 0x0a)));
  fc.assert(
    fc.property(fc.array(fc.tuple(validGtin, suffix, corruption), { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (codes, cuts) => {
      const bytes = Buffer.concat(
        codes.map(([code, end, bad]) => {
          const b = Buffer.from(code, 'latin1');
          if (bad) b[bad[0] % b.length] = bad[1];
          return Buffer.concat([b, Buffer.from(end)]);
        }),
      );
      const originals = new Set(codes.map(([c]) => c.padStart(14, '0')));
      return frameAll(chopped(bytes, cuts)).every(
        (r) => r.kind === 'rejected' || (r.kind === 'product-scan' && originals.has(r.gtin)) || (r.kind === 'store-code' && originals.has(r.code.padStart(14, '0'))),
      );
    }),
    runs,
  );
});

t.test('memory stays bounded: 32 MB without a suffix keeps at most one line', async (t) => {
  const framer = new ScanFramer(defaultFramerOptions);
  const chunk = Buffer.alloc(64 * 1024, 0x37);
  const before = process.memoryUsage().heapUsed;
  let frames = 0;
  for (let i = 0; i < 512; i++) frames += framer.push(chunk, i * 0.001).length;
  const grownMb = (process.memoryUsage().heapUsed - before) / 1e6;
  t.equal(frames, 0);
  t.equal(framer.discardedBytes, 0, 'nothing is counted as dropped until the line ends');
  t.ok(grownMb < 16, `heap grew ${grownMb.toFixed(1)} MB for 32 MB fed`);
  t.same(framer.push(Buffer.from('\r96385074\r'), 1), [{ atSec: 1, symbology: null, data: '96385074' }], 'and it resynchronises');
  t.equal(framer.discardedBytes, 32 * 1024 * 1024);
});
