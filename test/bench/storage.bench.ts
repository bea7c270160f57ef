// Commit latency of one basket decision (event log rows, basket projection,
// saved state and outbox in one transaction) with synchronous=FULL, the
// cart's setting, beside NORMAL, better-sqlite3's default for WAL. Medians
// and 99th percentiles over the same stream of inputs, run alternately.
//
//   npx tsx test/bench/storage.bench.ts [COMMITS]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reconcile } from '../../firmware/basket/reconciler.js';
import { defaultReconcilerConfig } from '../../firmware/basket/types.js';
import { silentLogger } from '../../firmware/log.js';
import { BasketStore } from '../../firmware/storage/basket-store.js';
import { openDatabase } from '../../firmware/storage/database.js';
import { inputAt, testCatalog } from '../storage/inputs.js';
import { quantile } from './score.js';

const commits = Number(process.argv[2] ?? 400);
const rounds = 3;

function run(mode: 'FULL' | 'NORMAL'): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'cart-commit-bench-'));
  const { db } = openDatabase(join(dir, 'cart.db'), silentLogger);
  db.pragma(`synchronous = ${mode}`);
  const store = new BasketStore(db);
  const ms: number[] = [];
  for (let i = 0; i < commits; i++) {
    const input = inputAt(i);
    const outcome = reconcile(store.state, input, testCatalog, defaultReconcilerConfig);
    const start = process.hrtime.bigint();
    store.commit(input, outcome);
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

const results: Record<'FULL' | 'NORMAL', number[]> = { FULL: [], NORMAL: [] };
for (let r = 0; r < rounds; r++) {
  for (const mode of ['NORMAL', 'FULL'] as const) results[mode].push(...run(mode));
}
const stats = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5)!, p99: quantile(sorted, 0.99)! };
};
const full = stats(results.FULL);
const normal = stats(results.NORMAL);
const f = (x: number) => `${x.toFixed(3)} ms`;
process.stdout.write([
  `commit of one basket decision, ${rounds} x ${commits} commits each, on ${tmpdir()}`,
  `synchronous   median      p99`,
  `NORMAL        ${f(normal.median).padEnd(11)} ${f(normal.p99)}`,
  `FULL          ${f(full.median).padEnd(11)} ${f(full.p99)}`,
  `FULL / NORMAL ${(full.median / normal.median).toFixed(1)}x       ${(full.p99 / normal.p99).toFixed(1)}x`,
].join('\n') + '\n');
