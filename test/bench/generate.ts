// Writes simulated trips with their truth, for tuning and scoring the
// firmware on more than the eight samples. From the command line:
//   cart-bench generate --profile harsh --seed 7 --count 20 --out DIR
// (or `npx tsx test/bench/generate.ts` with the same flags). Trip i of a run
// gets its own seed, drawn from --seed; that seed is in its truth file, and
// generateTrip({ profile, seed }) makes the same trip again.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from './sim/random.js';
import { generateTrip } from './sim/trip.js';
import { writeTrip } from './sim/write.js';
import { generateUsage, parseGenerateArgs, type TripSet } from './generate-args.js';

/** Writes the set's trips; calls back with each trace path and a one-line summary. */
export async function generateTrips(set: TripSet, onTrip: (path: string, summary: string) => void = () => {}): Promise<void> {
  const seeds = new Random(set.seed).fork('trips');
  for (let i = 1; i <= set.count; i++) {
    const name = `${set.profile}-s${set.seed}-${String(i).padStart(3, '0')}`;
    const trip = generateTrip({ profile: set.profile, seed: seeds.next32(), name, ...(set.honest === undefined ? {} : { honest: set.honest }), ...(set.rateHz === undefined ? {} : { rateHz: set.rateHz }) });
    const written = await writeTrip(set.out, trip);
    const { truth } = trip;
    onTrip(written.tracePath, `${truth.durationS.toFixed(0)} s, ${truth.actions.length} actions, ${truth.alerts.length} alerts`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  try {
    await generateTrips(parseGenerateArgs(process.argv.slice(2)), (path, summary) => process.stdout.write(`${path}  ${summary}\n`));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\nusage: ${generateUsage}\n`);
    process.exit(2);
  }
}
