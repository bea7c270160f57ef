// Writes simulated trips with their truth, for tuning and scoring the
// firmware on more than the eight samples. From the command line:
//   cart-bench generate --profile harsh --seed 7 --count 20 --out DIR
// (or `npx tsx test/bench/generate.ts` with the same flags). Trip i of a run
// gets its own seed, drawn from --seed; that seed is in its truth file, and
// generateTrip({ profile, seed }) makes the same trip again.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isProfileName, profiles, type ProfileName } from './sim/profiles.js';
import { Random } from './sim/random.js';
import { generateTrip } from './sim/trip.js';
import { writeTrip } from './sim/write.js';

export const generateUsage = 'generate --out DIR [--profile gentle|typical|harsh|field] [--seed N] [--count N] [--honest | --dishonest]';

export interface TripSet {
  profile: ProfileName;
  seed: number;
  count: number;
  out: string;
  honest?: boolean;
}

/** Writes the set's trips; calls back with each trace path and a one-line summary. */
export async function generateTrips(set: TripSet, onTrip: (path: string, summary: string) => void = () => {}): Promise<void> {
  const seeds = new Random(set.seed).fork('trips');
  for (let i = 1; i <= set.count; i++) {
    const name = `${set.profile}-s${set.seed}-${String(i).padStart(3, '0')}`;
    const trip = generateTrip({ profile: set.profile, seed: seeds.next32(), name, ...(set.honest === undefined ? {} : { honest: set.honest }) });
    const written = await writeTrip(set.out, trip);
    const { truth } = trip;
    onTrip(written.tracePath, `${truth.durationS.toFixed(0)} s, ${truth.actions.length} actions, ${truth.alerts.length} alerts`);
  }
}

export class UsageError extends Error {}

export function parseGenerateArgs(args: string[]): TripSet {
  const { values } = parseArgs({
    args,
    options: {
      profile: { type: 'string', default: 'typical' },
      seed: { type: 'string', default: '1' },
      count: { type: 'string', default: '1' },
      out: { type: 'string' },
      honest: { type: 'boolean', default: false },
      dishonest: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const profile = values.profile!;
  if (!isProfileName(profile)) throw new UsageError(`unknown profile "${profile}": one of ${Object.keys(profiles).join(', ')}`);
  const seed = Number(values.seed);
  const count = Number(values.count);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UsageError('--seed must be a whole number from 0 to 4294967295');
  if (!Number.isInteger(count) || count < 1) throw new UsageError('--count must be a whole number of at least 1');
  if (!values.out) throw new UsageError('--out is required');
  if (values.honest && values.dishonest) throw new UsageError('--honest and --dishonest exclude each other');
  const honest = values.honest ? true : values.dishonest ? false : undefined;
  return { profile, seed, count, out: values.out, ...(honest === undefined ? {} : { honest }) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  try {
    await generateTrips(parseGenerateArgs(process.argv.slice(2)), (path, summary) => process.stdout.write(`${path}  ${summary}\n`));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\nusage: ${generateUsage}\n`);
    process.exit(2);
  }
}
