// A disk that fills during a trip, on a real small tmpfs: the reserve beside
// the database is given back so that saving goes on; once that is spent too,
// inputs are held in memory in order, the storage device says "failed" (the
// light shows the cart out of order), and when space is freed every decision
// lands once, in order, exactly as on a disk that never filled.
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import t from 'tap';
import { Cart } from '../../firmware/cart.js';
import { createScanStage } from '../../firmware/barcode/stage.js';
import { defaultReconcilerConfig, type BasketInput, type Decision } from '../../firmware/basket/types.js';
import { createLogger, memorySink, silentLogger, type Logger } from '../../firmware/log.js';
import { BasketStore } from '../../firmware/storage/basket-store.js';
import { openDatabase } from '../../firmware/storage/database.js';
import { DiskReserve } from '../../firmware/storage/reserve.js';
import { storageDeviceHealth } from '../../firmware/sync/telemetry.js';
import { inputAt, testCatalog } from './inputs.js';
import { smallDisk, smallDiskUnavailable } from './small-disk.js';

function cartOn(path: string, log: Logger, reserve?: DiskReserve) {
  const { db } = openDatabase(path, silentLogger);
  const store = new BasketStore(db);
  const decisions: Decision[] = [];
  const cart = new Cart({
    weight: { push: () => [] }, scans: createScanStage(), store, catalog: testCatalog, config: defaultReconcilerConfig, log,
    onCommitted: (c) => decisions.push(...c.decisions),
    ...(reserve ? { reserve } : {}),
  });
  return { db, store, cart, decisions };
}

const loggedInputs = (db: ReturnType<typeof openDatabase>['db']) =>
  (db.prepare(`SELECT body FROM event_log WHERE kind = 'input' ORDER BY seq`).all() as { body: string }[]).map((r) => JSON.parse(r.body) as BasketInput);

t.test('the disk fills mid-trip: reserve released, then inputs held in order; space freed: every decision lands once, in order', { skip: smallDiskUnavailable() }, async (t) => {
  const disk = smallDisk(8192);
  t.teardown(() => disk.unmount());
  const sink = memorySink();
  const log = createLogger(sink, 'basket');
  const reserve = new DiskReserve(join(disk.dir, 'cart.db.reserve'), 256 * 1024, log.child('storage'));
  const live = cartOn(join(disk.dir, 'cart.db'), log, reserve);
  t.equal(await reserve.make(), 'held');

  let i = 0;
  for (; i < 20; i++) live.cart.apply(inputAt(i));
  disk.fill();
  const filledAt = i;
  // Saving goes on from the reserve, until that is spent too.
  while (live.cart.heldInputs === 0 && i < 5000) live.cart.apply(inputAt(i++));
  t.equal(reserve.state, 'released', 'the reserve was given back when the disk filled');
  t.ok(i - 1 > filledAt, `the reserve carried ${i - 1 - filledAt} more inputs`);
  t.equal(live.cart.heldInputs, 1);
  const heldFrom = i - 1;
  for (const end = i + 25; i < end; i++) live.cart.apply(inputAt(i));
  t.equal(live.cart.heldInputs, 26, 'held in memory, none dropped');
  t.match(storageDeviceHealth(live.cart.heldInputs, reserve.state), { device: 'storage', status: 'failed', detail: '26 basket inputs wait in memory: the database cannot be written' });
  const committedWhileFull = live.decisions.length;
  t.equal(loggedInputs(live.db).length, heldFrom, 'nothing after the first held input is in the log yet');

  disk.free();
  live.cart.apply(inputAt(i++));
  t.equal(live.cart.heldInputs, 0, 'the next input saves everything held');
  t.ok(live.decisions.length > committedWhileFull, 'the held decisions were heard once saved');

  const errors = sink.lines.filter((l) => l.startsWith('ERROR'));
  t.equal(errors.length, 1, 'one error line for the whole episode');
  t.match(errors[0], /ERROR basket cannot save the basket: the disk is full; inputs are held in memory, in order, and saved when the database takes writes again; the light shows the cart out of order meanwhile/);
  t.match(sink.lines.join('\n'), /WARN  storage disk full: the reserve beside the database was released/);
  t.match(sink.lines.join('\n'), /INFO  basket database takes writes again; every held input is saved inputs=27/);

  // The same trip on a disk that never filled.
  const calm = cartOn(join(mkdtempSync(join(tmpdir(), 'cart-calm-')), 'cart.db'), silentLogger);
  for (let k = 0; k < i; k++) calm.cart.apply(inputAt(k));
  t.same(loggedInputs(live.db), loggedInputs(calm.db), 'every input logged once, in order');
  t.same(live.decisions, calm.decisions, 'every decision once, in order, as without the full disk');
  t.same(live.store.lines(), calm.store.lines());
  t.same(live.store.rebuild(testCatalog, defaultReconcilerConfig), live.store.state, 'the saved basket is the log folded');
  t.same(live.store.pendingMessages(10_000).map((m) => m.payload), calm.store.pendingMessages(10_000).map((m) => m.payload), 'the store hears the same, in order');
  live.db.close();
  calm.db.close();

  // With room again, the reserve is made again.
  t.equal(await reserve.make(), 'held');
});
