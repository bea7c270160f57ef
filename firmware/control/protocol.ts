// The control socket's protocol: one JSON object per line, both ways.
//
//   client → service  {"id": 1, "op": "hello"}
//   service → client  {"id": 1, "ok": true, "result": {...}}
//                     {"id": 1, "ok": false, "error": "why"}
//                     {"event": "reading", "reading": {...}}   (after "subscribe", one per sample)
//
// Operations: hello (cart, metrology, calibration, counters), maintenance
// {technician} (enter; refused while a shopper's session is under way or
// another technician holds the cart), release, subscribe, apply
// {calibration, what, details} and zero (both only inside maintenance held by
// this connection), history {limit}. A request is answered once, in order.
import type { Static } from '@sinclair/typebox';
import { Type as T, Value } from '../typebox.js';
import type { CellCalibration } from '../domain.js';
import type { AuditEntry, MetrologyCounters } from '../storage/metrology-store.js';
import type { LiveReading } from './live-reading.js';

/** A line longer than this is not a request: the connection is closed. */
export const MAX_LINE_BYTES = 64 * 1024;

const Id = T.Integer({ minimum: 0 });
const Cell = T.Object({ offset: T.Number(), countsPerGram: T.Number() }, { additionalProperties: false });

export const RequestSchema = T.Union([
  T.Object({ id: Id, op: T.Literal('hello') }),
  T.Object({ id: Id, op: T.Literal('maintenance'), technician: T.String({ minLength: 1, maxLength: 64 }) }),
  T.Object({ id: Id, op: T.Literal('release') }),
  T.Object({ id: Id, op: T.Literal('subscribe') }),
  T.Object({ id: Id, op: T.Literal('apply'), calibration: T.Array(Cell, { minItems: 4, maxItems: 4 }), what: T.Union([T.Literal('zero'), T.Literal('span')]), details: T.Optional(T.Unknown()) }),
  T.Object({ id: Id, op: T.Literal('zero') }),
  T.Object({ id: Id, op: T.Literal('history'), limit: T.Optional(T.Integer({ minimum: 1, maximum: 1000 })) }),
]);

export type Request = Static<typeof RequestSchema>;
export type Op = Request['op'];

export interface ScaleInfo {
  cartId: string;
  intervalGrams: number;
  capacityGrams: number;
  calibration: CellCalibration[];
  counters: MetrologyCounters;
  maintenance: { holder: string } | null;
}

export interface Results {
  hello: ScaleInfo;
  maintenance: { holder: string };
  release: { released: boolean };
  subscribe: { subscribed: true };
  apply: AuditEntry;
  zero: { zeroed: boolean };
  history: { entries: AuditEntry[]; counters: MetrologyCounters };
}

export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
export interface ReadingEvent {
  event: 'reading';
  reading: LiveReading;
}
export type ServerMessage = Reply | ReadingEvent;

/** A request, or why the line is not one (with its id when it had one, so that the error can be answered). */
export function parseRequest(line: string): Request | { error: string; id: number | null } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { error: 'not JSON', id: null };
  }
  if (Value.Check(RequestSchema, json)) return json;
  const id = typeof json === 'object' && json !== null && Number.isInteger((json as { id?: unknown }).id) ? ((json as { id: number }).id) : null;
  const op = typeof json === 'object' && json !== null ? (json as { op?: unknown }).op : undefined;
  return { error: `not a valid request${typeof op === 'string' ? ` for op ${JSON.stringify(op)}` : ''}`, id };
}
