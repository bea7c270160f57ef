// Scores the weighing path against recorded or simulated trips: every adc line
// of a trace goes to a scale, and the StableDeltas that come out are matched
// with the truth's actions.
//
//   npx tsx test/bench/weight-eval.ts DIR_OR_FILES... [--verbose]
//
// Actions sharing a restAt settle as one change (their grams summed, removals
// negative). A change is found when a delta rests within MATCH_SEC of it with
// grams within max(MATCH_MIN_GRAMS, MATCH_REL × grams). Deltas that match
// nothing are false; those resting inside a truth `motion` interval or
// overlapping a `rearranged` one are counted apart.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoadSample, StableDelta, WeightEvent } from '../../firmware/domain.js';
import { Scale, defaultScaleConfig } from '../../firmware/weight/scale.js';
import { parseHeader, parseLine, type TraceHeader } from './trace.js';

export const MATCH_SEC = 1.5;
export const MATCH_MIN_GRAMS = 10;
export const MATCH_REL = 0.02;
/** Recall is counted over changes at least this large (the target). */
export const RECALL_MIN_GRAMS = 20;

export interface TruthAction {
  t: number;
  restAt: number;
  op: 'add' | 'remove';
  grams: number;
}
export interface Truth {
  actions: TruthAction[];
  motion?: [number, number][];
  rearranged?: [number, number][];
}

/** One change of basket weight the truth says happened. */
export interface TruthChange {
  beganAt: number;
  restAt: number;
  grams: number;
}

export interface Trip {
  name: string;
  header: TraceHeader;
  samples: LoadSample[];
  truth: Truth;
}

/** Anything that turns samples into weight events: the scale, or a baseline to compare with. */
export interface WeightDetector {
  push(sample: LoadSample): readonly WeightEvent[];
}
export type DetectorFactory = (header: TraceHeader) => WeightDetector;

export const scaleFactory: DetectorFactory = (h) => new Scale(h.calibration, h.geometry, { ...defaultScaleConfig, rateHz: h.rateHz });

export function loadTrip(tracePath: string): Trip {
  const lines = readFileSync(tracePath, 'utf8').split('\n');
  const header = parseHeader(lines[0] ?? '');
  const samples: LoadSample[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const parsed = parseLine(line, i + 1);
    if (parsed?.kind === 'adc') samples.push({ atSec: parsed.t, raw: parsed.raw });
  }
  const truth = JSON.parse(readFileSync(tracePath.replace(/\.jsonl$/, '.truth.json'), 'utf8')) as Truth;
  return { name: basename(tracePath, '.jsonl'), header, samples, truth };
}

/** Trace files named on the command line, directories expanded to the traces that have a truth file. */
export function traceFiles(args: string[]): string[] {
  const files: string[] = [];
  for (const a of args) {
    if (statSync(a).isDirectory()) {
      for (const f of readdirSync(a).sort()) if (f.endsWith('.jsonl')) files.push(join(a, f));
    } else files.push(a);
  }
  return files;
}

export function truthChanges(truth: Truth): TruthChange[] {
  const byRest = new Map<number, TruthChange>();
  for (const a of truth.actions) {
    const signed = a.op === 'add' ? a.grams : -a.grams;
    const c = byRest.get(a.restAt);
    if (c) {
      c.grams += signed;
      c.beganAt = Math.min(c.beganAt, a.t);
    } else byRest.set(a.restAt, { beganAt: a.t, restAt: a.restAt, grams: signed });
  }
  return [...byRest.values()].sort((x, y) => x.restAt - y.restAt);
}

export interface Replay {
  deltas: StableDelta[];
  events: WeightEvent[];
  /** CPU time spent in push (s) and the trace's duration (s). */
  cpuSec: number;
  dataSec: number;
}

export function replay(trip: Trip, factory: DetectorFactory): Replay {
  const detector = factory(trip.header);
  const events: WeightEvent[] = [];
  const start = process.cpuUsage();
  for (const s of trip.samples) for (const e of detector.push(s)) events.push(e);
  const used = process.cpuUsage(start);
  const first = trip.samples[0]?.atSec ?? 0;
  const last = trip.samples[trip.samples.length - 1]?.atSec ?? 0;
  return {
    deltas: events.filter((e): e is StableDelta => e.kind === 'stable-delta'),
    events,
    cpuSec: (used.user + used.system) / 1e6,
    dataSec: last - first,
  };
}

export interface Match {
  change: TruthChange;
  delta: StableDelta;
  /** The cart was pushed between the two rests the delta compares. */
  pushed: boolean;
}
export interface FalseDelta {
  delta: StableDelta;
  where: 'motion' | 'rearranged' | 'other';
}
export interface Score {
  name: string;
  changes: TruthChange[];
  matches: Match[];
  missed: TruthChange[];
  falses: FalseDelta[];
}

export function tolerance(grams: number): number {
  return Math.max(MATCH_MIN_GRAMS, MATCH_REL * Math.abs(grams));
}

export function score(name: string, truth: Truth, deltas: StableDelta[]): Score {
  const changes = truthChanges(truth);
  const pushedDuring = (d: StableDelta) => (truth.motion ?? []).some(([a, b]) => a < d.restAtSec && b > d.beganAtSec);
  const used = new Set<StableDelta>();
  const matches: Match[] = [];
  const missed: TruthChange[] = [];
  for (const change of changes) {
    let best: StableDelta | null = null;
    for (const d of deltas) {
      if (used.has(d)) continue;
      const dt = Math.abs(d.restAtSec - change.restAt);
      if (dt > MATCH_SEC || Math.abs(d.grams - change.grams) > tolerance(change.grams)) continue;
      if (!best || dt < Math.abs(best.restAtSec - change.restAt)) best = d;
    }
    if (best) {
      used.add(best);
      matches.push({ change, delta: best, pushed: pushedDuring(best) });
    } else missed.push(change);
  }
  const inside = (t: number, spans: [number, number][] | undefined) => (spans ?? []).some(([a, b]) => t >= a && t <= b);
  const overlaps = (a: number, b: number, spans: [number, number][] | undefined) => (spans ?? []).some(([x, y]) => a <= y + 0.5 && b >= x - 0.5);
  const falses: FalseDelta[] = deltas
    .filter((d) => !used.has(d))
    .map((delta) => ({
      delta,
      where: inside(delta.restAtSec, truth.motion) ? 'motion' : overlaps(delta.beganAtSec, delta.restAtSec, truth.rearranged) ? 'rearranged' : 'other',
    }));
  return { name, changes, matches, missed, falses };
}

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

function mean(v: number[]): number {
  return v.length === 0 ? Number.NaN : v.reduce((a, b) => a + b, 0) / v.length;
}
function sd(v: number[]): number {
  if (v.length < 2) return Number.NaN;
  const m = mean(v);
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
}

export interface Summary {
  changes: number;
  recallBase: number;
  recalled: number;
  recall: number;
  falses: number;
  falseMotion: number;
  falseRearranged: number;
  precision: number;
  errMean: number;
  errSd: number;
  /** Weight error by size of the change, and its rms in reported sd (1 when honest). */
  errSdByClass: Record<string, { n: number; mean: number; sd: number; zRms: number }>;
  /** rms of error / sdGrams: 1 when the reported uncertainty is honest. */
  zRms: number;
  /** The same for changes that span a push, and for those that do not. */
  zRmsPushed: number;
  zRmsUnpushed: number;
  latencyMedian: number;
  latencyP95: number;
}

export const WEIGHT_CLASSES: [string, number, number][] = [
  ['<100 g', 0, 100],
  ['100-250 g', 100, 250],
  ['250 g-1 kg', 250, 1000],
  ['>=1 kg', 1000, Infinity],
];

export function summarize(scores: Score[]): Summary {
  const matches = scores.flatMap((s) => s.matches);
  const changes = scores.flatMap((s) => s.changes);
  const falses = scores.flatMap((s) => s.falses);
  const base = changes.filter((c) => Math.abs(c.grams) >= RECALL_MIN_GRAMS);
  const recalled = matches.filter((m) => Math.abs(m.change.grams) >= RECALL_MIN_GRAMS).length;
  const errs = matches.map((m) => m.delta.grams - m.change.grams);
  const byClass: Summary['errSdByClass'] = {};
  for (const [label, lo, hi] of WEIGHT_CLASSES) {
    const inClass = matches.filter((m) => Math.abs(m.change.grams) >= lo && Math.abs(m.change.grams) < hi);
    const e = inClass.map((m) => m.delta.grams - m.change.grams);
    const z = inClass.map((m) => (m.delta.grams - m.change.grams) / m.delta.sdGrams);
    byClass[label] = { n: e.length, mean: mean(e), sd: sd(e), zRms: Math.sqrt(mean(z.map((x) => x * x))) };
  }
  const zOf = (m: Match) => (m.delta.grams - m.change.grams) / m.delta.sdGrams;
  const zRms = (ms: Match[]) => Math.sqrt(mean(ms.map((m) => zOf(m) ** 2)));
  const z = matches.map(zOf);
  const lat = matches.map((m) => m.delta.atSec - m.change.restAt);
  return {
    changes: changes.length,
    recallBase: base.length,
    recalled,
    recall: base.length === 0 ? 1 : recalled / base.length,
    falses: falses.length,
    falseMotion: falses.filter((f) => f.where === 'motion').length,
    falseRearranged: falses.filter((f) => f.where === 'rearranged').length,
    precision: matches.length + falses.length === 0 ? 1 : matches.length / (matches.length + falses.length),
    errMean: mean(errs),
    errSd: sd(errs),
    errSdByClass: byClass,
    zRms: Math.sqrt(mean(z.map((x) => x * x))),
    zRmsPushed: zRms(matches.filter((m) => m.pushed)),
    zRmsUnpushed: zRms(matches.filter((m) => !m.pushed)),
    latencyMedian: quantile(lat, 0.5),
    latencyP95: quantile(lat, 0.95),
  };
}

const f1 = (x: number) => (Number.isNaN(x) ? '-' : x.toFixed(1));
const f2 = (x: number) => (Number.isNaN(x) ? '-' : x.toFixed(2));

export function formatRow(name: string, s: Summary): string {
  return [
    name.padEnd(22),
    `${s.recalled}/${s.recallBase}`.padStart(8),
    (100 * s.recall).toFixed(1).padStart(6),
    `${s.falses}`.padStart(5),
    `${s.falseMotion}`.padStart(5),
    `${s.falseRearranged}`.padStart(5),
    f2(s.errMean).padStart(7),
    f2(s.errSd).padStart(6),
    f2(s.zRms).padStart(5),
    f2(s.latencyMedian).padStart(6),
    f2(s.latencyP95).padStart(6),
  ].join(' ');
}

export const TABLE_HEAD = [
  'trace'.padEnd(22),
  'found'.padStart(8),
  'rec%'.padStart(6),
  'false'.padStart(5),
  'f-mot'.padStart(5),
  'f-rea'.padStart(5),
  'errMn'.padStart(7),
  'errSd'.padStart(6),
  'zRms'.padStart(5),
  'latMd'.padStart(6),
  'lat95'.padStart(6),
].join(' ');

export function formatClasses(s: Summary): string {
  return Object.entries(s.errSdByClass)
    .map(([label, c]) => `${label}: n=${c.n} mean=${f2(c.mean)} sd=${f2(c.sd)} z=${f2(c.zRms)}`)
    .join(' | ');
}

export function evaluate(files: string[], factory: DetectorFactory, log: (line: string) => void, verbose = false): { scores: Score[]; summary: Summary; cpuSec: number; dataSec: number } {
  const scores: Score[] = [];
  let cpuSec = 0;
  let dataSec = 0;
  log(TABLE_HEAD);
  for (const file of files) {
    const trip = loadTrip(file);
    const r = replay(trip, factory);
    cpuSec += r.cpuSec;
    dataSec += r.dataSec;
    const s = score(trip.name, trip.truth, r.deltas);
    scores.push(s);
    log(formatRow(trip.name, summarize([s])));
    if (verbose) {
      for (const m of s.missed) log(`    missed ${f1(m.grams)} g began ${m.beganAt.toFixed(2)} rest ${m.restAt.toFixed(2)}`);
      for (const f of s.falses) log(`    false (${f.where}) ${f1(f.delta.grams)} ± ${f1(f.delta.sdGrams)} g began ${f.delta.beganAtSec.toFixed(2)} rest ${f.delta.restAtSec.toFixed(2)} at ${f.delta.atSec.toFixed(2)}`);
    }
  }
  const summary = summarize(scores);
  log(formatRow('ALL', summary));
  log(`  weight error by class: ${formatClasses(summary)}`);
  log(`  zRms of changes across a push ${f2(summary.zRmsPushed)}, at a standstill ${f2(summary.zRmsUnpushed)}`);
  return { scores, summary, cpuSec, dataSec };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const files = traceFiles(args.filter((a) => !a.startsWith('--')));
  if (files.length === 0) {
    console.error('usage: npx tsx test/bench/weight-eval.ts DIR_OR_FILES... [--verbose]');
    process.exit(2);
  }
  const { cpuSec, dataSec } = evaluate(files, scaleFactory, (l) => console.log(l), verbose);
  console.log(`  cpu: ${((100 * cpuSec) / dataSec).toFixed(3)} % of one core for the 4-channel stream`);
}
