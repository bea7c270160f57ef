import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { generateTrip, type TripOptions } from '../bench/sim/trip.js';
import { formatTruth } from '../bench/sim/truth.js';
import { writeTrip } from '../bench/sim/write.js';

function digest(opts: TripOptions): { lines: string; truth: string } {
  const trip = generateTrip(opts);
  const hash = createHash('sha256');
  for (const line of trip.lines()) hash.update(line + '\n');
  return { lines: hash.digest('hex'), truth: formatTruth(trip.truth) };
}

t.test('the same profile and seed give the same trip, byte for byte', async (t) => {
  for (const profile of ['gentle', 'typical', 'harsh'] as const) {
    t.same(digest({ profile, seed: 21 }), digest({ profile, seed: 21 }), profile);
  }
});

t.test('a trip\'s lines can be read twice and are the same both times', async (t) => {
  const trip = generateTrip({ profile: 'typical', seed: 22 });
  const first = [...trip.lines()];
  const second = [...trip.lines()];
  t.equal(first.length, second.length);
  t.ok(first.every((line, i) => line === second[i]));
});

t.test('another seed or another profile gives another trip', async (t) => {
  const base = digest({ profile: 'typical', seed: 23 });
  t.not(digest({ profile: 'typical', seed: 24 }).lines, base.lines);
  t.not(digest({ profile: 'harsh', seed: 23 }).lines, base.lines);
});

t.test('written files are identical from one run to the next', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sim-det-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const a = await writeTrip(join(dir, 'a'), generateTrip({ profile: 'harsh', seed: 25, name: 'trip' }));
  const b = await writeTrip(join(dir, 'b'), generateTrip({ profile: 'harsh', seed: 25, name: 'trip' }));
  t.ok((await readFile(a.tracePath)).equals(await readFile(b.tracePath)), 'traces');
  t.ok((await readFile(a.truthPath)).equals(await readFile(b.truthPath)), 'truths');
});
