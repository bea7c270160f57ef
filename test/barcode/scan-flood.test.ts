// Floods on the scanner line, through the real stage, cart and SQLite store:
// what they may write is bounded (rows, log lines), whatever their size.
// Times are for the benchmark (test/bench/scan-flood.bench.ts), not here.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createScanStage, defaultMaxScansPerSec } from '../../firmware/barcode/stage.js';
import { defaultReconcilerConfig } from '../../firmware/basket/types.js';
import { Cart } from '../../firmware/cart.js';
import { createLogger, memorySink } from '../../firmware/log.js';
import { BasketStore } from '../../firmware/storage/basket-store.js';
import { openDatabase } from '../../firmware/storage/database.js';
import { testCatalog, testProducts } from '../storage/inputs.js';
import { withCheck } from './helpers.js';

function floodRig() {
  const sink = memorySink('info');
  const log = createLogger(sink, 'test');
  const { db } = openDatabase(join(mkdtempSync(join(tmpdir(), 'cart-flood-')), 'cart.db'), log);
  const store = new BasketStore(db);
  const cart = new Cart({ weight: { push: () => [] }, scans: createScanStage({ log }), store, catalog: testCatalog, config: defaultReconcilerConfig, log: log.child('basket') });
  const rows = () => (db.prepare('SELECT count(*) AS n FROM event_log').get() as { n: number }).n;
  const warnings = () => sink.lines.filter((l) => l.startsWith('WARN'));
  return { db, store, cart, rows, warnings, sink };
}

/** The i-th of many GTIN-13s the catalog does not hold, as an EAN-13 line from the scanner. */
const unknownCode = (i: number) => `]E0${withCheck(String(400000000000 + i))}\r\n`;

t.test('30,000 unknown codes in one second: rows and log lines bounded, one flood, counted', async (t) => {
  const r = floodRig();
  const count = 30_000;
  // 300 reads of 100 lines each, over one second.
  for (let read = 0; read < 300; read++) {
    const bytes = Buffer.from(Array.from({ length: 100 }, (_, k) => unknownCode(read * 100 + k)).join(''), 'latin1');
    r.cart.serial(bytes, 10 + read / 300);
  }
  // Time passing (the load cells' samples) ends the flood.
  for (let s = 0; s <= 25 * 3; s++) r.cart.sample({ atSec: 11 + s / 25, raw: [0, 0, 0, 0] });

  // The opening burst only; each admitted scan is an input row and its "adds nothing" decision, and ticks that decide nothing are not logged.
  t.equal(r.rows(), 2 * defaultMaxScansPerSec, 'the first scans went through, and no more');
  const flood = r.warnings().filter((l) => /scanner flood/.test(l));
  t.equal(flood.length, 2, 'one line when it starts, one with its count when it is over');
  t.match(flood[0], /WARN  barcode scanner flood: more than 5 reads a second; the rest are dropped unread until it stops, and the shopper scans again/);
  const dropped = Number(/dropped=(\d+)/.exec(flood[1]!)?.[1]);
  t.equal(dropped + r.rows() / 2, count, 'every scan either taken or counted as dropped');
  t.ok(r.sink.lines.length < 50, `${r.sink.lines.length} log lines in all`);
  r.db.close();
});

t.test('a flood that lasts 10 s, with the load cells sampling through it, commits its opening burst and nothing after', async (t) => {
  const r = floodRig();
  // 1,000 codes a second in reads of 40, between samples at 25 Hz, as on the cart.
  for (let tick = 0; tick < 250; tick++) {
    const at = 10 + tick / 25;
    r.cart.sample({ atSec: at, raw: [0, 0, 0, 0] });
    r.cart.serial(Buffer.from(Array.from({ length: 40 }, (_, k) => unknownCode(tick * 40 + k)).join(''), 'latin1'), at + 0.01);
  }
  for (let s = 0; s <= 50; s++) r.cart.sample({ atSec: 20 + s / 25, raw: [0, 0, 0, 0] });
  t.equal(r.rows(), 2 * defaultMaxScansPerSec, 'the burst only, not 5 more a second');
  const flood = r.warnings().filter((l) => /scanner flood/.test(l));
  t.equal(flood.length, 2);
  t.match(flood[1], new RegExp(`dropped=${10_000 - defaultMaxScansPerSec} forSec=9.96`));
  r.db.close();
});

t.test('after a flood, the shopper\'s next scan goes through as ever', async (t) => {
  const r = floodRig();
  r.cart.serial(Buffer.from(Array.from({ length: 1000 }, (_, k) => unknownCode(k)).join(''), 'latin1'), 10);
  for (let s = 0; s <= 50; s++) r.cart.sample({ atSec: 10 + s / 25, raw: [0, 0, 0, 0] });
  const oat = testProducts[0]!;
  r.cart.serial(Buffer.from(`]E0${oat.gtin.slice(1)}\r\n`, 'latin1'), 13);
  t.same(r.store.state.pendingScans.map((p) => p.gtin), [oat.gtin]);
  r.db.close();
});

t.test('1 MB of noise on the scanner line: nothing in the basket, and a handful of log lines, not one a line', async (t) => {
  const r = floodRig();
  let seed = 7;
  const noise = Buffer.alloc(1 << 20);
  for (let i = 0; i < noise.length; i++) noise[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  for (let at = 0; at < noise.length; at += 4096) r.cart.serial(noise.subarray(at, at + 4096), 10 + at / noise.length);
  for (let s = 0; s <= 50; s++) r.cart.sample({ atSec: 11 + s / 25, raw: [0, 0, 0, 0] });
  // A random line can look like a code (a lone printable byte): the cart refuses it, a line each.
  t.equal(r.store.state.pendingScans.length, 0, 'no scan waits for an item');
  const lines = r.warnings();
  const framer = lines.filter((l) => / barcode /.test(l));
  t.equal(framer.length, 2, 'the burst\'s first bad line, then its count');
  t.match(framer[1], /WARN  barcode noise burst over: more lines dropped after the first lines=\d{4,} droppedBytes=\d{7}/);
  t.ok(lines.length <= 5, `${lines.length} WARN lines in all`);
  r.db.close();
});
