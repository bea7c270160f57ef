// Writes a simulated trip as the samples are stored: NAME.jsonl and
// NAME.truth.json side by side. The trace is streamed line by line.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Trip } from './trip.js';
import { formatTruth } from './truth.js';

export interface WrittenTrip {
  tracePath: string;
  truthPath: string;
}

export async function writeTrip(dir: string, trip: Trip): Promise<WrittenTrip> {
  await mkdir(dir, { recursive: true });
  const tracePath = join(dir, `${trip.name}.jsonl`);
  const truthPath = join(dir, `${trip.name}.truth.json`);
  const out = createWriteStream(tracePath, { encoding: 'utf8' });
  const closed = once(out, 'close');
  try {
    for (const line of trip.lines()) {
      if (!out.write(line + '\n')) await once(out, 'drain');
    }
  } finally {
    out.end();
  }
  await closed;
  await writeFile(truthPath, formatTruth(trip.truth), 'utf8');
  return { tracePath, truthPath };
}
