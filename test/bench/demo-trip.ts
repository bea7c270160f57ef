// The demo's scripted shopper and the basket they fill, in real time. The
// basket answers the simulated load cell boards with counts (its true load,
// a hand's ramp, a little noise); the shopper scans by sending bytes down the
// simulated scanner line. What the cart makes of it is the firmware's own work.
import type { BasketGeometry, CellCalibration, CentreMm, Product, Seconds } from '../../firmware/domain.js';
import { cornerShares, type Corners } from './sim/corners.js';
import { Random } from './sim/random.js';

export const demoCatalog: Product[] = [
  { gtin: '05901592598225', name: 'Oat milk 1 l', grams: 1062, gramsSd: 11.8, priceCents: 249, byWeight: false },
  { gtin: '00000076372995', name: 'Butter 250 g', grams: 258, gramsSd: 3, priceCents: 245, byWeight: false },
  { gtin: '08024301475437', name: 'Free range eggs 6', grams: 390, gramsSd: 5.1, priceCents: 229, byWeight: false },
  { gtin: '05038364476358', name: 'Penne pasta 500 g', grams: 512, gramsSd: 5.7, priceCents: 99, byWeight: false },
];

/** How the demo's cells are built: what the boards would read with nothing on them, and their gain. */
export const demoCalibration: CellCalibration[] = [
  { offset: -81234, countsPerGram: 104.7 },
  { offset: 52210, countsPerGram: 98.2 },
  { offset: -12877, countsPerGram: 101.9 },
  { offset: 30411, countsPerGram: 96.4 },
];

interface Placed {
  grams: number;
  at: CentreMm;
  /** The hand moves the item in (or out) linearly between these times. */
  fromSec: Seconds;
  toSec: Seconds;
  /** +1 going in, -1 coming out. */
  direction: 1 | -1;
}

/** Noise of one conversion, in grams: a good HX711 build at 80 Hz. */
const noiseGrams = 0.4;
/** How long a hand takes to put an item down. */
const handSec = 0.5;

export class DemoBasket {
  #moves: Placed[] = [];
  readonly #rng = new Random(7);

  constructor(private readonly geometry: BasketGeometry, private readonly calibration: CellCalibration[]) {}

  put(grams: number, at: CentreMm, atSec: Seconds): void {
    this.#moves.push({ grams, at, fromSec: atSec, toSec: atSec + handSec, direction: 1 });
  }

  take(grams: number, at: CentreMm, atSec: Seconds): void {
    this.#moves.push({ grams, at, fromSec: atSec, toSec: atSec + handSec, direction: -1 });
  }

  /** The board's reading for one corner: the simulated boards call this for every conversion. */
  counts(channel: number, atSec: Seconds): number {
    const grams = this.#gramsPerCorner(atSec)[channel]! + this.#rng.gauss() * noiseGrams;
    const cal = this.calibration[channel]!;
    return cal.offset + cal.countsPerGram * grams;
  }

  #gramsPerCorner(atSec: Seconds): Corners {
    const out: Corners = [0, 0, 0, 0];
    for (const m of this.#moves) {
      if (atSec < m.fromSec) continue;
      const done = Math.min(1, (atSec - m.fromSec) / (m.toSec - m.fromSec));
      const shares = cornerShares(m.at, this.geometry);
      for (let c = 0; c < 4; c++) out[c]! += m.direction * m.grams * done * shares[c]!;
    }
    return out;
  }
}

export type DemoStep =
  | { atSec: Seconds; say: string; scan: string }
  | { atSec: Seconds; say: string; put: number; at: CentreMm }
  | { atSec: Seconds; say: string; take: number; at: CentreMm };

/** The demo trip: each thing a shopper does, in the first half minute. */
export function demoSteps(): DemoStep[] {
  const [oat, butter, , penne] = demoCatalog as [Product, Product, Product, Product];
  return [
    // EAN-13 and EAN-8 as printed on the packs: the GTIN without its leading zeros.
    { atSec: 2, say: 'scans the oat milk', scan: oat.gtin.slice(1) },
    { atSec: 4, say: 'puts the oat milk in', put: 1058.4, at: { xMm: -120, yMm: 60 } },
    { atSec: 8, say: 'scans the butter', scan: butter.gtin.slice(6) },
    { atSec: 9.5, say: 'puts the butter in', put: 259.1, at: { xMm: 140, yMm: -80 } },
    { atSec: 13, say: 'slips the eggs in without scanning', put: 392.3, at: { xMm: 30, yMm: 100 } },
    { atSec: 18, say: 'takes the eggs out again', take: 392.3, at: { xMm: 30, yMm: 100 } },
    { atSec: 22, say: 'changes their mind and takes the butter out', take: 259.1, at: { xMm: 140, yMm: -80 } },
    { atSec: 26, say: 'scans the pasta', scan: penne.gtin.slice(1) },
    { atSec: 28, say: 'puts the pasta in', put: 509.8, at: { xMm: -60, yMm: -90 } },
  ];
}
