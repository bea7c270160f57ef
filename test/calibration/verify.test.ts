// The verification sequence on the simulated bench: a scale calibrated by
// cart-cal span passes every test; the same scale with one corner's gain
// moved after calibration fails eccentricity, and only that.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runSpan } from '../../calibration/procedure/span.js';
import { runVerification } from '../../calibration/procedure/verify.js';
import type { VerificationReport } from '../../calibration/report/report.js';
import { writeReport } from '../../calibration/report/write.js';
import { openRig, type Rig } from './rig.js';

/** Shortened from R76's 30 minutes to keep the test quick; the rule is the same over any hold. */
const creepSec = 60;

async function calibratedThenVerified(t: Test, skew?: (rig: Rig) => void): Promise<VerificationReport> {
  const rig = await openRig();
  t.teardown(() => rig.close());
  await rig.session.enterMaintenance('bench');
  const span = await rig.run(runSpan(rig.session, rig.ctx, { weightGrams: 5000, weights: 'F1 5 kg' }));
  if (span.status !== 'stored') throw new Error(`span ${span.status}`);
  skew?.(rig);
  return rig.run(runVerification(rig.session, rig.ctx, { technician: 'bench', weights: 'M1 set 2, certificate 2024-117', creepSec, wall: () => `t+${rig.time.clock().toFixed(0)}s` }));
}

const summary = (r: VerificationReport) => r.results.map((x) => `${x.test} ${x.pass ? 'pass' : 'FAIL'} (worst ${Math.max(...x.checks.map((c) => Math.abs(c.errorGrams))).toFixed(2)} g of ±${Math.min(...x.checks.map((c) => c.limitGrams))}..${Math.max(...x.checks.map((c) => c.limitGrams))} g)`).join('; ');

t.test('a scale calibrated with cart-cal span passes every test of the verification, and the report holds every reading', async (t) => {
  const report = await calibratedThenVerified(t);
  t.comment(summary(report));
  t.ok(report.pass);
  t.same(report.results.map((r) => [r.test, r.pass]), [
    ['zero', true], ['increasing', true], ['decreasing', true], ['eccentricity', true], ['repeatability', true], ['creep', true], ['zero-return', true],
  ]);
  t.match(report, { cartId: 'bench-cart', technician: 'bench', via: 'direct', weights: 'M1 set 2, certificate 2024-117', intervalGrams: 10, capacityGrams: 30_000, counters: { calibration: 1 } });
  t.same(report.testLoadsGrams, [200, 5000, 10_000, 15_000, 20_000, 30_000]);
  t.equal(report.readings.filter((r) => r.test === 'creep').length, 1 + 1 + 30, 'the zero before, the load at rest, and 30 readings over the hold');
  const dir = mkdtempSync(join(tmpdir(), 'cart-cal-report-'));
  const files = await writeReport(report, dir, true);
  t.same(files.map((f) => f.slice(f.lastIndexOf('.'))), ['.json', '.txt', '.html']);
  t.same(JSON.parse(readFileSync(files[0]!, 'utf8')), report, 'the JSON is the report');
  const text = readFileSync(files[1]!, 'utf8');
  t.match(text, /^Verification of cart bench-cart: PASS/);
  t.match(text, /PASS {2}Eccentricity, 1\/3 Max on each quarter/);
  t.match(readFileSync(files[2]!, 'utf8'), /<h1>Verification of cart bench-cart: <b class="pass">PASS<\/b><\/h1>/);
});

t.test('one corner 1 % stiffer and its neighbour 1 % softer after calibration: centred loads still weigh right, eccentricity fails', async (t) => {
  const report = await calibratedThenVerified(t, (rig) => {
    rig.bench.setCountsPerGram(0, rig.bench.truth.countsPerGram[0]! * 1.01);
    rig.bench.setCountsPerGram(1, rig.bench.truth.countsPerGram[1]! * 0.99);
  });
  t.comment(summary(report));
  t.notOk(report.pass);
  t.same(report.results.filter((r) => !r.pass).map((r) => r.test), ['eccentricity']);
  const eccentric = report.results.find((r) => r.test === 'eccentricity')!;
  t.same(eccentric.checks.map((c) => c.pass), [false, false, false, false], 'every quarter is out: fl and fr by most');
  t.ok(Math.abs(eccentric.checks[0]!.errorGrams) > 2 * eccentric.checks[0]!.limitGrams);
});
