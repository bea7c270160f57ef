// What a scan costs: the barcode decoder (and the whole stage from serial
// bytes) beside a naive baseline written the obvious way (string splitting,
// array-mapped check digits, a regular expression per AI). Time per scan and
// heap allocated per scan, medians of REPEATS runs, and their ratio.
//
//   npx tsx test/bench/barcode.bench.ts
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Frame } from '../../drivers/scanner/scanner.js';
import { gs1CheckDigit, priceCheckDigit } from '../../firmware/barcode/check-digits.js';
import { createScanStage, decodeBarcode, defaultBarcodeConfig, variableMeasurePresets, type BarcodeConfig } from '../../firmware/barcode/index.js';

const REPEATS = 7;
const SCANS_PER_RUN = 200_000;
/** Small enough that no young-generation collection falls inside a batch, so the heap delta is what the batch allocated. */
const ALLOC_BATCH = 500;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// --- the corpus: what a cart's scanner sends in a day, in rough proportion ---
const withCheck = (d: string) => d + String(gs1CheckDigit(d));
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const rand = rng(42);
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');

const frames: Frame[] = [];
for (let i = 0; i < 1000; i++) {
  const kind = rand();
  const at = i;
  if (kind < 0.45) frames.push({ atSec: at, symbology: rand() < 0.5 ? ']E0' : null, data: withCheck('5' + digits(11)) });
  else if (kind < 0.55) frames.push({ atSec: at, symbology: null, data: withCheck('0' + digits(10)) }); // UPC-A
  else if (kind < 0.62) frames.push({ atSec: at, symbology: ']E4', data: withCheck(digits(7)) });
  else if (kind < 0.75) frames.push({ atSec: at, symbology: ']e0', data: `01${withCheck('0' + digits(12))}17${'26'}${'0' + String(1 + Math.floor(rand() * 9))}15` });
  else if (kind < 0.8) frames.push({ atSec: at, symbology: ']C1', data: `01${withCheck('9' + digits(12))}3103${digits(6)}10L${digits(5)}\x1d21S${digits(6)}` });
  else if (kind < 0.85) {
    const price = digits(5);
    frames.push({ atSec: at, symbology: ']E0', data: withCheck(`26${digits(4)}${priceCheckDigit(price)}${price}`) });
  } else if (kind < 0.88) frames.push({ atSec: at, symbology: ']Q1', data: `https://id.gs1.org/01/${withCheck('0' + digits(12))}/10/ABC${digits(3)}?17=261231` });
  else if (kind < 0.95) {
    const good = withCheck('4' + digits(11));
    frames.push({ atSec: at, symbology: null, data: good.slice(0, 12) + String((Number(good[12]) + 3) % 10) }); // misread
  } else frames.push({ atSec: at, symbology: null, data: 'LOYALTY-' + digits(9) });
}
const config: BarcodeConfig = { ...defaultBarcodeConfig, variableMeasure: variableMeasurePresets.DE };
const serial = Buffer.from(frames.map((f) => `${f.symbology ?? ''}${f.data}\r\n`).join(''), 'latin1');

// --- the naive baseline ---
function naiveCheck(code: string): boolean {
  const d = code.split('').map(Number);
  const check = d.pop()!;
  const sum = d.reverse().reduce((a, x, i) => a + x * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === check;
}
const naiveAis = [
  { ai: '01', re: /^01(\d{14})/ },
  { ai: '17', re: /^17(\d{6})/ },
  { ai: '10', re: /^10([^\x1d]{1,20})\x1d?/ },
  { ai: '21', re: /^21([^\x1d]{1,20})\x1d?/ },
  { ai: '3103', re: /^(310\d)(\d{6})/ },
];
function naiveDecode(frame: Frame): { kind: string; gtin?: string; fields?: Record<string, string> } {
  const data = frame.data;
  if (/^https?:\/\//.test(data)) {
    const url = new URL(data);
    const parts = url.pathname.split('/');
    const gtin = parts[parts.indexOf('01') + 1] ?? '';
    return naiveCheck(gtin) ? { kind: 'product-scan', gtin: gtin.padStart(14, '0'), fields: Object.fromEntries(url.searchParams) } : { kind: 'rejected' };
  }
  if (/^\d{8}$|^\d{12,14}$/.test(data)) {
    if (!naiveCheck(data)) return { kind: 'rejected' };
    const gtin = data.padStart(14, '0');
    if (/^02[6-9]/.test(gtin)) return { kind: 'product-scan', gtin: gtin.slice(0, 7) + '0000000', fields: { price: String(parseInt(gtin.slice(8, 13), 10)) } };
    return { kind: 'product-scan', gtin };
  }
  if (frame.symbology === ']e0' || frame.symbology === ']C1') {
    let rest = data;
    const fields: Record<string, string> = {};
    while (rest.length > 0) {
      const hit = naiveAis.map((a) => ({ a, m: a.re.exec(rest) })).find((x) => x.m);
      if (!hit?.m) return { kind: 'rejected' };
      fields[hit.a.ai] = hit.m[hit.m.length - 1]!;
      rest = rest.slice(hit.m[0].length);
    }
    if (fields['17']) fields['17'] = new Date(`20${fields['17'].slice(0, 2)}-${fields['17'].slice(2, 4)}-${fields['17'].slice(4, 6)}`).toISOString().slice(0, 10);
    return fields['01'] && naiveCheck(fields['01']) ? { kind: 'product-scan', gtin: fields['01'], fields } : { kind: 'rejected' };
  }
  return { kind: 'rejected' };
}

// --- measuring ---
let sink = 0;
function timePerScanUs(decodeOne: (f: Frame) => { kind: string }): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < SCANS_PER_RUN; i++) sink += decodeOne(frames[i % frames.length]!).kind.length;
  return Number(process.hrtime.bigint() - start) / 1e3 / SCANS_PER_RUN;
}

function bytesPerScan(decodeOne: (f: Frame) => { kind: string }): number {
  const perBatch: number[] = [];
  for (let b = 0; b < 40; b++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < ALLOC_BATCH; i++) sink += decodeOne(frames[(b * ALLOC_BATCH + i) % frames.length]!).kind.length;
    perBatch.push((process.memoryUsage().heapUsed - before) / ALLOC_BATCH);
  }
  return median(perBatch);
}

function stagePerScanUs(): number {
  const stage = createScanStage({ config, repeatWindowSec: 0, maxScansPerSec: Infinity });
  const chunk = 4096;
  const rounds = Math.ceil(SCANS_PER_RUN / frames.length);
  let at = 0;
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    for (let o = 0; o < serial.length; o += chunk) sink += stage.push(serial.subarray(o, o + chunk), (at += 0.001)).length;
  }
  return Number(process.hrtime.bigint() - start) / 1e3 / (rounds * frames.length);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const ours = (f: Frame) => decodeBarcode(f, config);
const results = { ours: [] as number[], naive: [] as number[], stage: [] as number[] };
for (let r = 0; r < REPEATS; r++) {
  results.ours.push(timePerScanUs(ours));
  results.naive.push(timePerScanUs(naiveDecode));
  results.stage.push(stagePerScanUs());
}
const oursUs = median(results.ours);
const naiveUs = median(results.naive);
const oursBytes = bytesPerScan(ours);
const naiveBytes = bytesPerScan(naiveDecode);
const accepted = frames.filter((f) => ours(f).kind !== 'rejected').length;

console.log(`corpus: ${frames.length} frames (EAN/UPC, DataBar, GS1-128, DE variable measure, Digital Link, misreads, store junk), ${accepted} accepted`);
console.log(`decode, median of ${REPEATS} runs of ${SCANS_PER_RUN} scans:`);
console.log(`  decodeBarcode ${oursUs.toFixed(3)} us/scan (${(1e6 / oursUs / 1e3).toFixed(0)} k scans/s)   naive ${naiveUs.toFixed(3)} us/scan   ratio ${(naiveUs / oursUs).toFixed(1)}x faster`);
console.log(`  heap allocated: decodeBarcode ${oursBytes.toFixed(0)} B/scan   naive ${naiveBytes.toFixed(0)} B/scan   ratio ${(naiveBytes / oursBytes).toFixed(1)}x less`);
console.log(`whole stage from serial bytes (framing, repeat check, decoding): ${median(results.stage).toFixed(3)} us/scan`);
if (sink < 0) console.log(sink);
