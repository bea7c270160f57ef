// Kill rounds: a child process commits the test input stream to a cart
// database and reports each commit; it is killed with SIGKILL after a varying
// number of them, and the database is checked (integrity, every reported
// commit there, the saved basket equal to the log folded). The child is
// bundled once with esbuild and started with plain node: tsx's start-up
// (about a second on a loaded machine) would make 100 rounds take minutes.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { basketLines } from '../../firmware/basket/lines.js';
import { defaultReconcilerConfig } from '../../firmware/basket/types.js';
import { silentLogger } from '../../firmware/log.js';
import { BasketStore } from '../../firmware/storage/basket-store.js';
import { openDatabase } from '../../firmware/storage/database.js';
import { testCatalog } from './inputs.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The crash child as one CommonJS file under node_modules/.cache, where `better-sqlite3` resolves. */
export function bundleCrashChild(): string {
  const dir = join(root, 'node_modules', '.cache', 'cart-firmware');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `crash-child-${process.pid}.cjs`);
  buildSync({ entryPoints: [join(root, 'test/storage/crash-child.ts')], bundle: true, platform: 'node', format: 'cjs', external: ['better-sqlite3'], outfile, logLevel: 'error' });
  return outfile;
}

export interface RoundResult {
  /** event_log sequence numbers the child reported committed before it died. */
  reported: number[];
  /** What was wrong afterwards; empty when the database kept everything. */
  problems: string[];
}

/** Runs the child on `path` until it has reported `killAfter` commits, kills it, and checks the database. */
export async function killRound(child: string, path: string, killAfter: number): Promise<RoundResult> {
  const reported = await new Promise<number[]>((resolve) => {
    // Without the test runner's NODE_OPTIONS (its loaders and process tracking): the child is plain JavaScript.
    const proc = spawn(process.execPath, [child, path], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' } });
    const seqs: number[] = [];
    let buffered = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const l of lines) seqs.push(Number(l.split(' ')[1]));
      if (seqs.length >= killAfter) proc.kill('SIGKILL');
    });
    proc.on('exit', () => resolve(seqs));
  });
  const problems: string[] = [];
  const { db } = openDatabase(path, silentLogger);
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') problems.push(`quick_check: ${String(check)}`);
    const last = (db.prepare('SELECT max(seq) AS s FROM event_log').get() as { s: number | null }).s ?? 0;
    const lost = reported.filter((s) => s > last);
    if (lost.length > 0) problems.push(`reported commits missing: ${lost.join(',')}`);
    const store = new BasketStore(db);
    const rebuilt = store.rebuild(testCatalog, defaultReconcilerConfig);
    if (JSON.stringify(rebuilt) !== JSON.stringify(store.state)) problems.push('saved basket differs from the log folded');
    if (JSON.stringify(basketLines(rebuilt)) !== JSON.stringify(store.lines())) problems.push('basket lines differ from the log folded');
  } finally {
    db.close();
  }
  return { reported, problems };
}

/**
 * A fresh database for kill rounds, in memory-backed /dev/shm where there is
 * one: SIGKILL ends the process, not the machine, so what was written is in
 * the kernel's page cache either way and fsync proves nothing here (power
 * cuts are synchronous=FULL's business); a slow shared disk's fsyncs would
 * only make the rounds take minutes.
 */
export function killRoundsDb(): string {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  return join(mkdtempSync(join(base, 'cart-kill-')), 'cart.db');
}

/**
 * Each check folds the whole log again, so a database is given this many
 * rounds (restarts on a log that grows) and then a fresh one is started:
 * rounds cost the same, however many there are.
 */
export const roundsPerDatabase = 10;

/** Round r's kill point: between 5 and 44 commits, spread so that kills land at every phase of the stream. */
export const killAfterFor = (round: number) => 5 + ((round * 7919) % 40);
