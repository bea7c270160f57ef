// The light, buzzer and buttons wired into the running cart as on a real one
// (startCart, then startOnCart on the simulated header): feedback follows
// what was saved, and nothing that failed to save.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { SimulatedI2cBus } from '../../drivers/loadcell/index.js';
import { SimulatedScanner } from '../../drivers/scanner/index.js';
import type { Decision } from '../../firmware/basket/types.js';
import { parseConfig } from '../../firmware/config.js';
import { createLogger, memorySink } from '../../firmware/log.js';
import { openNotifier } from '../../firmware/notify/index.js';
import { startOnCart } from '../../firmware/notify/on-cart.js';
import { monotonicSec } from '../../firmware/process.js';
import { startCart } from '../../firmware/service.js';

async function until(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!ok()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function cartRig(t: Test) {
  // Not t.testdir: tap removes that before it runs the teardowns, while the
  // cart still writes its database and health file there (ENOTEMPTY).
  const dir = mkdtempSync(join(tmpdir(), 'service-hook-'));
  const config = parseConfig({
    cart: { id: 'test-cart', storeId: 'test-store' },
    databasePath: join(dir, 'cart.db'),
    scale: { board: 'simulated' },
    scanner: { kind: 'simulated' },
    gpio: { backend: 'simulated' },
    mqtt: { url: 'mqtt://127.0.0.1:1', storePublicKeyPath: join(dir, 'no-key.pem') },
    health: { path: join(dir, 'health.json') },
    display: { port: 20000 + (process.pid % 20000) },
  });
  const sink = memorySink('info');
  const log = createLogger(sink, 'test');
  const bus = new SimulatedI2cBus({ model: 'm5stack', addresses: config.scale.addresses, clock: monotonicSec, load: () => (Math.random() - 0.5) * 40 });
  const scanner = new SimulatedScanner({ clock: monotonicSec, log });
  const running = await startCart(config, { loadCells: { board: 'simulated', bus, rateHz: config.scale.rateHz }, scanner }, { log, clock: monotonicSec, firmwareVersion: 'test' });
  const onCart = await startOnCart(config, running, { scanner, notifier: openNotifier({}, log), clock: monotonicSec, version: 'test', log });
  t.teardown(async () => {
    await onCart.stop();
    rmSync(dir, { recursive: true });
  });
  const board = onCart.gpioBoard!;
  const decisions: Decision[] = [];
  running.onCommitted((c) => decisions.push(...c.decisions));
  const buzzes = () => board.changes.filter((c) => c.bcm === config.feedback.pins.buzzer && c.level === 1).length;
  return { config, running, onCart, board, decisions, buzzes, sink, dbPath: config.databasePath };
}

/** Another connection makes every write to the event log fail, as a full or failing disk would. */
function breakTheDisk(dbPath: string): void {
  const other = new Database(dbPath);
  other.exec(`CREATE TRIGGER fail_commits BEFORE INSERT ON event_log BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;`);
  other.close();
}

const unscannedItem = (atSec: number) => ({ kind: 'stable-delta' as const, grams: 300, sdGrams: 1, centre: null, beganAtSec: atSec - 1, restAtSec: atSec, atSec });

t.test('a saved alert turns the light to attention and sounds; the same input that fails to save does neither', async (t) => {
  const r = await cartRig(t);
  t.equal(r.onCart.feedback.health().light === 'attention', false);
  r.running.cart.apply(unscannedItem(monotonicSec()));
  // Weight nothing explains is held basket.continuationSec for the rest of the same item; the cart's own ticks then alert.
  t.same(r.decisions, [], 'held while the item may still be settling');
  await until('the unscanned-item alert', () => r.decisions.length > 0);
  t.same(r.decisions.map((d) => d.kind), ['alert']);
  t.equal(r.onCart.feedback.health().light, 'attention');
  await until('the attention beeps', () => r.buzzes() >= 1);

  const r2 = await cartRig(t);
  breakTheDisk(r2.dbPath);
  t.throws(() => r2.running.cart.apply(unscannedItem(monotonicSec())), /disk I\/O error/);
  t.same(r2.decisions, [], 'no listener heard of it');
  t.not(r2.onCart.feedback.health().light, 'attention');
  t.equal(r2.buzzes(), 0);
});

t.test('"help" pressed on the header reaches the cart as a saved ButtonPress, then clicks', async (t) => {
  const r = await cartRig(t);
  r.board.drive(r.config.feedback.pins.help, 0);
  await until('the help request', () => r.decisions.some((d) => d.kind === 'help-requested'));
  await until('the click', () => r.buzzes() === 1);
  const db = new Database(r.dbPath, { readonly: true });
  const logged = db.prepare(`SELECT body FROM event_log WHERE kind = 'input'`).all() as { body: string }[];
  db.close();
  t.match(JSON.parse(logged.at(-1)!.body), { kind: 'button', name: 'help', pressed: true });
});

t.test('a press the database refuses gets no click, and says so in the log', async (t) => {
  const r = await cartRig(t);
  breakTheDisk(r.dbPath);
  r.board.drive(r.config.feedback.pins.myBag, 0);
  await until('the error line', () => r.sink.lines.some((l) => /button press could not be saved/.test(l)));
  t.equal(r.buzzes(), 0);
});
