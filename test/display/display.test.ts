// The shopper's screen server: on loopback, the basket as JSON and as a stream
// of Server-Sent Events that follows each change, the page itself, and one
// action, "my bag", that only the cart's own page can press.
import { request } from 'node:http';
import { connect } from 'node:net';
import t, { type Test } from 'tap';
import { emptyBasket } from '../../firmware/basket/reconciler.js';
import { catalogOf } from '../../firmware/basket/catalog.js';
import type { BasketState } from '../../firmware/basket/types.js';
import { DisplayServer, displayView, type DisplayView, type ViewContext } from '../../firmware/display/index.js';
import type { Product } from '../../firmware/domain.js';
import { createLogger, memorySink } from '../../firmware/log.js';

const milk: Product = { gtin: '05901592598225', name: 'Oat milk 1 l', grams: 1062, gramsSd: 11.8, priceCents: 249, byWeight: false };
const bananas: Product = { gtin: '02000000000017', name: 'Bananas', grams: 900, gramsSd: 300, priceCents: 199, byWeight: true };
const catalog = catalogOf([milk, bananas]);
const ctx: ViewContext = { light: 'ready', link: 'online', atSec: 100, myBagSec: 30, currency: 'EUR' };

function basketWith(units: number, alerts = 0): BasketState {
  const s = emptyBasket();
  for (let i = 0; i < units; i++) s.units.push({ id: i + 1, gtin: milk.gtin, status: 'charged', grams: 1060 + i, sdGrams: 1, centre: null, addedAtSec: i });
  for (let i = 0; i < alerts; i++) s.openAlerts.push({ id: 100 + i, kind: 'unscanned-item', atSec: 5, grams: 300 });
  return s;
}

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function send(port: number, path: string, o: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: o.method ?? 'GET', headers: o.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function serve(t: Test, view: () => DisplayView, pressMyBag: () => void = () => {}): Promise<{ port: number; sink: ReturnType<typeof memorySink> }> {
  const sink = memorySink();
  const server = new DisplayServer(0, { view, pressMyBag, log: createLogger(sink, 'display') });
  const port = await server.start();
  t.teardown(() => server.stop());
  return { port, sink };
}

t.test('the view names the products, counts the units, prices the lines and says what each open alert asks', async (t) => {
  const v = displayView(basketWith(2, 1), catalog, { ...ctx, light: 'attention' });
  t.same(v.lines, [{ gtin: milk.gtin, name: 'Oat milk 1 l', qty: 2, grams: 2121, priceCents: 249, byWeight: false, amountCents: 498 }]);
  t.same(v.total, { cents: 498, unpricedLines: 0, currency: 'EUR' });
  t.same(v.alerts, [{ id: 100, kind: 'unscanned-item', ask: 'Please scan the item you just put in.' }]);
  t.same(v.status, { light: 'attention', link: 'online', scale: 'stable', myBagArmed: false });
});

t.test('an unknown product and one sold by weight are shown but left out of the total, and counted', async (t) => {
  const s = basketWith(1);
  s.units.push({ id: 7, gtin: '04000000000001', status: 'charged', grams: 100, sdGrams: 1, centre: null, addedAtSec: 0 });
  s.units.push({ id: 8, gtin: bananas.gtin, status: 'charged', grams: 812.4, sdGrams: 1, centre: null, addedAtSec: 0 });
  const v = displayView(s, catalog, ctx);
  t.same(v.lines.map((l) => [l.name, l.amountCents]), [['Bananas', null], [null, null], ['Oat milk 1 l', 249]]);
  t.same(v.total, { cents: 249, unpricedLines: 2, currency: 'EUR' });
});

t.test('"my bag" shows as armed only while the press still counts: after its window the next item is charged', async (t) => {
  const s = basketWith(0);
  s.personalArmedAtSec = 80;
  t.equal(displayView(s, catalog, { ...ctx, atSec: 110 }).status.myBagArmed, true);
  t.equal(displayView(s, catalog, { ...ctx, atSec: 110.5 }).status.myBagArmed, false);
});

t.test('the scale says out of order once two corners are dead, degraded with one', async (t) => {
  const s = basketWith(0);
  s.scaleState = 'degraded';
  s.deadChannels = [2];
  t.equal(displayView(s, catalog, ctx).status.scale, 'degraded');
  s.deadChannels = [1, 2];
  t.equal(displayView(s, catalog, ctx).status.scale, 'out-of-order');
});

t.test('GET / serves the page, which loads nothing from elsewhere; GET /basket answers the view', async (t) => {
  let state = basketWith(1);
  const { port } = await serve(t, () => displayView(state, catalog, ctx));
  const page = await send(port, '/');
  t.equal(page.status, 200);
  t.match(page.headers['content-type'], /^text\/html/);
  t.match(page.headers['content-security-policy'], /default-src 'self'/);
  t.match(page.body, /<script type="module" src="\/screen.js">/);
  for (const [path, type] of [['/screen.js', /^text\/javascript/], ['/screen.css', /^text\/css/]] as const) {
    const asset = await send(port, path);
    t.equal(asset.status, 200, path);
    t.match(asset.headers['content-type'], type, path);
  }
  const basket = await send(port, '/basket');
  t.equal(basket.status, 200);
  t.equal((JSON.parse(basket.body) as DisplayView).lines[0]?.qty, 1);
  state = basketWith(3);
  t.equal((JSON.parse((await send(port, '/basket')).body) as DisplayView).lines[0]?.qty, 3);
  t.equal((await send(port, '/admin')).status, 404);
  for (const method of ['POST', 'PUT', 'DELETE']) t.equal((await send(port, '/basket', { method })).status, 405, method);
});

t.test('POST /my-bag from the page presses "my bag"; from another web page or another host name it presses nothing', async (t) => {
  let presses = 0;
  const { port, sink } = await serve(t, () => displayView(basketWith(0), catalog, ctx), () => presses++);
  t.equal((await send(port, '/my-bag', { method: 'POST', headers: { origin: `http://127.0.0.1:${port}` } })).status, 204);
  t.equal((await send(port, '/my-bag', { method: 'POST', headers: { origin: `http://localhost:${port}`, host: `localhost:${port}` } })).status, 204);
  t.equal(presses, 2);
  t.equal((await send(port, '/my-bag', { method: 'POST', headers: { origin: 'http://shop.example' } })).status, 403, 'a page from elsewhere');
  t.equal((await send(port, '/my-bag', { method: 'POST', headers: { origin: `http://127.0.0.1:${port + 1}` } })).status, 403, 'another local server');
  // DNS rebinding: a name of someone else's that resolves to 127.0.0.1, so the browser takes it for that site's own.
  t.equal((await send(port, '/my-bag', { method: 'POST', headers: { host: `rebind.example:${port}`, origin: `http://rebind.example:${port}` } })).status, 403);
  t.equal((await send(port, '/basket', { headers: { host: `rebind.example:${port}` } })).status, 403, 'nor can it read the basket');
  t.equal((await send(port, '/my-bag', { method: 'GET' })).status, 404);
  t.equal(presses, 2);
  t.match(sink.lines.join('\n'), /"my bag" from another web page refused; nothing pressed origin=http:\/\/shop.example/);
});

t.test('a "my bag" press that cannot be saved answers 500 and says what it means for the shopper', async (t) => {
  const { port, sink } = await serve(t, () => displayView(basketWith(0), catalog, ctx), () => {
    throw new Error('disk I/O error');
  });
  t.equal((await send(port, '/my-bag', { method: 'POST' })).status, 500);
  t.match(sink.lines.join('\n'), /"my bag" on the screen could not be saved; the next item put in will be charged.*disk I\/O error/);
});

t.test('GET /events sends the view at once and again after each change, not for updates that change nothing', async (t) => {
  let state = basketWith(1);
  const sink = memorySink();
  const server = new DisplayServer(0, { view: () => displayView(state, catalog, ctx), pressMyBag: () => {}, log: createLogger(sink, 'display') });
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

t.test('the server listens on loopback only and logs the page\'s address', async (t) => {
  const { sink } = await serve(t, () => displayView(emptyBasket(), catalog, { ...ctx, light: null, link: 'stopped' }));
  t.match(sink.lines.join('\n'), /shopper's screen listening url=http:\/\/127\.0\.0\.1:\d+\//);
});

t.test('stop ends a connection in the middle of a request too: a browser reconnecting as it stops cannot hold it open', async (t) => {
  const server = new DisplayServer(0, { view: () => displayView(basketWith(0), catalog, ctx), pressMyBag: () => {}, log: createLogger(memorySink(), 'display') });
  const port = await server.start();
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  // Headers not yet complete: to the server a request under way, which close() alone waits for.
  socket.write('GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const ended = new Promise((resolve) => socket.once('close', resolve));
  const stopped = await Promise.race([server.stop().then(() => 'stopped'), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 3000))]);
  t.equal(stopped, 'stopped');
  await ended;
});
