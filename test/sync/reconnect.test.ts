// Reconnect timing: full jitter spreads a store full of carts, and a refusal
// that needs a person waits the longest window.
import t from 'tap';
import { connackRefusal, reconnectDelayMs } from '../../firmware/sync/reconnect.js';

const backoff = { minBackoffMs: 2000, maxBackoffMs: 60_000 };

/** A small seeded generator (mulberry32), so that the spread is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 200 carts lose the store link at the same instant and retry on their own
 * schedules; attempts fail until the Wi-Fi returns at `outageMs`. Returns how
 * many carts reach the broker in each second after that.
 */
function reconnectsPerSecond(outageMs: number, random: () => number, delay = reconnectDelayMs): number[] {
  const perSecond: number[] = [];
  for (let cart = 0; cart < 200; cart++) {
    let at = 0;
    for (let failures = 0; at < outageMs; failures++) at += delay(failures, backoff, random);
    const second = Math.floor((at - outageMs) / 1000);
    perSecond[second] = (perSecond[second] ?? 0) + 1;
  }
  return Array.from(perSecond, (n) => n ?? 0);
}

t.test('200 carts whose Wi-Fi returns at once do not reach the broker in the same second', async (t) => {
  const random = seeded(42);
  for (const outageMs of [15_000, 10 * 60_000, 60 * 60_000]) {
    const spread = reconnectsPerSecond(outageMs, random);
    const busiest = Math.max(...spread);
    t.ok(busiest <= 30, `after ${outageMs / 1000} s down: at most ${busiest} connects in one second, over ${spread.length} s`);
  }
  const noJitter = reconnectsPerSecond(60 * 60_000, random, (failures, o) => Math.min(o.maxBackoffMs, o.minBackoffMs * 2 ** failures));
  t.equal(Math.max(...noJitter), 200, 'without jitter every cart would come in the same second');
});

t.test('the window doubles from the minimum up to the maximum; the delay is anywhere inside it', async (t) => {
  t.equal(reconnectDelayMs(0, backoff, () => 0.999), 1998);
  t.equal(reconnectDelayMs(1, backoff, () => 0.999), 3996);
  t.equal(reconnectDelayMs(3, backoff, () => 0.5), 8000);
  t.equal(reconnectDelayMs(10, backoff, () => 0.999), 59_940);
  t.equal(reconnectDelayMs(5000, backoff, () => 1), 60_000, 'no overflow after days of failures');
  t.equal(reconnectDelayMs(0, backoff, () => 0), 0);
  t.equal(reconnectDelayMs(0, backoff, () => 0.999, true), 59_940, 'a refusal that needs a person waits the longest window');
});

t.test('CONNACK refusals: which need a person and which pass', async (t) => {
  for (const code of [1, 2, 4, 5, 0x84, 0x85, 0x86, 0x87, 0x8a]) t.equal(connackRefusal(code).needsPerson, true, `code ${code}`);
  for (const code of [3, 0x88, 0x89, 0x97, 0x9f]) t.equal(connackRefusal(code).needsPerson, false, `code ${code}`);
  t.match(connackRefusal(0x87).meaning, /not authorised/);
  t.match(connackRefusal(0xfe), { needsPerson: false, meaning: /code 254/ });
});
