// The store's side of the cart's message sequence: how a store service turns
// at-least-once delivery into exactly-once in effect. Kept here, beside the
// cart's side, as the reference the store simulator and the docs follow. Pure.
//
// Per cart the store holds the stream it is following and the highest seq it
// has taken. A message at or below it is a repeat (a resend after a lost
// PUBACK, a cart restarted mid-delivery) and is dropped. One above it by more
// than one means messages are missing: the store takes it, records the gap,
// and can resynchronise from the retained snapshot. A new stream means the
// cart's database was replaced: counting starts again from what arrives.

export interface StreamPosition {
  stream: string;
  seq: number;
}

export type SequenceVerdict =
  | { take: true; gapFrom: number | null; newStream: boolean }
  | { take: false };

export function sequenceVerdict(held: StreamPosition | undefined, stream: string, seq: number): SequenceVerdict {
  if (!held || held.stream !== stream) return { take: true, gapFrom: seq > 1 ? 1 : null, newStream: true };
  if (seq <= held.seq) return { take: false };
  return { take: true, gapFrom: seq > held.seq + 1 ? held.seq + 1 : null, newStream: false };
}
