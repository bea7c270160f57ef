// Fleet benchmark: N carts on one mosquitto, each the real firmware path
// (reconciler, SQLite with its outbox, store link), shopping at a steady rate,
// and one store simulator hearing them all. Reports delivered events per
// second, commit-to-store latency (median, p99), CPU of the broker, the cart
// processes and the store, and whether every event arrived exactly once in
// effect. Bounded: the shopping lasts --duration-sec, the drain at most 120 s.
//
//   npx tsx test/bench/fleet.bench.ts --carts 200 --duration-sec 60 --step-every-sec 20
//   --no-fsync: the simulated carts' SQLite skips fsync. Here hundreds of carts
//   share one disk and one event loop per process, so at stress rates their
//   commits, not the link, are what saturates; this measures the link alone.
//
// Run by hand, not in `npm test`: it takes the machine's cores for a minute.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { createLogger, memorySink } from '../../firmware/log.js';
import { openCartRig, type CartRig } from '../sync/helpers/cart-rig.js';
import { startMosquitto } from '../sync/helpers/mosquitto.js';
import { sharedNowMs, StoreSim } from './store-sim.js';

interface WorkerJob {
  url: string;
  storeId: string;
  storePublicKeyPem: string;
  cartIds: string[];
  stepEverySec: number;
  durationSec: number;
  dir: string;
  /** Hundreds of simulated carts share one disk and one event loop here, where a real cart has its own; off measures the link alone. */
  fsync: boolean;
}

interface WorkerReport {
  commits: [cartId: string, seq: number, atMs: number][];
  finalSeq: Record<string, number>;
  undrained: number;
  cpuMs: number;
}

type ToWorker = { go: true } | { stop: true };
type FromWorker = { ready: number } | { report: WorkerReport };

const storeId = 'bench-store';

// ---- a worker process: a share of the carts -----------------------------------

async function worker(job: WorkerJob): Promise<void> {
  const send = (m: FromWorker) => process.send?.(m);
  const rigs: CartRig[] = [];
  for (const cartId of job.cartIds) {
    rigs.push(await openCartRig({
      url: job.url, storeId, cartId, protocolVersion: 5, storePublicKeyPem: job.storePublicKeyPem, dir: mkdtempSync(join(job.dir, `${cartId}-`)),
      // The defaults a cart ships with, so that reconnects and telemetry behave as in a store.
      mqtt: { minBackoffMs: 2000, maxBackoffMs: 60_000, keepaliveSec: 30, telemetryIntervalSec: 60, telemetryMinGapSec: 5, publishTimeoutMs: 10_000 },
    }));
    if (!job.fsync) rigs.at(-1)!.db.pragma('synchronous = OFF');
  }
  for (let waited = 0; rigs.some((r) => r.link.status !== 'online') && waited < 120_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  send({ ready: rigs.filter((r) => r.link.status === 'online').length });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));

  const commits: WorkerReport['commits'] = [];
  const cpuStart = process.cpuUsage();
  const endAt = Date.now() + job.durationSec * 1000;
  await Promise.all(rigs.map(async (rig, i) => {
    // Each shopper starts at a random moment in the first step and keeps a steady pace with some spread.
    await new Promise((r) => setTimeout(r, Math.random() * job.stepEverySec * 1000));
    for (let step = 0; Date.now() < endAt; step++) {
      const before = rig.basket.lastQueuedSeq();
      rig.shopper.step(step + i);
      const at = sharedNowMs();
      for (let seq = before + 1; seq <= rig.basket.lastQueuedSeq(); seq++) commits.push([rig.cartId, seq, at]);
      const pauseMs = Math.min(job.stepEverySec * 1000 * (0.5 + Math.random()), endAt - Date.now());
      if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
    }
  }));
  for (let waited = 0; rigs.some((r) => r.basket.outboxDepth() > 0) && waited < 120_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  const cpu = process.cpuUsage(cpuStart);
  send({ report: {
    commits,
    finalSeq: Object.fromEntries(rigs.map((r) => [r.cartId, r.basket.lastQueuedSeq()])),
    undrained: rigs.reduce((n, r) => n + r.basket.outboxDepth(), 0),
    cpuMs: (cpu.user + cpu.system) / 1000,
  } });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  for (const r of rigs) await r.close();
  process.exit(0);
}

// ---- the orchestrator ----------------------------------------------------------

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function processCpuMs(pid: number): Promise<number> {
  const ticks = Number((await promisify(execFile)('getconf', ['CLK_TCK'])).stdout.trim()) || 100;
  // /proc/PID/stat: utime and stime are fields 14 and 15, after the command name in parentheses.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / ticks) * 1000;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      carts: { type: 'string', default: '200' },
      'duration-sec': { type: 'string', default: '60' },
      'step-every-sec': { type: 'string', default: '20' },
      workers: { type: 'string', default: '2' },
      'no-fsync': { type: 'boolean', default: false },
      worker: { type: 'boolean', default: false },
    },
  });
  if (values.worker) {
    process.once('message', (job: WorkerJob) => void worker(job));
    return;
  }
  const carts = Math.min(1000, Math.max(1, Number(values.carts)));
  const durationSec = Number(values['duration-sec']);
  const stepEverySec = Number(values['step-every-sec']);
  const workers = Math.max(1, Number(values.workers));
  const dir = mkdtempSync(join(tmpdir(), 'fleet-'));
  const out = (line: string) => process.stdout.write(`${line}\n`);

  const broker = await startMosquitto();
  const brokerPid = broker.pid()!;
  const store = new StoreSim({ url: broker.url, storeId, protocolVersion: 5, log: createLogger(memorySink('warn'), 'store'), verbose: false, answerBirths: false });
  await store.start();

  const script = fileURLToPath(import.meta.url);
  const procs: ChildProcess[] = [];
  const messages: FromWorker[][] = [];
  const next = (i: number, test: (m: FromWorker) => boolean) => new Promise<FromWorker>((resolve) => {
    const found = messages[i]!.find(test);
    if (found) return resolve(found);
    procs[i]!.on('message', (m: FromWorker) => test(m) && resolve(m));
  });
  const connectStart = Date.now();
  for (let w = 0; w < workers; w++) {
    const cartIds = Array.from({ length: carts }, (_, i) => `cart-${String(i + 1).padStart(4, '0')}`).filter((_, i) => i % workers === w);
    const proc = spawn(process.execPath, ['--import', 'tsx', script, '--worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    messages.push([]);
    proc.on('message', (m: FromWorker) => messages[w]!.push(m));
    const job: WorkerJob = { url: broker.url, storeId, storePublicKeyPem: store.publicKeyPem, cartIds, stepEverySec, durationSec, dir, fsync: !values['no-fsync'] };
    proc.send(job);
    procs.push(proc);
  }
  const ready = await Promise.all(procs.map((_, i) => next(i, (m) => 'ready' in m)));
  const online = ready.reduce((n, m) => n + ('ready' in m ? m.ready : 0), 0);
  out(`${online} of ${carts} carts online in ${((Date.now() - connectStart) / 1000).toFixed(1)} s (${workers} cart processes, one mosquitto, one store)`);

  const brokerCpu0 = await processCpuMs(brokerPid);
  const storeCpu0 = process.cpuUsage();
  const startedAt = Date.now();
  const eventsBefore = store.events.length;
  for (const p of procs) p.send({ go: true } satisfies ToWorker);
  const reports = (await Promise.all(procs.map((_, i) => next(i, (m) => 'report' in m)))).map((m) => (m as { report: WorkerReport }).report);
  const finalSeq = Object.assign({}, ...reports.map((r) => r.finalSeq)) as Record<string, number>;
  for (let waited = 0; waited < 120_000 && Object.entries(finalSeq).some(([c, s]) => store.lastSeqOf(c) < s); waited += 100) await new Promise((r) => setTimeout(r, 100));
  const elapsedSec = (Date.now() - startedAt) / 1000;
  const brokerCpuMs = (await processCpuMs(brokerPid)) - brokerCpu0;
  const storeCpu = process.cpuUsage(storeCpu0);

  // Latency: commit on the cart to the store taking it, both on this machine's clock.
  const received = new Map<string, number>();
  for (const e of store.events) received.set(`${e.cartId}/${e.seq}`, e.receivedAtMs);
  const latencies = reports.flatMap((r) => r.commits).map(([c, seq, at]) => (received.get(`${c}/${seq}`) ?? Number.NaN) - at).filter(Number.isFinite).sort((a, b) => a - b);
  const expected = Object.values(finalSeq).reduce((n, s) => n + s, 0);
  const delivered = store.events.length - eventsBefore;
  const missing = Object.entries(finalSeq).reduce((n, [c, s]) => n + Math.max(0, s - store.lastSeqOf(c)), 0);
  const cartCpuMs = reports.reduce((n, r) => n + r.cpuMs, 0);
  const pct = (ms: number) => `${((100 * ms) / (elapsedSec * 1000)).toFixed(1)} % of a core`;

  out(`shopping ${durationSec} s, a step every ${stepEverySec} s per cart${values['no-fsync'] ? ', carts\' SQLite without fsync' : ''}; measured over ${elapsedSec.toFixed(1)} s to the last event`);
  out(`delivered ${delivered} events, ${(delivered / elapsedSec).toFixed(1)} events/s`);
  out(`latency commit -> store: median ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms (${latencies.length} events)`);
  out(`cpu: broker ${pct(brokerCpuMs)}, carts ${pct(cartCpuMs)} (${(cartCpuMs / carts / elapsedSec).toFixed(2)} ms/s per cart), store ${pct((storeCpu.user + storeCpu.system) / 1000)}`);
  out(`exactly once in effect: expected ${expected}, taken ${store.events.length} once each, repeats dropped ${store.duplicates.length}, gaps ${store.gaps.length}, missing ${missing}, invalid payloads ${store.invalid.length}, left in outboxes ${reports.reduce((n, r) => n + r.undrained, 0)}`);
  const ok = missing === 0 && store.gaps.length === 0 && store.invalid.length === 0 && store.events.length === expected;
  out(ok ? 'PASS every event arrived exactly once in effect' : 'FAIL events lost, out of order or malformed');

  for (const p of procs) p.send({ stop: true } satisfies ToWorker);
  await Promise.all(procs.map((p) => new Promise((r) => p.once('exit', r))));
  await store.stop();
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = ok ? 0 : 1;
}

void main();
