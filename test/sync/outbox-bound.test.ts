// The outbox while the store cannot be reached: it grows past its bound
// rather than drop a basket event, the cart says so, and no new shopping
// session starts until the store has heard the last one.
import t from 'tap';
import { generateKeyPairSync } from 'node:crypto';
import { CommandHandler } from '../../firmware/sync/commands.js';
import { signMessage } from '../../firmware/sync/signing.js';
import { StoreClock } from '../../firmware/sync/store-clock.js';
import type { Telemetry } from '../../firmware/sync/schemas.js';
import { openCartRig } from './helpers/cart-rig.js';
import { freePort } from './helpers/mosquitto.js';

t.test('a full outbox keeps every basket event, reports itself, and refuses new sessions', async (t) => {
  const store = generateKeyPairSync('ed25519');
  const nobody = await freePort();
  const r = await openCartRig({
    url: `mqtt://127.0.0.1:${nobody}`, storePublicKeyPem: store.publicKey.export({ type: 'spki', format: 'pem' }).toString(), mqtt: { outboxMaxRows: 100 },
  });
  t.teardown(() => r.close());
  for (let i = 0; i < 130; i++) r.shopper.step(i);
  t.ok(r.basket.outboxDepth() >= 130, `${r.basket.outboxDepth()} rows: past the bound of 100, none dropped`);

  await r.link.sampleTelemetry(true);
  t.match(r.lines.join('\n'), /ERROR sync outbox full: basket events are still kept, but no new shopping session starts until the store has them depth=\d+/);
  const queued = JSON.parse(r.link.sync.pendingTelemetry(10).at(-1)!.payload) as Telemetry;
  t.match(queued.outbox, { full: true });

  // The command as it would come once a link is back but before the backlog is through.
  const handler = new CommandHandler({
    cartId: r.cartId, port: { basket: () => r.basket.state, resolveAlert: () => {}, tare: () => false, devices: () => [], maintenanceBy: () => null, metrologyCounters: () => ({ calibration: 0, configuration: 0 }), restoreBasket: () => false },
    basket: r.basket, sync: r.link.sync, publicKey: store.publicKey, clock: new StoreClock(), monoMs: () => 0, outboxMaxRows: 100, log: r.log,
  });
  // Empty the basket first, so that fullness is the only reason left.
  while (r.shopper.inBasket.length > 0) r.shopper.removeLast();
  for (const a of r.basket.state.openAlerts) r.cart.apply({ kind: 'staff-resolution', atSec: r.shopper.atSec, alertId: a.id, action: 'clear' });
  const now = Date.now();
  const start = signMessage({ v: 1 as const, id: 'c1', seq: 1, cart: r.cartId, issuedAt: now, expiresAt: now + 30_000, command: { type: 'session.start' as const, sessionId: 's1', shopper: 'p1' } }, store.privateKey);
  const handled = handler.handle(Buffer.from(JSON.stringify(start)));
  t.match(handled, { answered: true, status: 'refused' });
  const result = JSON.parse(r.basket.pendingMessages(100_000).at(-1)!.payload) as Record<string, unknown>;
  t.match(result, { type: 'command.result', commandId: 'c1', status: 'refused', reason: 'outbox-full' });
  t.equal(r.link.sync.activeSession(), null);
});
