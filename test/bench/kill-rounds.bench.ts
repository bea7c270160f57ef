// Kill rounds at length: the storage test's SIGKILL rounds (test/storage/
// kill-rounds.ts), ROUNDS of them (1,000 by default), a fresh database every
// 10. Prints rounds survived, commits reported, and the median and 95th
// percentile of a round (start, commits, kill, check).
//
//   npx tsx test/bench/kill-rounds.bench.ts [ROUNDS]
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleCrashChild, killAfterFor, killRound, killRoundsDb, roundsPerDatabase } from '../storage/kill-rounds.js';

const rounds = Number(process.argv[2] ?? 1000);
const child = bundleCrashChild();
let path = '';
let reported = 0;
const failed: string[] = [];
const ms: number[] = [];
const started = performance.now();
for (let round = 0; round < rounds; round++) {
  if (round % roundsPerDatabase === 0) {
    if (path) rmSync(dirname(path), { recursive: true, force: true });
    path = killRoundsDb();
  }
  const t0 = performance.now();
  const r = await killRound(child, path, killAfterFor(round));
  ms.push(performance.now() - t0);
  reported += r.reported.length;
  if (r.problems.length > 0) failed.push(`round ${round}: ${r.problems.join('; ')}`);
}
rmSync(child, { force: true });
rmSync(dirname(path), { recursive: true, force: true });
ms.sort((a, b) => a - b);
const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!.toFixed(0);
process.stdout.write(`${rounds} SIGKILL rounds: ${rounds - failed.length} survived with nothing lost, ${reported} commits reported; `
  + `round median ${at(0.5)} ms, p95 ${at(0.95)} ms; ${((performance.now() - started) / 1000).toFixed(0)} s in all\n`);
for (const f of failed) process.stdout.write(`${f}\n`);
process.exitCode = failed.length === 0 ? 0 : 1;
