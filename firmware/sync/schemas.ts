// Every payload between cart and store, as TypeBox schemas: each one is both
// the TypeScript type and the JSON Schema that asyncapi.yaml carries (it is
// generated from here, see asyncapi.ts). Every inbound payload is checked
// against these before anything reads it; the store simulator checks the
// cart's outbound ones the same way, so a drift shows up in the tests.
//
// Version 1 is closed (no unknown fields): a new field comes with v: 2, and a
// store accepts both while carts are updated.
import type { Static, TSchema } from '@sinclair/typebox';
import type { TypeCheck } from '@sinclair/typebox/compiler';
import type { ValueError } from '@sinclair/typebox/errors';
import { Type as T, TypeCompiler, ValueErrorType } from '../typebox.js';

const closed = { additionalProperties: false } as const;

const V1 = T.Literal(1, { description: 'protocol version of this payload' });
const Name = T.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const Gtin = T.String({ pattern: '^[0-9]{14}$', description: 'GTIN-14, shorter codes left-padded with zeros' });
const Seq = T.Integer({ minimum: 1 });
const Count = T.Integer({ minimum: 0 });
const EpochMs = T.Integer({ minimum: 0, description: 'milliseconds since 1970-01-01 UTC on the store\'s clock' });
const Signature = T.String({
  pattern: '^[A-Za-z0-9+/]{86}==$',
  description: 'Ed25519 signature (base64) by the store\'s key over the RFC 8785 canonical JSON of this object without `sig`',
});
const Stream = T.String({
  pattern: '^[0-9a-f]{16}$',
  description: 'identity of the cart database the sequence numbers come from; a new database (one set aside as damaged) starts a new stream at 1',
});

// ---- cart → store --------------------------------------------------------

const Epoch = T.String({
  pattern: '^[0-9a-f]{16}$',
  description: 'the cart\'s identity epoch, from a small file beside its database: it survives a replaced database and changes only when the cart lost its whole data folder',
});
const Start = T.Integer({ minimum: 1, description: 'the process start within the epoch: grows by one at every start, also across a replaced database' });
const Link = T.Integer({ minimum: 1, description: 'connection number within this start' });
const StatusBoot = T.Integer({ minimum: 1, description: 'the database\'s boot counter (as in basket events and telemetry); it starts again at 1 with a new database, so it does not order status messages' });

export const CartOnline = T.Object({
  v: V1,
  online: T.Literal(true),
  epoch: Epoch,
  start: Start,
  link: Link,
  boot: StatusBoot,
  firmware: T.String({ minLength: 1, maxLength: 64 }),
  stream: Stream,
  catalogVersion: Count,
}, { ...closed, title: 'CartOnline' });

export const CartOffline = T.Object({
  v: V1,
  online: T.Literal(false),
  epoch: Epoch,
  start: Start,
  link: Link,
  boot: StatusBoot,
  stream: Stream,
  reason: T.Union([T.Literal('lost'), T.Literal('stopped')], { description: 'lost: the broker published the last will; stopped: the cart said goodbye' }),
}, { ...closed, title: 'CartOffline' });

export const CartStatus = T.Union([CartOnline, CartOffline], {
  title: 'CartStatus',
  description: 'retained: the broker hands the latest one to a store service that subscribes. Of two statuses with the same epoch, the newer has the higher (start, link, phase), phase 0 for a birth and 1 for the will or goodbye of the same link; a status with another epoch replaces the one held (firmware/sync/status-order.ts)',
});

const Envelope = {
  v: V1,
  stream: Stream,
  seq: T.Integer({ minimum: 1, description: 'the cart\'s message number in its stream: consecutive, never reused; the store keeps the highest it has and drops repeats' }),
  id: T.String({ pattern: '^[0-9a-f]{16}-[0-9]+$', description: 'unique message id: stream and seq' }),
};

const Reason = T.Object({
  rule: T.String({ description: 'the rule of the reconciler that decided' }),
  measuredGrams: T.Optional(T.Number()),
  expectedGrams: T.Optional(T.Number()),
  toleranceGrams: T.Optional(T.Number()),
  scanIds: T.Optional(T.Array(T.Integer())),
  deltaAtSec: T.Optional(T.Number()),
}, closed);

const AlertKind = T.Union([T.Literal('unscanned-item'), T.Literal('weight-mismatch'), T.Literal('unknown-removal'), T.Literal('ambiguous-removal')]);

const Basket = {
  ...Envelope,
  type: T.Literal('basket'),
  boot: Seq,
  logSeq: T.Integer({ minimum: 1, description: 'row of the cart\'s event log that holds the decision' }),
  atSec: T.Number({ description: 'monotonic seconds since the cart booted' }),
  reason: Reason,
};

export const BasketAdd = T.Object({ ...Basket, kind: T.Literal('add'), unitId: Count, gtin: Gtin, grams: T.Number() }, { ...closed, title: 'BasketAdd' });
export const BasketRemove = T.Object({ ...Basket, kind: T.Literal('remove'), unitId: Count, gtin: Gtin, grams: T.Number() }, { ...closed, title: 'BasketRemove' });
export const BasketAlert = T.Object({
  ...Basket,
  kind: T.Literal('alert'),
  alertId: Count,
  alert: AlertKind,
  grams: T.Number(),
  candidates: T.Optional(T.Array(T.Array(Gtin), { description: 'ambiguous removal: each plausible set taken out, the one acted on first, as the GTINs of its products (empty: only what the shopper is not charged for, their own bag or an unscanned item)' })),
  likelyGtin: T.Optional(Gtin),
}, { ...closed, title: 'BasketAlert' });
export const BasketAlertResolved = T.Object({ ...Basket, kind: T.Literal('alert-resolved'), alertId: Count, alert: AlertKind }, { ...closed, title: 'BasketAlertResolved' });
export const BasketPersonalItem = T.Object({ ...Basket, kind: T.Literal('personal-item'), unitId: Count, grams: T.Number() }, { ...closed, title: 'BasketPersonalItem' });

export const BasketEvent = T.Union([BasketAdd, BasketRemove, BasketAlert, BasketAlertResolved, BasketPersonalItem], { title: 'BasketEvent' });

export const RefusalReason = T.Union([
  T.Literal('malformed'), T.Literal('unsigned'), T.Literal('bad-signature'), T.Literal('wrong-cart'),
  T.Literal('expired'), T.Literal('replayed'),
  T.Literal('basket-not-empty'), T.Literal('scale-not-stable'), T.Literal('session-active'), T.Literal('locked'), T.Literal('maintenance'), T.Literal('outbox-full'),
  T.Literal('no-session'), T.Literal('session-mismatch'), T.Literal('basket-changed'), T.Literal('alerts-open'),
  T.Literal('unknown-alert'),
], { title: 'RefusalReason' });

const LogLevel = T.Union([T.Literal('debug'), T.Literal('info'), T.Literal('warn'), T.Literal('error')]);

const SchemaField = T.String({ maxLength: 200, description: 'malformed: JSON pointer (RFC 6901) of the first field that does not fit the schema; empty for the payload as a whole' });

export const CommandResult = T.Object({
  ...Envelope,
  type: T.Literal('command.result'),
  commandId: T.Union([T.String({ maxLength: 64 }), T.Null()], { description: 'null when the command was too malformed to carry one' }),
  commandSeq: T.Union([T.Integer({ minimum: 0 }), T.Null()]),
  command: T.Union([T.String({ maxLength: 32 }), T.Null()]),
  status: T.Union([T.Literal('done'), T.Literal('refused')]),
  reason: T.Optional(RefusalReason),
  detail: T.Optional(T.String({ maxLength: 300 })),
  basketSeq: T.Integer({ minimum: 0, description: 'seq of the cart\'s last basket event when it answered' }),
  sessionId: T.Optional(Name),
  heldCommandSeq: T.Optional(T.Integer({ minimum: 0, description: 'replayed: the highest command seq the cart has accepted' })),
  field: T.Optional(SchemaField),
  logLevel: T.Optional(T.Object({ from: LogLevel, to: LogLevel }, { ...closed, description: 'log.level: the level the process had and the one it has now' })),
  repeatOf: T.Optional(T.Integer({
    minimum: 1,
    description: 'the command came again with the id and seq of the last one handled: this repeats the kept result, whose seq in the stream this is; nothing ran again',
  })),
}, { ...closed, title: 'CommandResult' });

export const CatalogRejection = T.Union([T.Literal('malformed'), T.Literal('unsigned'), T.Literal('bad-signature')], { title: 'CatalogRejection' });
export const CatalogIgnored = T.Union([T.Literal('not-newer'), T.Literal('delta-goes-nowhere')], { title: 'CatalogIgnored' });

export const CatalogResult = T.Object({
  ...Envelope,
  type: T.Literal('catalog.result'),
  status: T.Union([T.Literal('applied'), T.Literal('ignored'), T.Literal('rejected'), T.Literal('full-requested')], {
    description: 'applied: the cart uses it now; ignored: old news, nothing changed; rejected: not taken, the cart keeps its catalog; full-requested: a delta on another base, the cart asked for a full copy on catalog/request',
  }),
  catalog: T.Union([T.Literal('catalog.full'), T.Literal('catalog.delta'), T.Null()], { description: 'the update\'s type, null when it could not be read' }),
  version: T.Union([Count, T.Null()], { description: 'the update\'s version, null when it could not be read' }),
  baseVersion: T.Optional(Count),
  heldVersion: T.Integer({ minimum: 0, description: 'the catalog version the cart holds once it has handled the update' }),
  products: T.Integer({ minimum: 0, description: 'products in the catalog the cart holds' }),
  reason: T.Optional(T.Union([CatalogRejection, CatalogIgnored, T.Literal('delta-base-mismatch')])),
  field: T.Optional(SchemaField),
  detail: T.Optional(T.String({ maxLength: 300 })),
}, { ...closed, title: 'CatalogResult', description: 'the cart\'s answer to every catalog update it receives, in its message stream' });

export const CartEvent = T.Union([BasketAdd, BasketRemove, BasketAlert, BasketAlertResolved, BasketPersonalItem, CommandResult, CatalogResult], { title: 'CartEvent' });

const Session = T.Object({
  id: Name,
  shopper: T.String({ minLength: 1, maxLength: 128 }),
  startedSeq: Seq,
}, closed);

export const BasketSnapshot = T.Object({
  v: V1,
  stream: Stream,
  seq: T.Integer({ minimum: 0, description: 'the last message of the stream this snapshot reflects: events after it come on top' }),
  boot: Seq,
  session: T.Union([Session, T.Null()]),
  locked: T.Boolean(),
  lines: T.Array(T.Object({ gtin: Gtin, qty: T.Integer({ minimum: 1 }), grams: T.Number() }, closed)),
  openAlerts: T.Array(T.Object({ alertId: Count, alert: AlertKind, grams: T.Number() }, closed)),
  personalItems: Count,
  catalogVersion: Count,
}, { ...closed, title: 'BasketSnapshot', description: 'retained: a store service that lost track resynchronises from it' });

/** simulated: a bench or demo device, asked for in the config; never a real cart's. */
export const DeviceStatus = T.Union([T.Literal('ok'), T.Literal('warning'), T.Literal('failed'), T.Literal('simulated')]);

export const DeviceHealth = T.Object({
  device: T.String({ maxLength: 32 }),
  status: DeviceStatus,
  detail: T.Optional(T.String({ maxLength: 120 })),
}, closed);

export const Telemetry = T.Object({
  v: V1,
  boot: Seq,
  sample: Seq,
  uptimeSec: Count,
  runSec: Count,
  clockSynced: T.Boolean({ description: 'the cart has the store\'s time, so command expiry is checked' }),
  outbox: T.Object({ depth: Count, full: T.Boolean() }, closed),
  diskFreeMb: T.Union([Count, T.Null()]),
  cpuTempC: T.Union([T.Number(), T.Null()]),
  scale: T.Union([T.Literal('stable'), T.Literal('settling'), T.Literal('moving'), T.Literal('degraded'), T.Literal('overloaded')]),
  devices: T.Array(DeviceHealth),
  metrology: T.Object({ calibration: Count, configuration: Count }, { ...closed, description: 'event counters of calibration and of metrological configuration changes: the electronic seal' }),
  databaseSetAside: T.Optional(T.Object({
    at: T.String({ maxLength: 40, description: 'the cart\'s wall-clock label of the start that found the old database damaged' }),
    basketTakenBackAt: T.Union([T.String({ maxLength: 40 }), T.Null()], { description: 'when the basket was taken back from the cart\'s last retained snapshot; null: not (yet)' }),
  }, { ...closed, description: 'present when this database replaced a damaged one: the basket, boot count and catalog started again' })),
}, { ...closed, title: 'Telemetry' });

export const CatalogRequest = T.Object({
  v: V1,
  have: Count,
  reason: T.Union([T.Literal('delta-base-mismatch')]),
}, { ...closed, title: 'CatalogRequest' });

// ---- store → cart --------------------------------------------------------

export const Product = T.Object({
  gtin: Gtin,
  name: T.String({ minLength: 1, maxLength: 200 }),
  grams: T.Number({ exclusiveMinimum: 0 }),
  gramsSd: T.Number({ minimum: 0 }),
  priceCents: T.Integer({ minimum: 0 }),
  byWeight: T.Boolean(),
}, closed);

export const CatalogFull = T.Object({
  v: V1,
  type: T.Literal('catalog.full'),
  version: Seq,
  products: T.Array(Product, { maxItems: 200_000 }),
  sig: Signature,
}, { ...closed, title: 'CatalogFull' });

export const CatalogDelta = T.Object({
  v: V1,
  type: T.Literal('catalog.delta'),
  baseVersion: Seq,
  version: Seq,
  upsert: T.Array(Product, { maxItems: 200_000 }),
  remove: T.Array(Gtin, { maxItems: 200_000 }),
  sig: Signature,
}, { ...closed, title: 'CatalogDelta' });

export const CatalogUpdate = T.Union([CatalogFull, CatalogDelta], { title: 'CatalogUpdate' });

export const TimeBeacon = T.Object({
  v: V1,
  storeTimeMs: EpochMs,
  sig: Signature,
}, { ...closed, title: 'TimeBeacon', description: 'the store\'s wall clock, sent live (QoS 0, not retained) so that it is fresh when it arrives' });

export const CommandBody = T.Union([
  T.Object({ type: T.Literal('session.start'), sessionId: Name, shopper: T.String({ minLength: 1, maxLength: 128 }) }, closed),
  T.Object({ type: T.Literal('session.end'), sessionId: Name, finalSeq: Count }, closed),
  T.Object({ type: T.Literal('tare') }, closed),
  T.Object({ type: T.Literal('lock') }, closed),
  T.Object({ type: T.Literal('unlock') }, closed),
  T.Object({
    type: T.Literal('alert.resolve'),
    alertId: Count,
    action: T.Union([T.Literal('accept-personal'), T.Literal('remove-line'), T.Literal('clear')]),
    gtin: T.Optional(Gtin),
  }, closed),
  T.Object({ type: T.Literal('state.request') }, closed),
  T.Object({ type: T.Literal('log.level'), level: LogLevel }, closed),
], { title: 'CommandBody' });

export const Command = T.Object({
  v: V1,
  id: T.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$', description: 'the store\'s id for this command, echoed in the result' }),
  seq: Seq,
  cart: Name,
  issuedAt: EpochMs,
  expiresAt: EpochMs,
  command: CommandBody,
  sig: Signature,
}, {
  ...closed,
  title: 'Command',
  description: 'seq grows with every command the store issues (per store); the cart accepts only a seq above the highest it has accepted',
});

export type CartOnline = Static<typeof CartOnline>;
export type CartOffline = Static<typeof CartOffline>;
export type CartStatus = Static<typeof CartStatus>;
export type BasketEvent = Static<typeof BasketEvent>;
export type RefusalReason = Static<typeof RefusalReason>;
export type CommandResult = Static<typeof CommandResult>;
export type CatalogResult = Static<typeof CatalogResult>;
export type CartEvent = Static<typeof CartEvent>;
export type BasketSnapshot = Static<typeof BasketSnapshot>;
export type DeviceStatus = Static<typeof DeviceStatus>;
export type DeviceHealth = Static<typeof DeviceHealth>;
export type Telemetry = Static<typeof Telemetry>;
export type CatalogRequest = Static<typeof CatalogRequest>;
export type CatalogFull = Static<typeof CatalogFull>;
export type CatalogDelta = Static<typeof CatalogDelta>;
export type CatalogUpdate = Static<typeof CatalogUpdate>;
export type TimeBeacon = Static<typeof TimeBeacon>;
export type CommandBody = Static<typeof CommandBody>;
export type Command = Static<typeof Command>;

/** Compiled once: checking a payload is a function call, not a schema walk. */
export const check = {
  status: TypeCompiler.Compile(CartStatus),
  event: TypeCompiler.Compile(CartEvent),
  snapshot: TypeCompiler.Compile(BasketSnapshot),
  telemetry: TypeCompiler.Compile(Telemetry),
  catalogRequest: TypeCompiler.Compile(CatalogRequest),
  catalog: TypeCompiler.Compile(CatalogUpdate),
  time: TypeCompiler.Compile(TimeBeacon),
  command: TypeCompiler.Compile(Command),
};

export interface SchemaProblem {
  /** JSON pointer of the offending field; '' for the payload as a whole. */
  path: string;
  message: string;
}

/**
 * A union's own error says only "Expected union value". Inside it, the
 * variant meant is the one whose literals (`type`, `v`, `online`) all fit:
 * its first error names the field that is wrong. With none or several
 * such variants, the union's error stands.
 */
function narrowed(e: ValueError): ValueError {
  if (e.type !== ValueErrorType.Union) return e;
  const variants = e.errors.map((it) => [...it]);
  const meant = variants.filter((errors) => errors.length > 0 && !errors.some((x) => x.type === ValueErrorType.Literal));
  return meant.length === 1 ? narrowed(meant[0]![0]!) : e;
}

/** The first problem with a payload: where it is and what is wrong. */
export function schemaProblem<S extends TSchema>(checker: TypeCheck<S>, value: unknown): SchemaProblem | null {
  const e = checker.Errors(value).First();
  if (!e) return null;
  const n = narrowed(e);
  return { path: n.path, message: n.message };
}

/** The first problem with a payload, as one short phrase for a log line or a refusal. */
export function firstProblem<S extends TSchema>(checker: TypeCheck<S>, value: unknown): string {
  const p = schemaProblem(checker, value);
  return p ? `${p.path || '(top level)'}: ${p.message}` : 'ok';
}
