// When a shopping session may start and end. A session starts only on an
// empty, resting basket, so that nothing from the previous shopper is billed
// to the next; it ends only when the store has seen every basket change the
// cart made, so that what was paid is what is in the cart.
import type { BasketState } from '../basket/types.js';
import type { RefusalReason } from './schemas.js';

export interface ActiveSession {
  id: string;
  shopper: string;
  startedSeq: number;
}

export type SessionVerdict = { ok: true; already: boolean } | { ok: false; reason: RefusalReason; detail: string };

export interface StartContext {
  basket: BasketState;
  active: ActiveSession | null;
  locked: boolean;
  /** The technician holding the cart in maintenance (cart-cal), null when none. */
  maintenanceBy: string | null;
  outboxFull: boolean;
  /** The session id asked for has been used and ended before. */
  alreadyEnded: boolean;
}

export function sessionStartVerdict(ctx: StartContext, sessionId: string): SessionVerdict {
  // The same start again (the store retried after a lost result) is not a second session.
  if (ctx.active?.id === sessionId) return { ok: true, already: true };
  if (ctx.active) return { ok: false, reason: 'session-active', detail: `session ${ctx.active.id} is still open` };
  if (ctx.alreadyEnded) return { ok: false, reason: 'session-mismatch', detail: `session ${sessionId} has already ended` };
  if (ctx.locked) return { ok: false, reason: 'locked', detail: 'the store locked this cart' };
  if (ctx.maintenanceBy !== null) return { ok: false, reason: 'maintenance', detail: `${ctx.maintenanceBy} is calibrating the scale` };
  if (ctx.outboxFull) return { ok: false, reason: 'outbox-full', detail: 'the store has not heard the last trip yet' };
  const b = ctx.basket;
  if (b.units.length > 0 || b.pendingScans.length > 0 || b.openAlerts.length > 0) {
    return { ok: false, reason: 'basket-not-empty', detail: `${b.units.length} items, ${b.pendingScans.length} open scans, ${b.openAlerts.length} alerts` };
  }
  if (b.scaleState !== 'stable') return { ok: false, reason: 'scale-not-stable', detail: `scale is ${b.scaleState}` };
  return { ok: true, already: false };
}

export interface EndContext {
  basket: BasketState;
  active: ActiveSession | null;
  /** The session that ended last, so that a retried end is not refused. */
  lastEndedId: string | null;
  /** seq of the last basket event the cart queued, sent or not. */
  lastBasketSeq: number;
}

/** `finalSeq`: the last basket event the store had when it took payment. */
export function sessionEndVerdict(ctx: EndContext, sessionId: string, finalSeq: number): SessionVerdict {
  if (!ctx.active && ctx.lastEndedId === sessionId) return { ok: true, already: true };
  if (!ctx.active) return { ok: false, reason: 'no-session', detail: 'no session is open' };
  if (ctx.active.id !== sessionId) return { ok: false, reason: 'session-mismatch', detail: `the open session is ${ctx.active.id}` };
  if (ctx.lastBasketSeq > finalSeq) {
    return { ok: false, reason: 'basket-changed', detail: `basket changed at seq ${ctx.lastBasketSeq}, after the ${finalSeq} paid for` };
  }
  if (ctx.basket.openAlerts.length > 0) return { ok: false, reason: 'alerts-open', detail: `${ctx.basket.openAlerts.length} alerts open` };
  return { ok: true, already: false };
}
