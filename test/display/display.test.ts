// The display API: read-only, on loopback, the basket as JSON and as a stream
// of Server-Sent Events that follows each change.
import { request } from 'node:http';
import t from 'tap';
import { emptyBasket } from '../../firmware/basket/reconciler.js';
import type { BasketState } from '../../firmware/basket/types.js';
import { DisplayServer, displayView, type DisplayView } from '../../firmware/display/index.js';
import type { Product } from '../../firmware/domain.js';
import { createLogger, memorySink } from '../../firmware/log.js';

const milk: Product = { gtin: '05901592598225', name: 'Oat milk 1 l', grams: 1062, gramsSd: 11.8, priceCents: 249, byWeight: false };
const catalog = { get: (gtin: string) => (gtin === milk.gtin ? milk : undefined) };

function basketWith(units: number, alerts = 0): BasketState {
  const s = emptyBasket();
  for (let i = 0; i < units; i++) s.units.push({ id: i + 1, gtin: milk.gtin, status: 'charged', grams: 1060 + i, sdGrams: 1, centre: null, addedAtSec: i });
  for (let i = 0; i < alerts; i++) s.openAlerts.push({ id: 100 + i, kind: 'unscanned-item', atSec: 5, grams: 300 });
  return s;
}

function get(port: number, path: string, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

t.test('the view names the products, counts the units and says what each open alert asks', async (t) => {
  const v = displayView(basketWith(2, 1), catalog, { light: 'attention', link: 'online' });
  t.same(v.lines, [{ gtin: milk.gtin, name: 'Oat milk 1 l', qty: 2, grams: 2121, priceCents: 249, byWeight: false }]);
  t.same(v.alerts, [{ id: 100, kind: 'unscanned-item', ask: 'Please scan the item you just put in.' }]);
  t.same(v.status, { light: 'attention', link: 'online', myBagArmed: false });
});

t.test('a product the catalog does not know shows without a name or price', async (t) => {
  const s = emptyBasket();
  s.units.push({ id: 1, gtin: '04000000000001', status: 'charged', grams: 100, sdGrams: 1, centre: null, addedAtSec: 0 });
  t.same(displayView(s, catalog, { light: 'ready', link: 'online' }).lines[0], { gtin: '04000000000001', name: null, qty: 1, grams: 100, priceCents: null, byWeight: false });
});

t.test('GET /basket answers the view; anything that would change something is refused', async (t) => {
  let state = basketWith(1);
  const server = new DisplayServer(0, () => displayView(state, catalog, { light: 'ready', link: 'online' }), createLogger(memorySink(), 'display'));
  const port = await server.start();
  t.teardown(() => server.stop());
  const basket = await get(port, '/basket');
  t.equal(basket.status, 200);
  t.equal((JSON.parse(basket.body) as DisplayView).lines[0]?.qty, 1);
  for (const method of ['POST', 'PUT', 'DELETE']) t.equal((await get(port, '/basket', method)).status, 405, method);
  t.equal((await get(port, '/admin')).status, 404);
  state = basketWith(3);
  t.equal((JSON.parse((await get(port, '/basket')).body) as DisplayView).lines[0]?.qty, 3);
});

t.test('GET /events sends the view at once and again after each change, not for updates that change nothing', async (t) => {
  let state = basketWith(1);
  const server = new DisplayServer(0, () => displayView(state, catalog, { light: 'ready', link: 'online' }), createLogger(memorySink(), 'display'));
  const port = await server.start();
  t.teardown(() => server.stop());
  const events: DisplayView[] = [];
  let wake: () => void = () => {};
  const req = request({ host: '127.0.0.1', port, path: '/events' }, (res) => {
    t.equal(res.headers['content-type'], 'text/event-stream');
    let buf = '';
    res.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      for (let end = buf.indexOf('\n\n'); end >= 0; end = buf.indexOf('\n\n')) {
        const data = buf.slice(0, end).split('\n').find((l) => l.startsWith('data: '));
        buf = buf.slice(end + 2);
        if (data) events.push(JSON.parse(data.slice(6)) as DisplayView);
        wake();
      }
    });
  });
  req.end();
  const until = (n: number) => new Promise<void>((resolve) => {
    wake = () => events.length >= n && resolve();
    wake();
  });
  await until(1);
  server.update();
  state = basketWith(2);
  server.update();
  server.update();
  await until(2);
  state = basketWith(2, 1);
  server.update();
  await until(3);
  t.same(events.map((e) => [e.lines[0]?.qty, e.alerts.length]), [[1, 0], [2, 0], [2, 1]]);
  req.destroy();
});

t.test('the API listens on loopback only', async (t) => {
  const sink = memorySink();
  const server = new DisplayServer(0, () => displayView(emptyBasket(), catalog, { light: null, link: 'stopped' }), createLogger(sink, 'display'));
  await server.start();
  t.teardown(() => server.stop());
  t.match(sink.lines.join('\n'), /display API listening url=http:\/\/127\.0\.0\.1:\d+\/basket/);
});
