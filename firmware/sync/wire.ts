// The cart's outbound payloads as they go on the wire (schemas.ts has their
// shapes). Pure: the link passes in what it read from SQLite.
import { basketLines } from '../basket/lines.js';
import type { BasketState } from '../basket/types.js';
import type { OutboxMessage } from '../storage/basket-store.js';
import type { BasketSnapshot, CartOffline, CartOnline } from './schemas.js';
import type { ActiveSession } from './session-rules.js';

/** An outbox row with its envelope: the stream, its number in the stream and a unique id made of both. */
export function eventPayload(stream: string, row: OutboxMessage): string {
  const body = JSON.parse(row.payload) as Record<string, unknown>;
  return JSON.stringify({ v: 1, stream, seq: row.seq, id: `${stream}-${row.seq}`, ...body });
}

export interface SnapshotInput {
  stream: string;
  seq: number;
  boot: number;
  basket: BasketState;
  session: ActiveSession | null;
  locked: boolean;
  catalogVersion: number;
}

export function snapshotPayload(s: SnapshotInput): BasketSnapshot {
  return {
    v: 1,
    stream: s.stream,
    seq: s.seq,
    boot: s.boot,
    session: s.session,
    locked: s.locked,
    lines: basketLines(s.basket),
    openAlerts: s.basket.openAlerts.map((a) => ({ alertId: a.id, alert: a.kind, grams: a.grams })),
    personalItems: s.basket.units.filter((u) => u.status === 'personal').length,
    catalogVersion: s.catalogVersion,
  };
}

export function birthPayload(boot: number, link: number, firmware: string, stream: string, catalogVersion: number): CartOnline {
  return { v: 1, online: true, boot, link, firmware, stream, catalogVersion };
}

export function goodbyePayload(boot: number, link: number, reason: CartOffline['reason']): CartOffline {
  return { v: 1, online: false, boot, link, reason };
}
