// Whether a catalog update from the store can be taken at all: JSON, signed,
// of the schema, and signed by the store's key. Pure, and the expensive part
// of a catalog (a 200,000-product one is over 30 MB of JSON): the catalog
// worker runs it off the main thread. Which version to take is decided after
// (catalog-version.ts), on the main thread, against the version held.
import type { KeyObject } from 'node:crypto';
import { check, schemaProblem, type CatalogUpdate } from './schemas.js';
import { verifyMessage } from './signing.js';

export type CatalogRejectReason = 'malformed' | 'unsigned' | 'bad-signature';

/** What a result may echo of an update it could not take, each taken only where its type is right. */
export interface CatalogEcho {
  catalog: 'catalog.full' | 'catalog.delta' | null;
  version: number | null;
  baseVersion?: number;
}

export type CatalogCheck =
  | { ok: true; update: CatalogUpdate }
  | { ok: false; reason: CatalogRejectReason; detail: string; field?: string; echo: CatalogEcho };

const count = (v: unknown): number | undefined => (Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : undefined);

function echoOf(o: Record<string, unknown>): CatalogEcho {
  const catalog = o.type === 'catalog.full' || o.type === 'catalog.delta' ? o.type : null;
  const baseVersion = count(o.baseVersion);
  return { catalog, version: count(o.version) ?? null, ...(baseVersion === undefined ? {} : { baseVersion }) };
}

export function checkCatalog(payload: Uint8Array, publicKey: KeyObject | null): CatalogCheck {
  const unreadable: CatalogEcho = { catalog: null, version: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed', detail: 'not JSON', field: '', echo: unreadable };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'malformed', detail: 'not a JSON object', field: '', echo: unreadable };
  }
  const o = parsed as Record<string, unknown>;
  const echo = echoOf(o);
  if (typeof o.sig !== 'string') return { ok: false, reason: 'unsigned', detail: 'no sig field', echo };
  const problem = schemaProblem(check.catalog, o);
  if (problem) return { ok: false, reason: 'malformed', detail: `${problem.path || '(top level)'}: ${problem.message}`.slice(0, 300), field: problem.path, echo };
  if (!publicKey) return { ok: false, reason: 'bad-signature', detail: 'the cart has no store key to check it with', echo };
  if (!verifyMessage(o, publicKey)) return { ok: false, reason: 'bad-signature', detail: 'signature does not verify with the store key', echo };
  return { ok: true, update: o as unknown as CatalogUpdate };
}
