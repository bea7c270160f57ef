// The catalog worker thread (catalog-worker.ts starts it). It parses each
// catalog update, checks it against the schema and verifies the store's
// signature: together over a second for a 200,000-product catalog, which on
// the main thread stalled the load cell sampling. It keeps an update it
// accepted until the main thread releases it; meanwhile it builds a large one
// beside the catalog in use, on a database connection of its own
// (catalog-staging.ts), and empties the old catalog after the main thread has
// swapped the new one in. A small delta's few products are handed to the
// main thread instead, which applies them in one transaction.
import { createPublicKey } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { Product } from '../domain.js';
import type { Db } from '../storage/database.js';
import { CatalogStaging, openStagingConnection } from '../storage/catalog-staging.js';
import { checkCatalog } from './catalog-check.js';
import type { CatalogPart, CatalogThreadData, CatalogThreadReply, CatalogThreadRequest, StageRequest } from './catalog-worker.js';
import type { CatalogUpdate } from './schemas.js';

const port = parentPort;
if (!port) throw new Error('the catalog worker must run as a worker thread');
const { stopFlag } = workerData as CatalogThreadData;

// The load cell sampling runs on the main thread: when both want the same
// core, it goes first. On Linux a nice value belongs to one thread
// (setpriority(2), NOTES), so this lowers this thread alone; elsewhere it
// would lower the whole process.
if (process.platform === 'linux') setPriority(Math.min(19, getPriority() + 10));

const held = new Map<number, CatalogUpdate>();

function part(update: CatalogUpdate, name: CatalogPart): readonly unknown[] {
  if (update.type === 'catalog.full') return name === 'products' ? update.products : [];
  return name === 'upsert' ? update.upsert : name === 'remove' ? update.remove : [];
}

/**
 * Between two chunks, outside the write lock: the chunk's pages in the WAL
 * are written to disk here (fsync), or the next basket commit, whose
 * synchronous=FULL fsync flushes the whole file, would write them and make
 * the main thread wait (up to 50 ms measured). Then the lock stays free at
 * least as long as the last chunk held it: a basket commit that found it
 * taken retries within a few milliseconds (SQLite's busy handler sleeps 1,
 * 2, 5, 10 ms...) and finds it free. Atomics.wait ends the pause at once
 * when the cart stops.
 */
function staging(db: Db, walFd: number, chunkRows: number): CatalogStaging {
  return new CatalogStaging(db, {
    chunkRows,
    pause: (heldMs) => {
      fsyncSync(walFd);
      Atomics.wait(stopFlag, 0, 0, Math.max(1, heldMs));
    },
    stopped: () => Atomics.load(stopFlag, 0) !== 0,
  });
}

function withConnection<T>(req: StageRequest, work: (s: CatalogStaging) => T): T {
  const db = openStagingConnection(req.dbPath);
  try {
    // The WAL file exists while a connection is open in WAL mode, as this one is.
    const walFd = openSync(`${req.dbPath}-wal`, 'r');
    try {
      return work(staging(db, walFd, req.chunkRows));
    } finally {
      closeSync(walFd);
    }
  } finally {
    db.close();
  }
}

function handle(req: CatalogThreadRequest): CatalogThreadReply | null {
  switch (req.kind) {
    case 'check': {
      const key = req.storeKeyDer ? createPublicKey({ key: Buffer.from(req.storeKeyDer), format: 'der', type: 'spki' }) : null;
      const checked = checkCatalog(req.payload, key);
      if (!checked.ok) return { id: req.id, kind: 'check', checked };
      const u = checked.update;
      held.set(req.id, u);
      return {
        id: req.id,
        kind: 'check',
        checked: {
          ok: true,
          header: u.type === 'catalog.full' ? { type: u.type, version: u.version } : { type: u.type, version: u.version, baseVersion: u.baseVersion },
          counts: { products: part(u, 'products').length, upsert: part(u, 'upsert').length, remove: part(u, 'remove').length },
        },
      };
    }
    case 'slice': {
      const u = held.get(req.ref);
      if (!u) throw new Error(`no catalog update ${req.ref} is held`);
      return { id: req.id, kind: 'slice', items: part(u, req.part).slice(req.from, req.from + req.count) };
    }
    case 'stage': {
      const u = held.get(req.ref);
      if (!u) throw new Error(`no catalog update ${req.ref} is held`);
      const products = withConnection(req, (s) =>
        u.type === 'catalog.full' ? s.buildFull(u.products as Product[]) : s.buildPatch(u.upsert as Product[], u.remove));
      return { id: req.id, kind: 'staged', products };
    }
    case 'discard-old':
      withConnection(req, (s) => s.discardOld());
      return { id: req.id, kind: 'done' };
    case 'release':
      held.delete(req.ref);
      return null;
  }
}

port.on('message', (req: CatalogThreadRequest) => {
  try {
    const reply = handle(req);
    if (reply) port.postMessage(reply);
  } catch (err) {
    port.postMessage({ id: req.id, kind: 'failed', name: (err as Error).name, error: (err as Error).message } satisfies CatalogThreadReply);
  }
});
