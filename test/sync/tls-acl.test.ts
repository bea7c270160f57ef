// TLS with a client certificate per cart, and the mosquitto ACL that confines
// a cart to its own topics (firmware/sync/topics.ts makes it): a throwaway CA
// and certificates made with openssl, mosquitto on loopback with TLS and the
// ACL file.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { StoreSim } from '../bench/store-sim.js';
import { createLogger, memorySink } from '../../firmware/log.js';
import { cartTopic, mosquittoAcl } from '../../firmware/sync/topics.js';
import { openCartRig } from './helpers/cart-rig.js';
import { makePki, opensslMissing, type Pki } from './helpers/certificates.js';
import { noMosquitto, startMosquitto, type Mosquitto } from './helpers/mosquitto.js';
import { until } from './helpers/until.js';

const missing = noMosquitto || (await opensslMissing());
if (missing) {
  t.plan(0, missing);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'cart-tls-'));
  let pki: Pki;
  let broker: Mosquitto;
  let store: StoreSim;
  const tlsOf = (name: string) => {
    const f = pki.files(name);
    return { ca: readFileSync(f.caPath), cert: readFileSync(f.certPath), key: readFileSync(f.keyPath) };
  };
  const raw = async (name: string, clientId: string): Promise<MqttClient> => {
    const c = await mqtt.connectAsync(broker.url, { clientId, protocolVersion: 5, reconnectPeriod: 0, ...tlsOf(name), rejectUnauthorized: true });
    t.teardown(() => c.endAsync(true));
    return c;
  };

  t.before(async () => {
    pki = await makePki(dir, ['cart-1', 'cart-2', 'store-1-service'], true);
    writeFileSync(join(dir, 'acl'), mosquittoAcl('store-1', 'store-1-service'));
    const f = pki.files('server');
    broker = await startMosquitto({
      scheme: 'mqtts',
      listenerConfig: [
        `cafile ${f.caPath}`, `certfile ${f.certPath}`, `keyfile ${f.keyPath}`,
        'require_certificate true', 'use_identity_as_username true', 'use_username_as_clientid true',
        `acl_file ${join(dir, 'acl')}`,
      ].join('\n'),
    });
    store = new StoreSim({ url: broker.url, storeId: 'store-1', protocolVersion: 5, tls: tlsOf('store-1-service'), log: createLogger(memorySink(), 'store'), verbose: false });
    await store.start();
  });
  t.teardown(async () => {
    await store.stop();
    await broker.stop();
  });

  t.test('a cart with its certificate talks to the store over TLS, both ways', async (t) => {
    const r = await openCartRig({ url: broker.url, cartId: 'cart-1', protocolVersion: 5, storePublicKeyPem: store.publicKeyPem, mqtt: { tls: pki.files('cart-1') } });
    t.teardown(() => r.close());
    await until(() => store.status.get('cart-1')?.online, 'the birth over TLS');
    r.shopper.add(1);
    r.shopper.add(2);
    await until(() => store.lastSeqOf('cart-1') === r.basket.lastQueuedSeq() && r.basket.outboxDepth() === 0, 'the events');
    t.match(await store.command('cart-1', { type: 'lock' }), { status: 'done' }, 'a command reaches the cart and its result comes back');

    // Another cart's certificate: it may not pose as cart-1, write cart-1's topics, read its commands, or command it.
    // It asks for client id cart-1; the broker gives it the name on its certificate instead.
    const intruder = await raw('cart-2', 'cart-1');
    const forged = JSON.stringify({ ...store.eventsOf('cart-1')[0], seq: 999 });
    const publishDenied = await intruder.publishAsync(cartTopic('store-1', 'cart-1', 'events'), forged, { qos: 1 }).then(() => 'accepted', (e: Error) => e.message);
    t.match(publishDenied, /not authori[sz]ed|Not authorized|0x87|135/i, 'publishing as cart-1 is refused');
    // mosquitto 2.0 grants the subscription and checks read access on each delivery.
    const overheard: string[] = [];
    intruder.on('message', (topic) => overheard.push(topic));
    await intruder.subscribeAsync(cartTopic('store-1', 'cart-1', 'command'), { qos: 1 });
    const commandDenied = await intruder.publishAsync(cartTopic('store-1', 'cart-1', 'command'), '{}', { qos: 1 }).then(() => 'accepted', (e: Error) => e.message);
    t.match(commandDenied, /not authori[sz]ed|0x87|135/i, 'commanding cart-1 is refused');
    t.match(await store.command('cart-1', { type: 'unlock' }), { status: 'done' }, 'the link of cart-1 was not taken over');
    t.same(overheard, [], 'the intruder did not overhear the command to cart-1');
    t.match(store.status.get('cart-1'), { online: true, link: 1 }, 'cart-1 kept its first connection');
    t.equal(store.lastSeqOf('cart-1') < 999, true, 'nothing forged reached the store');
    t.same(store.invalid, []);
  });

  t.test('a cart whose database was damaged reads back its own retained snapshot through the ACL and takes the basket back', async (t) => {
    const first = await openCartRig({ url: broker.url, cartId: 'cart-2', protocolVersion: 5, storePublicKeyPem: store.publicKeyPem, mqtt: { tls: pki.files('cart-2') } });
    first.shopper.add(1);
    first.shopper.add(2);
    await until(() => store.snapshots.get('cart-2')?.seq === first.basket.lastQueuedSeq() && store.snapshots.get('cart-2')!.lines.length === 2, 'the retained snapshot');
    const lines = store.snapshots.get('cart-2')!.lines;
    await first.close();
    writeFileSync(join(first.dir, 'cart.db'), Buffer.alloc(8192, 0x5a));
    for (const suffix of ['-wal', '-shm']) rmSync(join(first.dir, `cart.db${suffix}`), { force: true });

    const second = await openCartRig({ url: broker.url, cartId: 'cart-2', dir: first.dir, protocolVersion: 5, storePublicKeyPem: store.publicKeyPem, mqtt: { tls: pki.files('cart-2') } });
    t.teardown(() => second.close());
    await until(() => second.basket.lines().length === 2, 'the basket to come back');
    t.same(second.basket.lines().map((l) => [l.gtin, l.qty]), lines.map((l) => [l.gtin, l.qty]));
    t.match(second.lines.join('\n'), /basket taken back from the last snapshot the store acknowledged/);
  });

  t.test('no certificate, or one from another CA: no connection', async (t) => {
    const bare = await mqtt.connectAsync(broker.url, { clientId: 'cart-1', protocolVersion: 5, reconnectPeriod: 0, ca: tlsOf('cart-1').ca, connectTimeout: 3000 })
      .then((c) => (c.end(true), 'connected'), (e: Error) => e.message);
    t.not(bare, 'connected', `without a certificate: ${bare}`);
    const stranger = await mqtt.connectAsync(broker.url, { clientId: 'cart-1', protocolVersion: 5, reconnectPeriod: 0, ...tlsOf('stranger'), connectTimeout: 3000 })
      .then((c) => (c.end(true), 'connected'), (e: Error) => e.message);
    t.not(stranger, 'connected', `with a certificate from another CA: ${stranger}`);
  });
}
