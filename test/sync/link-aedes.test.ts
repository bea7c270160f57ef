// The store link against an in-process broker (aedes, MQTT 3.1.1) and the
// store simulator: what the store hears, and what the cart does with the
// store's commands and catalogs.
import t, { type Test } from 'tap';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalBroker, type LocalBroker } from '../bench/broker.js';
import { StoreSim } from '../bench/store-sim.js';
import { createLogger, memorySink } from '../../firmware/log.js';
import { basketLines } from '../../firmware/basket/lines.js';
import { signMessage } from '../../firmware/sync/signing.js';
import { openCartRig, type CartRig } from './helpers/cart-rig.js';
import { syncCatalog } from './helpers/shopper.js';
import { until } from './helpers/until.js';

let broker: LocalBroker;
let store: StoreSim;
const storeLog = memorySink('debug');

t.before(async () => {
  broker = await startLocalBroker();
  store = new StoreSim({ url: broker.url, storeId: 'store-1', log: createLogger(storeLog, 'store'), verbose: false });
  await store.start();
});

t.teardown(async () => {
  await store.stop();
  await broker.close();
});

let carts = 0;
/** A cart for one subtest, closed when the subtest ends. */
async function rig(t: Test): Promise<CartRig> {
  const r = await openCartRig({ url: broker.url, cartId: `cart-${++carts}`, storePublicKeyPem: store.publicKeyPem });
  t.teardown(() => r.close());
  await store.waitFor(() => (store.status.get(r.cartId)?.online ? true : undefined), 5000, 'the birth');
  return r;
}

const stableSeq = (r: CartRig) => store.waitFor(() => (r.basket.outboxDepth() === 0 && store.snapshots.get(r.cartId)?.seq === r.basket.lastQueuedSeq() ? true : undefined), 5000, 'the drained outbox');

t.test('a cart announces itself with a retained birth: boot counter, firmware, stream', async (t) => {
  const r = await rig(t);
  const status = store.status.get(r.cartId);
  t.match(status, { v: 1, online: true, boot: r.basket.boot, firmware: 'test-1.0', stream: r.link.sync.stream(), catalogVersion: 1 });
});

t.test('a cart whose database was replaced (boot 1 again) is still seen online: its identity epoch and start counter live beside the database', async (t) => {
  const first = await rig(t);
  const epoch = store.status.get(first.cartId)!.epoch;
  await first.close();
  await store.waitFor(() => (store.status.get(first.cartId)?.online === false ? true : undefined), 5000, 'the goodbye');
  t.match(store.status.get(first.cartId), { online: false, reason: 'stopped', epoch, start: 1, link: 1, stream: first.link.sync.stream() }, 'the goodbye names its stream');
  for (let i = 0; i < 2; i++) {
    const again = await openCartRig({ url: broker.url, cartId: first.cartId, dir: first.dir, storePublicKeyPem: store.publicKeyPem });
    await store.waitFor(() => (store.status.get(first.cartId)?.online ? true : undefined), 5000, 'the birth after a restart');
    await again.close();
  }
  t.match(store.status.get(first.cartId), { online: false, epoch, start: 3, boot: 3 });
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(first.dir, `cart.db${suffix}`), { force: true });
  const replaced = await openCartRig({ url: broker.url, cartId: first.cartId, dir: first.dir, storePublicKeyPem: store.publicKeyPem });
  t.teardown(() => replaced.close());
  t.equal(replaced.basket.boot, 1, 'the new database counts boots from 1');
  const status = await store.waitFor(() => (store.status.get(first.cartId)?.online ? store.status.get(first.cartId) : undefined), 5000, 'the birth of the new database');
  t.match(status, { online: true, epoch, start: 4, boot: 1, stream: replaced.link.sync.stream() });
  t.not(replaced.link.sync.stream(), first.link.sync.stream(), 'a new stream');
  t.same(store.invalid, []);
});

t.test('every basket change reaches the store in order, numbered, once; the snapshot matches the basket', async (t) => {
  const r = await rig(t);
  for (let i = 0; i < 20; i++) r.shopper.step(i);
  r.shopper.sneak();
  await stableSeq(r);
  const events = store.eventsOf(r.cartId);
  t.ok(events.length >= 21, `${events.length} events`);
  t.same(events.map((e) => e.seq), events.map((_, i) => i + 1), 'consecutive from 1');
  t.ok(events.every((e) => e.id === `${e.stream}-${e.seq}`), 'ids are stream and seq');
  t.ok(events.some((e) => e.type === 'basket' && e.kind === 'alert'), 'alerts go too');
  t.same(store.gaps, []);
  t.same(store.invalid, [], 'every payload matches its schema');
  const snapshot = store.snapshots.get(r.cartId)!;
  t.equal(snapshot.seq, events.at(-1)!.seq, 'the snapshot reflects the last event');
  t.same(snapshot.lines, basketLines(r.basket.state));
  t.same(Object.fromEntries(store.basketOf(r.cartId)), Object.fromEntries(snapshot.lines.map((l) => [l.gtin, l.qty])), 'folding the events gives the snapshot');
  t.equal(r.basket.outboxDepth(), 0, 'every row was acknowledged and deleted');
});

t.test('pairing: a session starts only on an empty, resting basket, and ends on the basket paid for', async (t) => {
  const r = await rig(t);
  r.shopper.add(1);
  const refused = await store.startSession(r.cartId, 'sess-a', 'shopper-77');
  t.match(refused, { status: 'refused', reason: 'basket-not-empty', command: 'session.start' });
  r.shopper.removeLast();

  const started = await store.startSession(r.cartId, 'sess-a', 'shopper-77');
  t.match(started, { status: 'done', sessionId: 'sess-a' });
  t.match(await store.startSession(r.cartId, 'sess-b', 'shopper-78'), { status: 'refused', reason: 'session-active' });
  t.match(await store.startSession(r.cartId, 'sess-a', 'shopper-77'), { status: 'done' }, 'the same start again is not a second session');

  r.shopper.add(2);
  r.shopper.add(3);
  await stableSeq(r);
  t.match(store.snapshots.get(r.cartId)?.session, { id: 'sess-a', shopper: 'shopper-77', startedSeq: started.seq });

  const stale = await store.command(r.cartId, { type: 'session.end', sessionId: 'sess-a', finalSeq: started.seq });
  t.match(stale, { status: 'refused', reason: 'basket-changed' }, 'the store billed an older basket');
  t.match(await store.command(r.cartId, { type: 'session.end', sessionId: 'sess-x', finalSeq: 999 }), { status: 'refused', reason: 'session-mismatch' });
  const ended = await store.endSession(r.cartId, 'sess-a');
  t.match(ended, { status: 'done', sessionId: 'sess-a' });
  t.equal(r.link.sync.activeSession(), null);
  t.match(await store.endSession(r.cartId, 'sess-a'), { status: 'done' }, 'a retried end is answered the same');
  t.match(await store.startSession(r.cartId, 'sess-a', 'shopper-77'), { status: 'refused', reason: 'session-mismatch' }, 'an ended session does not come back');
});

t.test('a locked cart starts no session until it is unlocked', async (t) => {
  const r = await rig(t);
  t.match(await store.command(r.cartId, { type: 'lock' }), { status: 'done' });
  t.match(await store.startSession(r.cartId, 'sess-l', 'shopper-1'), { status: 'refused', reason: 'locked' });
  await stableSeq(r);
  t.equal(store.snapshots.get(r.cartId)?.locked, true);
  t.match(await store.command(r.cartId, { type: 'unlock' }), { status: 'done' });
  t.match(await store.startSession(r.cartId, 'sess-l', 'shopper-1'), { status: 'done' });
});

t.test('staff resolve an alert through the cart: the item becomes personal and the alert closes', async (t) => {
  const r = await rig(t);
  r.shopper.sneak(650);
  const alert = await store.waitForEvent((e) => e.cartId === r.cartId && e.type === 'basket' && e.kind === 'alert');
  if (alert.type !== 'basket' || alert.kind !== 'alert') throw new Error('not an alert');
  const result = await store.command(r.cartId, { type: 'alert.resolve', alertId: alert.alertId, action: 'accept-personal' });
  t.match(result, { status: 'done' });
  const after = store.eventsOf(r.cartId).filter((e) => e.seq > alert.seq && e.type === 'basket').map((e) => e.type === 'basket' && e.kind);
  t.same(after, ['personal-item', 'alert-resolved'], 'the decisions come before the result, in the same stream');
  t.ok(result.basketSeq > alert.seq);
  t.same(r.basket.state.openAlerts, []);
  t.match(await store.command(r.cartId, { type: 'alert.resolve', alertId: alert.alertId, action: 'clear' }), { status: 'refused', reason: 'unknown-alert' });
});

t.test('tare goes to the scale, and is refused while the basket is not at rest', async (t) => {
  const r = await rig(t);
  t.match(await store.command(r.cartId, { type: 'tare' }), { status: 'refused', reason: 'scale-not-stable' });
  r.settleScale();
  t.match(await store.command(r.cartId, { type: 'tare' }), { status: 'done' });
});

t.test('log.level changes the level of the running process at once, and the result says what it was', async (t) => {
  const r = await rig(t);
  t.match(await store.command(r.cartId, { type: 'log.level', level: 'warn' }), { status: 'done', logLevel: { from: 'debug', to: 'warn' } });
  t.equal(r.log.level(), 'warn');
  const before = r.lines.length;
  t.match(await store.command(r.cartId, { type: 'lock' }), { status: 'done' });
  t.same(r.lines.slice(before).filter((l) => /^(INFO|DEBUG)/.test(l)), [], 'no info or debug line is written at warn');
  t.match(await store.command(r.cartId, { type: 'log.level', level: 'debug' }), { status: 'done', logLevel: { from: 'warn', to: 'debug' } });
  t.match(r.lines.slice(before).join('\n'), /^INFO  sync log level changed by the store from=warn to=debug/m, 'the change itself is logged where info shows');
});

t.test('state request: birth, snapshot and telemetry again', async (t) => {
  const r = await rig(t);
  const telemetryBefore = store.telemetry.get(r.cartId)?.length ?? 0;
  t.match(await store.command(r.cartId, { type: 'state.request' }), { status: 'done' });
  const telemetry = await store.waitFor(() => ((store.telemetry.get(r.cartId)?.length ?? 0) > telemetryBefore ? store.telemetry.get(r.cartId)!.at(-1) : undefined));
  t.match(telemetry, { boot: r.basket.boot, outbox: { full: false }, devices: [{ device: 'load-cells', status: 'ok' }, { device: 'scanner', status: 'ok' }] });
  t.ok(store.snapshots.has(r.cartId));
});

t.test('the last command sent again with its id and seq is answered with its kept result, also after a restart, and not run again', async (t) => {
  const r = await rig(t);
  const start = store.signCommand(r.cartId, { type: 'session.start', sessionId: 'sess-r', shopper: 'shopper-9' });
  const first = await store.sendCommand(r.cartId, start);
  t.match(first, { status: 'done', sessionId: 'sess-r' });
  const again = await store.sendCommand(r.cartId, start);
  t.match(again, { status: 'done', sessionId: 'sess-r', commandId: start.id, commandSeq: start.seq, repeatOf: first.seq });
  t.ok(again.seq > first.seq, 'a new message in the stream');
  t.equal(r.db.prepare('SELECT count(*) AS n FROM sessions').pluck().get(), 1, 'the session was not started twice');

  // A refusal by the cart's rules is kept the same way.
  r.shopper.add(1);
  const end = store.signCommand(r.cartId, { type: 'session.end', sessionId: 'sess-r', finalSeq: 0 });
  const refused = await store.sendCommand(r.cartId, end);
  t.match(refused, { status: 'refused', reason: 'basket-changed' });

  // The kept result is in SQLite: a restarted cart answers the same.
  await r.close();
  const restarted = await openCartRig({ url: broker.url, cartId: r.cartId, dir: r.dir, storePublicKeyPem: store.publicKeyPem });
  t.teardown(() => restarted.close());
  const afterRestart = await store.sendCommand(r.cartId, end);
  t.match(afterRestart, { status: 'refused', reason: 'basket-changed', commandId: end.id, repeatOf: refused.seq });
  t.match(restarted.lines.join('\n'), /command came again; answered with its kept result, not run again/);
  t.same(store.invalid, []);
});

t.test('expired, replayed, malformed, unsigned, tampered and misdirected commands are refused with a reason, and logged', async (t) => {
  const r = await rig(t);
  const good = store.signCommand(r.cartId, { type: 'lock' });
  t.match(await store.sendCommand(r.cartId, good), { status: 'done' });
  const older = signMessage({ ...store.signCommand(r.cartId, { type: 'unlock' }), id: 'cmd-old', seq: good.seq - 1 }, store.privateKey);
  t.match(await store.sendCommand(r.cartId, older), { status: 'refused', reason: 'replayed', heldCommandSeq: good.seq });

  const { sig: _sig, ...unsigned } = store.signCommand(r.cartId, { type: 'unlock' });
  t.match(await store.sendCommand(r.cartId, unsigned), { status: 'refused', reason: 'unsigned', command: 'unlock' });

  const tampered = { ...store.signCommand(r.cartId, { type: 'unlock' }) };
  tampered.command = { type: 'session.start', sessionId: 'evil', shopper: 'x' };
  t.match(await store.sendCommand(r.cartId, tampered), { status: 'refused', reason: 'bad-signature' });

  const otherCart = store.signCommand('cart-elsewhere', { type: 'unlock' });
  t.match(await store.sendCommand(r.cartId, otherCart), { status: 'refused', reason: 'wrong-cart' });

  const malformed = signMessage({ v: 1, id: 'cmd-bad', seq: Date.now() * 2, cart: r.cartId, issuedAt: 1, expiresAt: 2, command: { type: 'launch' } }, store.privateKey);
  t.match(await store.sendCommand(r.cartId, malformed), { status: 'refused', reason: 'malformed', commandId: 'cmd-bad', field: '/command' });
  const badField = signMessage({ ...store.signCommand(r.cartId, { type: 'unlock' }), id: 'cmd-bad-id', command: { type: 'session.start', sessionId: 'not a name!', shopper: 'x' } }, store.privateKey);
  t.match(await store.sendCommand(r.cartId, badField), { status: 'refused', reason: 'malformed', field: '/command/sessionId', detail: /^\/command\/sessionId: Expected string to match/ },
    'the refusal names the field inside the command that is wrong');

  // Expiry is checked once the cart has the store's time.
  const expired = store.signCommand(r.cartId, { type: 'unlock' }, 1000);
  await store.sendTime(Date.now() + 60_000);
  await until(() => r.link.clock.synced, 'the time beacon');
  t.match(await store.sendCommand(r.cartId, expired), { status: 'refused', reason: 'expired' });
  t.equal(r.link.sync.locked(), true, 'none of them unlocked the cart');

  const log = r.lines.join('\n');
  for (const reason of ['replayed', 'unsigned', 'bad-signature', 'wrong-cart', 'malformed', 'expired']) {
    t.match(log, new RegExp(`WARN  sync command refused.*reason=${reason}`), `${reason} is logged`);
  }
});

t.test('catalogs: full and delta by version; older ignored; a delta on another base asks for a full copy; unsigned rejected; each answered', async (t) => {
  const r = await rig(t);
  const results = () => store.catalogResults.filter((c) => c.cartId === r.cartId);
  const answer = (n: number) => store.waitFor(() => results()[n], 30_000, `catalog result ${n + 1}`);
  const changed = syncCatalog.map((p, i) => (i === 0 ? { ...p, priceCents: 1 } : p));
  store.setCatalog(syncCatalog); // version 1: what the cart holds
  const v2 = store.setCatalog(changed);
  await store.sendCatalog(store.catalogDelta(1)!, r.cartId);
  t.match(await answer(0), { status: 'applied', catalog: 'catalog.delta', baseVersion: 1, version: v2, heldVersion: v2, products: syncCatalog.length });
  t.equal(r.catalog.version(), v2);
  t.equal(r.catalog.get(syncCatalog[0]!.gtin)?.priceCents, 1, 'the delta changed the price');

  await store.sendCatalog(signMessage({ v: 1 as const, type: 'catalog.full' as const, version: 1, products: [] }, store.privateKey), r.cartId);
  t.match(await answer(1), { status: 'ignored', reason: 'not-newer', catalog: 'catalog.full', version: 1, heldVersion: v2 });
  t.match(r.lines.join('\n'), /INFO  sync catalog update ignored; the store is told .*version 1 is not newer/, 'an older catalog is logged where info shows');

  const v3 = store.setCatalog(changed.slice(1));
  const v4 = store.setCatalog(changed.slice(2));
  await store.sendCatalog(store.catalogDelta(v3)!, r.cartId);
  t.match(await answer(2), { status: 'full-requested', reason: 'delta-base-mismatch', baseVersion: v3, version: v4, heldVersion: v2 });
  const request = await store.waitFor(() => store.catalogRequests.find((q) => q.cartId === r.cartId));
  t.equal(request.have, v2, 'asked with the version it holds');
  t.match(await answer(3), { status: 'applied', catalog: 'catalog.full', version: v4, heldVersion: v4, products: syncCatalog.length - 2 });
  t.equal(r.catalog.version(), v4);
  t.equal(r.catalog.size, syncCatalog.length - 2, 'the full copy replaced the catalog');
  t.equal(r.catalog.get(syncCatalog[0]!.gtin), undefined);

  const { sig: _sig, ...unsigned } = signMessage({ v: 1 as const, type: 'catalog.full' as const, version: 99, products: [] }, store.privateKey);
  await store.sendCatalog(unsigned as never, r.cartId);
  t.match(await answer(4), { status: 'rejected', reason: 'unsigned', catalog: 'catalog.full', version: 99, heldVersion: v4 });
  const forged = { ...signMessage({ v: 1 as const, type: 'catalog.full' as const, version: 100, products: [] }, store.privateKey), version: 101 };
  await store.sendCatalog(forged, r.cartId);
  t.match(await answer(5), { status: 'rejected', reason: 'bad-signature', version: 101 });
  const badProduct = signMessage({ v: 1 as const, type: 'catalog.full' as const, version: 102, products: [{ ...syncCatalog[0]!, grams: -5 }] }, store.privateKey);
  await store.sendCatalog(badProduct, r.cartId);
  t.match(await answer(6), { status: 'rejected', reason: 'malformed', field: '/products/0/grams', version: 102 }, 'the offending field is named');
  await store.sendCatalog(signMessage({ v: 1 as const, type: 'catalog.full' as const, version: 2, products: [] }, store.privateKey));
  t.match(await answer(7), { status: 'ignored', reason: 'not-newer', version: 2 }, 'a broadcast is answered too');
  t.equal(r.catalog.version(), v4, 'the older full copies, the unsigned, forged and malformed ones changed nothing');
  t.same(store.invalid, [], 'every result matches its schema');
});
