// sd_notify and the watchdog against a fake notify socket.
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { createLogger, memorySink } from '../../firmware/log.js';
import { openNotifier, samplingVerdict, Watchdog, watchdogIntervalSec, type WatchdogVerdict } from '../../firmware/notify/index.js';
import { fakeSystemd } from './fake-systemd.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

t.test('READY=1 and a status go to the socket systemd names, as one datagram', async (t) => {
  const systemd = fakeSystemd();
  t.teardown(() => systemd.close());
  const notifier = openNotifier({ NOTIFY_SOCKET: systemd.path }, createLogger(memorySink(), 'test'));
  t.teardown(() => notifier.close());
  notifier.send({ READY: '1', STATUS: 'shopping; store link connecting' });
  const m = await systemd.next('READY');
  t.same(m.fields, { READY: '1', STATUS: 'shopping; store link connecting' });
});

t.test('outside systemd nothing is sent and nothing fails', async (t) => {
  const notifier = openNotifier({}, createLogger(memorySink(), 'test'));
  t.equal(notifier.enabled, false);
  notifier.send({ READY: '1' });
  notifier.close();
});

t.test('a notify socket that is gone is logged once, not per message', async (t) => {
  const sink = memorySink();
  const notifier = openNotifier({ NOTIFY_SOCKET: join(tmpdir(), `no-such-notify-${process.pid}.sock`) }, createLogger(sink, 'test'));
  t.teardown(() => notifier.close());
  for (let i = 0; i < 3; i++) notifier.send({ WATCHDOG: '1' });
  t.equal(sink.lines.filter((l) => /systemd did not take a notification/.test(l)).length, 1);
});

t.test('the watchdog interval is systemd\'s, and only for the pid it names', async (t) => {
  t.equal(watchdogIntervalSec({ WATCHDOG_USEC: '10000000' }, 42), 10);
  t.equal(watchdogIntervalSec({ WATCHDOG_USEC: '10000000', WATCHDOG_PID: '42' }, 42), 10);
  t.equal(watchdogIntervalSec({ WATCHDOG_USEC: '10000000', WATCHDOG_PID: '41' }, 42), null, 'meant for a parent');
  t.equal(watchdogIntervalSec({}, 42), null);
});

t.test('sampling counts as working while a sample came within the allowed age', async (t) => {
  t.same(samplingVerdict(9.5, 10, 0, 2), { ok: true });
  t.same(samplingVerdict(null, 1.5, 0, 2), { ok: true }, 'just started');
  t.same(samplingVerdict(7, 10, 0, 2), { ok: false, why: 'no load cell sample for 3.0 s' });
  t.same(samplingVerdict(null, 5, 0, 2), { ok: false, why: 'no load cell sample in 5.0 s since start' });
});

t.test('pings go only while the check passes; a stop in sampling withholds them, logged once, and they resume', async (t) => {
  const systemd = fakeSystemd();
  t.teardown(() => systemd.close());
  const sink = memorySink();
  const log = createLogger(sink, 'watchdog');
  const notifier = openNotifier({ NOTIFY_SOCKET: systemd.path }, log);
  t.teardown(() => notifier.close());
  let verdict: WatchdogVerdict = { ok: true };
  const watchdog = new Watchdog(notifier, { intervalSec: 10, check: () => verdict, log });
  watchdog.tick();
  watchdog.tick();
  await settle();
  t.equal(systemd.messages.length, 2);
  verdict = { ok: false, why: 'no load cell sample for 3.0 s' };
  for (let i = 0; i < 4; i++) watchdog.tick();
  await settle();
  t.equal(systemd.messages.length, 2, 'nothing while sampling is stuck');
  t.equal(sink.lines.filter((l) => /ERROR watchdog cart not working; watchdog pings withheld.*why="no load cell sample for 3.0 s"/.test(l)).length, 1);
  verdict = { ok: true };
  watchdog.tick();
  await settle();
  t.equal(systemd.messages.length, 3);
  t.same(systemd.messages.map((m) => m.fields), [{ WATCHDOG: '1' }, { WATCHDOG: '1' }, { WATCHDOG: '1' }]);
  t.equal(sink.lines.filter((l) => /healthy again/.test(l)).length, 1);
});

t.test('a stalled event loop sends no ping for longer than WatchdogSec: systemd would restart the cart', async (t) => {
  const systemd = fakeSystemd();
  t.teardown(() => systemd.close());
  const watchdogUsec = 200_000;
  const stallMs = 1000;
  const child = fileURLToPath(new URL('./stall-child.ts', import.meta.url));
  const proc = spawn(process.execPath, ['--import', 'tsx', child, String(stallMs)], {
    env: { ...process.env, NOTIFY_SOCKET: systemd.path, WATCHDOG_USEC: String(watchdogUsec) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
  t.equal(code, 0, 'the child ends by itself once its loop is free again');
  const times = systemd.messages.filter((m) => m.fields.WATCHDOG === '1').map((m) => m.atMs);
  const gaps = times.slice(1).map((x, i) => x - times[i]!);
  t.ok(times.length >= 4, `pings before and after the stall (${times.length})`);
  t.ok(Math.max(...gaps) > watchdogUsec / 1000, `the longest silence (${Math.round(Math.max(...gaps))} ms) outlasts WatchdogSec (${watchdogUsec / 1000} ms)`);
});
