// cart-bench as build.sh bundles it (test/bench/bundle.ts): the bundle must
// be the same command, a replay giving what the stages give in this process,
// with each subcommand's code left out of the entry until that subcommand runs.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { bundleBench } from './bundle.js';
import { replayTrace } from './replay.js';
import { writeShortTrip } from './short-trip.js';

const dir = mkdtempSync(join(tmpdir(), 'cart-bundle-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
// Inside the project, as in dist/bench: the packages resolve from node_modules above it.
const out = mkdtempSync(join(fileURLToPath(new URL('../../', import.meta.url)), '.bundle-test-'));
t.teardown(() => rmSync(out, { recursive: true, force: true }));
bundleBench(fileURLToPath(new URL('./cli.ts', import.meta.url)), out);
const bin = join(out, 'cart-bench.js');

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr }));
  });
}

t.test('the bundled replay gives what the stages give', async (t) => {
  const trip = writeShortTrip(dir, 'field', 1301, 60);
  const r = await run(['replay', trip]);
  t.equal(r.code, 0, r.stderr);
  const expected = await replayTrace(trip);
  t.ok(expected.changes.length > 0, 'the trip changes the basket');
  t.same(JSON.parse(r.stdout), expected);
});

t.test('the bundled command reads its arguments as the sources do', async (t) => {
  const help = await run(['--help']);
  t.equal(help.code, 0);
  t.match(help.stdout, /^usage/);
  const wrong = await run(['replay']);
  t.equal(wrong.code, 2);
  t.notMatch(wrong.stderr, /^\s+at /m, 'no stack trace');
});

t.test('the entry holds no subcommand: each is a chunk of its own, loaded when it runs', async (t) => {
  const entry = readFileSync(bin, 'utf8');
  t.match(entry, /^#!\/usr\/bin\/env node/, 'runs as a command');
  t.notMatch(entry, /class Scale\b|function reconcile\b/, 'the stages are not in the entry');
  t.ok(readdirSync(out).filter((f) => f.startsWith('chunk-')).length >= 5, 'chunks beside it');
});
