// Start-up of the commands, as whole processes run from dist/ (what `npx
// cart-bench` runs), beside their baseline: the same command with the
// modules its entry once imported before reading its arguments loaded first
// (node --import), which is what every run cost before each subcommand
// imported its own. `cart-firmware health` on a running cart and on one
// whose service is down, and 5-minute replays as whole processes, in times
// real time, by the cart-bench that build.sh bundles and by the same code
// unbundled, as tsc builds it. Wall time is the median of REPEATS runs,
// before and after taken in turn so both see the same machine; CPU time (user + system, from
// /proc/self/stat of the waited-for children) says what the run itself cost
// on a busy machine; each is also given over `node -e 0`, the floor no
// command can go under, with the load average while the row ran.
//
//   npx tsx test/bench/startup.bench.ts        (after npm install, which builds dist/)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { quantile } from './score.js';
import { writeShortTrip } from './short-trip.js';

const REPEATS = 9;
const TRIP_SEC = 300;
const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(root, 'dist');
if (!existsSync(join(dist, 'bench/cart-bench.js'))) {
  process.stderr.write('startup.bench: dist/ is missing; run npm install (or ./build.sh) first\n');
  process.exit(2);
}

/** What each entry imported at its top before it read its arguments (its imports before this change). */
const formerImports = {
  'cart-bench': ['firmware/config', 'firmware/log', 'firmware/process', 'test/bench/generate', 'test/bench/guided', 'test/bench/guided-script',
    'test/bench/plot', 'test/bench/record', 'test/bench/replay', 'test/bench/run', 'test/bench/score'],
  'cart-firmware': ['drivers/scanner/index', 'firmware/config', 'firmware/log', 'firmware/process', 'firmware/service', 'firmware/feedback/maintenance',
    'firmware/health', 'firmware/notify/index', 'firmware/notify/on-cart'],
  'cart-cal': ['firmware/config', 'firmware/log', 'calibration/procedure/feed', 'calibration/procedure/span', 'calibration/procedure/verify',
    'calibration/procedure/zero', 'calibration/report/write', 'calibration/report/text', 'calibration/session/open', 'calibration/terminal/guides',
    'calibration/terminal/history', 'calibration/terminal/live', 'calibration/terminal/style'],
};
const entries = { 'cart-bench': 'bench/cart-bench.js', 'cart-firmware': 'firmware/main.js', 'cart-cal': 'calibration/cli.js' };
/** cart-bench as tsc builds it, module by module: what the bundle (test/bench/bundle.ts) is compared with. */
const unbundledBench = 'test/bench/cli.js';
type Command = keyof typeof entries;

function preload(command: Command): string {
  const imports = formerImports[command].map((m) => `await import(${JSON.stringify(pathToFileURL(join(dist, `${m}.js`)).href)});`).join('');
  return `data:text/javascript,${encodeURIComponent(imports)}`;
}

/** Seconds of CPU the waited-for children have used (Linux); null elsewhere. */
function childrenCpuSec(): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  // Fields after the command name: state is field 3; cutime and cstime are fields 16 and 17, in clock ticks (100 a second on Linux).
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

interface Sample { wallSec: number; cpuSec: number | null }

function runOnce(args: string[]): Sample {
  const cpu0 = childrenCpuSec();
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const wallSec = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu1 = childrenCpuSec();
  if (r.status !== 0 && r.status !== 1) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().trim()}`);
  return { wallSec, cpuSec: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0 };
}

interface Row { what: string; before: Sample[]; now: Sample[]; node: Sample[]; load: [number, number] }

/**
 * Runs before, now and `node -e 0` in turn, REPEATS times each, so that the
 * floor is measured on the same machine as the command; notes the load
 * average (1 minute) as the row starts and ends.
 */
function measure(what: string, command: Command, args: string[], entryFile: string = entries[command]): Row {
  const row: Row = { what, before: [], now: [], node: [], load: [loadavg()[0]!, 0] };
  const entry = join(dist, entryFile);
  for (let i = 0; i < REPEATS; i++) {
    row.before.push(runOnce(['--import', preload(command), entry, ...args]));
    row.now.push(runOnce([entry, ...args]));
    row.node.push(runOnce(['-e', '0']));
  }
  row.load[1] = loadavg()[0]!;
  return row;
}

const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5)!;
const wall = (s: Sample[]) => median(s.map((x) => x.wallSec));
const cpu = (s: Sample[]) => (s.every((x) => x.cpuSec !== null) ? median(s.map((x) => x.cpuSec!)) : null);
const ms = (sec: number | null) => (sec === null ? '-' : `${Math.round(sec * 1000)} ms`);

const dir = mkdtempSync(join(tmpdir(), 'cart-startup-bench-'));
try {
  // Trips of exactly TRIP_SEC: the first minutes of the first generated trip long enough, of two profiles.
  const trips = (['typical', 'field'] as const).map((profile) => {
    for (let seed = 1; ; seed++) {
      const path = writeShortTrip(dir, profile, seed, TRIP_SEC);
      const lines = readFileSync(path, 'utf8').trim().split('\n');
      if ((JSON.parse(lines[lines.length - 1]!) as { t: number }).t > TRIP_SEC - 1) return { profile, path };
    }
  });
  // health reads the file the service writes every few seconds: a fresh one
  // stands for a running cart (fit, exit 0), none for a cart whose service
  // is down (not fit, exit 1, and the whole config checked for the reason).
  const healthConfig = (name: string) => {
    const path = join(dir, `${name}.config.json`);
    writeFileSync(path, JSON.stringify({ cart: { id: 'bench', storeId: 'bench' }, scale: { board: 'dfrobot' }, databasePath: join(dir, 'cart.db'),
      health: { path: join(dir, `${name}.health.json`), everySec: 60, minFreeDiskMb: 0 } }));
    return path;
  };
  const running = healthConfig('running');
  const down = healthConfig('down');
  writeFileSync(join(dir, 'running.health.json'), JSON.stringify({
    state: 'running', pid: process.pid, version: 'bench', writtenAt: new Date().toISOString(), runSec: 60,
    devices: [{ device: 'load-cells', status: 'ok' }, { device: 'scanner', status: 'ok' }],
    link: { status: 'online', lastSyncAgoSec: 1, plainText: false }, outboxDepth: 0, basket: { lines: 0, openAlerts: 0 }, maintenanceBy: null,
  }));

  const replays = trips.flatMap((trip) => [
    measure(`cart-bench replay (${trip.profile}, ${TRIP_SEC} s)`, 'cart-bench', ['replay', trip.path]),
    measure(`  the same, unbundled`, 'cart-bench', ['replay', trip.path], unbundledBench),
  ]);
  const rows = [
    measure('cart-bench --help', 'cart-bench', ['--help']),
    measure('cart-firmware --help', 'cart-firmware', ['--help']),
    measure('cart-cal --help', 'cart-cal', ['--help']),
    measure('cart-firmware health (running)', 'cart-firmware', ['health', '--config', running]),
    measure('cart-firmware health (down)', 'cart-firmware', ['health', '--config', down]),
    ...replays,
  ];
  const lines = [
    `start-up as whole processes, median of ${REPEATS} runs (wall; CPU user+system); node -e 0 run in turn with each command;`,
    'over node: now less node -e 0; load: 1-minute load average as the row began and ended',
    `${'command'.padEnd(34)} ${'before'.padStart(18)} ${'now'.padStart(18)} ${'node -e 0'.padStart(18)} ${'over node'.padStart(18)}   ${'before/now'.padEnd(12)}   load`,
  ];
  for (const r of rows) {
    const cell = (s: Sample[]) => (s.length === 0 ? '-' : `${ms(wall(s))}; ${ms(cpu(s))}`).padStart(18);
    const [cpuBefore, cpuNow, cpuNode] = [cpu(r.before), cpu(r.now), cpu(r.node)];
    const ratio = `${(wall(r.before) / wall(r.now)).toFixed(1)}x; ${cpuBefore === null || cpuNow === null ? '-' : `${(cpuBefore / cpuNow).toFixed(1)}x`}`;
    const over = `${ms(wall(r.now) - wall(r.node))}; ${cpuNow === null || cpuNode === null ? '-' : ms(cpuNow - cpuNode)}`;
    lines.push(`${r.what.padEnd(34)} ${cell(r.before)} ${cell(r.now)} ${cell(r.node)} ${over.padStart(18)}   ${ratio.padEnd(12)}   ${r.load.map((l) => l.toFixed(1)).join('-')}`);
  }
  for (const r of replays) {
    lines.push(`${r.what}, whole process: ${(TRIP_SEC / wall(r.now)).toFixed(0)}x real time (before: ${(TRIP_SEC / wall(r.before)).toFixed(0)}x; Node's own start alone would allow ${(TRIP_SEC / wall(r.node)).toFixed(0)}x)`);
  }
  lines.push('goals: every command <= 150 ms, a replay >= 1500x real time (<= 200 ms for 300 s)');
  process.stdout.write(lines.join('\n') + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
