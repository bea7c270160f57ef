// Whether a command from the store may run: parsed, complete, signed by the
// store, meant for this cart, newer than every command accepted before, and
// not expired. Pure: the caller passes the store key, the highest command it
// has accepted and the store's time (null while the cart's clock is unsynced).
import type { KeyObject } from 'node:crypto';
import { check, schemaProblem, type Command, type RefusalReason } from './schemas.js';
import { verifyMessage } from './signing.js';

/** The newest command the cart has accepted, kept in SQLite. */
export interface CommandMark {
  seq: number;
  id: string | null;
}

export interface CheckContext {
  cartId: string;
  publicKey: KeyObject | null;
  mark: CommandMark;
  /** The store's wall clock as the cart estimates it; null until a time beacon has arrived this boot. */
  nowMs: number | null;
}

export type CommandCheck =
  | { verdict: 'accept'; command: Command }
  /**
   * `authentic`: the store signed it for this cart with a fresh seq, so its seq
   * is used up even though it is refused (an expired command must not become
   * acceptable again after a reboot, when expiry cannot be checked).
   */
  | {
    verdict: 'refuse'; reason: RefusalReason; detail: string; id: string | null; seq: number | null; type: string | null; authentic: boolean;
    /** malformed against the schema: JSON pointer of the offending field. */
    field?: string;
  }
  /**
   * The last command handled, again with its id and seq: the broker delivered
   * it again (the cart stopped before PUBACK) or the store retried it. It is
   * answered with the kept result and not run again.
   */
  | { verdict: 'duplicate'; id: string; seq: number };

function field<T>(o: Record<string, unknown>, key: string, test: (v: unknown) => v is T): T | null {
  const v = o[key];
  return test(v) ? v : null;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isSeq = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

export function checkCommand(payload: Buffer | string, ctx: CheckContext): CommandCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString());
  } catch {
    return { verdict: 'refuse', reason: 'malformed', detail: 'not JSON', id: null, seq: null, type: null, authentic: false };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { verdict: 'refuse', reason: 'malformed', detail: 'not a JSON object', id: null, seq: null, type: null, authentic: false };
  }
  const o = parsed as Record<string, unknown>;
  // What the refusal can echo back, taken only where it has the right type.
  const body = o.command;
  const echo = {
    id: field(o, 'id', isString)?.slice(0, 64) ?? null,
    seq: field(o, 'seq', isSeq),
    type: typeof body === 'object' && body !== null ? field(body as Record<string, unknown>, 'type', isString)?.slice(0, 32) ?? null : null,
  };
  const refuse = (reason: RefusalReason, detail: string, authentic = false): CommandCheck =>
    ({ verdict: 'refuse', reason, detail, ...echo, authentic });

  if (typeof o.sig !== 'string') return refuse('unsigned', 'no sig field');
  if (!check.command.Check(o)) {
    const problem = schemaProblem(check.command, o)!;
    return { verdict: 'refuse', reason: 'malformed', detail: `${problem.path || '(top level)'}: ${problem.message}`.slice(0, 300), ...echo, authentic: false, field: problem.path };
  }
  const cmd = o as Command;
  if (cmd.expiresAt < cmd.issuedAt) return refuse('malformed', 'expiresAt is before issuedAt');
  if (!ctx.publicKey) return refuse('bad-signature', 'the cart has no store key to check it with');
  if (!verifyMessage(o, ctx.publicKey)) return refuse('bad-signature', 'signature does not verify with the store key');
  if (cmd.cart !== ctx.cartId) return refuse('wrong-cart', `signed for cart ${cmd.cart}`);
  if (cmd.seq === ctx.mark.seq && cmd.id === ctx.mark.id) return { verdict: 'duplicate', id: cmd.id, seq: cmd.seq };
  if (cmd.seq <= ctx.mark.seq) return refuse('replayed', `seq ${cmd.seq} is not above ${ctx.mark.seq}`);
  if (ctx.nowMs !== null && ctx.nowMs > cmd.expiresAt) {
    return refuse('expired', `expired ${Math.round((ctx.nowMs - cmd.expiresAt) / 1000)} s ago by the store's clock`, true);
  }
  return { verdict: 'accept', command: cmd };
}
