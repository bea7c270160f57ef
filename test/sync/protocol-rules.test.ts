// The protocol's pure rules: which commands run, which catalog updates are
// taken, when sessions start and end, the store's clock, and how the store
// drops repeats.
import t from 'tap';
import fc from 'fast-check';
import { generateKeyPairSync } from 'node:crypto';
import { emptyBasket } from '../../firmware/basket/reconciler.js';
import { catalogAction } from '../../firmware/sync/catalog-version.js';
import { checkCommand, type CommandMark } from '../../firmware/sync/command-check.js';
import type { Command, CommandBody } from '../../firmware/sync/schemas.js';
import { sequenceVerdict } from '../../firmware/sync/sequence.js';
import { statusSupersedes } from '../../firmware/sync/status-order.js';
import { birthPayload, goodbyePayload } from '../../firmware/sync/wire.js';
import { sessionEndVerdict, sessionStartVerdict } from '../../firmware/sync/session-rules.js';
import { signMessage } from '../../firmware/sync/signing.js';
import { beaconBackwardsToleranceMs, StoreClock } from '../../firmware/sync/store-clock.js';

const store = generateKeyPairSync('ed25519');
const intruder = generateKeyPairSync('ed25519');
const issuedAt = 1_790_000_000_000;

function command(seq: number, o: { cart?: string; ttlMs?: number; body?: CommandBody; key?: typeof store.privateKey } = {}): Command {
  return signMessage({
    v: 1 as const, id: `c-${seq}`, seq, cart: o.cart ?? 'cart-7', issuedAt, expiresAt: issuedAt + (o.ttlMs ?? 30_000), command: o.body ?? { type: 'tare' },
  }, o.key ?? store.privateKey);
}

const ctx = (mark: CommandMark = { seq: 0, id: null }, nowMs: number | null = null) => ({ cartId: 'cart-7', publicKey: store.publicKey, mark, nowMs });
const json = (x: unknown) => Buffer.from(JSON.stringify(x));

t.test('commands: each way a command can be wrong has its own reason', async (t) => {
  t.match(checkCommand(json(command(5)), ctx()), { verdict: 'accept' });
  t.match(checkCommand(Buffer.from('{not json'), ctx()), { verdict: 'refuse', reason: 'malformed', id: null });
  t.match(checkCommand(json([1, 2]), ctx()), { verdict: 'refuse', reason: 'malformed' });
  const { sig: _sig, ...unsigned } = command(5);
  t.match(checkCommand(json(unsigned), ctx()), { verdict: 'refuse', reason: 'unsigned', id: 'c-5', seq: 5, type: 'tare' });
  t.match(checkCommand(json({ ...command(5), extra: 1 }), ctx()), { verdict: 'refuse', reason: 'malformed' }, 'unknown fields are not ignored');
  t.match(checkCommand(json({ ...command(5), seq: 6 }), ctx()), { verdict: 'refuse', reason: 'bad-signature' }, 'a changed field breaks the signature');
  t.match(checkCommand(json(command(5, { key: intruder.privateKey })), ctx()), { verdict: 'refuse', reason: 'bad-signature' });
  t.match(checkCommand(json(command(5)), { ...ctx(), publicKey: null }), { verdict: 'refuse', reason: 'bad-signature', detail: /no store key/ });
  t.match(checkCommand(json(command(5, { cart: 'cart-8' })), ctx()), { verdict: 'refuse', reason: 'wrong-cart' });
  t.match(checkCommand(json(command(5)), ctx({ seq: 9, id: 'c-9' })), { verdict: 'refuse', reason: 'replayed', authentic: false });
  t.match(checkCommand(json(command(9)), ctx({ seq: 9, id: 'c-9' })), { verdict: 'duplicate' }, 'the last command delivered again');
  t.match(checkCommand(json(command(5, { ttlMs: -1 })), ctx()), { verdict: 'refuse', reason: 'malformed', detail: /expiresAt is before issuedAt/ });
});

t.test('commands: expiry is checked once the clock is synced, and an expired command uses up its seq', async (t) => {
  const late = json(command(5, { ttlMs: 10_000 }));
  t.match(checkCommand(late, ctx({ seq: 0, id: null }, null)), { verdict: 'accept' }, 'unsynced: only seq and signature stand');
  t.match(checkCommand(late, ctx({ seq: 0, id: null }, issuedAt + 9_000)), { verdict: 'accept' });
  t.match(checkCommand(late, ctx({ seq: 0, id: null }, issuedAt + 11_000)), { verdict: 'refuse', reason: 'expired', authentic: true });
});

t.test('commands: whatever arrives, in whatever order, only fresh, signed commands for this cart run, each seq once', async (t) => {
  const arrival = fc.record({
    seq: fc.integer({ min: 1, max: 40 }),
    forged: fc.boolean(),
    otherCart: fc.boolean(),
    ttlMs: fc.integer({ min: 0, max: 20_000 }),
  });
  fc.assert(fc.property(fc.array(arrival, { maxLength: 60 }), fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: null }), (arrivals, sinceIssueMs) => {
    let mark: CommandMark = { seq: 0, id: null };
    const ran: number[] = [];
    const nowMs = sinceIssueMs === null ? null : issuedAt + sinceIssueMs;
    for (const a of arrivals) {
      const payload = json(command(a.seq, { cart: a.otherCart ? 'cart-8' : 'cart-7', ttlMs: a.ttlMs, key: a.forged ? intruder.privateKey : store.privateKey }));
      const verdict = checkCommand(payload, ctx(mark, nowMs));
      if (verdict.verdict === 'accept') {
        if (a.forged || a.otherCart || (nowMs !== null && nowMs > issuedAt + a.ttlMs)) return false;
        ran.push(a.seq);
        mark = { seq: a.seq, id: verdict.command.id };
      } else if (verdict.verdict === 'refuse' && verdict.authentic && verdict.seq !== null) {
        mark = { seq: verdict.seq, id: verdict.id };
      }
    }
    return ran.every((seq, i) => i === 0 || seq > ran[i - 1]!);
  }), { numRuns: 300 });
  t.pass('accepted seqs strictly increase; forged, misdirected and expired never run');
});

t.test('catalog: a delta only on the version it was made from; older is ignored; otherwise ask for the full copy', async (t) => {
  t.same(catalogAction(3, { type: 'catalog.full', version: 4 }), { action: 'apply' });
  t.same(catalogAction(0, { type: 'catalog.full', version: 1 }), { action: 'apply' });
  t.match(catalogAction(4, { type: 'catalog.full', version: 4 }), { action: 'ignore' });
  t.match(catalogAction(5, { type: 'catalog.full', version: 4 }), { action: 'ignore' });
  t.same(catalogAction(4, { type: 'catalog.delta', baseVersion: 4, version: 5 }), { action: 'apply' });
  t.match(catalogAction(3, { type: 'catalog.delta', baseVersion: 4, version: 5 }), { action: 'request-full' });
  t.match(catalogAction(0, { type: 'catalog.delta', baseVersion: 4, version: 5 }), { action: 'request-full' });
  t.match(catalogAction(6, { type: 'catalog.delta', baseVersion: 4, version: 5 }), { action: 'ignore' });
  t.match(catalogAction(4, { type: 'catalog.delta', baseVersion: 6, version: 5 }), { action: 'ignore' });
});

t.test('sessions: start on an empty resting basket only; end only on the basket paid for', async (t) => {
  const empty = emptyBasket();
  const start = { basket: empty, active: null, locked: false, maintenanceBy: null, outboxFull: false, alreadyEnded: false };
  t.same(sessionStartVerdict(start, 's1'), { ok: true, already: false });
  const withItem = { ...empty, units: [{ id: 1, gtin: '00000000000017', status: 'charged' as const, grams: 100, sdGrams: 1, centre: null, addedAtSec: 1 }] };
  t.match(sessionStartVerdict({ ...start, basket: withItem }, 's1'), { ok: false, reason: 'basket-not-empty' });
  t.match(sessionStartVerdict({ ...start, basket: { ...empty, pendingScans: [{ id: 1, gtin: '00000000000017', atSec: 1 }] } }, 's1'), { ok: false, reason: 'basket-not-empty' });
  t.match(sessionStartVerdict({ ...start, basket: { ...empty, scaleState: 'moving' } }, 's1'), { ok: false, reason: 'scale-not-stable' });
  t.match(sessionStartVerdict({ ...start, locked: true }, 's1'), { ok: false, reason: 'locked' });
  t.match(sessionStartVerdict({ ...start, maintenanceBy: 'ana' }, 's1'), { ok: false, reason: 'maintenance', detail: /ana is calibrating/ });
  t.match(sessionStartVerdict({ ...start, outboxFull: true }, 's1'), { ok: false, reason: 'outbox-full' });
  t.match(sessionStartVerdict({ ...start, alreadyEnded: true }, 's1'), { ok: false, reason: 'session-mismatch' });
  const active = { id: 's1', shopper: 'p', startedSeq: 3 };
  t.same(sessionStartVerdict({ ...start, active, basket: withItem }, 's1'), { ok: true, already: true }, 'a repeated start is the same session');
  t.match(sessionStartVerdict({ ...start, active }, 's2'), { ok: false, reason: 'session-active' });

  const end = { basket: withItem, active, lastEndedId: null, lastBasketSeq: 12 };
  t.same(sessionEndVerdict(end, 's1', 12), { ok: true, already: false });
  t.same(sessionEndVerdict(end, 's1', 13), { ok: true, already: false }, 'a later seq (a result, not a basket change) is fine');
  t.match(sessionEndVerdict(end, 's1', 11), { ok: false, reason: 'basket-changed' });
  t.match(sessionEndVerdict(end, 's2', 12), { ok: false, reason: 'session-mismatch' });
  t.match(sessionEndVerdict({ ...end, basket: { ...withItem, openAlerts: [{ id: 4, kind: 'unscanned-item', atSec: 1, grams: 50 }] } }, 's1', 12), { ok: false, reason: 'alerts-open' });
  t.match(sessionEndVerdict({ ...end, active: null }, 's1', 12), { ok: false, reason: 'no-session' });
  t.same(sessionEndVerdict({ ...end, active: null, lastEndedId: 's1' }, 's1', 12), { ok: true, already: true });
});

t.test('the store clock: unsynced until a beacon, then counted forward on the monotonic clock; old beacons refused', async (t) => {
  const clock = new StoreClock();
  t.equal(clock.nowMs(1000), null);
  t.equal(clock.observe(issuedAt, 1000), 'synced');
  t.equal(clock.nowMs(61_000), issuedAt + 60_000);
  t.equal(clock.observe(issuedAt + 59_000, 61_000), 'adjusted', 'a beacon a little behind is network delay');
  t.equal(clock.observe(issuedAt, 62_000), 'backwards', 'a beacon a minute old is not');
  t.equal(clock.nowMs(62_000), issuedAt + 60_000);
  t.ok(beaconBackwardsToleranceMs < 60_000);
});

t.test('the store drops repeats by stream and seq, and notes gaps', async (t) => {
  t.same(sequenceVerdict(undefined, 'a', 1), { take: true, gapFrom: null, newStream: true });
  t.same(sequenceVerdict({ stream: 'a', seq: 4 }, 'a', 5), { take: true, gapFrom: null, newStream: false });
  t.same(sequenceVerdict({ stream: 'a', seq: 4 }, 'a', 4), { take: false });
  t.same(sequenceVerdict({ stream: 'a', seq: 4 }, 'a', 2), { take: false });
  t.same(sequenceVerdict({ stream: 'a', seq: 4 }, 'a', 7), { take: true, gapFrom: 5, newStream: false });
  t.same(sequenceVerdict({ stream: 'a', seq: 400 }, 'b', 1), { take: true, gapFrom: null, newStream: true }, 'a replaced database starts again at 1');

  fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 200 }), (deliveries) => {
    // At-least-once delivery of 1..n in order, with resends of earlier ones mixed in.
    let held: { stream: string; seq: number } | undefined;
    const taken: number[] = [];
    let next = 1;
    for (const d of deliveries) {
      const seq = d % 3 === 0 || next === 1 ? next++ : 1 + (d % (next - 1));
      const v = sequenceVerdict(held, 's', seq);
      if (v.take) {
        taken.push(seq);
        held = { stream: 's', seq };
      }
    }
    return taken.every((s, i) => s === i + 1);
  }));
});

t.test('status order: (start, link, phase) within an epoch, the will after its own birth; another epoch replaces', async (t) => {
  const ids = (start: number, link: number, boot = start, epoch = 'aaaaaaaaaaaaaaaa') => ({ epoch, start, link, boot, stream: '0123456789abcdef' });
  const birth = (start: number, link: number, boot?: number, epoch?: string) => birthPayload(ids(start, link, boot, epoch), 'fw', 1);
  const will = (start: number, link: number, boot?: number, epoch?: string) => goodbyePayload(ids(start, link, boot, epoch), 'lost');
  t.ok(statusSupersedes(undefined, will(1, 1)));
  t.ok(statusSupersedes(birth(3, 2), will(3, 2)), 'the will of a connection ends its own birth');
  t.notOk(statusSupersedes(will(3, 2), birth(3, 2)), 'a birth arriving after its own will (reordered) does not bring the cart back');
  t.notOk(statusSupersedes(birth(3, 3), will(3, 2)), 'a late will of an older connection does not hide a newer birth');
  t.ok(statusSupersedes(birth(3, 2), birth(3, 2)), 'the same birth again (state.request) is taken, with its catalog version');
  t.ok(statusSupersedes(will(3, 9), birth(4, 1)), 'a new start beats any link of the one before');
  t.ok(statusSupersedes(birth(7, 4, 7), birth(8, 1, 1)), 'a replaced database (boot 1 again) is still a newer start');
  t.notOk(statusSupersedes(birth(8, 1, 1), will(7, 4, 7)), 'and the old database\'s late will does not hide it');
  t.ok(statusSupersedes(birth(40, 2), birth(1, 1, 1, 'bbbbbbbbbbbbbbbb')), 'a new epoch (the data folder was lost) replaces what is held');
});
