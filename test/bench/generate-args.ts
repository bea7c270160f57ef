// The arguments of `cart-bench generate`, apart from the generator so that
// `cart-bench --help` and a mistyped option answer without loading the trip
// simulator.
import { parseArgs } from 'node:util';
import { isProfileName, profiles, type ProfileName } from './sim/profiles.js';

export const generateUsage = `generate --out DIR [--profile ${Object.keys(profiles).join('|')}] [--seed N] [--count N] [--honest | --dishonest] [--rate-hz N]`;

export interface TripSet {
  profile: ProfileName;
  seed: number;
  count: number;
  out: string;
  honest?: boolean;
  /** Samples a second the boards are read at; the generator's 80 when absent. */
  rateHz?: number;
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
      'rate-hz': { type: 'string' },
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
  const rateHz = values['rate-hz'] === undefined ? undefined : Number(values['rate-hz']);
  if (rateHz !== undefined && !(rateHz > 0 && rateHz <= 100)) throw new UsageError('--rate-hz must be a number above 0 and at most 100 (an M5Stack unit is read at 10, a DFRobot board at 25)');
  return { profile, seed, count, out: values.out, ...(honest === undefined ? {} : { honest }), ...(rateHz === undefined ? {} : { rateHz }) };
}
