// The unit files: systemd-analyze verify has nothing to say about them, and
// the choices the issue asks for are there (notify from the main process,
// watchdog, start limits with a fallback, a closed device policy).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';

const dir = fileURLToPath(new URL('../../systemd/', import.meta.url));
const units = ['cart-firmware.service', 'cart-firmware-maintenance.service'];
const run = promisify(execFile);

/** The major version of this machine's systemd, null when systemd-analyze is not installed. */
async function systemdVersion(): Promise<number | null> {
  try {
    const { stdout } = await run('systemd-analyze', ['--version'], { timeout: 10_000 });
    return Number(/^systemd (\d+)/.exec(stdout)?.[1] ?? NaN);
  } catch {
    return null;
  }
}
const systemd = await systemdVersion();

/** RestartMode= came with systemd 254. */
const restartModeSince = 254;

/** key=value lines of a unit, section by section. */
function directives(unit: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let section = '';
  for (const line of readFileSync(dir + unit, 'utf8').split('\n')) {
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) section = header[1]!;
    const kv = /^(\w+)=(.*)$/.exec(line);
    if (kv) out.set(`${section}.${kv[1]}`, [...(out.get(`${section}.${kv[1]}`) ?? []), kv[2]!]);
  }
  return out;
}

t.test('systemd-analyze verify passes on the units; before systemd 254 its only word is that RestartMode= is unknown', { skip: systemd === null && 'systemd-analyze is not installed (apt-get install systemd)' }, async (t) => {
  const { stdout, stderr } = await run('systemd-analyze', ['verify', ...units.map((u) => dir + u)], { timeout: 60_000 });
  const said = (stdout + stderr).split('\n').filter(Boolean);
  if (systemd! >= restartModeSince) t.same(said, [], `nothing to report (systemd ${systemd})`);
  else t.match(said, [/cart-firmware\.service:\d+: Unknown key '?RestartMode'? in section \[Service\], ignoring\./], `systemd ${systemd}: RestartMode= alone is unknown`);
});

t.test('the firmware notifies systemd itself and is watched', async (t) => {
  const d = directives('cart-firmware.service');
  t.same(d.get('Service.Type'), ['notify']);
  t.same(d.get('Service.NotifyAccess'), ['main'], 'only the main process may notify; no systemd-notify helper');
  t.same(d.get('Service.WatchdogSec'), ['10']);
  t.same(d.get('Service.Restart'), ['on-failure']);
  t.same(d.get('Service.RestartPreventExitStatus'), ['78'], 'a config error is not retried');
  t.ok(d.get('Unit.StartLimitBurst') && d.get('Unit.StartLimitIntervalSec'), 'start limits in [Unit]');
  t.same(d.get('Unit.OnFailure'), ['cart-firmware-maintenance.service'], 'the fallback when the limit is hit');
  t.same(d.get('Service.RestartMode'), ['direct'], 'a restart does not pass through "failed", so OnFailure= waits for the start limit');
});

t.test('hardening: own user, read-only system, state in StateDirectory, only the devices it drives', async (t) => {
  const d = directives('cart-firmware.service');
  t.same(d.get('Service.User'), ['cart-firmware']);
  t.same(d.get('Service.ProtectSystem'), ['strict']);
  t.same(d.get('Service.StateDirectory'), ['cart-firmware']);
  t.same(d.get('Service.NoNewPrivileges'), ['yes']);
  t.same(d.get('Service.DevicePolicy'), ['closed']);
  t.same(d.get('Service.SupplementaryGroups'), ['i2c gpio dialout video'], 'the devices\' groups; the technicians\' group reaches the socket through its folder');
  t.same(d.get('Service.DeviceAllow'), [
    '/dev/i2c-1 rw', 'char-ttyACM rw', 'char-ttyUSB rw', 'char-video4linux rw', 'char-media rw', 'char-dma_heap rw', 'char-gpiochip rw',
  ]);
  t.same(d.get('Service.SystemCallFilter'), ['@system-service @pkey', '~@privileged @resources'], 'no chown, no setpriority; test/systemd/syscalls.test.ts checks the calls made');
  t.same(directives('cart-firmware-maintenance.service').get('Service.DeviceAllow'), ['char-gpiochip rw'], 'the maintenance light through the GPIO character device');
  const exec = d.get('Service.ExecStart')?.[0] ?? '';
  t.match(exec, /--config \/etc\/cart-firmware\/config\.json$/, 'config in /etc');
});

t.test('the default database path is the StateDirectory; the health file and control socket are in the tmpfiles folder, which hands the technicians\' group on', async (t) => {
  const { ConfigSchema } = await import('../../firmware/config.js');
  const { Value } = await import('@sinclair/typebox/value');
  const config = Value.Default(ConfigSchema, {}) as { databasePath: string; health: { path: string }; calibration: { socketPath: string; socketGroup: string } };
  t.equal(config.databasePath, '/var/lib/cart-firmware/cart.db');
  t.match(readFileSync(dir + 'cart-firmware.tmpfiles', 'utf8'), new RegExp(`^d /run/cart-firmware 2755 cart-firmware ${config.calibration.socketGroup} -$`, 'm'), 'set-group-ID, of the technicians\' group');
  t.equal(config.health.path, '/run/cart-firmware/health.json');
  t.equal(config.calibration.socketPath, '/run/cart-firmware/control.sock');
});

t.test('udev names the scanner and keeps ModemManager away from it', async (t) => {
  const rules = readFileSync(dir + '99-cart-scanner.rules', 'utf8');
  t.match(rules, /SYMLINK\+="cart-scanner"/);
  t.match(rules, /ENV\{ID_MM_DEVICE_IGNORE\}="1"/);
});
