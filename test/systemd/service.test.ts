// cart-firmware as systemd runs it, on simulated devices: READY=1 once up,
// watchdog pings while sampling, the health command and the display API
// while it runs, and on SIGTERM STOPPING=1, a clean exit, and a health file
// that says "stopped".
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { fakeSystemd } from '../notify/fake-systemd.js';

const main = fileURLToPath(new URL('../../firmware/main.ts', import.meta.url));

async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !ok(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Asks `get` until `settled` holds (at most `tries` times, half a second
 * apart) and returns the last answer. The store link here has no broker:
 * it goes connecting -> offline on every refused attempt, then waits its
 * backoff offline, so a loaded machine may catch it connecting.
 */
async function settledAnswer<T>(get: () => Promise<T>, settled: (answer: T) => boolean, tries = 20): Promise<T> {
  for (let i = 1; ; i++) {
    const answer = await get();
    if (settled(answer) || i >= tries) return answer;
    await sleep(500);
  }
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', main, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    p.stdout.on('data', (c) => (stdout += c));
    p.on('exit', (code) => resolve({ code, stdout }));
  });
}

t.test('start, run and stop under a fake systemd', async (t) => {
  const dir = t.testdir({});
  const systemd = fakeSystemd();
  t.teardown(() => systemd.close());
  const port = 21000 + (process.pid % 20000);
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify({
    cart: { id: 'cart-7', storeId: 'store-1' },
    databasePath: join(dir, 'cart.db'),
    scale: { board: 'simulated' },
    scanner: { kind: 'simulated' },
    gpio: { backend: 'simulated' },
    mqtt: { url: 'mqtt://127.0.0.1:1', storePublicKeyPath: join(dir, 'no-key.pem') },
    health: { path: join(dir, 'health.json'), everySec: 1 },
    display: { port },
  }));
  const proc = spawn(process.execPath, ['--import', 'tsx', main, '--config', configPath], {
    env: { ...process.env, NOTIFY_SOCKET: systemd.path, WATCHDOG_USEC: '2000000' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  proc.stderr.on('data', (c) => (log += c));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', resolve));
  t.teardown(() => {
    proc.kill('SIGKILL');
  });

  const ready = await systemd.next('READY', 60_000);
  t.match(ready.fields.STATUS, /^shopping; store link (connecting|offline)$/);
  await until(() => /INFO  main service ready/.test(log));
  t.match(log, /INFO  main cart ready[\s\S]*INFO  main service ready startupMs=\d+ systemd=true watchdogSec=2/, 'the cart was up before READY=1');
  await systemd.next('WATCHDOG', 30_000);

  const health = await settledAnswer(() => runCli(['health', '--config', configPath]), (r) => /store link +offline/.test(r.stdout), 10);
  t.equal(health.code, 0, 'fit to shop');
  t.match(health.stdout, /^cart FIT TO SHOP\n/);
  t.match(health.stdout, /store link +offline, WITHOUT TLS, last sync never since start/);
  t.match(health.stdout, /outbox +\d+ messages/);
  t.match(health.stdout, /disk +\d+ MB free/);

  const basket = await settledAnswer(async () => {
    const r = await fetch(`http://127.0.0.1:${port}/basket`);
    return { status: r.status, body: await r.json() as { status?: { link?: string } } };
  }, (r) => r.body.status?.link === 'offline');
  t.equal(basket.status, 200);
  t.match(basket.body, { lines: [], alerts: [], status: { link: 'offline' } });

  proc.kill('SIGTERM');
  t.equal(await exited, 0, 'a clean exit on SIGTERM');
  t.ok(systemd.messages.some((m) => m.fields.STOPPING === '1'), 'STOPPING=1 sent');
  await until(() => /INFO  main cart stopped/.test(log));
  t.match(log, /INFO  main cart stopped/);
  t.match(JSON.parse(readFileSync(join(dir, 'health.json'), 'utf8')), { state: 'stopped' });

  const after = await runCli(['health', '--config', configPath]);
  t.equal(after.code, 1);
  t.match(after.stdout, /NOT FIT TO SHOP[\s\S]*problem: the service stopped at /);
});

t.test('health without a running service: not fit, and says why', async (t) => {
  const dir = t.testdir({});
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify({ cart: { id: 'c', storeId: 's' }, scale: { board: 'dfrobot' }, databasePath: join(dir, 'cart.db'), health: { path: join(dir, 'health.json') } }));
  const r = await runCli(['health', '--config', configPath]);
  t.equal(r.code, 1);
  t.match(r.stdout, /problem: no health file at .*health\.json: the service is not running/);
});

t.test('health with a config it cannot use exits 2 and names the key', async (t) => {
  const dir = t.testdir({ 'config.json': JSON.stringify({ cart: { id: 'c' } }) });
  const r = await runCli(['health', '--config', join(dir, 'config.json')]);
  t.equal(r.code, 2);
});

t.test('maintenance, the fallback unit: says the cart is out of order, even without a usable config, and ends on SIGTERM', async (t) => {
  const proc = spawn(process.execPath, ['--import', 'tsx', main, 'maintenance', '--config', join(t.testdir({}), 'missing.json')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (c) => (log += c));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', resolve));
  await until(() => /cart out of order/.test(log));
  t.match(log, /WARN  maintenance config unusable; the maintenance light uses the default pins/);
  t.match(log, /ERROR maintenance cart out of order: the firmware is not running; the light blinks blue/);
  proc.kill('SIGTERM');
  t.equal(await exited, 0);
});
