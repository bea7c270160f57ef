// The cart's link to the store over MQTT: owns the connection, its reconnect
// timer and its status; sends the outbox; hands inbound messages to the
// command handler, the catalog and the clock.
//
// The SQLite outbox is the source of truth. Rows go out in order with QoS 1,
// a few in flight at once, and a row is deleted only on its PUBACK. mqtt.js
// keeps unacknowledged messages in memory and resends them on reconnect;
// nothing here relies on that: every connection is a fresh client, and what
// was not acknowledged is sent again from the outbox, where the store drops
// the repeats by sequence number.
//
// Inbound messages are acknowledged (PUBACK) only after they have been
// handled and committed (mqtt.js handleMessage), so a crash before the
// commit makes the broker deliver the command again.
import { readFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from '../log.js';
import type { MqttConfig } from '../config.js';
import type { BasketStore, CatalogStore } from '../storage/basket-store.js';
import { StagingStopped } from '../storage/catalog-staging.js';
import type { Db } from '../storage/database.js';
import { CatalogSync } from './catalog-sync.js';
import { CommandHandler, type CartPort } from './commands.js';
import { readDeviceStats } from './device-stats.js';
import { connackRefusal, reconnectDelayMs, type Refusal } from './reconnect.js';
import { check, firstProblem, type BasketSnapshot, type CatalogRequest, type Telemetry, type TimeBeacon } from './schemas.js';
import { parseStorePublicKey, verifyMessage } from './signing.js';
import { StoreClock } from './store-clock.js';
import { SyncStore } from './sync-store.js';
import { telemetryDigest, telemetryDue } from './telemetry.js';
import { cartTopic, inboundKind, storeTopic, type CartLeaf } from './topics.js';
import { startIdentity, type CartIdentity } from './identity.js';
import { birthPayload, eventPayload, goodbyePayload, snapshotPayload, type StatusIds } from './wire.js';

export interface StoreLinkOptions {
  config: MqttConfig;
  storeId: string;
  cartId: string;
  firmwareVersion: string;
  db: Db;
  basket: BasketStore;
  catalog: CatalogStore;
  port: CartPort;
  /** Folder of the database, for the free-disk figure in telemetry. */
  dataDir: string;
  /**
   * The cart started from an empty database because its old one was damaged:
   * read back the cart's own retained snapshot (the basket the store last
   * acknowledged) and take that basket back.
   */
  restoreBasket?: boolean;
  log: Logger;
}

export type LinkStatus = 'stopped' | 'connecting' | 'online' | 'offline' | 'disabled';

/** QoS 1 publishes in flight at once: PUBACKs come back in order, so a small window keeps order and hides the round trip. */
const inflightWindow = 16;

export class StoreLink {
  readonly sync: SyncStore;
  readonly clock = new StoreClock();
  #status: LinkStatus = 'stopped';
  #client: MqttClient | null = null;
  #link = 0;
  #failures = 0;
  #refusal: Refusal | null = null;
  #reconnectTimer: NodeJS.Timeout | null = null;
  #telemetryTimer: NodeJS.Timeout | null = null;
  #drainingClient: MqttClient | null = null;
  #drainAgain = false;
  #snapshotKey: string | null = null;
  #telemetrySample = 0;
  #telemetrySentSec: number | null = null;
  #telemetryDigest: string | null = null;
  #outboxWasFull = false;
  #publicKey: KeyObject | null = null;
  #tls: { ca: Buffer; cert: Buffer; key: Buffer } | null = null;
  #identity: CartIdentity | null = null;
  #commands!: CommandHandler;
  #catalogSync!: CatalogSync;
  readonly #o: StoreLinkOptions;
  #restorePending: boolean;
  readonly #monoMs = () => performance.now();
  readonly #log: Logger;

  constructor(options: StoreLinkOptions) {
    this.#o = options;
    this.#restorePending = options.restoreBasket === true;
    this.#log = options.log;
    this.sync = new SyncStore(options.db, options.basket);
  }

  get status(): LinkStatus {
    return this.#status;
  }

  /** The link is not encrypted, and this is no demo or bench that expects it (mqtt.plainTextExpected). */
  get plainText(): boolean {
    return !/^(mqtts|wss):/.test(this.#o.config.url) && !this.#o.config.plainTextExpected;
  }

  #statusIds(): StatusIds {
    const identity = this.#identity!;
    return { epoch: identity.epoch, start: identity.start, link: this.#link, boot: this.#o.basket.boot, stream: this.sync.stream() };
  }

  #topic(leaf: CartLeaf): string {
    return cartTopic(this.#o.storeId, this.#o.cartId, leaf);
  }

  /** Reads the store key and the client certificate, then connects; shopping never waits for the link. */
  async start(): Promise<void> {
    const { config } = this.#o;
    this.#identity = startIdentity(this.#o.dataDir, this.#log);
    try {
      this.#publicKey = parseStorePublicKey(await readFile(config.storePublicKeyPath, 'utf8'));
    } catch (err) {
      this.#log.error('cannot read the store\'s public key; every command and catalog update will be refused until it is installed',
        { path: config.storePublicKeyPath, error: (err as Error).message });
    }
    this.#commands = new CommandHandler({
      cartId: this.#o.cartId, port: this.#o.port, basket: this.#o.basket, sync: this.sync, publicKey: this.#publicKey,
      clock: this.clock, monoMs: this.#monoMs, outboxMaxRows: config.outboxMaxRows, log: this.#log,
    });
    this.#catalogSync = new CatalogSync({ db: this.#o.db, catalog: this.#o.catalog, basket: this.#o.basket, publicKey: this.#publicKey, log: this.#log });
    if (config.tls) {
      try {
        const [ca, cert, key] = await Promise.all([readFile(config.tls.caPath), readFile(config.tls.certPath), readFile(config.tls.keyPath)]);
        this.#tls = { ca, cert, key };
      } catch (err) {
        this.#status = 'disabled';
        this.#log.error('cannot read the TLS files; the cart stays offline, shopping goes on and the outbox keeps everything',
          { error: (err as Error).message });
        return;
      }
    }
    if (this.plainText) {
      this.#log.warn('STORE LINK WITHOUT TLS: anyone on the store network can read this cart\'s baskets and pose as the broker; '
        + 'commands and catalogs stay signed, but nothing else is protected. Set mqtt.url to mqtts:// with mqtt.tls (docs/store-protocol.md, Security)',
      { url: config.url });
    }
    this.#status = 'connecting';
    this.sync.stream();
    this.#connect();
    this.#scheduleTelemetry();
  }

  #connect(): void {
    const { config } = this.#o;
    this.#link++;
    const options: IClientOptions = {
      clientId: this.#o.cartId,
      protocolVersion: config.protocolVersion,
      // The broker keeps the cart's subscriptions and queued commands while
      // it is away; MQTT 5 needs an expiry for that, 3.1.1 keeps it anyway.
      clean: false,
      ...(config.protocolVersion === 5 ? { properties: { sessionExpiryInterval: config.sessionExpirySec } } : {}),
      // Reconnects are ours (reconnectDelayMs), one fresh client each time.
      reconnectPeriod: 0,
      connectTimeout: config.connectTimeoutMs,
      keepalive: config.keepaliveSec,
      queueQoSZero: false,
      resubscribe: false,
      will: { topic: this.#topic('status'), payload: Buffer.from(JSON.stringify(goodbyePayload(this.#statusIds(), 'lost'))), qos: 1, retain: true },
      ...(this.#tls ? { ca: this.#tls.ca, cert: this.#tls.cert, key: this.#tls.key, rejectUnauthorized: true } : {}),
    };
    const client = mqtt.connect(config.url, options);
    this.#client = client;
    // The next inbound message waits for this one: a command after a catalog sees the new catalog.
    client.handleMessage = (packet, done) => {
      this.#inbound(packet.topic, Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload)).then(() => done(), (err: Error) => {
        // Stopping mid-catalog: no PUBACK, so that the broker delivers the update again after the restart.
        if (err instanceof StagingStopped) return;
        this.#log.error('inbound message could not be handled; nothing was changed', { topic: packet.topic, error: err.message });
        done();
      });
    };
    client.on('connect', () => {
      if (client !== this.#client) return;
      void this.#online(client);
    });
    client.on('error', (err: Error & { code?: unknown }) => {
      if (client !== this.#client) return;
      if (typeof err.code === 'number' && this.#status === 'connecting') {
        this.#refusal = connackRefusal(err.code);
        const facts = { code: err.code, meaning: this.#refusal.meaning, url: config.url };
        if (this.#refusal.needsPerson) this.#log.error('broker refused the cart; it retries at the longest interval until someone fixes this', facts);
        else if (this.#failures === 0) this.#log.warn('broker refused the cart for now; it retries with backoff', facts);
        else this.#log.debug('broker still refuses the cart', facts);
        return;
      }
      // The first failure is loud; repeats while the link stays down are quiet.
      if (this.#failures === 0) this.#log.warn('store link failed; shopping goes on and messages wait in the outbox', { error: err.message });
      else this.#log.debug('store link still failing', { error: err.message });
    });
    client.on('close', () => this.#closed(client));
  }

  async #online(client: MqttClient): Promise<void> {
    const o = this.#o;
    this.#status = 'online';
    this.#log.info(this.#failures > 0 ? 'store link back' : 'connected to the store',
      { url: o.config.url, tls: this.plainText ? false : undefined, link: this.#link, failedAttempts: this.#failures, outbox: o.basket.outboxDepth() });
    this.#failures = 0;
    this.#refusal = null;
    try {
      const granted = await client.subscribeAsync({
        [this.#topic('command')]: { qos: 1 },
        [this.#topic('catalog')]: { qos: 1 },
        [storeTopic(o.storeId, 'catalog')]: { qos: 1 },
        [storeTopic(o.storeId, 'time')]: { qos: 0 },
        // Subscribed before this link publishes a snapshot of its own, so the
        // broker hands over the old retained one first.
        ...(this.#restorePending ? { [this.#topic('snapshot')]: { qos: 1 } } : {}),
      });
      const denied = granted.filter((g) => g.qos >= 0x80).map((g) => g.topic);
      if (denied.length > 0) this.#log.error('broker denied subscriptions; the cart will not hear these from the store', { topics: denied.join(',') });
      await this.#publish(client, 'status', JSON.stringify(birthPayload(this.#statusIds(), o.firmwareVersion, o.catalog.version())), true);
    } catch (err) {
      this.#broken(client, 'subscribe or birth not acknowledged', err);
      return;
    }
    void this.drain();
  }

  #closed(client: MqttClient): void {
    if (client !== this.#client) return;
    client.removeAllListeners();
    client.on('error', () => {});
    client.end(true);
    this.#client = null;
    if (this.#status === 'stopped' || this.#status === 'disabled') return;
    if (this.#status === 'online') this.#log.warn('store link lost; messages wait in the outbox', { outbox: this.#o.basket.outboxDepth() });
    this.#status = 'offline';
    const delay = reconnectDelayMs(this.#failures, this.#o.config, Math.random, this.#refusal?.needsPerson ?? false);
    this.#failures++;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      if (this.#status !== 'offline') return;
      this.#status = 'connecting';
      this.#connect();
    }, delay);
  }

  /** A publish that got no PUBACK in time: the connection is not to be trusted; drop it and reconnect. */
  #broken(client: MqttClient, what: string, err: unknown): void {
    if (client !== this.#client) return;
    this.#log.warn(`${what}; the connection is dropped and messages stay in the outbox`, { error: (err as Error).message });
    client.stream.destroy();
  }

  async #publish(client: MqttClient, leaf: CartLeaf, payload: string, retain = false): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeoutMs = this.#o.config.publishTimeoutMs;
    try {
      await Promise.race([
        client.publishAsync(this.#topic(leaf), payload, { qos: 1, retain }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no PUBACK within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Sends what waits in the outbox, oldest first, then the snapshot and the
   * queued telemetry. Called after every commit and on connect; a call while
   * a drain runs makes it look again when it is done.
   */
  async drain(): Promise<void> {
    const client = this.#client;
    if (!client || this.#status !== 'online') return;
    if (this.#drainingClient === client) {
      this.#drainAgain = true;
      return;
    }
    // A drain of a connection that died may still wait for its PUBACK
    // timeout; it ends on its own, and this connection does not wait for it.
    this.#drainingClient = client;
    this.#drainAgain = false;
    try {
      await this.#drainOutbox(client);
      await this.#publishSnapshot(client, false);
      await this.#drainTelemetry(client);
    } catch (err) {
      this.#broken(client, 'publish not acknowledged', err);
    } finally {
      if (this.#drainingClient === client) this.#drainingClient = null;
      if (this.#drainAgain && client === this.#client) void this.drain();
    }
  }

  async #drainOutbox(client: MqttClient): Promise<void> {
    const { basket } = this.#o;
    const stream = this.sync.stream();
    const inflight = new Map<number, Promise<void>>();
    let cursor = 0;
    for (;;) {
      if (client !== this.#client) return;
      if (inflight.size < inflightWindow) {
        for (const row of basket.messagesAfter(cursor, inflightWindow - inflight.size)) {
          cursor = row.seq;
          inflight.set(row.seq, this.#publish(client, 'events', eventPayload(stream, row)).then(() => {
            basket.acknowledge(row.seq);
            inflight.delete(row.seq);
          }));
        }
      }
      if (inflight.size === 0) return;
      await Promise.race(inflight.values());
    }
  }

  /** The retained basket, sent once the outbox is empty so that its seq is the last one the store has. */
  async #publishSnapshot(client: MqttClient, force: boolean): Promise<void> {
    const o = this.#o;
    const snapshot = snapshotPayload({
      stream: this.sync.stream(), seq: o.basket.lastQueuedSeq(), boot: o.basket.boot, basket: o.port.basket(),
      session: this.sync.activeSession(), locked: this.sync.locked(), catalogVersion: o.catalog.version(),
    });
    const key = `${snapshot.seq}:${snapshot.catalogVersion}`;
    if (!force && key === this.#snapshotKey) return;
    await this.#publish(client, 'snapshot', JSON.stringify(snapshot), true);
    this.#snapshotKey = key;
  }

  async #drainTelemetry(client: MqttClient): Promise<void> {
    for (;;) {
      const rows = this.sync.pendingTelemetry(inflightWindow);
      if (rows.length === 0 || client !== this.#client) return;
      for (const row of rows) {
        await this.#publish(client, 'telemetry', row.payload);
        this.sync.acknowledgeTelemetry(row.id);
      }
    }
  }

  async #inbound(topic: string, payload: Buffer): Promise<void> {
    const kind = inboundKind(this.#o.storeId, this.#o.cartId, topic);
    if (kind === 'command') {
      const handled = this.#commands.handle(payload);
      if (handled.answered && handled.command?.command.type === 'state.request') void this.#sendState();
      if (handled.answered) void this.drain();
    } else if (kind === 'catalog') {
      const outcome = await this.#catalogSync.handle(payload, topic);
      if (typeof outcome === 'object') void this.#requestCatalog(outcome.requestFullFrom);
      void this.drain();
    } else if (kind === 'time') {
      this.#timeBeacon(payload);
    } else if (kind === 'snapshot') {
      this.#restoreFrom(payload);
    } else {
      this.#log.warn('message on a topic the cart does not use; dropped', { topic });
    }
  }

  #restoreFrom(payload: Buffer): void {
    if (!this.#restorePending) return;
    let msg: unknown;
    try {
      msg = JSON.parse(payload.toString('utf8'));
    } catch {
      msg = null;
    }
    if (!check.snapshot.Check(msg)) {
      this.#log.warn('own snapshot unreadable; the basket starts empty', { why: firstProblem(check.snapshot, msg) });
      this.#restorePending = false;
      this.#stopReadingBack();
      return;
    }
    const snapshot = msg as BasketSnapshot;
    // Our own new stream's snapshot says nothing about the lost basket.
    if (snapshot.stream === this.sync.stream()) return;
    this.#restorePending = false;
    this.#stopReadingBack();
    const restored = this.#o.port.restoreBasket(snapshot.lines);
    this.#log.warn(restored ? 'basket taken back from the last snapshot the store acknowledged' : 'last snapshot not taken back: the basket is no longer empty',
      { lines: snapshot.lines.length, asOfSeq: snapshot.seq });
    void this.drain();
  }

  /** The broker keeps the session's subscriptions: without this, every later snapshot of the cart would come back to it. */
  #stopReadingBack(): void {
    void this.#client?.unsubscribeAsync(this.#topic('snapshot')).catch(() => {});
  }

  #timeBeacon(payload: Buffer): void {
    let msg: unknown;
    try {
      msg = JSON.parse(payload.toString('utf8'));
    } catch {
      this.#log.warn('time beacon is not JSON; the cart keeps its clock', {});
      return;
    }
    if (!check.time.Check(msg)) {
      this.#log.warn('time beacon malformed; the cart keeps its clock', { why: firstProblem(check.time, msg) });
      return;
    }
    if (!this.#publicKey) {
      this.#log.debug('time beacon cannot be checked without the store key; the cart keeps its clock unsynced', {});
      return;
    }
    if (!verifyMessage(msg as TimeBeacon as unknown as Record<string, unknown>, this.#publicKey)) {
      this.#log.warn('time beacon not signed by the store; the cart keeps its clock', {});
      return;
    }
    const outcome = this.clock.observe((msg as TimeBeacon).storeTimeMs, this.#monoMs());
    if (outcome === 'synced') this.#log.info('clock synced with the store; command expiry is checked from now on', {});
    else if (outcome === 'backwards') this.#log.warn('time beacon older than the cart\'s clock; ignored', { storeTimeMs: (msg as TimeBeacon).storeTimeMs });
  }

  async #requestCatalog(have: number): Promise<void> {
    const client = this.#client;
    if (!client || this.#status !== 'online') return;
    const request: CatalogRequest = { v: 1, have, reason: 'delta-base-mismatch' };
    try {
      await this.#publish(client, 'catalog/request', JSON.stringify(request));
    } catch (err) {
      this.#log.warn('catalog request not acknowledged; the next delta or reconnect asks again', { error: (err as Error).message });
    }
  }

  /** state.request: birth, snapshot and telemetry again, whether or not they changed. */
  async #sendState(): Promise<void> {
    const client = this.#client;
    if (!client || this.#status !== 'online') return;
    const o = this.#o;
    try {
      await this.#publish(client, 'status', JSON.stringify(birthPayload(this.#statusIds(), o.firmwareVersion, o.catalog.version())), true);
      await this.#publishSnapshot(client, true);
      await this.sampleTelemetry(true);
    } catch (err) {
      this.#broken(client, 'state not acknowledged', err);
    }
  }

  #scheduleTelemetry(): void {
    const everyMs = Math.min(this.#o.config.telemetryMinGapSec, this.#o.config.telemetryIntervalSec) * 1000;
    this.#telemetryTimer = setInterval(() => {
      void this.sampleTelemetry(false).catch((err: Error) => this.#log.warn('telemetry could not be taken; the next tick tries again', { error: err.message }));
    }, everyMs);
    this.#telemetryTimer.unref();
  }

  /**
   * Takes the cart's health and queues it when it is due (interval passed, or
   * a state changed) or when `force`d. Returns whether it queued one.
   */
  async sampleTelemetry(force: boolean): Promise<boolean> {
    const o = this.#o;
    const stats = await readDeviceStats(o.dataDir);
    const depth = o.basket.outboxDepth();
    const full = depth >= o.config.outboxMaxRows;
    if (full !== this.#outboxWasFull) {
      this.#outboxWasFull = full;
      if (full) this.#log.error('outbox full: basket events are still kept, but no new shopping session starts until the store has them', { depth });
      else this.#log.info('outbox below its bound again; sessions can start', { depth });
    }
    const body: Omit<Telemetry, 'sample'> = {
      v: 1, boot: o.basket.boot, uptimeSec: stats.uptimeSec, runSec: stats.runSec, clockSynced: this.clock.synced,
      outbox: { depth, full }, diskFreeMb: stats.diskFreeMb, cpuTempC: stats.cpuTempC,
      scale: o.port.basket().scaleState, devices: o.port.devices(), metrology: o.port.metrologyCounters(),
    };
    const setAside = o.port.databaseSetAside?.();
    if (setAside) body.databaseSetAside = { at: setAside.at, basketTakenBackAt: setAside.basketTakenBackAt };
    const digest = telemetryDigest(body);
    const nowSec = this.#monoMs() / 1000;
    if (!force && !telemetryDue(this.#telemetrySentSec, this.#telemetryDigest, nowSec, digest,
      { intervalSec: o.config.telemetryIntervalSec, minGapSec: o.config.telemetryMinGapSec })) return false;
    this.#telemetrySentSec = nowSec;
    this.#telemetryDigest = digest;
    const thinned = this.sync.pushTelemetry(JSON.stringify({ ...body, sample: ++this.#telemetrySample }), o.config.telemetryQueueRows);
    if (thinned > 0) this.#log.debug('telemetry queue full; older samples thinned', { dropped: thinned });
    void this.drain();
    return true;
  }

  /** Says goodbye: a retained offline status, then the connection closes. */
  async stop(): Promise<void> {
    const client = this.#client;
    const wasOnline = this.#status === 'online';
    this.#status = 'stopped';
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    if (this.#telemetryTimer) clearInterval(this.#telemetryTimer);
    this.#reconnectTimer = null;
    this.#telemetryTimer = null;
    await this.#catalogSync?.stop();
    if (!client) return;
    if (wasOnline) {
      try {
        await this.#publish(client, 'status', JSON.stringify(goodbyePayload(this.#statusIds(), 'stopped')), true);
      } catch {
        // The broker publishes the will instead.
      }
    }
    this.#client = null;
    await client.endAsync(!wasOnline);
  }
}
