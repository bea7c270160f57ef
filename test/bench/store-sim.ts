// A small store: the other end of the carts' MQTT link, for the demo and the
// tests. It records every basket event once (dropping repeats by sequence
// number, as the real store must) and notes gaps in a cart's sequence.
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../../firmware/log.js';

export interface StoreEvent {
  cartId: string;
  seq: number;
  kind: string;
  [key: string]: unknown;
}

export interface StoreSimOptions {
  url: string;
  storeId: string;
  log: Logger;
  protocolVersion?: 4 | 5;
}

export class StoreSim {
  readonly events: StoreEvent[] = [];
  readonly duplicates: StoreEvent[] = [];
  readonly gaps: { cartId: string; expected: number; got: number }[] = [];
  readonly status = new Map<string, { online: boolean; boot?: number }>();
  #lastSeq = new Map<string, number>();
  #client: MqttClient | null = null;
  #listeners: ((e: StoreEvent) => void)[] = [];

  constructor(private readonly o: StoreSimOptions) {}

  async start(): Promise<void> {
    const client = await mqtt.connectAsync(this.o.url, { clientId: `store-${this.o.storeId}`, protocolVersion: this.o.protocolVersion ?? 4, reconnectPeriod: 500 });
    this.#client = client;
    client.on('message', (topic, payload) => this.#onMessage(topic, payload));
    await client.subscribeAsync(`store/${this.o.storeId}/cart/+/#`, { qos: 1 });
  }

  /** Resolves with the first event that satisfies the test, now or later. */
  waitFor(test: (e: StoreEvent) => boolean, timeoutMs = 10_000): Promise<StoreEvent> {
    const found = this.events.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('store did not receive the expected event')), timeoutMs);
      const listener = (e: StoreEvent) => {
        if (!test(e)) return;
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((l) => l !== listener);
        resolve(e);
      };
      this.#listeners.push(listener);
    });
  }

  #onMessage(topic: string, payload: Buffer): void {
    const [, , , cartId, leaf] = topic.split('/');
    if (!cartId || !leaf) return;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
    } catch {
      this.o.log.warn('store got a payload that is not JSON, dropped', { topic });
      return;
    }
    if (leaf === 'status') {
      this.status.set(cartId, { online: body.online === true, boot: body.boot as number | undefined });
      this.o.log.info(body.online ? 'store sees the cart online' : 'store sees the cart offline', { cart: cartId });
      return;
    }
    if (typeof body.seq !== 'number') return;
    const event = { ...body, cartId, seq: body.seq, kind: String(body.kind) } as StoreEvent;
    const last = this.#lastSeq.get(cartId) ?? 0;
    if (event.seq <= last) {
      this.duplicates.push(event);
      return;
    }
    if (last > 0 && event.seq !== last + 1) this.gaps.push({ cartId, expected: last + 1, got: event.seq });
    this.#lastSeq.set(cartId, event.seq);
    this.events.push(event);
    this.o.log.info('synced to store', { cart: cartId, seq: event.seq, event: event.kind, gtin: event.gtin as string | undefined, alert: event.alert as string | undefined });
    for (const l of [...this.#listeners]) l(event);
  }

  async stop(): Promise<void> {
    await this.#client?.endAsync();
  }
}
