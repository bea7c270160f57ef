// A scanner flood against the load cell sampling: 10^5 codes the catalog
// does not hold, sent down the simulated scanner's serial line at 10,000 a
// second (200 KB/s, more than a scanner's USB serial link carries in
// practice), through the real serial driver, the scan stage, the cart and
// SQLite on disk, while the sampler reads four simulated boards at 25 Hz.
//
// Each round runs, in turn and each in its own database: the sampler with no
// flood (this machine's own noise, for as long as a flood lasts); the flood
// on the serial line with nobody taking the driver's frames (what the
// simulated line, the driver's framing and this bench's pacing cost by
// themselves); the flood through the cart's scan bound; and the same flood
// with the bound lifted (the baseline: what the cart did before it had one).
// Over the flood and the second after it: ticks lost (missed late or skipped
// busy), the longest gap between two samples, how busy the main thread was
// (event-loop utilisation: on a loaded machine it counts time the process
// waited for a core) and the process's CPU time. "over no flood" is a run's
// figure less the no-flood run's of the same round, so that a machine busier
// in one round than in the next weighs on both; medians over the rounds,
// with their range.
//
//   npx tsx test/bench/scan-flood.bench.ts [CODES] [ROUNDS]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
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
if (!(Number.isInteger(codes) && codes > 0) || !(Number.isInteger(rounds) && rounds >= 3)) {
  // A median of one or two rounds on a shared machine says little.
  process.stderr.write('usage: scan-flood.bench.ts [CODES] [ROUNDS]: CODES a whole number above 0, ROUNDS a whole number of 3 or more\n');
  process.exit(2);
}
const rateHz = 25;
/** Codes per write on the line. */
const codesPerWrite = 50;
const codesPerSec = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Run {
  sec: number;
  expectedTicks: number;
  lostTicks: number;
  lostPct: number;
  /** Longest time between two samples in the window, the one that opens it included. */
  maxGapMs: number;
  /** Main thread busy over the window (event-loop utilisation), %. */
  busyPct: number;
  /** Process CPU time over the window, user and system, ms. */
  cpuMs: number;
  rows: number;
  logLines: number;
}

/**
 * The flood's writes, made once before any round, so that building them
 * (about 100 ms of the main thread) falls in no run: a USB CDC-ACM scanner hands the
 * host 64-byte packets, and a flood fills them back to back.
 */
const writes: Buffer[] = [];
for (let i = 0; i < codes; i += codesPerWrite) {
  let chunk = '';
  for (let k = i; k < Math.min(codes, i + codesPerWrite); k++) {
    const digits = String(400000000000 + k);
    chunk += `]E0${digits}${gs1CheckDigit(digits)}\r\n`;
  }
  writes.push(Buffer.from(chunk, 'latin1'));
}

type Intake = 'none' | 'line' | 'bounded' | 'unlimited';

async function flood(intake: Intake): Promise<Run> {
  const maxScansPerSec = intake === 'unlimited' ? Infinity : defaultMaxScansPerSec;
  const withFlood = intake !== 'none';
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
  const sampledAtSec: number[] = [];
  cells.sampler.on('sample', (s) => {
    sampledAtSec.push(s.atSec);
    cart.sample(s);
  });
  const scanner = new SimulatedScanner({ clock: monotonicSec, log });
  if (intake !== 'line') scanner.on('frame', (f) => cart.frame(f));
  cells.sampler.start();
  await scanner.start();
  await sleep(500);

  const before = cells.sampler.health().sampling;
  const busyBefore = performance.eventLoopUtilization();
  const cpuBefore = process.cpuUsage();
  const start = monotonicSec();
  if (withFlood) {
    for (const [i, bytes] of writes.entries()) {
      const waitMs = (start + (i * codesPerWrite) / codesPerSec - monotonicSec()) * 1000;
      // On time or behind, the line hands over the next read on a later turn of the event loop, as the kernel's tty would.
      await (waitMs > 1 ? sleep(waitMs) : new Promise((r) => setImmediate(r)));
      scanner.send(bytes);
    }
  }
  // The run without a flood lasts as long as one with it.
  await sleep(withFlood ? 1000 : (1000 * codes) / codesPerSec + 1000);
  const after = cells.sampler.health().sampling;
  const busy = performance.eventLoopUtilization(busyBefore);
  const cpu = process.cpuUsage(cpuBefore);
  const sec = monotonicSec() - start;
  await scanner.stop();
  await cells.close();
  const rows = (db.prepare('SELECT count(*) AS n FROM event_log').get() as { n: number }).n;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  const inWindow = sampledAtSec.findIndex((t) => t >= start);
  let maxGapSec = 0;
  for (let i = Math.max(1, inWindow); inWindow >= 0 && i < sampledAtSec.length; i++) maxGapSec = Math.max(maxGapSec, sampledAtSec[i]! - sampledAtSec[i - 1]!);
  const lostTicks = after.ticksMissedLate + after.ticksSkippedBusy - before.ticksMissedLate - before.ticksSkippedBusy;
  const expectedTicks = Math.round(sec * rateHz);
  return {
    sec, expectedTicks, lostTicks, lostPct: (100 * lostTicks) / expectedTicks, maxGapMs: maxGapSec * 1000,
    busyPct: 100 * busy.utilization, cpuMs: (cpu.user + cpu.system) / 1000, rows, logLines,
  };
}

const intakes: [Intake, string][] = [
  ['none', 'no flood (sampler alone)'],
  ['line', 'serial line only, frames unread'],
  ['bounded', 'bounded (the cart)'],
  ['unlimited', 'unlimited (baseline)'],
];
const results: Record<Intake, Run[]> = { none: [], line: [], bounded: [], unlimited: [] };
const loadBefore = loadavg()[0]!;
for (let r = 0; r < rounds; r++) {
  for (const [intake] of intakes) results[intake].push(await flood(intake));
}
const loadAfter = loadavg()[0]!;

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
/** Median, and the range over the rounds when there are several. */
const spread = (xs: number[], digits: number) => {
  const s = sorted(xs);
  return s.length > 1 ? `${median(s).toFixed(digits)} (${s[0]!.toFixed(digits)}..${s.at(-1)!.toFixed(digits)})` : median(s).toFixed(digits);
};
/** A run's figure less the no-flood run's of the same round. */
const overNone = (name: Intake, figure: (run: Run) => number) => results[name].map((run, r) => figure(run) - figure(results.none[r]!));

/** CPU time a code costs: a run's less what the no-flood run of its round took for as long, per code. */
const cpuPerCode = (name: Intake) => results[name].map((run, r) => {
  const none = results.none[r]!;
  return ((run.cpuMs - (none.cpuMs * run.sec) / none.sec) * 1000) / codes;
});

const out = (line: string) => process.stdout.write(`${line}\n`);
out(`${codes} unknown codes down the serial line, ${codesPerSec} a second, ${codesPerWrite} a write; sampler at ${rateHz} Hz`);
out(`${rounds} rounds, medians (range); load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, on ${cpus().length} cores`);
const columns = ['scan intake', 'seconds', 'ticks lost', 'lost %', 'lost % over no flood', 'longest gap ms', 'gap over no flood ms', 'main thread busy %', 'CPU us a code', 'event-log rows', 'log lines'];
out(`| ${columns.join(' | ')} |`);
out(`|${columns.map(() => ' --- ').join('|')}|`);
for (const [name, label] of intakes) {
  const runs = results[name];
  const flooded = name !== 'none';
  out(`| ${[
    label,
    median(runs.map((x) => x.sec)).toFixed(1),
    `${median(runs.map((x) => x.lostTicks))} of ${median(runs.map((x) => x.expectedTicks))}`,
    spread(runs.map((x) => x.lostPct), 2),
    flooded ? spread(overNone(name, (x) => x.lostPct), 2) : '',
    spread(runs.map((x) => x.maxGapMs), 0),
    flooded ? spread(overNone(name, (x) => x.maxGapMs), 0) : '',
    spread(runs.map((x) => x.busyPct), 1),
    flooded ? spread(cpuPerCode(name), 1) : '',
    String(median(runs.map((x) => x.rows))),
    String(median(runs.map((x) => x.logLines))),
  ].join(' | ')} |`);
}
