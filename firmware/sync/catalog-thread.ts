// The catalog worker thread (catalog-worker.ts starts it). It parses each
// catalog update, checks it against the schema and verifies the store's
// signature: together over a second for a 200,000-product catalog, which on
// the main thread stalled the load cell sampling. It keeps an update it
// accepted until the main thread, which asks for the products a slice at a
// time, releases it.
import { createPublicKey } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { checkCatalog } from './catalog-check.js';
import type { CatalogPart, CatalogThreadReply, CatalogThreadRequest } from './catalog-worker.js';
import type { CatalogUpdate } from './schemas.js';

const port = parentPort;
if (!port) throw new Error('the catalog worker must run as a worker thread');

const held = new Map<number, CatalogUpdate>();

function part(update: CatalogUpdate, name: CatalogPart): readonly unknown[] {
  if (update.type === 'catalog.full') return name === 'products' ? update.products : [];
  return name === 'upsert' ? update.upsert : name === 'remove' ? update.remove : [];
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
    port.postMessage({ id: req.id, kind: 'failed', error: (err as Error).message } satisfies CatalogThreadReply);
  }
});
