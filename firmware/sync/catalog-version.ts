// Which catalog update the cart takes. Versions only grow at the store, so an
// update at or below the version held is old news (a retransmission, or a
// replay of a signed but stale catalog) and changes nothing. A delta is only
// correct on top of the exact version it was made from; on any other base the
// cart asks for a full copy instead of guessing.

export type CatalogAction =
  | { action: 'apply' }
  | { action: 'ignore'; reason: 'not-newer' | 'delta-goes-nowhere'; why: string }
  | { action: 'request-full'; reason: 'delta-base-mismatch'; why: string };

export type CatalogHeader =
  | { type: 'catalog.full'; version: number }
  | { type: 'catalog.delta'; version: number; baseVersion: number };

export function catalogAction(heldVersion: number, update: CatalogHeader): CatalogAction {
  if (update.version <= heldVersion) {
    return { action: 'ignore', reason: 'not-newer', why: `version ${update.version} is not newer than the ${heldVersion} held` };
  }
  if (update.type === 'catalog.full') return { action: 'apply' };
  if (update.baseVersion >= update.version) return { action: 'ignore', reason: 'delta-goes-nowhere', why: `delta from ${update.baseVersion} to ${update.version} goes nowhere` };
  if (update.baseVersion === heldVersion) return { action: 'apply' };
  return { action: 'request-full', reason: 'delta-base-mismatch', why: `delta applies on ${update.baseVersion}, the cart holds ${heldVersion}` };
}
