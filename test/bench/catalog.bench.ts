// A store catalog of 200,000 products (the schema's limit) taken by the cart,
// beside the path it replaced: how long the event loop, and with it the load
// cell sampling, is held. A timer ticks every 10 ms, as the sampler's does;
// a gap is the time between two ticks. Every tenth tick commits a basket
// change (an outbox row, synchronous=FULL, as BasketStore does): "longest
// commit" is how long one took, waiting for the catalog worker's write lock
// included. "main thread" parses, checks, verifies and writes the catalog in
// one go, as the cart did before issue 15; "worker writes" is CatalogSync:
// the catalog worker thread checks the catalog and builds it beside the old
// one on its own connection, the main thread swaps it in. Rounds alternate;
// medians over rounds.
//
//   npx tsx test/bench/catalog.bench.ts [PRODUCTS] [ROUNDS] [CHUNK_ROWS]
//
// "idle" is the same timer and commits with nothing else to do for as long,
// as a baseline: on a loaded machine the operating system alone makes gaps.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../firmware/log.js';
import { BasketStore, CatalogStore } from '../../firmware/storage/basket-store.js';
import { openDatabase } from '../../firmware/storage/database.js';
import { CatalogSync, defaultCatalogChunkRows } from '../../firmware/sync/catalog-sync.js';
import { check, type CatalogFull } from '../../firmware/sync/schemas.js';
import { signMessage, verifyMessage } from '../../firmware/sync/signing.js';
import { largeCatalog } from '../sync/helpers/catalogs.js';
import { quantile } from './score.js';

const products = Number(process.argv[2] ?? 200_000);
const rounds = Number(process.argv[3] ?? 3);
const chunkRows = Number(process.argv[4] ?? defaultCatalogChunkRows);
const tickMs = 10;
const keys = generateKeyPairSync('ed25519');

interface Run {
  totalMs: number;
  maxGapMs: number;
  p99GapMs: number;
  gapsOver25: number;
  maxCommitMs: number;
}

/** Runs `work` with a 10 ms ticker beside it, committing on every tenth tick, and returns the gaps the ticker saw. */
async function underTicker(work: () => Promise<void>, commit: () => void): Promise<Run> {
  const gaps: number[] = [];
  const commits: number[] = [];
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
    if (gaps.length % 10 === 0) {
      commit();
      commits.push(performance.now() - now);
    }
  }, tickMs);
  const start = performance.now();
  await work();
  const totalMs = performance.now() - start;
  await new Promise((r) => setTimeout(r, 3 * tickMs));
  clearInterval(ticker);
  const sorted = [...gaps].sort((a, b) => a - b);
  return {
    totalMs, maxGapMs: sorted.at(-1) ?? 0, p99GapMs: quantile(sorted, 0.99) ?? 0, gapsOver25: gaps.filter((g) => g > 25).length, maxCommitMs: Math.max(0, ...commits),
  };
}

function freshCart() {
  const dir = mkdtempSync(join(tmpdir(), 'cart-catalog-bench-'));
  const { db } = openDatabase(join(dir, 'cart.db'), silentLogger);
  const catalog = new CatalogStore(db);
  catalog.replace(largeCatalog(products, 1), 1);
  return { dir, db, catalog, basket: new BasketStore(db) };
}

type Path = 'idle' | 'main thread' | 'worker writes';

/** `payload` is the round's own copy, as MQTT gives each message its own buffer: the worker path takes it over. */
async function round(path: Path, payload: Buffer, idleMs: number): Promise<Run> {
  const c = freshCart();
  const sync = new CatalogSync({ db: c.db, catalog: c.catalog, basket: c.basket, publicKey: keys.publicKey, log: silentLogger, chunkRows });
  const commit = () => c.db.transaction(() => c.basket.queueMessage('events', { type: 'basket', op: 'add', gtin: '05901234123457' }))();
  try {
    return await underTicker(async () => {
      if (path === 'idle') {
        await new Promise((r) => setTimeout(r, idleMs));
        return;
      }
      if (path === 'main thread') {
        const msg = JSON.parse(payload.toString('utf8')) as CatalogFull;
        if (!check.catalog.Check(msg) || !verifyMessage(msg as unknown as Record<string, unknown>, keys.publicKey)) throw new Error('bench catalog refused');
        c.catalog.replace(msg.products, msg.version);
      } else {
        const outcome = await sync.handle(payload, 'bench');
        if (outcome !== 'applied') throw new Error(`bench catalog ${JSON.stringify(outcome)}`);
      }
      if (c.catalog.version() !== 2 || c.catalog.size !== products) throw new Error('the catalog was not taken');
    }, commit);
  } finally {
    await sync.stop();
    c.db.close();
    rmSync(c.dir, { recursive: true, force: true });
  }
}

const payload = Buffer.from(JSON.stringify(signMessage({ v: 1 as const, type: 'catalog.full' as const, version: 2, products: largeCatalog(products, 2) }, keys.privateKey)));
const megabytes = payload.length / 1e6;
const runs: Record<Path, Run[]> = { idle: [], 'main thread': [], 'worker writes': [] };
const loadBefore = loadavg()[0]!;
for (let r = 0; r < rounds; r++) {
  for (const path of ['main thread', 'worker writes'] as const) runs[path].push(await round(path, Buffer.from(payload), 0));
  runs.idle.push(await round('idle', payload, runs['worker writes'].at(-1)!.totalMs));
}
const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5)!;
const row = (path: string) => {
  const rs = runs[path as Path];
  const f = (x: number) => `${x.toFixed(0)} ms`;
  return `${path.padEnd(16)} ${f(median(rs.map((x) => x.totalMs))).padEnd(9)} ${f(median(rs.map((x) => x.maxGapMs))).padEnd(12)} ${f(median(rs.map((x) => x.p99GapMs))).padEnd(10)} ${median(rs.map((x) => x.gapsOver25)).toFixed(0).padEnd(13)} ${f(median(rs.map((x) => x.maxCommitMs)))}`;
};
const main = median(runs['main thread'].map((x) => x.maxGapMs));
const worker = median(runs['worker writes'].map((x) => x.maxGapMs));
const idle = median(runs.idle.map((x) => x.maxGapMs));
process.stdout.write([
  `a signed catalog of ${products.toLocaleString('en')} products (${megabytes.toFixed(1)} MB), ${rounds} rounds each, medians; a ${tickMs} ms timer beside it; ${chunkRows} rows a chunk; load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after, on ${cpus().length} cores`,
  `path             taken in  longest gap  p99 gap    gaps > 25 ms  longest commit`,
  row('idle'),
  row('main thread'),
  row('worker writes'),
  `longest gap, worker writes / main thread: ${(worker / main).toFixed(3)}; worker writes / idle: ${(worker / idle).toFixed(2)}`,
].join('\n') + '\n');
