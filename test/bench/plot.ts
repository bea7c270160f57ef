// cart-bench plot: one trip as a picture. Total and per-corner weight over
// time, the scale's state as coloured bands, the firmware's decisions as
// marks, and (when a truth file sits beside the trace) what the shopper
// really did. Plain SVG: opens in any browser, no drawing library needed.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Decision } from '../../firmware/basket/types.js';
import type { ScaleState } from '../../firmware/domain.js';
import type { ScaleReading } from '../../firmware/weight/scale.js';
import { replayTrace } from './replay.js';
import type { Truth } from './score.js';

interface Bucket {
  t0: number;
  min: number;
  max: number;
  corners: number[];
}

const width = 1400;
const plotHeight = 420;
const cornerHeight = 160;
const margin = { left: 70, right: 20, top: 40, bottom: 40 };
const bucketSec = 0.25;
const stateColour: Record<ScaleState, string> = {
  stable: '#e8f5e9',
  settling: '#fff8e1',
  moving: '#ffe0b2',
  degraded: '#f3e5f5',
  overloaded: '#ffcdd2',
};
const cornerColour = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728'];

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

/** Replays the trace and draws it; returns the SVG text. */
export async function plotTrip(tracePath: string): Promise<string> {
  const buckets: Bucket[] = [];
  const states: { t: number; state: ScaleState }[] = [];
  const decisions: Decision[] = [];
  const onReading = (r: ScaleReading) => {
    const last = buckets[buckets.length - 1];
    if (!last || r.atSec - last.t0 >= bucketSec) {
      buckets.push({ t0: r.atSec, min: r.totalGrams, max: r.totalGrams, corners: [...r.cornersGrams] });
    } else {
      last.min = Math.min(last.min, r.totalGrams);
      last.max = Math.max(last.max, r.totalGrams);
    }
    if (states[states.length - 1]?.state !== r.state) states.push({ t: r.atSec, state: r.state });
  };
  await replayTrace(tracePath, { onReading, onDecision: (d) => decisions.push(d) });
  const truthPath = tracePath.replace(/\.jsonl$/, '.truth.json');
  const truth = existsSync(truthPath) ? (JSON.parse(readFileSync(truthPath, 'utf8')) as Truth) : null;
  return render(basename(tracePath, '.jsonl'), buckets, states, decisions, truth);
}

function render(title: string, buckets: Bucket[], states: { t: number; state: ScaleState }[], decisions: Decision[], truth: Truth | null): string {
  const endSec = buckets[buckets.length - 1]?.t0 ?? 1;
  const maxG = Math.max(100, ...buckets.map((b) => b.max)) * 1.05;
  const minG = Math.min(0, ...buckets.map((b) => b.min));
  const cornerMax = Math.max(50, ...buckets.flatMap((b) => b.corners)) * 1.05;
  const innerW = width - margin.left - margin.right;
  const x = (t: number) => margin.left + (t / endSec) * innerW;
  const y = (g: number) => margin.top + plotHeight - ((g - minG) / (maxG - minG)) * plotHeight;
  const cornerTop = margin.top + plotHeight + 50;
  const yc = (g: number) => cornerTop + cornerHeight - (Math.max(0, g) / cornerMax) * cornerHeight;
  const height = cornerTop + cornerHeight + margin.bottom;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="${margin.left}" y="20" font-size="14">${escapeXml(title)}: total weight, scale state, decisions${truth ? ' (truth below the axis)' : ''}</text>`);
  states.forEach((s, i) => {
    const end = states[i + 1]?.t ?? endSec;
    if (s.state === 'stable') return;
    out.push(`<rect x="${x(s.t).toFixed(1)}" y="${margin.top}" width="${Math.max(0.5, x(end) - x(s.t)).toFixed(1)}" height="${plotHeight}" fill="${stateColour[s.state]}"/>`);
  });
  for (let g = 0; g <= maxG; g += niceStep(maxG)) {
    out.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(g).toFixed(1)}" y2="${y(g).toFixed(1)}" stroke="#eee"/>`);
    out.push(`<text x="${margin.left - 6}" y="${(y(g) + 4).toFixed(1)}" text-anchor="end">${g} g</text>`);
  }
  for (let t = 0; t <= endSec; t += niceStep(endSec)) {
    out.push(`<text x="${x(t).toFixed(1)}" y="${margin.top + plotHeight + 16}" text-anchor="middle">${t} s</text>`);
  }
  const band = buckets.map((b) => `${x(b.t0).toFixed(1)},${y(b.max).toFixed(1)}`).join(' ') + ' ' +
    [...buckets].reverse().map((b) => `${x(b.t0).toFixed(1)},${y(b.min).toFixed(1)}`).join(' ');
  out.push(`<polygon points="${band}" fill="#555" stroke="#333" stroke-width="0.6"/>`);
  for (const d of decisions) {
    const mark = markOf(d);
    if (!mark) continue;
    out.push(`<line x1="${x(d.atSec).toFixed(1)}" x2="${x(d.atSec).toFixed(1)}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="${mark.colour}" stroke-width="1.2"/>`);
    // Labels near the right edge go to the left of their line, so they are not cut off.
    const leftOf = x(d.atSec) > width - margin.right - 130;
    const lx = x(d.atSec) + (leftOf ? -3 : 3);
    out.push(`<text x="${lx.toFixed(1)}" y="${margin.top + 12 + (mark.row * 13)}" fill="${mark.colour}"${leftOf ? ' text-anchor="end"' : ''}>${escapeXml(mark.label)}</text>`);
  }
  for (const a of truth?.actions ?? []) {
    out.push(`<text x="${x(a.restAt).toFixed(1)}" y="${margin.top + plotHeight + 30}" text-anchor="middle" fill="#666">${a.op === 'add' ? '+' : '−'}</text>`);
  }
  for (const a of truth?.alerts ?? []) {
    out.push(`<text x="${x(a.t).toFixed(1)}" y="${margin.top + plotHeight + 42}" text-anchor="middle" fill="#c62828">!</text>`);
  }
  out.push(`<text x="${margin.left}" y="${cornerTop - 8}">grams per corner (fl, fr, rl, rr)</text>`);
  for (let c = 0; c < 4; c++) {
    const line = buckets.map((b) => `${x(b.t0).toFixed(1)},${yc(b.corners[c] ?? 0).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${line}" fill="none" stroke="${cornerColour[c]}" stroke-width="1"/>`);
  }
  out.push(`<text x="${width - margin.right}" y="${height - 8}" text-anchor="end" fill="#666">bands: settling (yellow), moving (orange), degraded (violet); green lines add, blue remove, red alert</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function markOf(d: Decision): { colour: string; label: string; row: number } | null {
  switch (d.kind) {
    case 'add':
      return { colour: '#2e7d32', label: `+${Math.round(d.grams)}`, row: 0 };
    case 'remove':
      return { colour: '#1565c0', label: `−${Math.round(d.grams)}`, row: 1 };
    case 'alert':
      return { colour: '#c62828', label: d.alert, row: 2 };
    default:
      return null;
  }
}

function niceStep(range: number): number {
  const raw = range / 8;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
}
