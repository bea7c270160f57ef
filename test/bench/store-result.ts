// What the store heard from a cart during a bench run, as the result JSON of
// a replay (shared/bench/cart-trace.md): changes and alerts from the basket
// events, the basket from the cart's last snapshot (the cart's own lines: a
// unit's weight can be revised without an event of its own, when two items
// turn out to have settled together). Event times are the cart's monotonic
// seconds; less the trace clock's origin they are trace time.
import type { BasketEvent, BasketSnapshot } from '../../firmware/sync/schemas.js';
import type { ReplayResult } from './replay.js';
import type { StoreEvent } from './store-sim.js';

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

type StoreBasketEvent = StoreEvent & BasketEvent;

export interface StoreResult {
  result: ReplayResult;
  /** Decided after the trace's last sample, on the playback boards' held last conversion: no replay could decide them, so they are left out. */
  afterEnd: StoreBasketEvent[];
}

export function resultFromStore(events: StoreEvent[], snapshot: BasketSnapshot, originSec: number, endSec: number): StoreResult {
  const within: StoreBasketEvent[] = [];
  const afterEnd: StoreBasketEvent[] = [];
  for (const e of events) {
    if (e.type === 'basket') (e.atSec - originSec <= endSec ? within : afterEnd).push(e);
  }
  const lines = new Map(snapshot.lines.map((l) => [l.gtin, { ...l }]));
  // The snapshot came after them: take them back out.
  for (const e of afterEnd) {
    if (e.kind !== 'add' && e.kind !== 'remove') continue;
    const sign = e.kind === 'add' ? 1 : -1;
    const line = lines.get(e.gtin) ?? { gtin: e.gtin, qty: 0, grams: 0 };
    line.qty -= sign;
    line.grams -= sign * e.grams;
    if (line.qty === 0) lines.delete(e.gtin);
    else lines.set(e.gtin, line);
  }
  const basket = [...lines.values()].map((l) => ({ gtin: l.gtin, qty: l.qty, grams: round(l.grams, 1) })).sort((a, b) => (a.gtin < b.gtin ? -1 : 1));
  const result: ReplayResult = { basket, alerts: [], changes: [] };
  const raised = new Set<number>();
  for (const e of within) {
    const t = round(e.atSec - originSec, 3);
    if (e.kind === 'add' || e.kind === 'remove') result.changes.push({ t, op: e.kind, gtin: e.gtin, qty: 1 });
    // An alert raised again is the same alert, listed once (as replay lists it).
    if (e.kind === 'alert' && !raised.has(e.alertId)) result.alerts.push({ t, kind: e.alert, grams: round(e.grams, 1) });
    if (e.kind === 'alert') raised.add(e.alertId);
  }
  return { result, afterEnd };
}

/** Products whose count the events and the cart's snapshot do not agree on: each event must reach the store exactly once. */
export function snapshotDisagreement(fromEvents: Map<string, number>, snapshot: BasketSnapshot): string[] {
  const fromSnapshot = new Map(snapshot.lines.map((l) => [l.gtin, l.qty]));
  const out: string[] = [];
  for (const gtin of new Set([...fromEvents.keys(), ...fromSnapshot.keys()])) {
    const a = fromEvents.get(gtin) ?? 0;
    const b = fromSnapshot.get(gtin) ?? 0;
    if (a !== b) out.push(`${gtin}: ${a} by the events, ${b} in the snapshot`);
  }
  return out;
}
