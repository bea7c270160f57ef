// The shipped unit's system call filter against the calls the firmware
// really makes. The firmware runs as systemd would start it (its own process,
// its config file, simulated devices asked for by name), under strace, for a
// short trip of its life: start, control socket, health file, a cart-cal
// hello, SIGTERM. Every call it made must pass the unit's SystemCallFilter=
// lines, expanded by this machine's systemd-analyze: under the real unit a
// refused call fails with EPERM (SystemCallErrorNumber=), as the control
// socket's chown once did (issue 14).
import { execFile, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';

const run = promisify(execFile);
const unitPath = fileURLToPath(new URL('../../systemd/cart-firmware.service', import.meta.url));
const maintenanceUnitPath = fileURLToPath(new URL('../../systemd/cart-firmware-maintenance.service', import.meta.url));
const mainTs = fileURLToPath(new URL('../../firmware/main.ts', import.meta.url));

async function has(command: string, args: string[]): Promise<boolean> {
  try {
    await run(command, args, { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** Every @group systemd-analyze knows, as it lists them: its members, some of them groups again. */
async function syscallGroups(): Promise<Map<string, string[]>> {
  const { stdout } = await run('systemd-analyze', ['syscall-filter'], { timeout: 30_000, maxBuffer: 4 << 20 });
  const groups = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of stdout.split('\n')) {
    if (/^@[\w-]+$/.test(line)) groups.set(line, (current = []));
    else if (current && /^\s+[@\w-]+$/.test(line)) current.push(line.trim());
  }
  return groups;
}

function expand(names: readonly string[], groups: Map<string, string[]>, into = new Set<string>()): Set<string> {
  for (const name of names) {
    if (!name.startsWith('@')) into.add(name);
    else if (groups.has(name)) expand(groups.get(name)!, groups, into);
    else throw new Error(`systemd-analyze does not know ${name}`);
  }
  return into;
}

/**
 * What the unit's SystemCallFilter= lines let through (systemd.exec(5)): the
 * first line, if not negated, is the allow list; a later `~` line removes
 * from it. The unit uses no other form.
 */
export function allowedCalls(unitText: string, groups: Map<string, string[]>): Set<string> {
  const lines = [...unitText.matchAll(/^SystemCallFilter=(.*)$/gm)].map((m) => m[1]!.trim());
  if (lines.length === 0 || lines[0]!.startsWith('~')) throw new Error('the unit must start its filter with an allow list');
  const allowed = expand(lines[0]!.split(/\s+/), groups);
  for (const line of lines.slice(1)) {
    if (!line.startsWith('~')) expand(line.split(/\s+/), groups, allowed);
    else for (const name of expand(line.slice(1).trim().split(/\s+/), groups)) allowed.delete(name);
  }
  return allowed;
}

/** System call names in strace's output (`-f`: each line opens with the pid). */
function tracedCalls(trace: string): Set<string> {
  const calls = new Set<string>();
  for (const line of trace.split('\n')) {
    const m = /^(?:\d+\s+)?([a-z_][a-z0-9_]*)\(/.exec(line);
    if (m) calls.add(m[1]!);
  }
  return calls;
}

/**
 * Who the traced firmware runs as: never root, as under the unit (User=).
 * A process of root behaves otherwise: SQLite, for one, gives its WAL files
 * to the database's owner with fchown only when it runs as root.
 */
function traceUser(): { user: string | null; uid: number; group: string } {
  const asRoot = process.getuid!() === 0;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').map((l) => l.split(':'));
  const entry = asRoot ? passwd.find((f) => f[0] === 'nobody') : passwd.find((f) => f[2] === String(process.getuid!()));
  const gid = entry?.[3];
  const group = readFileSync('/etc/group', 'utf8').split('\n').map((l) => l.split(':')).find((f) => f[2] === gid)?.[0];
  if (!entry || !group) throw new Error('no user and group to run the firmware as (nobody, or this user, in /etc/passwd and /etc/group)');
  return { user: asRoot ? entry[0]! : null, uid: Number(entry[2]), group };
}

const missing = !(await has('strace', ['-V'])) ? 'strace is not installed (apt-get install strace)'
  : !(await has('systemd-analyze', ['--version'])) ? 'systemd-analyze is not installed (apt-get install systemd)'
  : false;

t.test('the firmware makes no system call the shipped unit filters out', { skip: missing, timeout: 90_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cart-syscalls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const runAs = traceUser();
  chownSync(dir, runAs.uid, -1);
  const keyPath = join(dir, 'store-key.pem');
  writeFileSync(keyPath, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
  const socketPath = join(dir, 'control.sock');
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify({
    cart: { id: 'strace-cart', storeId: 'strace-store' },
    databasePath: join(dir, 'cart.db'),
    scale: { board: 'simulated' },
    scanner: { kind: 'simulated' },
    gpio: { backend: 'simulated' },
    // Nothing listens there: the link's failed connects are part of a cart's life too.
    mqtt: { url: 'mqtt://127.0.0.1:9', storePublicKeyPath: keyPath },
    display: { port: 20_000 + (process.pid % 20_000) },
    health: { path: join(dir, 'health.json'), everySec: 1 },
    calibration: { socketPath, socketGroup: runAs.group },
  }));
  const tracePath = join(dir, 'trace');
  const child = spawn('strace', ['-f', '-qq', '-o', tracePath, ...(runAs.user ? ['-u', runAs.user] : []), process.execPath, '--import', import.meta.resolve('tsx'), mainTs, '--config', configPath],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (line) => {
      lines.push(line);
      if (/service ready/.test(line)) resolve();
    });
    void exited.then(() => reject(new Error(`the firmware ended before it was ready:\n${lines.slice(-8).join('\n')}`)));
  });
  t.teardown(() => void child.kill('SIGKILL'));
  await ready;
  // cart-cal's first words on the control socket.
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = connect(socketPath, () => socket.write('{"id":1,"op":"hello"}\n'));
    socket.setEncoding('utf8');
    socket.once('data', (data: string) => (socket.end(), resolve(data)));
    socket.once('error', reject);
  });
  t.match(reply, /"ok":true/, 'the control socket answers');
  await new Promise((r) => setTimeout(r, 1500)); // a health write or two
  // SIGTERM to the firmware itself, as systemd sends it (strace passes no signal on).
  const { pid } = JSON.parse(readFileSync(join(dir, 'health.json'), 'utf8')) as { pid: number };
  process.kill(pid, 'SIGTERM');
  t.equal(await exited, 0, 'a clean stop');

  const allowed = allowedCalls(readFileSync(unitPath, 'utf8'), await syscallGroups());
  const made = tracedCalls(readFileSync(tracePath, 'utf8'));
  t.ok(made.size > 30, `strace saw the process's calls (${made.size} kinds)`);
  t.same([...made].filter((c) => !allowed.has(c)).sort(), [], 'calls the unit would refuse with EPERM');
});

t.test('the maintenance light makes no system call its unit filters out', { skip: missing, timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cart-syscalls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const runAs = traceUser();
  chownSync(dir, runAs.uid, -1);
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify({ cart: { id: 'strace-cart', storeId: 'strace-store' }, scale: { board: 'dfrobot' }, gpio: { backend: 'simulated' } }));
  const tracePath = join(dir, 'trace');
  const child = spawn('strace', ['-f', '-qq', '-o', tracePath, ...(runAs.user ? ['-u', runAs.user] : []), process.execPath, '--import', import.meta.resolve('tsx'), mainTs, 'maintenance', '--config', configPath],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  t.teardown(() => void child.kill('SIGKILL'));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (line) => /cart out of order/.test(line) && resolve());
    void exited.then(() => reject(new Error('the maintenance light ended before it was on')));
  });
  await new Promise((r) => setTimeout(r, 1200)); // a blink or two
  // strace -f writes the traced process's own pid first.
  process.kill(Number(/^(\d+)/.exec(readFileSync(tracePath, 'utf8'))![1]), 'SIGTERM');
  t.equal(await exited, 0, 'ends on SIGTERM');
  const allowed = allowedCalls(readFileSync(maintenanceUnitPath, 'utf8'), await syscallGroups());
  const made = tracedCalls(readFileSync(tracePath, 'utf8'));
  t.ok(made.size > 30, `strace saw the process's calls (${made.size} kinds)`);
  t.same([...made].filter((c) => !allowed.has(c)).sort(), [], 'calls the unit would refuse with EPERM');
});

t.test('the filter is read as systemd reads it: the allow list, less the ~ lists', { skip: !(await has('systemd-analyze', ['--version'])) && 'systemd-analyze is not installed' }, async (t) => {
  const groups = await syscallGroups();
  const allowed = allowedCalls('SystemCallFilter=@system-service\nSystemCallFilter=~@privileged @resources\n', groups);
  t.ok(allowed.has('read') && allowed.has('openat'), 'plain file and socket work is allowed');
  t.notOk(allowed.has('fchownat'), 'chown is @privileged');
  t.notOk(allowed.has('setpriority'), 'setpriority is @resources');
  t.ok(allowed.has('fchmodat'), 'chmod is not privileged');
});
