// A small store service: the store's side of the cart protocol, for the demo,
// the tests and the fleet benchmark. It checks every payload a cart sends
// against the schemas, records every event once (dropping repeats by stream
// and sequence number, as a real store must) and notes gaps; it signs and
// sends commands, catalogs and time beacons, pairs sessions and waits for
// the carts' answers.
//
// As a command: npx tsx test/bench/store-sim.ts --url mqtt://127.0.0.1:1883 --store S1 --key store-key.pem
// (the key file is made on first run; the cart's mqtt.storePublicKeyPath takes the .pub.pem beside it).
import { generateKeyPairSync, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import mqtt, { type IClientPublishOptions, type MqttClient } from 'mqtt';
import type { Product } from '../../firmware/domain.js';
import { createLogger, stderrSink, type Logger } from '../../firmware/log.js';
import {
  check, firstProblem, type BasketEvent, type BasketSnapshot, type CartEvent, type CartStatus, type CatalogDelta, type CatalogFull, type CatalogResult,
  type Command, type CommandBody, type CommandResult, type Telemetry,
} from '../../firmware/sync/schemas.js';
import { sequenceVerdict, type StreamPosition } from '../../firmware/sync/sequence.js';
import { statusSupersedes } from '../../firmware/sync/status-order.js';
import { signMessage } from '../../firmware/sync/signing.js';
import { cartPublishes, cartTopic, parseCartTopic, storeTopic } from '../../firmware/sync/topics.js';

/** A basket event or command result as the store recorded it. */
export type StoreEvent = CartEvent & { cartId: string; receivedAtMs: number };

export interface StoreSimOptions {
  url: string;
  storeId: string;
  log: Logger;
  protocolVersion?: 4 | 5;
  /** The store's Ed25519 signing key; a fresh one when absent. */
  privateKey?: KeyObject;
  /** TLS client certificate of the store service. */
  tls?: { ca: Buffer; cert: Buffer; key: Buffer };
  /** Answer each cart's birth with a time beacon and the catalog it lacks (default true). */
  answerBirths?: boolean;
  /** Log every event at info (default true; the fleet benchmark turns it off). */
  verbose?: boolean;
}

export interface SendOptions {
  /** Command lifetime; default 30 s. */
  ttlMs?: number;
  /** Wait for the cart's result this long; default 10 s. */
  timeoutMs?: number;
}

/** Wall-clock milliseconds that two processes on one machine agree on, to the microsecond. */
export function sharedNowMs(): number {
  return performance.timeOrigin + performance.now();
}

export class StoreSim {
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  /** Every event taken, in arrival order, once. */
  readonly events: StoreEvent[] = [];
  readonly duplicates: StoreEvent[] = [];
  readonly gaps: { cartId: string; stream: string; expected: number; got: number }[] = [];
  /** Payloads that did not match their schema. */
  readonly invalid: { topic: string; problem: string }[] = [];
  readonly status = new Map<string, CartStatus>();
  readonly snapshots = new Map<string, BasketSnapshot>();
  readonly telemetry = new Map<string, Telemetry[]>();
  readonly catalogRequests: { cartId: string; have: number }[] = [];
  readonly results = new Map<string, CommandResult>();
  /** The carts' answers to catalog updates, in arrival order. */
  readonly catalogResults: (CatalogResult & { cartId: string; receivedAtMs: number })[] = [];
  #positions = new Map<string, StreamPosition>();
  #lastBasketSeq = new Map<string, number>();
  #catalogVersions: { version: number; products: Product[] }[] = [];
  #commandSeq = 0;
  #client: MqttClient | null = null;
  #listeners = new Set<() => void>();
  #log: Logger;

  constructor(private readonly o: StoreSimOptions) {
    this.privateKey = o.privateKey ?? generateKeyPairSync('ed25519').privateKey;
    this.publicKeyPem = createPublicKey(this.privateKey).export({ type: 'spki', format: 'pem' }).toString();
    this.#log = o.log;
  }

  get storeId(): string {
    return this.o.storeId;
  }

  get catalogVersion(): number {
    return this.#catalogVersions.at(-1)?.version ?? 0;
  }

  async start(): Promise<void> {
    const v5 = (this.o.protocolVersion ?? 4) === 5;
    const client = await mqtt.connectAsync(this.o.url, {
      clientId: `store-${this.o.storeId}`,
      protocolVersion: this.o.protocolVersion ?? 4,
      // A persistent session: events that arrive while the store service is
      // away wait at the broker for it.
      clean: false,
      ...(v5 ? { properties: { sessionExpiryInterval: 24 * 3600 } } : {}),
      reconnectPeriod: 300,
      ...(this.o.tls ? { ...this.o.tls, rejectUnauthorized: true } : {}),
    });
    this.#client = client;
    client.on('message', (topic, payload) => this.#onMessage(topic, payload));
    client.on('connect', (connack) => {
      if (!connack.sessionPresent) void this.#subscribe(client);
    });
    await this.#subscribe(client);
  }

  async #subscribe(client: MqttClient): Promise<void> {
    const topics = Object.fromEntries(cartPublishes.map((leaf) => [cartTopic(this.o.storeId, '+', leaf), { qos: 1 as const }]));
    await client.subscribeAsync(topics);
  }

  async stop(): Promise<void> {
    await this.#client?.endAsync();
    this.#client = null;
  }

  /** Writes the store's public key where a cart's mqtt.storePublicKeyPath points. */
  writePublicKey(path: string): void {
    writeFileSync(path, this.publicKeyPem);
  }

  // ---- what the store sends --------------------------------------------

  async #send(topic: string, message: object, options: IClientPublishOptions): Promise<void> {
    if (!this.#client) throw new Error('store simulator is not started');
    await this.#client.publishAsync(topic, JSON.stringify(message), options);
  }

  /** A signed command as the store would send it; `seq` only grows, even across restarts of the store (it starts at the wall clock). */
  signCommand(cartId: string, command: CommandBody, ttlMs = 30_000): Command {
    const now = Date.now();
    this.#commandSeq = Math.max(this.#commandSeq + 1, now);
    const id = `cmd-${this.#commandSeq}`;
    return signMessage({ v: 1 as const, id, seq: this.#commandSeq, cart: cartId, issuedAt: now, expiresAt: now + ttlMs, command }, this.privateKey);
  }

  /** Sends a command and resolves with the cart's result. */
  async command(cartId: string, command: CommandBody, o: SendOptions = {}): Promise<CommandResult> {
    const signed = this.signCommand(cartId, command, o.ttlMs);
    return this.sendCommand(cartId, signed, o);
  }

  /** Sends any payload as a command (tests send unsigned, tampered or stale ones) and waits for the result naming `id`. */
  async sendCommand(cartId: string, payload: object, o: SendOptions = {}): Promise<CommandResult> {
    const id = (payload as { id?: unknown }).id;
    const expiresAt = (payload as { expiresAt?: unknown }).expiresAt;
    const ttlSec = typeof expiresAt === 'number' ? Math.max(1, Math.ceil((expiresAt - Date.now()) / 1000)) : 30;
    // The answer that arrives after this send: a command sent again is answered again (its kept result).
    const from = this.events.length;
    const answer = () => this.events.slice(from).find((e): e is StoreEvent & CommandResult => e.type === 'command.result' && e.commandId === id);
    const done = this.waitFor(() => (typeof id === 'string' ? answer() : undefined), o.timeoutMs ?? 10_000, `result of command ${String(id)}`);
    // MQTT 5: the broker drops the command if the cart cannot take it in time.
    await this.#send(cartTopic(this.o.storeId, cartId, 'command'), payload, { qos: 1, properties: { messageExpiryInterval: ttlSec } });
    return done;
  }

  startSession(cartId: string, sessionId: string, shopper: string, o?: SendOptions): Promise<CommandResult> {
    return this.command(cartId, { type: 'session.start', sessionId, shopper }, o);
  }

  /** Ends a session having "taken payment" for the basket as of the last basket event received. */
  endSession(cartId: string, sessionId: string, o?: SendOptions): Promise<CommandResult> {
    return this.command(cartId, { type: 'session.end', sessionId, finalSeq: this.#lastBasketSeq.get(cartId) ?? 0 }, o);
  }

  async sendTime(storeTimeMs = Date.now()): Promise<void> {
    await this.#send(storeTopic(this.o.storeId, 'time'), signMessage({ v: 1 as const, storeTimeMs }, this.privateKey), { qos: 0 });
  }

  /** Makes `products` the next catalog version (versions only grow). */
  setCatalog(products: Product[]): number {
    const version = this.catalogVersion + 1;
    this.#catalogVersions.push({ version, products: structuredClone(products) });
    return version;
  }

  fullCatalog(): CatalogFull {
    const latest = this.#catalogVersions.at(-1);
    if (!latest) throw new Error('the store has no catalog yet');
    return signMessage({ v: 1 as const, type: 'catalog.full' as const, version: latest.version, products: latest.products }, this.privateKey);
  }

  /** The changes from `baseVersion` to the latest, or null when the store no longer has that version. */
  catalogDelta(baseVersion: number): CatalogDelta | null {
    const base = this.#catalogVersions.find((c) => c.version === baseVersion);
    const latest = this.#catalogVersions.at(-1);
    if (!base || !latest || base === latest) return null;
    const before = new Map(base.products.map((p) => [p.gtin, JSON.stringify(p)]));
    const after = new Set(latest.products.map((p) => p.gtin));
    return signMessage({
      v: 1 as const, type: 'catalog.delta' as const, baseVersion, version: latest.version,
      upsert: latest.products.filter((p) => before.get(p.gtin) !== JSON.stringify(p)),
      remove: base.products.filter((p) => !after.has(p.gtin)).map((p) => p.gtin),
    }, this.privateKey);
  }

  /** To every cart of the store (cartId absent) or to one. */
  async sendCatalog(message: CatalogFull | CatalogDelta, cartId?: string): Promise<void> {
    const topic = cartId ? cartTopic(this.o.storeId, cartId, 'catalog') : storeTopic(this.o.storeId, 'catalog');
    await this.#send(topic, message, { qos: 1 });
  }

  // ---- what the store hears ----------------------------------------------

  /** Resolves with the first value the probe returns, now or after a later message. */
  waitFor<T>(probe: () => T | undefined, timeoutMs = 10_000, what = 'the expected message'): Promise<T> {
    const now = probe();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const listener = () => {
        const found = probe();
        if (found === undefined) return;
        clearTimeout(timer);
        this.#listeners.delete(listener);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(listener);
        reject(new Error(`store did not receive ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#listeners.add(listener);
    });
  }

  /** The first recorded event that passes the test. */
  waitForEvent(test: (e: StoreEvent) => boolean, timeoutMs?: number): Promise<StoreEvent> {
    return this.waitFor(() => this.events.find(test), timeoutMs, 'the expected event');
  }

  eventsOf(cartId: string): StoreEvent[] {
    return this.events.filter((e) => e.cartId === cartId);
  }

  /** The basket as the store folds it from the events: GTIN → quantity. */
  basketOf(cartId: string): Map<string, number> {
    const lines = new Map<string, number>();
    for (const e of this.eventsOf(cartId)) {
      if (e.type !== 'basket' || (e.kind !== 'add' && e.kind !== 'remove')) continue;
      const qty = (lines.get(e.gtin) ?? 0) + (e.kind === 'add' ? 1 : -1);
      if (qty === 0) lines.delete(e.gtin);
      else lines.set(e.gtin, qty);
    }
    return lines;
  }

  /** Highest seq taken from the cart's current stream. */
  lastSeqOf(cartId: string): number {
    return this.#positions.get(cartId)?.seq ?? 0;
  }

  #invalid(topic: string, problem: string): void {
    this.invalid.push({ topic, problem });
    this.#log.warn('store got a payload that does not match the protocol; dropped', { topic, problem });
  }

  #onMessage(topic: string, payload: Buffer): void {
    const where = parseCartTopic(topic);
    if (!where || where.storeId !== this.o.storeId) return;
    let body: unknown;
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      this.#invalid(topic, 'not JSON');
      return;
    }
    const { cartId, leaf } = where;
    switch (leaf) {
      case 'status':
        if (!check.status.Check(body)) return this.#invalid(topic, firstProblem(check.status, body));
        this.#onStatus(cartId, body);
        break;
      case 'events':
        if (!check.event.Check(body)) return this.#invalid(topic, firstProblem(check.event, body));
        this.#onEvent(cartId, body);
        break;
      case 'snapshot':
        if (!check.snapshot.Check(body)) return this.#invalid(topic, firstProblem(check.snapshot, body));
        this.snapshots.set(cartId, body);
        break;
      case 'telemetry': {
        if (!check.telemetry.Check(body)) return this.#invalid(topic, firstProblem(check.telemetry, body));
        const list = this.telemetry.get(cartId) ?? [];
        list.push(body);
        this.telemetry.set(cartId, list);
        break;
      }
      case 'catalog/request':
        if (!check.catalogRequest.Check(body)) return this.#invalid(topic, firstProblem(check.catalogRequest, body));
        this.catalogRequests.push({ cartId, have: body.have });
        if (this.catalogVersion > 0) void this.sendCatalog(this.fullCatalog(), cartId).catch(() => {});
        break;
      default:
        this.#invalid(topic, `no such leaf ${leaf}`);
    }
    for (const l of [...this.#listeners]) l();
  }

  #onStatus(cartId: string, status: CartStatus): void {
    // A late will of an older connection must not hide a newer birth.
    if (!statusSupersedes(this.status.get(cartId), status)) return;
    this.status.set(cartId, status);
    if (!status.online) {
      this.#log.info('store sees the cart offline', { cart: cartId, reason: status.reason });
      return;
    }
    this.#log.info('store sees the cart online', { cart: cartId, boot: status.boot, catalog: status.catalogVersion });
    if (this.o.answerBirths === false) return;
    void this.sendTime().catch(() => {});
    if (this.catalogVersion > status.catalogVersion) {
      const update = this.catalogDelta(status.catalogVersion) ?? this.fullCatalog();
      void this.sendCatalog(update, cartId).catch(() => {});
    }
  }

  #onEvent(cartId: string, event: CartEvent): void {
    const recorded: StoreEvent = { ...event, cartId, receivedAtMs: sharedNowMs() };
    const verdict = sequenceVerdict(this.#positions.get(cartId), event.stream, event.seq);
    if (!verdict.take) {
      this.duplicates.push(recorded);
      return;
    }
    if (verdict.gapFrom !== null) {
      this.gaps.push({ cartId, stream: event.stream, expected: verdict.gapFrom, got: event.seq });
      this.#log.warn('store misses cart messages; it can resynchronise from the snapshot', { cart: cartId, expected: verdict.gapFrom, got: event.seq });
    }
    this.#positions.set(cartId, { stream: event.stream, seq: event.seq });
    this.events.push(recorded);
    if (event.type === 'basket') {
      this.#lastBasketSeq.set(cartId, event.seq);
      if (this.o.verbose !== false) this.#logBasket(cartId, event);
    } else if (event.type === 'command.result') {
      if (event.commandId) this.results.set(event.commandId, event);
      this.#log.info(`command ${event.status}`, { cart: cartId, id: event.commandId, command: event.command, reason: event.reason });
    } else {
      this.catalogResults.push({ ...event, cartId, receivedAtMs: recorded.receivedAtMs });
      this.#log.info(`catalog ${event.status}`, { cart: cartId, version: event.version, held: event.heldVersion, reason: event.reason });
    }
  }

  #logBasket(cartId: string, e: BasketEvent): void {
    const facts = { cart: cartId, seq: e.seq, event: e.kind, gtin: 'gtin' in e ? e.gtin : undefined, alert: 'alert' in e ? e.alert : undefined };
    this.#log.info('synced to store', facts);
  }
}

/** The store's signing key from a PEM file, made (with its public half beside it) when the file is not there. */
export function loadOrCreateStoreKey(path: string): KeyObject {
  if (existsSync(path)) return createPrivateKey(readFileSync(path, 'utf8'));
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(path.replace(/(\.pem)?$/, '.pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
  return privateKey;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
      store: { type: 'string', default: 'demo-store' },
      key: { type: 'string', default: 'store-key.pem' },
      protocol: { type: 'string', default: '5' },
      'time-every-sec': { type: 'string', default: '30' },
    },
  });
  const log = createLogger(stderrSink('info'), 'store');
  const sim = new StoreSim({ url: values.url, storeId: values.store, log, protocolVersion: values.protocol === '4' ? 4 : 5, privateKey: loadOrCreateStoreKey(values.key) });
  await sim.start();
  log.info('store simulator running; Ctrl-C stops it', { url: values.url, store: values.store, key: values.key });
  const beacon = setInterval(() => void sim.sendTime().catch(() => {}), Number(values['time-every-sec']) * 1000);
  const stop = () => {
    clearInterval(beacon);
    void sim.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
