// The cart's link to the store over MQTT 5. The SQLite outbox is the source of
// truth: rows are published in order with QoS 1 and deleted only after PUBACK.
// mqtt.js keeps unacknowledged messages in memory only, so nothing here relies
// on its queue; a restart resends what is still in the outbox, and the store
// drops repeats by sequence number.
import mqtt, { type MqttClient } from 'mqtt';
import type { BasketStore } from '../storage/basket-store.js';
import type { Logger } from '../log.js';

export interface StoreLinkOptions {
  url: string;
  storeId: string;
  cartId: string;
  firmwareVersion: string;
  /** 5 for the store's broker; 4 (MQTT 3.1.1) where the broker speaks no more, as aedes in the demo. */
  protocolVersion: 4 | 5;
  store: BasketStore;
  log: Logger;
  /** Waiting time before the first reconnect; doubles up to maxBackoffMs, with jitter. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  publishTimeoutMs?: number;
  random?: () => number;
}

export type LinkStatus = 'connecting' | 'online' | 'offline' | 'stopped';

export function cartTopic(storeId: string, cartId: string, leaf: string): string {
  return `store/${storeId}/cart/${cartId}/${leaf}`;
}

/** A session kept by the broker across short Wi-Fi drops, in seconds. */
const sessionExpirySec = 3600;
const drainBatch = 50;

export class StoreLink {
  #client: MqttClient | null = null;
  #status: LinkStatus = 'stopped';
  #draining = false;
  #failures = 0;
  #reconnectTimer: NodeJS.Timeout | null = null;
  #lastSyncSeq = 0;
  readonly #o: Required<StoreLinkOptions>;

  constructor(options: StoreLinkOptions) {
    this.#o = { minBackoffMs: 1000, maxBackoffMs: 60_000, publishTimeoutMs: 10_000, random: Math.random, ...options };
  }

  get status(): LinkStatus {
    return this.#status;
  }

  /** The sequence number of the last message the broker acknowledged. */
  get lastSyncedSeq(): number {
    return this.#lastSyncSeq;
  }

  #topic(leaf: string): string {
    return cartTopic(this.#o.storeId, this.#o.cartId, leaf);
  }

  start(): void {
    const o = this.#o;
    this.#status = 'connecting';
    const client = mqtt.connect(o.url, {
      clientId: o.cartId,
      protocolVersion: o.protocolVersion,
      // MQTT 5 drops a session at disconnect unless it is given an expiry;
      // 3.1.1 keeps it for as long as the broker likes.
      clean: false,
      ...(o.protocolVersion === 5 ? { properties: { sessionExpiryInterval: sessionExpirySec } } : {}),
      // Reconnects are ours: one timer with capped backoff and jitter, so that
      // a store full of carts does not come back in the same second.
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      queueQoSZero: false,
      will: { topic: this.#topic('status'), payload: Buffer.from(JSON.stringify({ online: false })), qos: 1, retain: true },
    });
    this.#client = client;
    client.on('connect', () => {
      this.#status = 'online';
      if (this.#failures > 0) o.log.info('store link back', { after: this.#failures });
      else o.log.info('connected to the store', { url: o.url });
      this.#failures = 0;
      const birth = { online: true, boot: o.store.boot, version: o.firmwareVersion };
      client.publish(this.#topic('status'), JSON.stringify(birth), { qos: 1, retain: true });
      void this.drain();
    });
    client.on('error', (err) => {
      // The first failure is loud; repeats while the link stays down are quiet.
      if (this.#failures === 0) o.log.warn('store link failed; shopping goes on and messages wait in the outbox', { error: err.message });
      else o.log.debug('store link still failing', { error: err.message });
    });
    client.on('close', () => {
      if (this.#status === 'stopped') return;
      if (this.#status === 'online') o.log.warn('store link lost; messages wait in the outbox', { outbox: o.store.outboxDepth() });
      this.#status = 'offline';
      this.#scheduleReconnect();
    });
  }

  #scheduleReconnect(): void {
    if (this.#reconnectTimer || this.#status === 'stopped') return;
    const o = this.#o;
    const ceiling = Math.min(o.maxBackoffMs, o.minBackoffMs * 2 ** this.#failures);
    const delay = ceiling / 2 + o.random() * (ceiling / 2);
    this.#failures++;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      if (this.#status === 'stopped') return;
      this.#status = 'connecting';
      this.#client?.reconnect();
    }, delay);
  }

  /** Sends what waits in the outbox, oldest first, until it is empty or the link drops. */
  async drain(): Promise<void> {
    const client = this.#client;
    if (!client || this.#draining || this.#status !== 'online') return;
    this.#draining = true;
    try {
      for (;;) {
        const batch = this.#o.store.pendingMessages(drainBatch);
        if (batch.length === 0) break;
        for (const m of batch) {
          const payload = JSON.stringify({ seq: m.seq, id: `${this.#o.cartId}-${m.seq}`, ...JSON.parse(m.payload) });
          await withTimeout(client.publishAsync(this.#topic(m.topic), payload, { qos: 1 }), this.#o.publishTimeoutMs);
          this.#o.store.acknowledge(m.seq);
          this.#lastSyncSeq = m.seq;
        }
      }
    } catch (err) {
      this.#o.log.warn('publish not acknowledged; it stays in the outbox and goes again on reconnect', { error: (err as Error).message });
    } finally {
      this.#draining = false;
    }
  }

  /** Says goodbye: a retained offline status, then the connection closes. */
  async stop(): Promise<void> {
    const client = this.#client;
    const wasOnline = this.#status === 'online';
    this.#status = 'stopped';
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    if (!client) return;
    if (wasOnline) {
      try {
        await withTimeout(client.publishAsync(this.#topic('status'), JSON.stringify({ online: false }), { qos: 1, retain: true }), 2000);
      } catch {
        // The broker publishes the will instead.
      }
    }
    await client.endAsync(!wasOnline);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no PUBACK within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
