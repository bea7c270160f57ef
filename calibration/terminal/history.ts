// cart-cal history: the sealing counters and the audit trail, newest first,
// each change with its old and new values.
import type { CellCalibration } from '../../firmware/domain.js';
import type { AuditEntry } from '../../firmware/storage/metrology-store.js';
import { CORNERS } from '../../firmware/weight/calibration.js';
import type { History } from '../session/session.js';

const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));

function calibrationLines(e: AuditEntry): string[] {
  const before = (e.old ?? []) as CellCalibration[];
  const after = e.new as CellCalibration[];
  const lines = after.map((a, i) => {
    const b = before[i];
    return `      ${CORNERS[i]}  zero ${b ? b.offset.toFixed(1) : '?'} -> ${a.offset.toFixed(1)} counts   gain ${b ? b.countsPerGram.toFixed(4) : '?'} -> ${a.countsPerGram.toFixed(4)} counts/g`;
  });
  const d = e.details as { placements?: { residualGrams: number }[]; toleranceGrams?: number; weightGrams?: number; weights?: string } | null;
  if (d?.placements && d.toleranceGrams !== undefined) {
    lines.push(`      with ${d.weightGrams} g (${d.weights}): residuals ${d.placements.map((p) => p.residualGrams.toFixed(2)).join(' / ')} g, allowed ±${d.toleranceGrams.toFixed(2)} g`);
  }
  return lines;
}

function configurationLines(e: AuditEntry): string[] {
  const before = (e.old ?? {}) as Record<string, unknown>;
  const after = e.new as Record<string, unknown>;
  if (e.old === null) return ['      first record of the metrological settings (the baseline, not a change)'];
  return e.what.split(',').map((key) => `      ${key}: ${show(before[key])} -> ${show(after[key])}`);
}

export function historyText(history: History): string {
  const lines = [`Sealing counters: calibration ${history.counters.calibration}, configuration ${history.counters.configuration}`, ''];
  for (const e of history.entries) {
    lines.push(`#${e.seq}  ${e.kind} ${e.counter}  ${e.what}  by ${e.by}  at ${e.wall}`);
    lines.push(...(e.kind === 'calibration' ? calibrationLines(e) : configurationLines(e)));
  }
  if (history.entries.length === 0) lines.push('No calibration or configuration change recorded yet.');
  return `${lines.join('\n')}\n`;
}
