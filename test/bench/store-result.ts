// What the store heard from a cart during a bench run, as the result JSON of
// a replay (shared/bench/cart-trace.md). Event times are the cart's
// monotonic seconds; less the trace clock's origin they are trace time.
import type { BasketLine } from '../../firmware/basket/lines.js';
import type { BasketEvent, BasketSnapshot } from '../../firmware/sync/schemas.js';
import type { ReplayResult } from './replay.js';
import type { StoreEvent } from './store-sim.js';

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** The charged units the add and remove events leave, by product, as the cart's own basket lines group them. */
export function basketFromEvents(events: StoreEvent[]): BasketLine[] {
  const units = new Map<number, { gtin: string; grams: number }>();
  for (const e of events) {
    if (e.type !== 'basket') continue;
    if (e.kind === 'add') units.set(e.unitId, { gtin: e.gtin, grams: e.grams });
    if (e.kind === 'remove') units.delete(e.unitId);
  }
  const lines = new Map<string, BasketLine>();
  for (const u of units.values()) {
    const line = lines.get(u.gtin) ?? { gtin: u.gtin, qty: 0, grams: 0 };
    line.qty++;
    line.grams += u.grams;
    lines.set(u.gtin, line);
  }
  return [...lines.values()].map((l) => ({ ...l, grams: round(l.grams, 1) })).sort((a, b) => (a.gtin < b.gtin ? -1 : 1));
}

type StoreBasketEvent = StoreEvent & BasketEvent;

export interface StoreResult {
  result: ReplayResult;
  /** Decided after the trace's last sample, on the playback boards' held last conversion: no replay could decide them, so they are left out. */
  afterEnd: StoreBasketEvent[];
}

export function resultFromStore(events: StoreEvent[], originSec: number, endSec: number): StoreResult {
  const within: StoreBasketEvent[] = [];
  const afterEnd: StoreBasketEvent[] = [];
  for (const e of events) {
    if (e.type === 'basket') (e.atSec - originSec <= endSec ? within : afterEnd).push(e);
  }
  const result: ReplayResult = { basket: basketFromEvents(within), alerts: [], changes: [] };
  for (const e of within) {
    const t = round(e.atSec - originSec, 3);
    if (e.kind === 'add' || e.kind === 'remove') result.changes.push({ t, op: e.kind, gtin: e.gtin, qty: 1 });
    if (e.kind === 'alert') result.alerts.push({ t, kind: e.alert, grams: round(e.grams, 1) });
  }
  return { result, afterEnd };
}

/** Where the events and the cart's own snapshot disagree: every event must have reached the store exactly once. */
export function snapshotDisagreement(events: StoreEvent[], snapshot: BasketSnapshot): string[] {
  const fromEvents = new Map(basketFromEvents(events).map((l) => [l.gtin, l]));
  const fromSnapshot = new Map(snapshot.lines.map((l) => [l.gtin, l]));
  const out: string[] = [];
  for (const gtin of new Set([...fromEvents.keys(), ...fromSnapshot.keys()])) {
    const a = fromEvents.get(gtin);
    const b = fromSnapshot.get(gtin);
    if (a?.qty !== b?.qty || Math.abs((a?.grams ?? 0) - (b?.grams ?? 0)) > 0.1) {
      out.push(`${gtin}: ${a?.qty ?? 0} (${a?.grams ?? 0} g) by the events, ${b?.qty ?? 0} (${b?.grams ?? 0} g) in the snapshot`);
    }
  }
  return out;
}
