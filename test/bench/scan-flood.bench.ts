// A scanner flood against the load cell sampling: 10^5 codes the catalog
// does not hold, sent down the simulated scanner's serial line at 10,000 a
// second (200 KB/s, more than a scanner's USB serial link carries in
// practice), through the real serial driver, the scan stage, the cart and
// SQLite on disk, while the sampler reads four simulated boards at 25 Hz.
// Ticks lost (missed late or skipped busy) over the flood and the second
// after it, beside the same flood with the scan rate limit lifted (the
// baseline: what the cart did before it had one) and beside the sampler
// with no flood at all (this machine's own noise). Each in its own
// database; medians over the rounds.
//
//   npx tsx test/bench/scan-flood.bench.ts [CODES] [ROUNDS]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLoadCells, SimulatedI2cBus } from '../../drivers/loadcell/index.js';
import { SimulatedScanner } from '../../drivers/scanner/index.js';
import { gs1CheckDigit } from '../../firmware/barcode/check-digits.js';
import { createScanStage, defaultMaxScansPerSec } from '../../firmware/barcode/stage.js';
import { defaultReconcilerConfig } from '../../firmware/basket/types.js';
import { Cart } from '../../firmware/cart.js';
import { createLogger, type LogSink } from '../../firmware/log.js';
import { monotonicSec } from '../../firmware/process.js';
import { BasketStore } from '../../firmware/storage/basket-store.js';
import { openDatabase } from '../../firmware/storage/database.js';
import { testCatalog } from '../storage/inputs.js';

const codes = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 3);
const rateHz = 25;
/** Codes per write on the line: a USB CDC-ACM scanner hands the host 64-byte packets, a flood fills them back to back. */
const codesPerWrite = 50;
const codesPerSec = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Run {
  sec: number;
  expectedTicks: number;
  lostTicks: number;
  maxGapMs: number;
  rows: number;
  logLines: number;
}

async function flood(maxScansPerSec: number, sent: number): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'cart-flood-bench-'));
  let logLines = 0;
  const sink: LogSink = { level: 'info', write: () => void logLines++ };
  const log = createLogger(sink, 'bench');
  const { db } = openDatabase(join(dir, 'cart.db'), log);
  const store = new BasketStore(db);
  const cart = new Cart({
    weight: { push: () => [] }, scans: createScanStage({ log, maxScansPerSec }), store, catalog: testCatalog, config: defaultReconcilerConfig, log,
  });
  const bus = new SimulatedI2cBus({ model: 'dfrobot', addresses: [0x64, 0x65, 0x66, 0x67], clock: monotonicSec, load: () => 20000 + Math.random() * 20 });
  const cells = await openLoadCells({ board: 'simulated', bus, rateHz }, { clock: monotonicSec, log });
  cells.sampler.on('sample', (s) => cart.sample(s));
  const scanner = new SimulatedScanner({ clock: monotonicSec, log });
  scanner.on('frame', (f) => cart.frame(f));
  cells.sampler.start();
  await scanner.start();
  await sleep(500);

  // Made beforehand: the flood's bytes come from the scanner, not from this process.
  const writes: Buffer[] = [];
  for (let i = 0; i < sent; i += codesPerWrite) {
    let chunk = '';
    for (let k = i; k < Math.min(sent, i + codesPerWrite); k++) {
      const digits = String(400000000000 + k);
      chunk += `]E0${digits}${gs1CheckDigit(digits)}\r\n`;
    }
    writes.push(Buffer.from(chunk, 'latin1'));
  }
  const before = cells.sampler.health().sampling;
  const start = monotonicSec();
  for (const [i, bytes] of writes.entries()) {
    const waitMs = (start + (i * codesPerWrite) / codesPerSec - monotonicSec()) * 1000;
    // On time or behind, the line hands over the next read on a later turn of the event loop, as the kernel's tty would.
    await (waitMs > 1 ? sleep(waitMs) : new Promise((r) => setImmediate(r)));
    scanner.send(bytes);
  }
  // The run without a flood lasts as long as one with it.
  await sleep(sent === 0 ? (1000 * codes) / codesPerSec + 1000 : 1000);
  const after = cells.sampler.health().sampling;
  const sec = monotonicSec() - start;
  await scanner.stop();
  await cells.close();
  const rows = (db.prepare('SELECT count(*) AS n FROM event_log').get() as { n: number }).n;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  const lost = after.ticksMissedLate + after.ticksSkippedBusy - before.ticksMissedLate - before.ticksSkippedBusy;
  return { sec, expectedTicks: Math.round(sec * rateHz), lostTicks: lost, maxGapMs: after.maxGapSec * 1000, rows, logLines };
}

const results: Record<'limited' | 'unlimited' | 'none', Run[]> = { limited: [], unlimited: [], none: [] };
for (let r = 0; r < rounds; r++) {
  results.none.push(await flood(defaultMaxScansPerSec, 0));
  results.limited.push(await flood(defaultMaxScansPerSec, codes));
  results.unlimited.push(await flood(Infinity, codes));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
process.stdout.write(`${codes} unknown codes down the serial line, ${codesPerSec} a second, ${codesPerWrite} a write; sampler at ${rateHz} Hz; medians of ${rounds} rounds\n`);
process.stdout.write('scan intake                  seconds  ticks expected  ticks lost  lost %  longest gap ms  event-log rows  log lines\n');
for (const [name, runs] of [['no flood (sampler alone)', results.none], [`limited to ${defaultMaxScansPerSec}/s (the cart)`, results.limited], ['unlimited (baseline)', results.unlimited]] as const) {
  const lostPct = median(runs.map((x) => (100 * x.lostTicks) / x.expectedTicks));
  process.stdout.write(`${name.padEnd(28)}${median(runs.map((x) => x.sec)).toFixed(1).padStart(8)}${String(median(runs.map((x) => x.expectedTicks))).padStart(16)}`
    + `${String(median(runs.map((x) => x.lostTicks))).padStart(12)}${lostPct.toFixed(2).padStart(8)}${median(runs.map((x) => x.maxGapMs)).toFixed(0).padStart(16)}`
    + `${String(median(runs.map((x) => x.rows))).padStart(16)}${String(median(runs.map((x) => x.logLines))).padStart(11)}\n`);
}
