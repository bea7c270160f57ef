// The commands as npm install builds them (dist/): build.sh bundles TypeBox
// into dist/firmware/typebox.js (firmware/typebox.ts says why), and the
// bundle must check a config exactly as the package does, without a module
// of the package loaded one by one.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const root = fileURLToPath(new URL('../../', import.meta.url));
const recorder = fileURLToPath(new URL('../commands/loaded-modules.mjs', import.meta.url));
const built = join(root, 'dist/firmware/main.js');
const dir = mkdtempSync(join(tmpdir(), 'cart-typebox-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

interface Run { code: number; stdout: string; stderr: string; typeboxModules: number }

let runs = 0;
function health(entry: 'dist' | 'source', config: string): Promise<Run> {
  const loaded = join(dir, `loaded-${++runs}.txt`);
  writeFileSync(loaded, '');
  const args = entry === 'dist' ? ['--import', recorder, built] : ['--import', 'tsx', '--import', recorder, 'firmware/main.ts'];
  return new Promise((resolve) => {
    execFile(process.execPath, [...args, 'health', '--config', config], { cwd: root, timeout: 60_000, env: { ...process.env, LOADED_MODULES_FILE: loaded } },
      (err, stdout, stderr) => resolve({
        code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr,
        typeboxModules: readFileSync(loaded, 'utf8').split('\n').filter((url) => url.includes('/node_modules/@sinclair/typebox/')).length,
      }));
  });
}

t.test('dist checks a config as the sources do, with TypeBox as one file', { skip: existsSync(built) ? false : 'dist/ is missing: npm install (or ./build.sh) builds it' }, async (t) => {
  t.notMatch(readFileSync(join(root, 'dist/firmware/typebox.js'), 'utf8'), /^import\b|\bfrom ['"]@sinclair/m, 'the bundle imports no package');
  const configs = {
    wrong: { cart: { id: 'c', storeId: 's' }, scale: { board: 'nope', rateHz: 'fast' }, mqtt: { url: 5 }, health: { path: join(dir, 'h.json') } },
    down: { cart: { id: 'c', storeId: 's' }, scale: { board: 'dfrobot' }, databasePath: join(dir, 'cart.db'), health: { path: join(dir, 'h.json'), minFreeDiskMb: 0 } },
  };
  for (const [name, config] of Object.entries(configs)) {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify(config));
    const [fromDist, fromSource] = [await health('dist', path), await health('source', path)];
    t.equal(fromDist.code, name === 'wrong' ? 2 : 1, `${name}: exit ${name === 'wrong' ? 2 : 1}`);
    if (name === 'wrong') t.match(fromDist.stderr, /scale\.board: Expected one of dfrobot/, 'the wrong key named');
    t.equal(fromDist.code, fromSource.code, `${name}: the same exit`);
    t.equal(fromDist.stderr, fromSource.stderr, `${name}: the same errors`);
    t.equal(fromDist.stdout.replace(/\d+ MB free/, 'N MB free'), fromSource.stdout.replace(/\d+ MB free/, 'N MB free'), `${name}: the same report`);
    t.ok(fromSource.typeboxModules > 100, `${name}: the sources resolve TypeBox module by module (${fromSource.typeboxModules} times)`);
    t.equal(fromDist.typeboxModules, 0, `${name}: dist loads none of them`);
  }
});
