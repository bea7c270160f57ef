// cart-bench run: a recorded trip played in real time into the whole
// cart-firmware process, with every device simulated at its lowest boundary:
// the load cells as I2C register emulations of playback boards that play the
// trace's adc lines (scale.playback), the scanner as a pseudo-terminal the
// process opens as a real serial port, the store's broker (aedes) and the
// store itself in this process. What the cart decided is read back from the
// store's side and reported in the result JSON of a replay.
//
// One clock for both sides: the playback boards start the trace clock at
// their first conversion and the process logs it (originSec on its monotonic
// clock, wallMs on the clock every process of this machine shares). The bench
// writes each scanner read at wallMs + t, and maps the time of each event the
// store receives (the cart's monotonic atSec) back to trace time.
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfig } from '../../firmware/config.js';
import type { Logger } from '../../firmware/log.js';
import { openDatabase } from '../../firmware/storage/database.js';
import { CatalogStore } from '../../firmware/storage/basket-store.js';
import { startLocalBroker, type LocalBroker } from './broker.js';
import { startFirmware, type FirmwareProcess } from './firmware-process.js';
import { openPtyPair, type PtyPair } from './pty.js';
import { quantile } from './score.js';
import type { ReplayResult } from './replay.js';
import { resultFromStore, snapshotDisagreement } from './store-result.js';
import { sharedNowMs, StoreSim } from './store-sim.js';
import { readTrace, serialBytes, TraceError, type TraceHeader } from './trace.js';

export interface RunOptions {
  /** The bench's own lines. */
  log: Logger;
  /** Each log line of the firmware process, as it comes. */
  onFirmwareLine?: (line: string) => void;
}

export interface RunReport {
  result: ReplayResult;
  /** What went wrong with the run itself, not with the cart's decisions: an unclean stop, events lost on the way. */
  problems: string[];
  /** From starting the process to its trace clock starting. */
  startupSec: number;
  /** Latest a scanner read was written, after its trace time. */
  serialLateMaxMs: number;
  /** From the cart's commit to the store's receipt, over the basket events. */
  deliveryMedianMs: number | null;
  deliveryMaxMs: number | null;
  /** Sampler ticks the firmware missed (its timer ran late) or skipped (reads still under way), start-up included, as its log counts them. */
  ticksLost: number;
  /** Button lines of the trace, not played: the process's GPIO is simulated inside it, out of the bench's reach. */
  buttonLinesSkipped: number;
}

const storeId = 'bench-store';
/** tsx compiles the firmware on its first start; a loaded 2-core machine takes its time. */
const startTimeoutMs = 90_000;
/** After the trace ends, time for the last change to be decided and sent. */
const afterEndMs = 1000;
const stopTimeoutMs = 20_000;

const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** The name of this process's group, for the cart's control socket: the technicians' group of a cart does not exist on a bench. */
export function ownGroup(): string | undefined {
  const gid = String(process.getgid?.());
  return readFileSync('/etc/group', 'utf8').split('\n').map((l) => l.split(':')).find((f) => f[2] === gid)?.[0];
}

/** The most the firmware's log says were lost, missed late and skipped busy (each line carries its running count). */
function ticksLost(lines: string[]): number {
  const most = (key: string) => Math.max(0, ...lines.map((l) => Number(new RegExp(`${key}=(\\d+)`).exec(l)?.[1] ?? 0)));
  return most('ticksMissedLate') + most('ticksSkippedBusy');
}

/** The trace's cart name as a config's cart id. */
function cartIdOf(header: TraceHeader): string {
  return header.cart.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64) || 'bench-cart';
}

/** The cart's database as a cart in the store has it before the shopper comes: the catalog the trace's store sent. */
function seedDatabase(path: string, header: TraceHeader, log: Logger): void {
  const { db } = openDatabase(path, log);
  new CatalogStore(db).replace(header.catalog, 1);
  db.close();
}

function undeliveredEvents(databasePath: string): number {
  const db = new Database(databasePath, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

export async function runTrace(tracePath: string, opts: RunOptions): Promise<RunReport> {
  const { log } = opts;
  const lines = readTrace(tracePath)[Symbol.iterator]();
  const first = lines.next();
  if (first.done || first.value.kind !== 'header') throw new TraceError(`${tracePath} has no header`);
  const header = first.value;
  const cartId = cartIdOf(header);

  const dir = mkdtempSync(join(tmpdir(), 'cart-run-'));
  let broker: LocalBroker | null = null;
  let store: StoreSim | null = null;
  let pty: PtyPair | null = null;
  let firmware: FirmwareProcess | null = null;
  try {
    const databasePath = join(dir, 'cart.db');
    seedDatabase(databasePath, header, log.child('storage'));
    broker = await startLocalBroker();
    store = new StoreSim({ url: broker.url, storeId, log: log.child('store'), protocolVersion: 4, verbose: false });
    store.setCatalog(header.catalog);
    await store.start();
    const storePublicKeyPath = join(dir, 'store-key.pem');
    store.writePublicKey(storePublicKeyPath);
    pty = await openPtyPair(dir);

    // Checked here, so that a trace the cart's config cannot describe fails with the key named.
    const config = parseConfig({
      cart: { id: cartId, storeId },
      databasePath,
      logLevel: 'info',
      scale: {
        board: 'simulated', rateHz: header.rateHz, widthMm: header.geometry.widthMm, depthMm: header.geometry.depthMm,
        calibration: header.calibration, playback: resolve(tracePath),
      },
      scanner: { kind: 'serial', path: pty.portPath },
      gpio: { backend: 'simulated' },
      mqtt: { url: broker.url, protocolVersion: 4, storePublicKeyPath, plainTextExpected: true },
      display: { port: await freePort() },
      health: { path: join(dir, 'health.json') },
      calibration: { socketPath: join(dir, 'control.sock'), socketGroup: ownGroup() },
    });
    const configPath = join(dir, 'config.json');
    writeFileSync(configPath, JSON.stringify(config, null, 1));

    const spawnedAtMs = sharedNowMs();
    firmware = startFirmware(configPath, opts.onFirmwareLine);
    const clockLine = await firmware.waitForLine(/ trace clock started /, startTimeoutMs);
    await firmware.waitForLine(/^INFO +main cart ready/, startTimeoutMs);
    const originSec = Number(/originSec=(\S+)/.exec(clockLine)?.[1]);
    const originMs = Number(/wallMs=(\S+)/.exec(clockLine)?.[1]);
    if (!Number.isFinite(originSec) || !Number.isFinite(originMs)) throw new Error(`cannot read the trace clock from: ${clockLine}`);
    log.info('trip under way', { trace: tracePath, cart: cartId, startupSec: Number(((originMs - spawnedAtMs) / 1000).toFixed(2)) });

    const running = firmware;
    const stillRunning = () => {
      if (running.ended) throw new Error(`the firmware ended during the trip; its last lines:\n${running.lines.slice(-8).join('\n')}`);
    };
    let endSec = 0;
    let serialLateMaxMs = 0;
    let buttonLinesSkipped = 0;
    for (let next = lines.next(); !next.done; next = lines.next()) {
      const line = next.value;
      if (line.kind === 'header') continue;
      endSec = line.t;
      if (line.kind === 'serial') {
        const dueMs = originMs + line.t * 1000;
        await sleepMs(dueMs - sharedNowMs());
        stillRunning();
        serialLateMaxMs = Math.max(serialLateMaxMs, sharedNowMs() - dueMs);
        await pty.send(serialBytes(line.data));
      } else if (line.kind === 'button') {
        if (buttonLinesSkipped === 0) log.warn('button lines are not played: the process simulates its GPIO inside itself', { t: line.t, name: line.name });
        buttonLinesSkipped++;
      }
    }
    await sleepMs(originMs + endSec * 1000 + afterEndMs - sharedNowMs());
    stillRunning();

    // The cart sends its snapshot once its outbox is empty, numbered as its last event.
    const sim = store;
    const caughtUp = () => {
      const s = sim.snapshots.get(cartId);
      return s && s.seq === sim.lastSeqOf(cartId) ? s : undefined;
    };
    await sim.waitFor(caughtUp, 10_000, 'the snapshot after the last event');

    const problems: string[] = [];
    const exit = await firmware.stop(stopTimeoutMs);
    const snapshot = caughtUp();
    if (!snapshot) throw new Error('the cart decided more while it stopped, and its last snapshot did not reach the store');
    if (exit.code !== 0) problems.push(`the firmware exited with ${exit.code ?? exit.signal} on SIGTERM, not 0`);
    if (!exit.goodbye) problems.push('the firmware did not say goodbye');
    const left = undeliveredEvents(databasePath);
    if (left > 0) problems.push(`${left} events were still in the cart's outbox at the end`);
    const events = sim.eventsOf(cartId);
    problems.push(...snapshotDisagreement(sim.basketOf(cartId), snapshot).map((d) => `store basket ${d}`));
    if (sim.gaps.length > 0 || sim.invalid.length > 0) problems.push(`the store saw ${sim.gaps.length} gaps and ${sim.invalid.length} invalid payloads`);
    const { result, afterEnd } = resultFromStore(events, snapshot, originSec, endSec);
    for (const e of afterEnd) {
      log.info('decided after the trace ended, on the held last sample: not in the result', { t: Number((e.atSec - originSec).toFixed(3)), event: e.kind });
    }
    const delivery = events.filter((e) => e.type === 'basket')
      .map((e) => e.receivedAtMs - (originMs + (e.atSec - originSec) * 1000))
      .sort((a, b) => a - b);
    return {
      result,
      problems,
      startupSec: (originMs - spawnedAtMs) / 1000,
      serialLateMaxMs,
      deliveryMedianMs: quantile(delivery, 0.5),
      deliveryMaxMs: delivery.at(-1) ?? null,
      ticksLost: ticksLost(firmware.lines),
      buttonLinesSkipped,
    };
  } finally {
    firmware?.kill();
    lines.return(undefined);
    await store?.stop();
    await broker?.close();
    await pty?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
