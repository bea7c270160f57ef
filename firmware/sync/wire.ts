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

/** What orders a cart's status messages (status-order.ts) and where its numbers come from. */
export interface StatusIds {
  epoch: string;
  start: number;
  link: number;
  boot: number;
  stream: string;
}

export function birthPayload(ids: StatusIds, firmware: string, catalogVersion: number): CartOnline {
  return { v: 1, online: true, epoch: ids.epoch, start: ids.start, link: ids.link, boot: ids.boot, firmware, stream: ids.stream, catalogVersion };
}

export function goodbyePayload(ids: StatusIds, reason: CartOffline['reason']): CartOffline {
  return { v: 1, online: false, epoch: ids.epoch, start: ids.start, link: ids.link, boot: ids.boot, stream: ids.stream, reason };
}
