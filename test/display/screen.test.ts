// The shopper's screen in a real browser (Debian's Chromium), fed by the whole
// cart on simulated boards and scanner: what the shopper sees as they shop,
// when the connection drops, and how it fits the cart's two screen sizes.
import type { Page } from 'playwright-core';
import t, { type Test } from 'tap';
import { DisplayServer } from '../../firmware/display/index.js';
import { createLogger, memorySink } from '../../firmware/log.js';
import { demoCatalog } from '../bench/demo-trip.js';
import { launchChromium, noChromium, type Browser } from './browser.js';
import { sampleView } from './sample-view.js';
import { startScreenCart, until, type ScreenCart } from './screen-rig.js';
import { read, seen } from './seen.js';

const [oat, butter, , penne] = demoCatalog as [typeof demoCatalog[0], typeof demoCatalog[0], typeof demoCatalog[0], typeof demoCatalog[0]];
/** A code as printed on the pack: the GTIN-14's last 13 digits (EAN-13) or 8 (EAN-8). */
const printed = (gtin: string, digits: 13 | 8) => gtin.slice(14 - digits);
const where = { oat: { xMm: -120, yMm: 60 }, butter: { xMm: 140, yMm: -80 }, eggs: { xMm: 30, yMm: 100 }, bag: { xMm: 0, yMm: 0 }, penne: { xMm: -60, yMm: -90 } };

// One browser for the file (it takes seconds to start); a tab for each test.
let browser: Browser | null = null;
t.teardown(() => browser?.close());

async function newPage(t: Test): Promise<Page> {
  browser ??= await launchChromium();
  const page = await browser.context.newPage();
  t.teardown(() => page.close());
  return page;
}

/** The whole cart, and its screen open in the browser on the empty basket. */
async function watchCart(t: Test): Promise<{ cart: ScreenCart; page: Page }> {
  const cart = await startScreenCart();
  t.teardown(() => cart.stop());
  const page = await newPage(t);
  await page.goto(cart.url);
  await seen(page, 'the empty basket', (s) => s.connection === 'live' && s.empty);
  return { cart, page };
}

t.test('the shopper sees each item added, an alert appear and clear, a removal and the total, as the cart commits them', { skip: noChromium }, async (t) => {
  const { cart, page } = await watchCart(t);
  let s = await read(page);
  t.equal(s.total, '€0.00');
  t.equal(s.scale, 'Scale ready');
  t.equal(s.myBag, true, '"my bag" is offered on a quiet basket');

  await cart.buy(printed(oat.gtin, 13), 1058.4, where.oat);
  s = await seen(page, 'the oat milk', (s) => s.lines.length === 1);
  t.same(s.lines, [['Oat milk 1 l', '1 × €2.49', '€2.49']]);
  t.equal(s.total, '€2.49');

  await cart.buy(printed(butter.gtin, 8), 259.1, where.butter);
  s = await seen(page, 'the butter', (s) => s.lines.length === 2);
  t.equal(s.total, '€4.94');

  cart.put(392.3, where.eggs);
  s = await seen(page, 'the alert', (s) => s.alert !== null);
  t.same(s.alert, { title: 'Item not scanned', ask: 'Please scan the item you just put in.' });
  t.equal(s.framed, true, 'the whole screen is framed while the alert is open');
  t.equal(s.myBag, false, 'no "my bag" while an alert waits');
  t.equal(s.total, '€4.94', 'the unscanned eggs are not charged');

  cart.take(392.3, where.eggs);
  s = await seen(page, 'the alert clear', (s) => s.alert === null);
  t.equal(s.framed, false);
  t.equal(s.total, '€4.94');

  cart.take(259.1, where.butter);
  s = await seen(page, 'the butter taken off', (s) => s.lines.length === 1);
  t.same(s.lines, [['Oat milk 1 l', '1 × €2.49', '€2.49']]);
  t.equal(s.total, '€2.49');

  await page.click('#my-bag');
  s = await seen(page, '"my bag" armed', (s) => s.armed);
  t.equal(s.myBag, false, 'the button is not offered twice');
  t.equal(cart.running.store.state.personalArmedAtSec !== null, true, 'the press reached the basket');
  cart.put(95.2, where.bag);
  s = await seen(page, 'the bag taken as the shopper\'s own', (s) => !s.armed);
  t.equal(s.total, '€2.49', 'the bag is not charged');
  t.equal(cart.running.store.state.units.filter((u) => u.status === 'personal').length, 1);
  t.same((await read(page)).lines.length, 1);
});

t.test('when the connection drops the screen says it is reconnecting, then catches up with what was committed meanwhile', { skip: noChromium }, async (t) => {
  const { cart, page } = await watchCart(t);

  await cart.onCart.display.server.stop();
  let s = await seen(page, 'that it is reconnecting', (s) => s.connection === 'reconnecting');
  t.equal(s.notice, 'Reconnecting to the cart… The basket below may not be up to date.');
  t.equal(s.myBag, false, 'no "my bag" that could not reach the cart');

  // The cart shops on without its screen.
  await cart.buy(printed(penne.gtin, 13), 509.8, where.penne);
  await until('the pasta in the basket', () => cart.running.store.state.units.length === 1);
  s = await read(page);
  t.same(s.lines, [], 'the screen cannot know yet');

  await cart.onCart.display.server.start();
  s = await seen(page, 'the basket again', (s) => s.connection === 'live' && s.lines.length === 1);
  t.same(s.lines, [['Penne pasta 500 g', '1 × €0.99', '€0.99']]);
  t.equal(s.total, '€0.99');
  t.equal(s.notice, '');
});

t.test('at 800×480 and 1280×800 a long basket scrolls while the total, the alert and "my bag" stay on screen, in large type', { skip: noChromium }, async (t) => {
  let view = sampleView(14, true);
  const server = new DisplayServer(0, { view: () => view, pressMyBag: () => {}, log: createLogger(memorySink(), 'display') });
  const port = await server.start();
  t.teardown(() => server.stop());
  const page = await newPage(t);
  for (const size of [{ width: 800, height: 480 }, { width: 1280, height: 800 }]) {
    const name = `${size.width}×${size.height}`;
    await page.setViewportSize(size);
    view = sampleView(14, true);
    await page.goto(`http://127.0.0.1:${port}/`);
    await seen(page, 'the alert', (s) => s.connection === 'live' && s.alert !== null);
    const box = (sel: string) => page.locator(sel).boundingBox();
    const onScreen = async (sel: string) => {
      const b = await box(sel);
      return b !== null && b.x >= 0 && b.y >= 0 && b.x + b.width <= size.width && b.y + b.height <= size.height;
    };
    t.ok(await onScreen('#total'), `${name}: the total is on screen`);
    t.ok(await onScreen('#alert'), `${name}: the alert is on screen`);
    t.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true, `${name}: nothing runs off to the side`);
    const px = async (sel: string) => Number(await page.evaluate(`parseFloat(getComputedStyle(document.querySelector('${sel}')).fontSize)`));
    t.ok(await px('#total') >= 40, `${name}: the total in type of 40 px or more`);
    t.ok(await px('#alert-ask') >= 22, `${name}: the alert in type of 22 px or more`);
    t.ok(await px('.line-name') >= 19, `${name}: the lines in type of 19 px or more`);
    const lastLine = await box('#lines li:last-child');
    t.ok(lastLine !== null && lastLine.y + lastLine.height > size.height, `${name}: 14 lines do not fit, the list scrolls`);

    view = sampleView(14, false);
    server.update();
    await seen(page, '"my bag"', (s) => s.alert === null && s.myBag);
    t.ok(await onScreen('#my-bag'), `${name}: "my bag" is on screen`);
    const button = await box('#my-bag');
    t.ok(button !== null && button.height >= 44 && button.width >= 44, `${name}: "my bag" is a finger's size (44 px or more)`);
  }
});
