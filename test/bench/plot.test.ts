import t from 'tap';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTrips } from './generate.js';
import { plotTrip } from './plot.js';
import { replayTrace } from './replay.js';

t.test('a plot draws the weight, and one mark for each change and alert the firmware decided', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cart-plot-'));
  await generateTrips({ profile: 'gentle', seed: 4, count: 1, out: dir, honest: false });
  const trace = join(dir, readdirSync(dir).find((f) => f.endsWith('.jsonl'))!);
  const result = await replayTrace(trace);
  const svg = await plotTrip(trace);
  t.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  t.match(svg, /<polygon points="[\d., ]+"/, 'the total weight band');
  t.equal((svg.match(/<polyline /g) ?? []).length, 4, 'one line per corner');
  const marks = (svg.match(/stroke="#(2e7d32|1565c0|c62828)" stroke-width="1.2"/g) ?? []).length;
  t.equal(marks, result.changes.length + result.alerts.length);
  t.ok(result.alerts.length > 0, 'a dishonest trip has an alert to mark');
});
