// Takes catalog updates from the store: checked against the schema, verified
// against the store's key, then applied, ignored or answered with a request
// for a full copy, as catalog-version.ts decides.
import type { KeyObject } from 'node:crypto';
import type { Logger } from '../log.js';
import type { CatalogStore } from '../storage/basket-store.js';
import { catalogAction } from './catalog-version.js';
import { check, firstProblem, type CatalogUpdate } from './schemas.js';
import { verifyMessage } from './signing.js';

export type CatalogOutcome = 'applied' | 'ignored' | 'rejected' | { requestFullFrom: number };

export class CatalogSync {
  constructor(private readonly catalog: CatalogStore, private readonly publicKey: KeyObject | null, private readonly log: Logger) {}

  handle(payload: Buffer, topic: string): CatalogOutcome {
    const reject = (why: string): CatalogOutcome => {
      this.log.warn('catalog update rejected; the cart keeps the catalog it has', { topic, why, held: this.catalog.version() });
      return 'rejected';
    };
    let msg: unknown;
    try {
      msg = JSON.parse(payload.toString('utf8'));
    } catch {
      return reject('not JSON');
    }
    if (typeof msg !== 'object' || msg === null || typeof (msg as { sig?: unknown }).sig !== 'string') return reject('no sig field');
    if (!check.catalog.Check(msg)) return reject(firstProblem(check.catalog, msg));
    const update = msg as CatalogUpdate;
    if (!this.publicKey) return reject('the cart has no store key to check it with');
    if (!verifyMessage(update as unknown as Record<string, unknown>, this.publicKey)) return reject('signature does not verify with the store key');

    const held = this.catalog.version();
    const decision = catalogAction(held, update);
    switch (decision.action) {
      case 'ignore':
        this.log.debug('catalog update ignored', { why: decision.why });
        return 'ignored';
      case 'request-full':
        this.log.info('catalog delta does not fit; asking the store for a full copy', { why: decision.why });
        return { requestFullFrom: held };
      case 'apply':
        if (update.type === 'catalog.full') {
          this.catalog.replace(update.products, update.version);
          this.log.info('catalog replaced', { from: held, to: update.version, products: update.products.length });
        } else {
          this.catalog.applyDelta(update.upsert, update.remove, update.version);
          this.log.info('catalog updated', { from: held, to: update.version, changed: update.upsert.length, removed: update.remove.length });
        }
        return 'applied';
    }
  }
}
