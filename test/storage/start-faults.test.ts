// cart-firmware started on a disk that is full, read-only or locked: the
// database is kept exactly as it was, the log says what is wrong, and the
// process exits 75 so that systemd tries again; once the disk is put right
// the cart starts with its basket, boot count and catalog. Only a database
// SQLite calls corrupt is set aside, and the clean one records it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import Database from 'better-sqlite3';
import { reconcile } from '../../firmware/basket/reconciler.js';
import { defaultReconcilerConfig } from '../../firmware/basket/types.js';
import { assessFitness, type HealthSnapshot } from '../../firmware/health.js';
import { createLogger, memorySink, silentLogger } from '../../firmware/log.js';
import { BasketStore, CatalogStore } from '../../firmware/storage/basket-store.js';
import { openDatabase } from '../../firmware/storage/database.js';
import { storageFaultOf } from '../../firmware/storage/faults.js';
import { readSetAside } from '../../firmware/storage/set-aside.js';
import { inputAt, testCatalog, testProducts } from './inputs.js';
import { smallDisk, smallDiskUnavailable } from './small-disk.js';

const main = fileURLToPath(new URL('../../firmware/main.ts', import.meta.url));

/** A database with a basket, a catalog and one boot behind it. */
function shopped(path: string): { lines: unknown[] } {
  const { db } = openDatabase(path, silentLogger);
  const store = new BasketStore(db);
  for (let i = 0; i < 30; i++) {
    const input = inputAt(i);
    store.commit(input, reconcile(store.state, input, testCatalog, defaultReconcilerConfig));
  }
  new CatalogStore(db).replace(testProducts, 4);
  const lines = store.lines();
  db.close();
  return { lines };
}

/** Starts cart-firmware on `databasePath` and waits for it to exit or to say it is ready. */
function startFirmware(databasePath: string): Promise<{ code: number | null; log: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'cart-start-'));
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify({
    cart: { id: 'cart-9', storeId: 'store-1' },
    databasePath,
    scale: { board: 'simulated' },
    scanner: { kind: 'simulated' },
    gpio: { backend: 'simulated' },
    databaseReserveMb: 0,
    mqtt: { url: 'mqtt://127.0.0.1:1', storePublicKeyPath: join(dir, 'no-key.pem') },
    health: { path: join(dir, 'health.json') },
    display: { port: 21000 + (process.pid % 20000) },
  }));
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', main, '--config', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    proc.stderr.on('data', (c: Buffer) => {
      log += c.toString();
      if (/cart ready/.test(log)) proc.kill('SIGTERM');
    });
    proc.on('exit', (code) => resolve({ code, log }));
  });
}

function reopened(path: string) {
  const { db, setAside } = openDatabase(path, silentLogger);
  const store = new BasketStore(db);
  const result = { boot: store.boot, lines: store.lines(), catalog: new CatalogStore(db).size, setAside, record: readSetAside(db) };
  db.close();
  return result;
}

const skip = { skip: smallDiskUnavailable() };
const damaged = (dir: string) => readdirSync(dir).filter((f) => f.includes('.damaged-'));

t.test('a full disk at start: the database is kept, the log says the disk is full, exit 75; with space back the basket is all there', skip, async (t) => {
  const disk = smallDisk(768);
  t.teardown(() => disk.unmount());
  const path = join(disk.dir, 'cart.db');
  const before = shopped(path);
  t.ok(before.lines.length > 0);
  disk.fill();

  const run = await startFirmware(path);
  t.equal(run.code, 75, 'EX_TEMPFAIL: systemd restarts it (only 78 is not retried)');
  t.match(run.log, /ERROR main cart cannot start: the disk is full \(.*cart\.db: SQLITE_[A-Z_]+: [^)]*\); the database is kept as it is, no shopping until this is fixed; systemd starts the cart again fault=full/);
  t.same(damaged(disk.dir), [], 'nothing set aside');

  disk.free();
  const after = reopened(path);
  t.equal(after.boot, 2, 'the failed start did not count, and the count did not start again');
  t.same(after.lines, before.lines, 'the basket is kept');
  t.equal(after.catalog, testProducts.length, 'the catalog is kept');
  t.equal(after.setAside, null);
  t.equal(after.record, null, 'no set-aside recorded');
});

t.test('a read-only file system at start: the database is kept, the log names it, exit 75', skip, async (t) => {
  const disk = smallDisk(768);
  t.teardown(() => disk.unmount());
  const path = join(disk.dir, 'cart.db');
  const before = shopped(path);
  disk.remount('ro');

  const run = await startFirmware(path);
  t.equal(run.code, 75);
  t.match(run.log, /ERROR main cart cannot start: the file system is read-only .*fault=read-only/);
  t.same(damaged(disk.dir), []);

  disk.remount('rw');
  const after = reopened(path);
  t.same(after.lines, before.lines);
  t.equal(after.boot, 2);
});

t.test('a database another process holds locked: kept, "locked", exit 75', async (t) => {
  const path = join(mkdtempSync(join(tmpdir(), 'cart-locked-')), 'cart.db');
  const before = shopped(path);
  const holder = new Database(path);
  holder.exec('BEGIN IMMEDIATE');
  const run = await startFirmware(path);
  holder.exec('ROLLBACK');
  holder.close();
  t.equal(run.code, 75);
  t.match(run.log, /ERROR main cart cannot start: another process holds the database locked .*fault=locked/);
  t.same(reopened(path).lines, before.lines);
});

t.test('what each SQLite and file system code means', async (t) => {
  const cases: [string, string | null][] = [
    ['SQLITE_CORRUPT', 'corrupt'], ['SQLITE_CORRUPT_INDEX', 'corrupt'], ['SQLITE_NOTADB', 'corrupt'],
    ['SQLITE_FULL', 'full'], ['ENOSPC', 'full'], ['SQLITE_READONLY', 'read-only'], ['SQLITE_READONLY_DBMOVED', 'read-only'],
    ['EROFS', 'read-only'], ['SQLITE_BUSY', 'locked'], ['SQLITE_IOERR_WRITE', 'io'], ['SQLITE_CANTOPEN', 'io'],
    ['SQLITE_ERROR', null], ['SQLITE_CONSTRAINT_UNIQUE', null],
  ];
  for (const [code, fault] of cases) t.equal(storageFaultOf(Object.assign(new Error('x'), { code })), fault, code);
  t.equal(storageFaultOf(new Error('no code')), null);
});

t.test('a database SQLite cannot read is set aside, once, and the clean one remembers it for health and telemetry', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cart-aside-'));
  const path = join(dir, 'cart.db');
  writeFileSync(path, Buffer.alloc(8192, 0x5a));
  const sink = memorySink();
  const first = openDatabase(path, createLogger(sink, 'storage'), () => '2026-12-04T15:00:00.000Z');
  t.ok(first.setAside);
  t.match(sink.lines.join('\n'), /ERROR storage database unreadable, moved aside; .* code=SQLITE_NOTADB/);
  first.db.close();
  const record = reopened(path).record;
  t.match(record, { at: '2026-12-04T15:00:00.000Z', movedTo: `${path}.damaged-2026-12-04T15-00-00-000Z`, reason: 'file is not a database', basketTakenBackAt: null });
  t.equal(damaged(dir).length, 1, 'the second start sets nothing more aside');

  // Taking the basket back is a committed decision; the record shows it.
  const { db } = openDatabase(path, silentLogger);
  const store = new BasketStore(db, () => '2026-12-04T15:01:00.000Z');
  const restore = { kind: 'basket-restore' as const, atSec: 1, lines: [{ gtin: testProducts[0]!.gtin, qty: 1, grams: 1060 }] };
  store.commit(restore, reconcile(store.state, restore, testCatalog, defaultReconcilerConfig));
  const taken = readSetAside(db);
  db.close();
  t.equal(taken?.basketTakenBackAt, '2026-12-04T15:01:00.000Z');

  const snapshot = { state: 'running', devices: [], link: { status: 'online', lastSyncAgoSec: 1 }, outboxDepth: 0, maintenanceBy: null } as unknown as HealthSnapshot;
  const ctx = { ageSec: 1, staleAfterSec: 15, diskFreeMb: 500, minFreeDiskMb: 50, path: 'health.json' };
  t.match(assessFitness({ ...snapshot, databaseSetAside: record }, ctx).warnings,
    [/database set aside as damaged at 2026-12-04T15:00:00.000Z \(kept as .*damaged-.*\); basket not taken back from the store/]);
  t.match(assessFitness({ ...snapshot, databaseSetAside: taken }, ctx).warnings, [/basket taken back from the store at 2026-12-04T15:01:00.000Z/]);
});

t.test('a damaged database on a disk too full for a clean one is put back, not lost: the next start sets it aside', skip, async (t) => {
  const disk = smallDisk(512);
  t.teardown(() => disk.unmount());
  const path = join(disk.dir, 'cart.db');
  writeFileSync(path, Buffer.alloc(8192, 0x5a));
  disk.fill();
  t.throws(() => openDatabase(path, silentLogger), { name: 'StorageUnavailableError', fault: 'full' });
  t.same(readdirSync(disk.dir).sort(), ['cart.db', 'filler'], 'the damaged file is back in its place');
  disk.free();
  const { db, setAside } = openDatabase(path, silentLogger);
  t.ok(setAside);
  t.ok(readSetAside(db));
  db.close();
});
