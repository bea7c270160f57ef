// The three commands as a person types them, each in a process of its own:
// `--help` prints the usage on stdout and exits 0; a wrong option or argument
// prints one line and the usage on stderr and exits 2, never a stack trace;
// and a command reads its arguments before it loads the firmware's packages,
// so `--help` loads none, `cart-bench replay` never loads MQTT, the broker,
// ONNX or the serial port (what once made a replay start slowly), and
// `cart-firmware health` on a running cart not even the config schema's library.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { replayTrace } from '../bench/replay.js';
import { writeShortTrip } from '../bench/short-trip.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const recorder = fileURLToPath(new URL('./loaded-modules.mjs', import.meta.url));
const entries = { 'cart-firmware': 'firmware/main.ts', 'cart-bench': 'test/bench/cli.ts', 'cart-cal': 'calibration/cli.ts' } as const;
type Command = keyof typeof entries;
const subcommands: Record<Command, string[]> = {
  'cart-firmware': ['health', 'maintenance'],
  'cart-bench': ['generate', 'replay', 'plot', 'run', 'record', 'guided', 'score'],
  'cart-cal': ['live', 'zero', 'span', 'verify', 'history'],
};

const dir = mkdtempSync(join(tmpdir(), 'cart-commands-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** The packages (folders under node_modules) the process loaded. */
  packages: Set<string>;
  /** Every module the process loaded, as URLs. */
  modules: string[];
}

let runs = 0;
function run(command: Command, args: string[]): Promise<Run> {
  const loaded = join(dir, `loaded-${++runs}.txt`);
  writeFileSync(loaded, '');
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', '--import', recorder, entries[command], ...args],
      { cwd: root, timeout: 60_000, env: { ...process.env, LOADED_MODULES_FILE: loaded } },
      (err, stdout, stderr) => {
        const modules = readFileSync(loaded, 'utf8').split('\n').filter(Boolean);
        const packages = new Set(modules.map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1]).filter((p): p is string => p !== undefined));
        resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr, packages, modules });
      });
  });
}

const stackTrace = /^\s+at /m;
const heavy = ['mqtt', 'aedes', 'onnxruntime-node', 'serialport', '@serialport/stream'];

for (const command of Object.keys(entries) as Command[]) {
  t.test(`${command}: --help and -h print the usage on stdout, exit 0, and load no package`, async (t) => {
    for (const args of [['--help'], ['-h'], ...subcommands[command].map((s) => [s, '--help'])]) {
      const r = await run(command, args);
      t.equal(r.code, 0, `${args.join(' ')}: exit 0`);
      t.match(r.stdout, /^usage/, `${args.join(' ')}: the usage on stdout`);
      t.match(r.stdout, new RegExp(command), `${args.join(' ')}: the usage names the command`);
      t.equal(r.stderr, '', `${args.join(' ')}: nothing on stderr`);
      t.same([...r.packages], [], `${args.join(' ')}: no package loaded`);
    }
  });

  t.test(`${command}: a wrong option, one line saying so and the usage on stderr, exit 2`, async (t) => {
    for (const args of [['--no-such-option'], [subcommands[command][0]!, '--no-such-option']]) {
      const r = await run(command, args);
      t.equal(r.code, 2, `${args.join(' ')}: exit 2`);
      t.equal(r.stdout, '', `${args.join(' ')}: nothing on stdout`);
      const [first, blank, usage] = r.stderr.split('\n');
      t.match(first, new RegExp(`^${command}: .*--no-such-option`), `${args.join(' ')}: the first line says what was wrong`);
      t.equal(blank, '');
      t.match(usage, /^usage/, `${args.join(' ')}: then the usage`);
      t.notMatch(r.stderr, stackTrace, `${args.join(' ')}: no stack trace`);
    }
  });
}

t.test('wrong arguments are named, with the usage, exit 2', async (t) => {
  const cases: [Command, string[], RegExp][] = [
    ['cart-firmware', ['halth'], /^cart-firmware: .*'halth'/],
    ['cart-firmware', ['health', '--config'], /^cart-firmware: .*--config.*missing/],
    ['cart-bench', [], /^cart-bench: a subcommand is needed/],
    ['cart-bench', ['replay'], /^cart-bench: replay takes one trace/],
    ['cart-bench', ['plot', 'a.jsonl', 'b.jsonl'], /^cart-bench: plot takes one trace/],
    ['cart-bench', ['score', 'x', '--min-exact', 'most'], /^cart-bench: --min-exact must be a number from 0 to 1 \(got most\)/],
    ['cart-bench', ['score', 'x', '--max-false-alerts=-1'], /^cart-bench: --max-false-alerts must be a number from 0 up \(got -1\)/],
    ['cart-bench', ['score', 'x', '--max-false-alerts', '-1'], /^cart-bench: Option '--max-false-alerts' argument is ambiguous\. Did you forget/],
    ['cart-bench', ['generate', '--profile', 'stormy', '--out', dir], /^cart-bench: unknown profile "stormy"/],
    ['cart-bench', ['record', '--out', 'x.jsonl'], /^cart-bench: record needs --config and --out/],
    ['cart-cal', [], /^cart-cal: a command is needed/],
    ['cart-cal', ['calibrate'], /^cart-cal: unknown command calibrate/],
    ['cart-cal', ['live', '--trace-sec', '0'], /^cart-cal: --trace-sec must be a number of at least 1 \(got 0\)/],
  ];
  for (const [command, args, said] of cases) {
    const r = await run(command, args);
    const what = `${command} ${args.join(' ')}`;
    t.equal(r.code, 2, `${what}: exit 2`);
    t.match(r.stderr, said, `${what}: says what was wrong`);
    t.match(r.stderr, /^[^\n]+\n\nusage/, `${what}: in one line, then the usage`);
    t.notMatch(r.stderr, stackTrace, `${what}: no stack trace`);
    t.same([...r.packages].filter((p) => heavy.includes(p)), [], `${what}: nothing heavy loaded to say so`);
  }
});

t.test('cart-bench replay prints what an in-process replay decides, without MQTT, the broker, ONNX, the serial port or config validation', async (t) => {
  const trace = writeShortTrip(dir, 'typical', 11, 40);
  const r = await run('cart-bench', ['replay', trace]);
  t.equal(r.code, 0, r.stderr);
  t.same(JSON.parse(r.stdout), JSON.parse(JSON.stringify(await replayTrace(trace))));
  t.ok(r.packages.has('better-sqlite3'), 'the replay commits to SQLite as the cart does');
  t.same([...r.packages].filter((p) => [...heavy, '@sinclair/typebox'].includes(p)), []);
});

t.test('cart-firmware health with the service running: fit, exit 0, reading its keys without the config schema\'s library', async (t) => {
  const health = join(dir, 'running-health.json');
  const config = join(dir, 'running-config.json');
  writeFileSync(config, JSON.stringify({ cart: { id: 'cart-commands', storeId: 'bench-store' }, scale: { board: 'dfrobot' }, databasePath: join(dir, 'cart.db'), health: { path: health, minFreeDiskMb: 0 } }));
  // What the service writes every few seconds (firmware/health.ts HealthFile), just written.
  writeFileSync(health, JSON.stringify({
    state: 'running', pid: 4242, version: 'test', writtenAt: new Date().toISOString(), runSec: 60,
    devices: [{ device: 'load-cells', status: 'ok' }, { device: 'scanner', status: 'ok' }],
    link: { status: 'online', lastSyncAgoSec: 1, plainText: false }, outboxDepth: 0, basket: { lines: 0, openAlerts: 0 }, maintenanceBy: null,
  }));
  const r = await run('cart-firmware', ['health', '--config', config]);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.match(r.stdout, /^cart FIT TO SHOP\n[\s\S]*service +running, pid 4242/);
  t.same([...r.packages].filter((p) => [...heavy, '@sinclair/typebox'].includes(p)), []);
});

t.test('cart-firmware health with a wrong health key: exit 2, the key named, without the config schema\'s library', async (t) => {
  const config = join(dir, 'wrong-health-config.json');
  writeFileSync(config, JSON.stringify({ cart: { id: 'cart-commands', storeId: 'bench-store' }, scale: { board: 'dfrobot' }, health: { everySec: 0 } }));
  const r = await run('cart-firmware', ['health', '--config', config]);
  t.equal(r.code, 2);
  t.equal(r.stdout, '');
  t.match(r.stderr, /^config is not valid:\n  health\.everySec: Expected a number from 1 to 60 \(got 0\)\n$/);
  t.same([...r.packages].filter((p) => [...heavy, '@sinclair/typebox'].includes(p)), []);
});

t.test('cart-firmware health without a running service: not fit, exit 1, without the running cart\'s packages or the scan stage', async (t) => {
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({
    cart: { id: 'cart-commands', storeId: 'bench-store' },
    scale: { board: 'dfrobot' },
    databasePath: join(dir, 'cart.db'),
    health: { path: join(dir, 'health.json') },
  }));
  const r = await run('cart-firmware', ['health', '--config', config]);
  t.equal(r.code, 1, r.stderr);
  t.match(r.stdout, /^cart NOT FIT TO SHOP\n[\s\S]*problem: no health file at /);
  t.same([...r.packages].filter((p) => heavy.includes(p)), []);
  // The whole config is checked, its barcode rules among it, but not with the stage that decodes scans.
  t.same(r.modules.filter((url) => /\/(firmware\/barcode\/stage|drivers\/scanner\/framer)\./.test(url)), []);
});
