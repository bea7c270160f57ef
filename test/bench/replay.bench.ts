// Replay speed and memory against trip length: how many times faster than
// real time a recorded trip goes through the firmware's stages, and whether
// the heap stays flat as trips get longer (the trace is streamed, the stages
// keep bounded state). Median of REPEATS runs per trip.
//
//   npx tsx test/bench/replay.bench.ts
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTrips } from './generate.js';
import { replayTrace } from './replay.js';
import { quantile } from './score.js';

const REPEATS = 3;
const dir = mkdtempSync(join(tmpdir(), 'cart-replay-bench-'));
await generateTrips({ profile: 'typical', seed: 77, count: 10, out: dir });

const rows: { name: string; tripSec: number; medianSec: number; heapPeakMb: number }[] = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
  const path = join(dir, file);
  const tripSec = (JSON.parse(readFileSync(path.replace(/\.jsonl$/, '.truth.json'), 'utf8')) as { durationS: number }).durationS;
  const times: number[] = [];
  let heapPeak = 0;
  for (let r = 0; r < REPEATS; r++) {
    let n = 0;
    const onReading = () => {
      // Sampling the heap every 2 s of trip time costs nothing measurable.
      if (++n % 160 === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    };
    const start = process.hrtime.bigint();
    await replayTrace(path, { onReading });
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  rows.push({ name: file.replace('.jsonl', ''), tripSec, medianSec: quantile(times.sort((a, b) => a - b), 0.5)!, heapPeakMb: heapPeak / 2 ** 20 });
}
rmSync(dir, { recursive: true, force: true });

rows.sort((a, b) => a.tripSec - b.tripSec);
const lines = ['trip                 length   replay (median)   x real time   heap peak'];
for (const r of rows) {
  lines.push(`${r.name.padEnd(20)} ${`${r.tripSec.toFixed(0)} s`.padStart(6)}   ${`${(r.medianSec * 1000).toFixed(0)} ms`.padStart(15)}   ${(r.tripSec / r.medianSec).toFixed(0).padStart(11)}   ${r.heapPeakMb.toFixed(1).padStart(6)} MB`);
}
const perTenMinutes = rows.map((r) => (r.medianSec / r.tripSec) * 600).sort((a, b) => a - b);
const shortest = rows[0]!;
const longest = rows[rows.length - 1]!;
lines.push(`replay time per 10 minutes of trip: median ${(quantile(perTenMinutes, 0.5)! * 1000).toFixed(0)} ms`);
lines.push(`heap peak, longest trip / shortest trip: ${(longest.heapPeakMb / shortest.heapPeakMb).toFixed(2)} (${longest.tripSec.toFixed(0)} s vs ${shortest.tripSec.toFixed(0)} s)`);
process.stdout.write(lines.join('\n') + '\n');
