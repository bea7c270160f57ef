// The verification report as one self-contained HTML page, for a browser or
// a PDF printer; the same content as the text report.
import { CORNERS } from '../../firmware/weight/calibration.js';
import type { VerificationReport } from './report.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const n = (x: number, digits = 2) => x.toFixed(digits);
const row = (cells: string[], tag = 'td') => `<tr>${cells.map((c) => `<${tag}>${c}</${tag}>`).join('')}</tr>`;

export function reportHtml(r: VerificationReport): string {
  const verdict = (pass: boolean) => `<b class="${pass ? 'pass' : 'fail'}">${pass ? 'PASS' : 'FAIL'}</b>`;
  const facts: [string, string][] = [
    ['technician', `${r.technician} (${r.via === 'service' ? 'through the running service' : 'drivers, service stopped'})`],
    ['started', r.startedAt],
    ['finished', r.finishedAt],
    ['weights', r.weights],
    ['test loads', `${r.testLoadsGrams.join(', ')} g`],
    [`class ${r.accuracyClass}`, `e = ${r.intervalGrams} g, Max = ${r.capacityGrams} g, Min = ${r.minGrams} g`],
    ['allowed', r.mpeRule],
    ['creep hold', `${r.creepSec} s; each reading after ${r.settleSec} s at rest`],
    ['counters', `calibration ${r.counters.calibration}, configuration ${r.counters.configuration}`],
    ['calibration', r.calibration.map((c, i) => `${CORNERS[i]} ${n(c.offset, 1)} + ${n(c.countsPerGram, 4)}/g`).join('; ')],
  ];
  const tests = r.results.map((t) => [
    `<h2>${verdict(t.pass)} ${esc(t.title)}</h2><p>${esc(t.clause)}</p><table>`,
    row(['', 'load g', 'shown g', 'error g', 'limit ±g'], 'th'),
    ...t.checks.map((c) => row([`${c.pass ? '' : '! '}${esc(c.label)}`, n(c.loadGrams, 0), n(c.indicationGrams), n(c.errorGrams), n(c.limitGrams)])),
    '</table>',
  ].join('\n'));
  const readings = r.readings.map((x) => row([String(x.step), esc(x.test), esc(x.label), n(x.indicationGrams), x.cornersGrams.map((c) => n(c, 1)).join(' / '), esc(x.state), n(x.atSec, 1)]));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Verification of cart ${esc(r.cartId)}</title>
<style>body{font-family:sans-serif;margin:2em}td,th{padding:.2em .6em;text-align:right}td:first-child,th:first-child{text-align:left}.pass{color:#060}.fail{color:#b00}</style>
</head><body>
<h1>Verification of cart ${esc(r.cartId)}: ${verdict(r.pass)}</h1>
<table>${facts.map(([k, v]) => row([esc(k), esc(v)])).join('\n')}</table>
${tests.join('\n')}
<h2>Every reading taken</h2>
<table>${row(['step', 'test', 'what', 'shown g', 'corners g (fl / fr / rl / rr)', 'state', 'at s'], 'th')}
${readings.join('\n')}</table>
</body></html>
`;
}
