// No dead dependency: every package the cart installs is imported by the
// project's own code (drivers, firmware, calibration, or the bench shipped as
// cart-bench). A package nothing imports is install time, build risk and
// attack surface for nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** Package names in import/export ... from 'x', import('x'), including a subpath such as 'x/y'. */
function importedPackages(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"]([^'"./][^'"]*)['"]/g)) {
    const spec = m[1]!;
    if (spec.startsWith('node:')) continue;
    const parts = spec.split('/');
    names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
  }
  return names;
}

t.test('the import scan sees static, dynamic and subpath imports, and not relative ones', async (t) => {
  const seen = importedPackages(`import { a } from 'alpha';\nconst b = await import('beta/sub');\nimport '@scope/gamma/x.js';\nimport { d } from './delta.js';\nimport { e } from 'node:fs';`);
  t.same([...seen].sort(), ['@scope/gamma', 'alpha', 'beta']);
});

t.test('every dependency in package.json is imported by the project\'s code', async (t) => {
  const used = new Set<string>();
  for (const dir of ['drivers', 'firmware', 'calibration', 'test']) {
    for (const file of sources(dir)) for (const name of importedPackages(readFileSync(file, 'utf8'))) used.add(name);
  }
  const dead = Object.keys(pkg.dependencies).filter((name) => !used.has(name));
  t.same(dead, [], 'dependencies nothing imports');
});
