// cart-cal with the firmware service running: the same procedures through
// the control socket, maintenance mode held by the technician's connection,
// a new calibration used at once, and the socket closed to everyone but the
// service and the technicians. The whole cart runs (startCart) on the
// simulated bench, on fake time.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t, { type Test } from 'tap';
import { mpeGrams } from '../../calibration/metrology/tolerance.js';
import { ReadingFeed } from '../../calibration/procedure/feed.js';
import { runSpan } from '../../calibration/procedure/span.js';
import { SessionError } from '../../calibration/session/session.js';
import { connectToService, type SocketSession } from '../../calibration/session/socket-session.js';
import { SimulatedScanner } from '../../drivers/scanner/index.js';
import { gidOf, restrictToGroup } from '../../firmware/control/socket-access.js';
import { createLogger, memorySink, silentLogger } from '../../firmware/log.js';
import { startCart, type RunningCart } from '../../firmware/service.js';
import { useFakeTime, type FakeTime } from '../drivers/loadcell/harness.js';
import { BenchTechnician, CalibrationBench, trueCart } from './bench.js';
import { benchConfig, runUntil } from './rig.js';

/** The name of this process's own group, so that the test may give the socket to it. */
function ownGroup(): string {
  const line = readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.split(':')[2] === String(process.getgid!()));
  return line!.split(':')[0]!;
}

interface Service {
  time: FakeTime;
  bench: CalibrationBench;
  running: RunningCart;
  socketPath: string;
  databasePath: string;
  logLines: string[];
  connect(): Promise<SocketSession>;
}

async function startService(t: Test): Promise<Service> {
  const time = useFakeTime();
  const dir = mkdtempSync(join(tmpdir(), 'cart-cal-service-'));
  const socketPath = join(dir, 'control.sock');
  const databasePath = join(dir, 'cart.db');
  const config = benchConfig(databasePath, {
    calibration: { socketPath, socketGroup: ownGroup() },
    // No store: the link keeps retrying in the background, shopping and calibration go on.
    mqtt: { url: 'mqtt://127.0.0.1:9', storePublicKeyPath: join(dir, 'none.pem') },
  });
  const sink = memorySink('info');
  const log = createLogger(sink, 'test');
  const bench = new CalibrationBench();
  const scanner = new SimulatedScanner({ clock: time.clock, log });
  const running = await startCart(config, { loadCells: bench.loadCells(time.clock), scanner }, { log, clock: time.clock, firmwareVersion: 'test' });
  t.teardown(async () => {
    await runUntil(time, running.stop());
    time.restore();
  });
  await runUntil(time, new Promise<void>((resolve) => setTimeout(resolve, 2000)));
  return {
    time, bench, running, socketPath, databasePath, logLines: sink.lines,
    connect: async () => (await connectToService(socketPath, 'technicians'))!,
  };
}

t.test('maintenance: refused during a shopper\'s session, one technician at a time, and given back when the technician\'s connection drops', async (t) => {
  const s = await startService(t);
  const db = new Database(s.databasePath);
  t.teardown(() => db.close());
  db.prepare(`INSERT INTO sessions (id, shopper, started_seq) VALUES ('trip-1', 'shopper', 1)`).run();

  const alice = await s.connect();
  t.teardown(() => alice.close());
  await t.rejects(alice.enterMaintenance('alice'), new SessionError('shopping session trip-1 is under way'));
  t.equal(s.running.maintenance.active, false);
  await t.rejects(alice.zero(), /needs maintenance mode/, 'no zero-setting outside maintenance');

  db.prepare(`UPDATE sessions SET ended_seq = 2 WHERE id = 'trip-1'`).run();
  await alice.enterMaintenance('alice');
  t.equal(s.running.maintenance.active, true, 'the store link sees maintenance: no session may start');
  t.equal(s.running.maintenance.holder, 'alice');

  const bob = await s.connect();
  await t.rejects(bob.enterMaintenance('bob'), /already in maintenance by alice/);
  await bob.close();

  // Alice's SSH session drops: her tool dies without a word, the kernel closes its socket.
  const raw = connect(s.socketPath);
  await new Promise((resolve) => raw.once('connect', resolve));
  await alice.close();
  raw.write(`${JSON.stringify({ id: 1, op: 'maintenance', technician: 'carol' })}\n`);
  await runUntil(s.time, new Promise((resolve) => raw.once('data', resolve)), 5);
  t.equal(s.running.maintenance.holder, 'carol');
  raw.destroy();
  await runUntil(s.time, new Promise<void>((resolve) => setTimeout(resolve, 100)), 5);
  t.equal(s.running.maintenance.active, false, 'the connection closed: the cart is the shoppers\' again');
  t.match(s.logLines.join('\n'), /maintenance ended; shopping may start again technician=carol why="connection closed"/);
});

t.test('span through the control socket: the same procedure, the new calibration used at once and counted once, the test weights kept out of the basket', async (t) => {
  const s = await startService(t);
  const session = await s.connect();
  await session.enterMaintenance('alice');
  const technician = new BenchTechnician(s.bench, s.time.clock);
  const ctx = { feed: new ReadingFeed(session), guide: technician, options: { settleSec: 2, stepTimeoutSec: 120 } };
  const outcome = await runUntil(s.time, runSpan(session, ctx, { weightGrams: 5000, weights: 'F1 5 kg' }));
  if (outcome.status !== 'stored') throw new Error(`span ${outcome.status}`);
  const tolerance = mpeGrams(30_000, 10) / 3 / 30_000;
  const errors = outcome.fit.calibration.map((c, i) => c.countsPerGram / trueCart.countsPerGram[i]! - 1);
  t.comment(`through the socket: gain errors ${errors.map((x) => `${(x * 1e6).toFixed(1)} ppm`).join(', ')}`);
  t.ok(errors.every((x) => Math.abs(x) <= tolerance), 'every gain within a third of the MPE at Max');
  t.same(s.running.metrology.calibration(), outcome.fit.calibration, 'stored in the cart\'s database');
  t.same(s.running.metrology.counters(), { calibration: 1, configuration: 0 });
  t.same((await session.info()).calibration, outcome.fit.calibration, 'the running scale uses it, without a restart');
  t.ok(Math.abs(s.running.scale.reading().totalGrams) < 1, 'the empty basket reads zero on it');
  t.same(s.running.store.state.openAlerts, [], 'five placements of 5 kg raised no alert');
  t.same(s.running.store.lines(), [], 'and added nothing to the basket');
  ctx.feed.close();
  await session.close();
  await runUntil(s.time, new Promise<void>((resolve) => setTimeout(resolve, 100)), 5);
  t.equal(s.running.maintenance.active, false);
});

t.test('bad input on the control socket is answered and logged, and the connection goes on', async (t) => {
  const s = await startService(t);
  const raw = connect(s.socketPath);
  t.teardown(() => raw.destroy());
  const replies: string[] = [];
  raw.setEncoding('utf8');
  raw.on('data', (chunk: string) => replies.push(...chunk.split('\n').filter(Boolean)));
  raw.write('this is not json\n{"id": 7, "op": "format-disk"}\n{"id": 8, "op": "apply", "calibration": [], "what": "span"}\n{"id": 9, "op": "hello"}\n');
  await runUntil(s.time, new Promise<void>((resolve) => {
    const check = setInterval(() => replies.length >= 3 && (clearInterval(check), resolve()), 1);
  }), 5);
  t.match(JSON.parse(replies[0]!), { id: 7, ok: false, error: 'not a valid request for op "format-disk"' });
  t.match(JSON.parse(replies[1]!), { id: 8, ok: false, error: 'not a valid request for op "apply"' });
  t.match(JSON.parse(replies[2]!), { id: 9, ok: true, result: { cartId: 'bench-cart', intervalGrams: 10, capacityGrams: 30_000, maintenance: null } });
  t.match(s.logLines.join('\n'), /control request refused error="not JSON"/);
});

t.test('the socket is read-write for the service\'s user and the technicians\' group only; without the group, for the service alone', async (t) => {
  const s = await startService(t);
  const stat = statSync(s.socketPath);
  t.equal(stat.mode & 0o777, 0o660);
  t.equal(stat.gid, process.getgid!());
  t.equal(gidOf('root:x:0:\ncart-tech:x:1234:alice,bob\n', 'cart-tech'), 1234);
  t.equal(gidOf('root:x:0:\n', 'cart-tech'), null);

  const dir = mkdtempSync(join(tmpdir(), 'cart-cal-socket-'));
  const path = join(dir, 'other.sock');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.teardown(() => server.close());
  writeFileSync(join(dir, 'group'), 'root:x:0:\n');
  await restrictToGroup(path, 'cart-tech', silentLogger, join(dir, 'group'));
  t.equal(statSync(path).mode & 0o777, 0o600, 'no such group: closed to all but the service');
});
