// The weighing path beside a naive baseline (what a plain indicator does: a
// moving average, stable when it stays in a fixed band for a second, a fixed
// threshold for a change): the eval figures of both, and the CPU each takes
// per second of 4-channel data (medians of REPEATS runs, and their ratio).
//
//   npx tsx test/bench/weight.bench.ts DIR_OR_FILES...
import type { LoadSample, StableDelta, WeightEvent } from '../../firmware/domain.js';
import { countsToGrams, isUsable } from '../../firmware/weight/calibration.js';
import { evaluate, loadTrip, quantile, replay, scaleFactory, traceFiles, type DetectorFactory, type WeightDetector } from './weight-eval.js';
import type { TraceHeader } from './trace.js';

const REPEATS = 5;
/** The baseline's moving average (samples), stability band (g) and time in band (s), change threshold (g). */
const AVERAGE_SAMPLES = 20;
const BAND_GRAMS = 4;
const BAND_SEC = 1;
const THRESHOLD_GRAMS = 10;

class NaiveScale implements WeightDetector {
  private readonly last: number[];
  private readonly ring = new Float64Array(AVERAGE_SAMPLES);
  private count = 0;
  private bandLo = Infinity;
  private bandHi = -Infinity;
  private bandSinceSec = 0;
  private stableGrams: number | null = null;
  private reported = false;
  private beganAtSec = 0;

  constructor(private readonly header: TraceHeader) {
    this.last = header.calibration.map(() => 0);
  }

  push(sample: LoadSample): WeightEvent[] {
    let total = 0;
    this.header.calibration.forEach((cal, c) => {
      const raw = sample.raw[c];
      if (isUsable(raw)) this.last[c] = countsToGrams(raw, cal);
      total += this.last[c] ?? 0;
    });
    this.ring[this.count++ % AVERAGE_SAMPLES] = total;
    if (this.count < AVERAGE_SAMPLES) return [];
    let average = 0;
    for (const v of this.ring) average += v;
    average /= AVERAGE_SAMPLES;
    const t = sample.atSec;
    this.bandLo = Math.min(this.bandLo, average);
    this.bandHi = Math.max(this.bandHi, average);
    if (this.bandHi - this.bandLo > BAND_GRAMS) {
      this.bandLo = this.bandHi = average;
      this.bandSinceSec = t;
      if (this.reported) this.beganAtSec = t;
      this.reported = false;
      return [];
    }
    if (this.reported || t - this.bandSinceSec < BAND_SEC) return [];
    this.reported = true;
    const before = this.stableGrams;
    this.stableGrams = average;
    if (before === null || Math.abs(average - before) < THRESHOLD_GRAMS) return [];
    const delta: StableDelta = { kind: 'stable-delta', grams: average - before, sdGrams: BAND_GRAMS, centre: null, beganAtSec: this.beganAtSec, restAtSec: this.bandSinceSec, atSec: t };
    return [delta];
  }
}

const naiveFactory: DetectorFactory = (h) => new NaiveScale(h);

const files = traceFiles(process.argv.slice(2));
if (files.length === 0) {
  console.error('usage: npx tsx test/bench/weight.bench.ts DIR_OR_FILES...');
  process.exit(2);
}

const contenders: [string, DetectorFactory][] = [
  ['scale', scaleFactory],
  ['naive', naiveFactory],
];
for (const [name, factory] of contenders) {
  console.log(`\n${name}:`);
  const { summary } = evaluate(files, factory, (l) => console.log(l));
  console.log(`  recall ${(100 * summary.recall).toFixed(1)} %  precision ${(100 * summary.precision).toFixed(1)} %  latency median ${summary.latencyMedian.toFixed(2)} s`);
}

const trips = files.map(loadTrip);
const cpuPercent: Record<string, number[]> = { scale: [], naive: [] };
for (let r = 0; r < REPEATS; r++) {
  for (const [name, factory] of contenders) {
    let cpu = 0;
    let data = 0;
    for (const trip of trips) {
      const run = replay(trip, factory);
      cpu += run.cpuSec;
      data += run.dataSec;
    }
    cpuPercent[name]!.push((100 * cpu) / data);
  }
}
const median = (name: string) => quantile(cpuPercent[name]!, 0.5);
console.log(`\nCPU per second of 4 x ${trips[0]?.header.rateHz ?? '?'} samples/s, median of ${REPEATS} runs over ${trips.length} traces:`);
console.log(`  scale ${median('scale').toFixed(4)} % of one core   naive ${median('naive').toFixed(4)} %   ratio ${(median('scale') / median('naive')).toFixed(1)}x`);
