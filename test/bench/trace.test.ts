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

async function all<T>(lines: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

t.test('a trace of many chunks, with CR LF line ends, a blank line and no final line end, reads as its lines', async (t) => {
  const lines = readFileSync(writeShortTrip(dir, 'typical', 3, 60), 'utf8').trim().split('\n');
  t.ok(lines.join('\n').length > 3 * 65536, 'longer than three reads of the file');
  const path = join(dir, 'crlf.jsonl');
  writeFileSync(path, [...lines.slice(0, 100), '', ...lines.slice(100)].join('\r\n'));
  const expected = [parseHeader(lines[0]!), ...lines.slice(1).map((l, i) => parseLine(l, i + 2 < 101 ? i + 2 : i + 3))];
  t.same(await all(readTrace(path)), expected);
  const batches = await all(readTraceBatches(path));
  t.ok(batches.length > 3, 'a batch a read');
  t.same(batches.flat(), expected);
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
    await t.rejects(all(readTrace(path)), { message: said });
  }
});
