// The store's side of the cart's retained status: which of two status
// messages of one cart is the newer. Kept here, beside the cart's side, as
// the reference the store simulator and docs/store-protocol.md follow. Pure.
//
// Within one epoch a status is ordered by (start, link, phase): start counts
// the cart's process starts (identity.ts), link its connections within a
// start, and phase puts the end of a connection (its will or goodbye) after
// its birth, which carries the same numbers. A status from another epoch
// replaces what is held: the epoch changes only when the cart lost its whole
// data folder, long after its old connections ended.
import type { CartStatus } from './schemas.js';

const phase = (s: CartStatus) => (s.online ? 0 : 1);

/** True when `incoming` supersedes `held`; a birth sent again (state.request) supersedes itself. */
export function statusSupersedes(held: CartStatus | undefined, incoming: CartStatus): boolean {
  if (!held || held.epoch !== incoming.epoch) return true;
  if (incoming.start !== held.start) return incoming.start > held.start;
  if (incoming.link !== held.link) return incoming.link > held.link;
  return phase(incoming) >= phase(held);
}
