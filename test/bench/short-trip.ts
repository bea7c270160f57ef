// The first seconds of a generated trip, as a trace file: real-time bench
// runs in tests must stay short.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProfileName } from './sim/profiles.js';
import { generateTrip } from './sim/trip.js';

/** Writes the header and every line up to `seconds` of trip `seed` to DIR/NAME.jsonl; returns its path. */
export function writeShortTrip(dir: string, profile: ProfileName, seed: number, seconds: number): string {
  const trip = generateTrip({ profile, seed });
  const kept: string[] = [];
  for (const line of trip.lines()) {
    if (kept.length === 0 || (JSON.parse(line) as { t: number }).t <= seconds) kept.push(line);
  }
  const path = join(dir, `${profile}-${seed}-first-${seconds}s.jsonl`);
  writeFileSync(path, kept.join('\n') + '\n');
  return path;
}
