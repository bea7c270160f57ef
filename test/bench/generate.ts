// Writes simulated trips with their truth, for tuning and scoring the
// firmware on more than the eight samples:
//   npx tsx test/bench/generate.ts --profile harsh --seed 7 --count 20 --out DIR
// Trip i of a run gets its own seed, drawn from --seed; that seed is in its
// truth file, and generateTrip({ profile, seed }) makes the same trip again.
import { parseArgs } from 'node:util';
import { isProfileName, profiles } from './sim/profiles.js';
import { Random } from './sim/random.js';
import { generateTrip } from './sim/trip.js';
import { writeTrip } from './sim/write.js';

const usage = 'usage: generate.ts --out DIR [--profile gentle|typical|harsh] [--seed N] [--count N] [--honest | --dishonest]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

const { values } = parseArgs({
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

const profile = values.profile;
if (!isProfileName(profile)) fail(`unknown profile "${profile}": one of ${Object.keys(profiles).join(', ')}`);
const seed = Number(values.seed);
const count = Number(values.count);
if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) fail('--seed must be a whole number from 0 to 4294967295');
if (!Number.isInteger(count) || count < 1) fail('--count must be a whole number of at least 1');
if (!values.out) fail('--out is required');
if (values.honest && values.dishonest) fail('--honest and --dishonest exclude each other');
const honest = values.honest ? true : values.dishonest ? false : undefined;

const seeds = new Random(seed).fork('trips');
for (let i = 1; i <= count; i++) {
  const name = `${profile}-s${seed}-${String(i).padStart(3, '0')}`;
  const trip = generateTrip({ profile, seed: seeds.next32(), name, ...(honest === undefined ? {} : { honest }) });
  const written = await writeTrip(values.out, trip);
  const { truth } = trip;
  process.stdout.write(`${written.tracePath}  ${truth.durationS.toFixed(0)} s, ${truth.actions.length} actions, ${truth.alerts.length} alerts\n`);
}
