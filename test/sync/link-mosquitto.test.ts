// The store link against a real mosquitto (MQTT 5), started by the test on a
// free loopback port: the broker down for an hour of shopping, a broker
// restart, a network cut in the middle of delivery, and a refused CONNACK.
import t from 'tap';
import { StoreSim } from '../bench/store-sim.js';
import { basketLines } from '../../firmware/basket/lines.js';
import { createLogger, memorySink } from '../../firmware/log.js';
import { openCartRig, type CartRig } from './helpers/cart-rig.js';
import { noMosquitto, startMosquitto, type Mosquitto } from './helpers/mosquitto.js';
import { startTcpProxy } from './helpers/tcp-proxy.js';
import { until } from './helpers/until.js';

if (noMosquitto) {
  t.plan(0, noMosquitto);
} else {
  let broker: Mosquitto;
  let store: StoreSim;

  t.before(async () => {
    broker = await startMosquitto();
    store = new StoreSim({ url: broker.url, storeId: 'store-1', protocolVersion: 5, log: createLogger(memorySink('debug'), 'store'), verbose: false });
    await store.start();
  });
  t.teardown(async () => {
    await store.stop();
    await broker.stop();
  });

  let carts = 0;
  const rig = async (url: string, mqtt = {}): Promise<CartRig> => {
    const r = await openCartRig({ url, cartId: `cart-${++carts}`, protocolVersion: 5, storePublicKeyPem: store.publicKeyPem, mqtt });
    t.teardown(() => r.close());
    return r;
  };

  /** Everything the cart queued has reached the store, and the outbox is empty. */
  const allDelivered = (r: CartRig, timeoutMs = 30_000) =>
    until(() => r.basket.outboxDepth() === 0 && store.lastSeqOf(r.cartId) === r.basket.lastQueuedSeq(), 'every event at the store', timeoutMs);

  const exactlyOnce = (t: { same(found: unknown, wanted: unknown, message: string): boolean }, r: CartRig) => {
    const seqs = store.eventsOf(r.cartId).map((e) => e.seq);
    t.same(seqs, Array.from({ length: r.basket.lastQueuedSeq() }, (_, i) => i + 1), `events 1..${r.basket.lastQueuedSeq()}, each taken once, in order`);
    t.same(store.gaps.filter((g) => g.cartId === r.cartId), [], 'no gap');
    t.same(Object.fromEntries(store.basketOf(r.cartId)), Object.fromEntries(basketLines(r.basket.state).map((l) => [l.gtin, l.qty])), 'the store\'s basket is the cart\'s');
  };

  t.test('a cart offline for an hour of shopping delivers every event exactly once, in order, when the broker returns', async (t) => {
    const r = await rig(broker.url, { telemetryQueueRows: 20 });
    await until(() => store.status.get(r.cartId)?.online, 'the birth');
    await broker.stop();
    await until(() => r.link.status !== 'online', 'the cart to notice');

    // An hour: a step every 10 s, an unscanned item every 5 minutes, telemetry every minute.
    for (let minute = 0; minute < 60; minute++) {
      for (let s = 0; s < 6; s++) r.shopper.step(minute * 6 + s);
      if (minute % 5 === 4) r.shopper.sneak(500 + minute);
      await r.link.sampleTelemetry(true);
    }
    const queued = r.basket.outboxDepth();
    t.ok(queued >= 360, `${queued} events waited in the outbox`);
    t.equal(r.link.sync.telemetryDepth(), 20, 'telemetry was thinned to its bound; no basket event was');

    await broker.start();
    await allDelivered(r);
    exactlyOnce(t, r);
    t.same(store.invalid, []);
    const telemetry = await until(() => (store.telemetry.get(r.cartId)?.length ?? 0) >= 20 && store.telemetry.get(r.cartId), 'the telemetry');
    const samples = telemetry.map((x) => x.sample);
    t.equal(samples.at(-1), 60, 'the newest sample survived the thinning');
    t.ok(samples[0]! < 10, 'and so did the oldest part of the hour, coarser');
    t.same(r.lines.filter((l) => /^(WARN |ERROR) sync/.test(l)).map((l) => l.replace(/ outbox=\d+/, '')), ['WARN  sync store link lost; messages wait in the outbox'],
      'one loud line for the loss');
    t.ok(r.lines.some((l) => /DEBUG sync store link still failing/.test(l)), 'the failed attempts after it are quiet');
    t.match(r.lines.join('\n'), /INFO  sync store link back/);
  });

  t.test('a network cut in the middle of delivery loses nothing and counts nothing twice', async (t) => {
    const proxy = await startTcpProxy(broker.port);
    t.teardown(() => proxy.close());
    const r = await rig(proxy.url);
    await until(() => store.status.get(r.cartId)?.online, 'the birth');
    for (let i = 0; i < 150; i++) r.shopper.step(i);
    await until(() => store.lastSeqOf(r.cartId) >= 20, 'delivery to be under way');
    proxy.cut();
    t.ok(r.basket.outboxDepth() > 0, 'the cut came while the outbox still held events');
    await store.waitFor(() => (store.status.get(r.cartId)?.online === false ? true : undefined), 10_000, 'the last will');
    t.match(store.status.get(r.cartId), { online: false, reason: 'lost', link: 1 }, 'the broker published the will');
    for (let i = 150; i < 200; i++) r.shopper.step(i);
    proxy.restore();
    await allDelivered(r);
    exactlyOnce(t, r);
    t.match(store.status.get(r.cartId), { online: true, link: 2 }, 'the birth of the new connection');
  });

  t.test('a broker restart: the cart comes back by itself and carries on where it was', async (t) => {
    const r = await rig(broker.url);
    for (let i = 0; i < 30; i++) r.shopper.step(i);
    await allDelivered(r);
    await broker.stop();
    for (let i = 30; i < 60; i++) r.shopper.step(i);
    await broker.start();
    await allDelivered(r);
    exactlyOnce(t, r);
    await until(() => store.snapshots.get(r.cartId)?.seq === r.basket.lastQueuedSeq(), 'the retained snapshot to catch up');
    t.equal(r.link.status, 'online');
  });

  t.test('a broker that refuses the cart is reported as needing a person, and shopping goes on', async (t) => {
    const closed = await startMosquitto({ listenerConfig: 'allow_anonymous false' });
    t.teardown(() => closed.stop());
    const r = await rig(closed.url);
    await until(() => r.lines.find((l) => /ERROR sync broker refused the cart/.test(l)), 'the refusal');
    t.match(r.lines.join('\n'), /broker refused the cart; it retries at the longest interval until someone fixes this code=135 meaning="not authorised/);
    r.shopper.add(1);
    t.equal(r.basket.outboxDepth(), 1, 'the basket event waits in the outbox');
    t.not(r.link.status, 'online');
  });
}
