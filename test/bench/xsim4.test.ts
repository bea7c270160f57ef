// xsim4 (test/bench/xsim4) writes trips the firmware is judged on; its own
// check, written apart from its generator, is what says those trips mean what
// their truth says. Here: its trips pass the check, and the check fails a
// truth that charges a scanned item whose weight is another product's (the
// generator did that once, handing a substituted product a twin's mass).
import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const sim = (file: string) => fileURLToPath(new URL(`./xsim4/${file}`, import.meta.url));

t.test('xsim4 trips pass its own check, and a wrong truth does not', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'xsim4-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync(process.execPath, [sim('gen.mjs'), '--seed', '31', '--count', '4', '--out', dir], { stdio: 'ignore' });
  const good = spawnSync(process.execPath, [sim('check.mjs'), dir, '--quiet'], { encoding: 'utf8' });
  t.equal(good.status, 0, good.stdout);

  const truthPath = join(dir, 'trip-001.truth.json');
  const truth = JSON.parse(readFileSync(truthPath, 'utf8'));
  const charged = truth.actions.find((a: { op: string; charged: boolean; alert: string | null; scanned: boolean }) => a.op === 'add' && a.charged && !a.alert && a.scanned);
  t.ok(charged, 'the trip has a scanned, charged add');
  // the truth names another product for the same weight, as the generator once did
  const other = JSON.parse(readFileSync(join(dir, 'trip-001.jsonl'), 'utf8').split('\n')[0]!).catalog.find((p: { grams: number; byWeight: boolean }) => !p.byWeight && Math.abs(p.grams - charged.grams) > 200);
  for (const line of truth.basket) if (line.gtin === charged.gtin) line.qty -= 1;
  truth.basket = truth.basket.filter((line: { qty: number }) => line.qty > 0);
  const extra = truth.basket.find((line: { gtin: string }) => line.gtin === other.gtin);
  if (extra) extra.qty += 1;
  else truth.basket.push({ gtin: other.gtin, qty: 1 });
  charged.gtin = other.gtin;
  writeFileSync(truthPath, JSON.stringify(truth));
  const bad = spawnSync(process.execPath, [sim('check.mjs'), dir, '--quiet'], { encoding: 'utf8' });
  t.equal(bad.status, 1);
  t.match(bad.stdout, /weighs .* g, the catalog .* g, with no alert/);
});
