// The recorded trips in shared/bench/examples: their serial lines, framed
// and decoded, give exactly the scans their truth files list.
import t from 'tap';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScanFramer, defaultFramerOptions } from '../../drivers/scanner/framer.js';
import { decodeBarcode, defaultBarcodeConfig, ScanDeduper, defaultRepeatWindowSec } from '../../firmware/barcode/index.js';

// The shared samples sit beside the repo; a checkout without them skips this file.
const examples = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/bench/examples');

interface TruthScan {
  t: number;
  gtin: string;
  role: string;
}

/** A read completes a frame at or after its first byte; on the bench no code took longer than this to arrive. */
const arrivalSec = 0.1;

function serialLines(path: string): { t: number; bytes: Buffer }[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"serial"'))
    .map((line) => JSON.parse(line) as { t: number; kind: string; data: string })
    .filter((o) => o.kind === 'serial')
    .map((o) => ({ t: o.t, bytes: Buffer.from(o.data, 'latin1') }));
}

const trips = existsSync(examples) ? readdirSync(examples).filter((f) => f.endsWith('.jsonl')) : [];
if (trips.length === 0) t.comment('shared sample trips not found: nothing to replay');

for (const file of trips) {
  t.test(file, async (t) => {
    const truth = JSON.parse(readFileSync(join(examples, file.replace('.jsonl', '.truth.json')), 'utf8')) as { scans: TruthScan[] };
    const framer = new ScanFramer(defaultFramerOptions);
    const deduper = new ScanDeduper(defaultRepeatWindowSec);
    const decoded: { atSec: number; gtin: string; repeat: boolean; rejected: boolean }[] = [];
    let lastT = 0;
    for (const { t: atSec, bytes } of serialLines(join(examples, file))) {
      for (const frame of framer.push(bytes, atSec)) {
        const result = decodeBarcode(frame, defaultBarcodeConfig);
        const repeat = !deduper.accept(frame.data, frame.atSec);
        const gtin = result.kind === 'product-scan' ? result.gtin : frame.data.replace(/^01/, '').padStart(14, '0');
        decoded.push({ atSec: result.atSec, gtin, repeat, rejected: result.kind === 'rejected' });
      }
      lastT = atSec;
    }
    t.same(framer.flush(lastT + 10), [], 'no line is left open at the end');

    t.equal(decoded.length, truth.scans.length, 'one frame per scan listed');
    truth.scans.forEach((scan, i) => {
      const got = decoded[i];
      t.equal(got?.gtin, scan.gtin, `scan ${i} at ${scan.t}: GTIN`);
      t.ok(got && got.atSec >= scan.t && got.atSec - scan.t < arrivalSec, `scan ${i}: framed at ${got?.atSec}, first byte at ${scan.t}`);
      t.equal(got?.repeat, scan.role === 'duplicate', `scan ${i}: ${scan.role} ${got?.repeat ? 'is' : 'is not'} a repeat`);
      // A misread label fails its check digit; everything else is a product.
      t.equal(got?.rejected, scan.role === 'misread', `scan ${i}: ${scan.role} ${got?.rejected ? 'is' : 'is not'} rejected`);
    });
  });
}
