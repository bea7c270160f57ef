// cart-cal as a bench script runs it: flags instead of questions, JSON
// lines on stdout, and exit codes that tell done, fail and not done apart.
// The service is not running here, so the tool opens the (simulated,
// empty-basket) boards itself.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cartCal(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'calibration/cli.ts', ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'cart-cal-cli-'));
const config = join(dir, 'config.json');
writeFileSync(config, JSON.stringify({
  cart: { id: 'cart-cli', storeId: 'bench-store' },
  databasePath: join(dir, 'cart.db'),
  scale: { board: 'simulated' },
  calibration: { socketPath: join(dir, 'control.sock') },
}));

t.test('a usage mistake exits 2 with the usage', async (t) => {
  const run = await cartCal(['span', '--config', config, '--grams', 'lots']);
  t.equal(run.code, 2);
  t.match(run.stderr, /--grams must be a number of at least 1/);
  const unknown = await cartCal(['calibrate']);
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, /unknown command calibrate[\s\S]*usage: cart-cal <command>/);
});

t.test('zero with --yes --json on the boards directly: a result line, the counter moved, exit 0; history then shows it', async (t) => {
  const zero = await cartCal(['zero', '--config', config, '--yes', '--json', '--technician', 'robot', '--settle-sec', '1']);
  t.equal(zero.code, 0, zero.stderr);
  const events = zero.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; status?: string; entry?: { counter: number } });
  t.same(events.map((e) => e.event), ['instruction', 'note', 'question', 'result']);
  t.match(events[3], { status: 'stored', entry: { counter: 1, by: 'robot', what: 'zero' } });

  const history = await cartCal(['history', '--config', config, '--json']);
  t.equal(history.code, 0);
  const entries = history.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; counter: number });
  t.same(entries.map((e) => [e.kind, e.counter]), [['calibration', 1], ['configuration', 0]]);
});

t.test('verify with --yes but no --weights is not started: the report must name them', async (t) => {
  const run = await cartCal(['verify', '--config', config, '--yes']);
  t.equal(run.code, 2);
  t.match(run.stderr, /--weights is needed with --yes/);
});
