// The verification report as plain text: fits a terminal and a printout.
import { CORNERS } from '../../firmware/weight/calibration.js';
import type { VerificationReport } from './report.js';

const g = (x: number, digits = 2) => x.toFixed(digits);
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

export function reportText(r: VerificationReport): string {
  const lines: string[] = [
    `Verification of cart ${r.cartId}: ${r.pass ? 'PASS' : 'FAIL'}`,
    '',
    `  technician    ${r.technician} (through the ${r.via === 'service' ? 'running service' : 'drivers, service stopped'})`,
    `  started       ${r.startedAt}`,
    `  finished      ${r.finishedAt}`,
    `  weights       ${r.weights}`,
    `  test loads    ${r.testLoadsGrams.join(', ')} g`,
    `  class ${r.accuracyClass}     e = ${r.intervalGrams} g, Max = ${r.capacityGrams} g, Min = ${r.minGrams} g`,
    `  allowed       ${r.mpeRule}`,
    `  creep hold    ${r.creepSec} s; each reading after ${r.settleSec} s at rest`,
    `  counters      calibration ${r.counters.calibration}, configuration ${r.counters.configuration}`,
    `  calibration   ${r.calibration.map((c, i) => `${CORNERS[i]} ${g(c.offset, 1)} + ${g(c.countsPerGram, 4)}/g`).join('; ')}`,
    '',
  ];
  for (const t of r.results) {
    lines.push(`${t.pass ? 'PASS' : 'FAIL'}  ${t.title}`, `      ${t.clause}`);
    lines.push(`      ${pad('', 52)}${lpad('load g', 10)}${lpad('shown g', 12)}${lpad('error g', 10)}${lpad('limit ±g', 10)}`);
    for (const c of t.checks) {
      lines.push(`  ${c.pass ? '   ' : ' ! '} ${pad(c.label, 52)}${lpad(g(c.loadGrams, 0), 10)}${lpad(g(c.indicationGrams), 12)}${lpad(g(c.errorGrams), 10)}${lpad(g(c.limitGrams), 10)}`);
    }
    lines.push('');
  }
  lines.push('Every reading taken (the shown total, and the corners fl / fr / rl / rr):');
  for (const x of r.readings) {
    lines.push(`  ${lpad(String(x.step), 3)} ${pad(x.test, 14)}${pad(x.label, 34)}${lpad(g(x.indicationGrams), 12)} g   ${x.cornersGrams.map((c) => g(c, 1)).join(' / ')}   ${x.state} at ${g(x.atSec, 1)} s`);
  }
  return `${lines.join('\n')}\n`;
}
