// docs/install.md lists every config key with its default, made from the schema.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { configTable, docPath, withTable } from './config-doc.js';

t.test('the config table in docs/install.md is the one the schema makes (npx tsx test/systemd/config-doc.ts)', async (t) => {
  const doc = readFileSync(docPath, 'utf8');
  t.equal(withTable(doc), doc);
});

t.test('every key of the new sections has a default and a meaning', async (t) => {
  const rows = configTable().split('\n').filter((l) => /^\| `(feedback|display|health)\./.test(l));
  t.equal(rows.length, 14);
  for (const row of rows) t.notMatch(row, /\| (none|\*\*required\*\*) \|| \| \|$/, row);
});
