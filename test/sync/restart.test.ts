// A cart process killed in the middle of delivery and started again: nothing
// is lost, and nothing counts twice at the store.
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { StoreSim } from '../bench/store-sim.js';
import { createLogger, memorySink } from '../../firmware/log.js';
import { noMosquitto, startMosquitto } from './helpers/mosquitto.js';
import { until } from './helpers/until.js';

const childScript = fileURLToPath(new URL('./helpers/cart-process.ts', import.meta.url));

function startCart(url: string, dir: string, keyPath: string, steps: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, url, dir, keyPath, String(steps)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('online')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`cart process exited early with ${code}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

if (noMosquitto) {
  t.plan(0, noMosquitto);
} else {
  t.test('a cart killed mid-delivery and restarted: every event reaches the store exactly once in effect', async (t) => {
    const broker = await startMosquitto();
    const store = new StoreSim({ url: broker.url, storeId: 'store-1', protocolVersion: 5, log: createLogger(memorySink(), 'store'), verbose: false });
    await store.start();
    t.teardown(async () => {
      await store.stop();
      await broker.stop();
    });
    const dir = mkdtempSync(join(tmpdir(), 'cart-restart-'));
    const keyPath = join(dir, 'store.pub.pem');
    writeFileSync(keyPath, store.publicKeyPem);

    const first = await startCart(broker.url, dir, keyPath, 300);
    await until(() => store.lastSeqOf('cart-1') >= 40, 'delivery to be under way');
    first.kill('SIGKILL');
    await exited(first);

    const db = new Database(join(dir, 'cart.db'), { readonly: true });
    const queued = (db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'outbox'`).get() as { seq: number }).seq;
    const left = (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
    db.close();
    t.ok(left > 0 && store.lastSeqOf('cart-1') < queued, `killed with ${left} of ${queued} events still in the outbox`);

    const second = await startCart(broker.url, dir, keyPath, 0);
    t.teardown(async () => {
      second.kill('SIGTERM');
      await exited(second);
    });
    await until(() => store.lastSeqOf('cart-1') === queued, 'the rest of the events', 30_000);
    const seqs = store.eventsOf('cart-1').map((e) => e.seq);
    t.same(seqs, Array.from({ length: queued }, (_, i) => i + 1), 'each event taken once, in order');
    t.same(store.gaps, []);
    t.same(store.invalid, []);
    t.comment(`repeats the store dropped: ${store.duplicates.length}`);
    t.match(store.status.get('cart-1'), { online: true, boot: 2, start: 2 }, 'the restarted cart says it is boot 2, start 2');

    const check = new Database(join(dir, 'cart.db'), { readonly: true });
    const lines = check.prepare('SELECT gtin, qty FROM basket_lines').all() as { gtin: string; qty: number }[];
    check.close();
    t.same(Object.fromEntries(store.basketOf('cart-1')), Object.fromEntries(lines.map((l) => [l.gtin, l.qty])), 'the store\'s basket is the cart\'s');
  });
}
