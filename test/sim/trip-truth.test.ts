import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { hasValidCheckDigit } from '../bench/sim/gtin.js';
import type { ProfileName } from '../bench/sim/profiles.js';
import { generateTrip } from '../bench/sim/trip.js';
import type { Truth } from '../bench/sim/truth.js';
import { writeTrip } from '../bench/sim/write.js';
import { readTrace, type TraceHeader, type TraceLine } from '../bench/trace.js';
import { decodeSerial } from './serial-codes.js';

const cases: { profile: ProfileName; seed: number; honest: boolean }[] = [
  { profile: 'gentle', seed: 11, honest: true },
  { profile: 'typical', seed: 12, honest: true },
  { profile: 'typical', seed: 13, honest: false },
  { profile: 'typical', seed: 14, honest: false },
  { profile: 'harsh', seed: 15, honest: true },
  { profile: 'harsh', seed: 16, honest: false },
  { profile: 'harsh', seed: 17, honest: false },
];

async function readBack(dir: string, name: string): Promise<{ header: TraceHeader; lines: TraceLine[]; truth: Truth }> {
  let header: TraceHeader | null = null;
  const lines: TraceLine[] = [];
  for (const item of readTrace(join(dir, `${name}.jsonl`))) {
    if (item.kind === 'header') header = item;
    else lines.push(item);
  }
  if (!header) throw new Error('no header');
  const truth = JSON.parse(await readFile(join(dir, `${name}.truth.json`), 'utf8')) as Truth;
  return { header, lines, truth };
}

/** The basket, counted afresh: each charged addition one more, each charged removal one fewer. */
function countBasket(truth: Truth): Map<string, number> {
  const qty = new Map<string, number>();
  for (const a of truth.actions) {
    if (!a.charged || a.gtin === null) continue;
    qty.set(a.gtin, (qty.get(a.gtin) ?? 0) + (a.op === 'add' ? 1 : -1));
  }
  for (const [gtin, n] of qty) if (n === 0) qty.delete(gtin);
  return qty;
}

t.test('every written trip reads back as a valid cart-trace whose truth adds up', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sim-truth-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  for (const c of cases) {
    const name = `${c.profile}-${c.seed}`;
    await writeTrip(dir, generateTrip({ ...c, name }));
    const { header, lines, truth } = await readBack(dir, name);
    t.test(name, async (t) => {
      t.equal(header.channels.length, 4);
      t.equal(header.calibration.length, 4);
      const gtins = header.catalog.map((p) => p.gtin);
      t.equal(new Set(gtins).size, gtins.length, 'GTINs are unique');
      t.ok(gtins.every((g) => /^[0-9]{14}$/.test(g) && hasValidCheckDigit(g)), 'GTINs are 14 digits with valid check digits');

      const adc = lines.filter((l) => l.kind === 'adc');
      t.ok(adc.every((l) => l.raw.length === 4 && l.raw.every((v) => v === null || (Number.isInteger(v) && v >= -8388608 && v <= 8388607))),
        'four 24-bit channels or null');
      t.ok(Math.abs(adc.at(-1)!.t - truth.durationS) < 0.1, 'samples run to the end of the trip');

      t.same(truth.basket.map((b) => [b.gtin, b.qty]), [...countBasket(truth)].sort(), 'basket = charged additions less charged removals');
      t.ok(truth.basket.every((b) => gtins.includes(b.gtin) && b.qty > 0));
      const alerted = truth.actions.filter((a) => a.alert !== null);
      t.same(truth.alerts.map((a) => [a.kind, a.t]), alerted.map((a) => [a.alert, a.restAt]).sort((x, y) => (x[1] as number) - (y[1] as number)),
        'every alert is an action\'s, at its rest');
      t.equal(truth.honest, truth.alerts.length === 0);
      if (!c.honest) t.ok(truth.alerts.length > 0, 'a dishonest trip has something to catch');
      t.ok(alerted.every((a) => !a.charged || a.alert === 'ambiguous-removal'), 'alerted changes are not charged, but for a removal the shopper named by scan');

      const placed = new Map<number, number>();
      for (const a of [...truth.actions].sort((x, y) => x.t - y.t)) {
        if (a.restAt < a.t) t.fail(`action at ${a.t} rests before it starts`);
        if (a.op === 'add') {
          if (placed.has(a.unit)) t.fail(`unit ${a.unit} added twice`);
          placed.set(a.unit, a.grams);
        } else {
          const grams = placed.get(a.unit);
          if (grams === undefined) t.fail(`unit ${a.unit} removed before it was added`);
          else if (!a.partial) placed.delete(a.unit);
          else if (a.grams >= grams) t.fail(`part of unit ${a.unit} weighs as much as the unit`);
        }
      }

      const spans = [...truth.motion, ...truth.rearranged].sort((a, b) => a[0] - b[0]);
      t.ok(spans.every(([a, b], i) => a < b && (i === 0 || spans[i - 1]![1] <= a)), 'pushes and rearrangements do not overlap');

      const codes = decodeSerial(lines.flatMap((l) => (l.kind === 'serial' ? [{ t: l.t, data: l.data }] : [])));
      t.same(codes.map((c) => [c.t, c.gtin]), truth.scans.map((s) => [s.t, s.gtin]), 'every scan of the truth is on the serial line, and nothing else');
      const known = new Set(gtins);
      t.ok(truth.scans.every((s) => (s.role === 'not-in-catalog' || s.role === 'misread') !== known.has(s.gtin)), 'only foreign codes and misreads are not in the catalog');
      t.ok(truth.scans.filter((s) => s.role === 'misread').every((s) => !hasValidCheckDigit(s.gtin)), 'a misread fails its check digit');
    });
  }
});
