// Is the cart fit to shop? The service writes what it knows to a small JSON
// file in its runtime directory every few seconds; `cart-firmware health`
// reads it, adds the free disk, judges, prints, and exits 1 when the cart is
// not fit. A file rather than a query of the database: the devices' state
// lives only in the running process, a file in /run (tmpfs) costs the SD card
// nothing, needs no server in the service, and its age tells a hung service
// from a working one; the command needs no access to the database and never
// holds a read transaction against the service's WAL.
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ScannerHealth } from '../drivers/scanner/scanner.js';
import { ConfigError } from './config-file.js';
import { loadHealthConfig } from './health-config.js';
import type { Seconds } from './domain.js';
import type { FeedbackHealth } from './feedback/index.js';
import type { Logger } from './log.js';
import type { RunningCart } from './service.js';
import type { SetAside } from './storage/set-aside.js';
import { readDeviceStats } from './sync/device-stats.js';
import type { LinkStatus } from './sync/store-link.js';
import { deviceHealthOf, type SimulatedDevices } from './sync/telemetry.js';

/** simulated: asked for in the config (bench, demos); shown as a warning, never as ok. */
export type DeviceStatus = 'ok' | 'warning' | 'failed' | 'simulated';

export interface DeviceState {
  device: string;
  status: DeviceStatus;
  detail?: string;
}

export interface HealthSnapshot {
  state: 'running' | 'stopped';
  pid: number;
  version: string;
  /** Wall-clock label of the write, for people: the Pi has no real-time clock. */
  writtenAt: string;
  runSec: number;
  devices: DeviceState[];
  /** plainText: the link has no TLS outside the demo and bench (mqtt.plainTextExpected). */
  link: { status: LinkStatus; lastSyncAgoSec: Seconds | null; plainText: boolean };
  outboxDepth: number;
  basket: { lines: number; openAlerts: number };
  /** The technician whose cart-cal session holds the scale, null when none. */
  maintenanceBy: string | null;  /** This database replaced a damaged one: when, where the old one went, whether the basket was taken back from the store. */
  databaseSetAside?: SetAside | null;
}

export interface Fitness {
  fit: boolean;
  /** Each one makes the cart unfit to shop. */
  problems: string[];
  warnings: string[];
}

/** The devices a shopper cannot do without: a failed one takes the cart out of service. */
export function devicesFit(devices: readonly DeviceState[]): boolean {
  return devices.every((d) => d.status !== 'failed' || d.device === 'feedback');
}

export interface FitnessContext {
  /** Seconds since the file was written; null when there is no file. */
  ageSec: Seconds | null;
  staleAfterSec: Seconds;
  diskFreeMb: number | null;
  minFreeDiskMb: number;
  path: string;
}

export function assessFitness(s: HealthSnapshot | null, ctx: FitnessContext): Fitness {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (!s || ctx.ageSec === null) {
    problems.push(`no health file at ${ctx.path}: the service is not running (systemctl status cart-firmware)`);
  } else if (s.state === 'stopped') {
    problems.push(`the service stopped at ${s.writtenAt}`);
  } else if (ctx.ageSec > ctx.staleAfterSec) {
    problems.push(`the service last wrote its health ${Math.round(ctx.ageSec)} s ago: it is hung or was killed`);
  }
  if (s) {
    for (const d of s.devices) {
      const line = `${d.device} ${d.status}${d.detail ? `: ${d.detail}` : ''}`;
      if (d.status === 'failed' && d.device !== 'feedback') problems.push(line);
      else if (d.status !== 'ok') warnings.push(line);
    }
    if (s.maintenanceBy !== null) problems.push(`in maintenance: ${s.maintenanceBy} holds the scale with cart-cal`);
    const aside = s.databaseSetAside;
    if (aside) warnings.push(`database set aside as damaged at ${aside.at} (kept as ${aside.movedTo}); basket ${aside.basketTakenBackAt ? `taken back from the store at ${aside.basketTakenBackAt}` : 'not taken back from the store'}`);
    if (s.link.status !== 'online') warnings.push(`store link ${s.link.status}; ${s.outboxDepth} messages wait in the outbox`);
    if (s.link.plainText) warnings.push('store link without TLS: baskets cross the network readable and the broker is not authenticated (set mqtt.url to mqtts:// with mqtt.tls)');
  }
  if (ctx.diskFreeMb !== null && ctx.diskFreeMb < ctx.minFreeDiskMb) {
    problems.push(`only ${ctx.diskFreeMb} MB free beside the database (at least ${ctx.minFreeDiskMb} MB needed to keep committing the basket)`);
  }
  return { fit: problems.length === 0, problems, warnings };
}

export interface HealthSources {
  running: RunningCart;
  scanner: { health(): ScannerHealth };
  feedback: { health(): FeedbackHealth };
  simulated: SimulatedDevices;
  version: string;
  clock: () => Seconds;
}

/** Builds snapshots from the running cart; remembers when the store last acknowledged something. */
export function healthCollector(src: HealthSources): (state: HealthSnapshot['state']) => HealthSnapshot {
  let acked = -1;
  let lastSyncSec: Seconds | null = null;
  return (state) => {
    const { running } = src;
    const now = src.clock();
    const outboxDepth = running.store.outboxDepth();
    // Outbox rows go on PUBACK: what was ever queued less what waits is what the store has.
    const ackedNow = running.store.lastQueuedSeq() - outboxDepth;
    if ((acked >= 0 && ackedNow > acked) || (running.link.status === 'online' && outboxDepth === 0)) lastSyncSec = now;
    acked = ackedNow;
    const fb = src.feedback.health();
    const feedback: DeviceState = { device: 'feedback', status: fb.status };
    const notes = [...Object.entries(fb.buttons).filter(([, c]) => c === 'stuck').map(([b]) => `${b} button stuck`)];
    if (notes.some(Boolean)) feedback.detail = notes.filter(Boolean).join(', ');
    return {
      state,
      pid: process.pid,
      version: src.version,
      writtenAt: new Date().toISOString(),
      runSec: Math.round(process.uptime()),
      devices: [...deviceHealthOf(running.loadCells.sampler.health(), src.scanner.health(), src.simulated), running.storageHealth(), feedback],
      link: { status: running.link.status, lastSyncAgoSec: lastSyncSec === null ? null : Math.round(now - lastSyncSec), plainText: running.link.plainText },
      outboxDepth,
      basket: { lines: running.store.lines().length, openAlerts: running.store.state.openAlerts.length },
      maintenanceBy: running.maintenance.holder,
      databaseSetAside: running.databaseSetAside(),
    };
  };
}

/** Writes the snapshot every few seconds, atomically (a reader never sees half a file). */
export class HealthFile {
  #timer: NodeJS.Timeout | null = null;
  #failing = false;
  #writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly everySec: Seconds,
    private readonly snapshot: (state: HealthSnapshot['state']) => HealthSnapshot,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.#write('running');
    this.#timer = setInterval(() => this.#write('running'), this.everySec * 1000);
  }

  /** The last word: the service stopped, so the command does not wait for the file to go stale. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#writing;
    this.#write('stopped');
    await this.#writing;
  }

  #write(state: HealthSnapshot['state']): void {
    const tmp = `${this.path}.tmp`;
    // Inside the chain, so that a snapshot that cannot be taken (a database error) is logged, not thrown from a timer.
    this.#writing = this.#writing
      .then(() => writeFile(tmp, JSON.stringify(this.snapshot(state))))
      .then(() => rename(tmp, this.path))
      .then(
        () => {
          if (this.#failing) this.log.info('health file written again', { path: this.path });
          this.#failing = false;
        },
        (err: unknown) => {
          if (!this.#failing) this.log.warn('cannot write the health file; once it is stale `cart-firmware health` calls the cart unfit', { path: this.path, error: (err as Error).message });
          this.#failing = true;
        },
      );
  }
}

function formatAge(sec: number): string {
  if (sec < 120) return `${Math.round(sec)} s`;
  if (sec < 7200) return `${Math.round(sec / 60)} min`;
  return `${Math.round(sec / 3600)} h`;
}

export function formatReport(s: HealthSnapshot | null, ctx: FitnessContext, verdict: Fitness): string {
  const out = [`cart ${verdict.fit ? 'FIT TO SHOP' : 'NOT FIT TO SHOP'}`];
  const row = (name: string, text: string) => out.push(`  ${name.padEnd(11)} ${text}`);
  if (s && ctx.ageSec !== null) {
    row('service', `${s.state}, pid ${s.pid}, version ${s.version}, up ${formatAge(s.runSec)}, health written ${formatAge(ctx.ageSec)} ago`);
    for (const d of s.devices) row(d.device, `${d.status}${d.detail ? ` (${d.detail})` : ''}`);
    const ago = s.link.lastSyncAgoSec === null ? 'never since start' : `${formatAge(s.link.lastSyncAgoSec + ctx.ageSec)} ago`;
    row('store link', `${s.link.status}${s.link.plainText ? ', WITHOUT TLS' : ''}, last sync ${ago}`);
    row('outbox', `${s.outboxDepth} messages`);
    row('basket', `${s.basket.lines} lines, ${s.basket.openAlerts} open alerts`);
  }
  row('disk', ctx.diskFreeMb === null ? 'free space unknown' : `${ctx.diskFreeMb} MB free beside the database (at least ${ctx.minFreeDiskMb} MB)`);
  for (const p of verdict.problems) out.push(`problem: ${p}`);
  for (const w of verdict.warnings) out.push(`warning: ${w}`);
  return out.join('\n');
}

/**
 * `cart-firmware health [--config FILE]`: prints the report; 0 when fit to
 * shop, 1 when not, 2 when the config is unusable. Only the keys it reads are
 * checked while the cart is fit; when it is not, the whole config is, as a
 * config the service refuses is the likeliest reason.
 */
export async function healthCommand(configPath: string): Promise<number> {
  let config;
  try {
    config = loadHealthConfig(configPath);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 2;
  }
  const path = config.health.path;
  let snapshot: HealthSnapshot | null = null;
  let ageSec: Seconds | null = null;
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    snapshot = JSON.parse(text) as HealthSnapshot;
    ageSec = Math.max(0, (Date.now() - info.mtimeMs) / 1000);
  } catch {
    // No file, or a torn one: the service is not running, which the verdict says.
  }
  const stats = await readDeviceStats(dirname(config.databasePath));
  const ctx: FitnessContext = { ageSec, staleAfterSec: 3 * config.health.everySec, diskFreeMb: stats.diskFreeMb, minFreeDiskMb: config.health.minFreeDiskMb, path };
  const verdict = assessFitness(snapshot, ctx);
  if (!verdict.fit) {
    const { loadConfig } = await import('./config.js');
    try {
      loadConfig(configPath);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
  }
  process.stdout.write(formatReport(snapshot, ctx, verdict) + '\n');
  return verdict.fit ? 0 : 1;
}
