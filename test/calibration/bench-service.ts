// The cart on the calibration bench, for the interactive test in a real
// terminal: the firmware service (startCart) on simulated boards under a
// basket with known gains, and a line on stdin for the technician's hands:
//   put <grams> centre | put <grams> corner <fl|fr|rl|rr> | put <grams> quarter <fl|fr|rl|rr> | empty
//   npx tsx test/calibration/bench-service.ts CONFIG.json
import { createInterface } from 'node:readline';
import type { Where } from '../../calibration/metrology/placement.js';
import { SimulatedScanner } from '../../drivers/scanner/index.js';
import { loadConfig } from '../../firmware/config.js';
import { createLogger, stderrSink } from '../../firmware/log.js';
import { monotonicSec, stopOnSignals } from '../../firmware/process.js';
import { startCart } from '../../firmware/service.js';
import { CalibrationBench, positionOf } from './bench.js';

const corners = ['fl', 'fr', 'rl', 'rr'] as const;

function placementOf(words: string[]): { grams: number; where: Where } | null {
  const [verb, grams, at, corner] = words;
  if (verb === 'empty') return { grams: 0, where: { at: 'empty' } };
  const g = Number(grams);
  if (verb !== 'put' || !(g > 0)) return null;
  if (at === 'centre') return { grams: g, where: { at } };
  const c = corners.find((x) => x === corner);
  if ((at === 'corner' || at === 'quarter') && c) return { grams: g, where: { at, corner: c } };
  return null;
}

async function main(): Promise<void> {
  const config = loadConfig(process.argv[2]!);
  const log = createLogger(stderrSink('info'), 'bench');
  const bench = new CalibrationBench();
  const scanner = new SimulatedScanner({ clock: monotonicSec, log });
  const running = await startCart(config, { loadCells: bench.loadCells(monotonicSec), scanner }, { log, clock: monotonicSec, firmwareVersion: 'bench' });
  stopOnSignals(running, log);
  process.stdout.write('bench ready\n');
  createInterface({ input: process.stdin }).on('line', (line) => {
    const placement = placementOf(line.trim().split(/\s+/));
    if (!placement) {
      process.stdout.write(`? ${line}\n`);
      return;
    }
    const position = positionOf(placement.where);
    bench.put(position ? [{ grams: placement.grams, ...position }] : [], monotonicSec());
    process.stdout.write(`on the basket: ${line.trim()}\n`);
  });
}

void main();
