// Reading a trace a chunk of the file at a time must give the lines a reader
// taking them one by one gives, wherever a chunk happens to end.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { writeShortTrip } from './short-trip.js';
import { parseHeader, parseLine, readTrace, readTraceBatches } from './trace.js';

const dir = mkdtempSync(join(tmpdir(), 'cart-trace-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

t.test('a trace of many chunks, with CR LF line ends, a blank line and no final line end, reads as its lines', async (t) => {
  const lines = readFileSync(writeShortTrip(dir, 'typical', 3, 60), 'utf8').trim().split('\n');
  t.ok(lines.join('\n').length > 3 * 65536, 'longer than three reads of the file');
  const path = join(dir, 'crlf.jsonl');
  writeFileSync(path, [...lines.slice(0, 100), '', ...lines.slice(100)].join('\r\n'));
  const expected = [parseHeader(lines[0]!), ...lines.slice(1).map((l, i) => parseLine(l, i + 2 < 101 ? i + 2 : i + 3))];
  t.same([...readTrace(path)], expected);
  const batches = [...readTraceBatches(path)];
  t.ok(batches.length > 3, 'a batch a read');
  t.same(batches.flat(), expected);
});

t.test('a character of two bytes split between two reads of the file reads whole', async (t) => {
  const header = readFileSync(writeShortTrip(dir, 'typical', 3, 1), 'utf8').split('\n')[0]!;
  const sample = '{"t":1,"kind":"adc","raw":[1,2,3,4]}';
  // The serial line's "é" (C3 A9 in UTF-8) starts on the last byte of the first read (65,536 bytes).
  const before = `${header}\n${sample}\n`;
  const pad = 65535 - Buffer.byteLength(before) - '{"t":2,"kind":"serial","data":"'.length;
  t.ok(pad > 0, 'the header is shorter than a read');
  const serial = `{"t":2,"kind":"serial","data":"${'x'.repeat(pad)}é"}`;
  const path = join(dir, 'split.jsonl');
  writeFileSync(path, `${before}${serial}\n${sample.replace('"t":1', '"t":3')}\n`);
  t.equal(readFileSync(path).indexOf(0xc3, Buffer.byteLength(before)), 65535, 'the first byte of "é" ends the first read');
  const lines = [...readTrace(path)];
  t.same(lines[2], { kind: 'serial', t: 2, data: `${'x'.repeat(pad)}é` });
  t.equal(lines.length, 4);
});

t.test('a trace that cannot be read says where', async (t) => {
  const header = readFileSync(writeShortTrip(dir, 'typical', 3, 1), 'utf8').split('\n')[0]!;
  const cases: [string, RegExp][] = [
    ['', /is empty/],
    [`${header}\n{"t":2,"kind":"adc","raw":[1,2,3,4]}\n{"t":1,"kind":"adc","raw":[1,2,3,4]}\n`, /^line 3: time goes back from 2 to 1$/],
    [`${header}\n{"t":2,"kind":"adc","raw":[1,2,3,4]}\n{"t":3,"kind":"adc","raw":[1,2,`, /^line 3 is not JSON$/],
    ['{"kind":"adc"}\n', /^line 1 is not a cart-trace header$/],
  ];
  for (const [text, said] of cases) {
    const path = join(dir, 'bad.jsonl');
    writeFileSync(path, text);
    t.throws(() => [...readTrace(path)], { message: said });
  }
});
