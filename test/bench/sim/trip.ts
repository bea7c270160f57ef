// One simulated shopping trip: a cart-trace and its truth from a profile and
// a seed, the same bytes every time. Each part draws from its own named
// stream of the seed, so that changing how one part draws does not reshuffle
// the others.
import type { BasketGeometry } from '../../../firmware/domain.js';
import type { TraceHeader } from '../trace.js';
import { catalogEntry, stockCatalog } from './catalog.js';
import { CellBank } from './cells.js';
import { Hand } from './hand.js';
import { profiles, type ProfileName } from './profiles.js';
import { Random } from './random.js';
import { renderTrace } from './render.js';
import { chooseScannerStyle, Scanner } from './scanner.js';
import { Shopper } from './shopper.js';
import { alertsOf, basketOf, type Truth } from './truth.js';

export interface TripOptions {
  profile: ProfileName;
  /** Any 32-bit unsigned integer. */
  seed: number;
  /** Names the files and the truth's `trip`; default `PROFILE-SEED`. */
  name?: string;
  /** Force an honest or a dishonest trip; by default the profile's share decides. */
  honest?: boolean;
  /** Samples a second the boards are read at: 80 by default; an M5Stack unit's 10, a DFRobot board's 25. */
  rateHz?: number;
}

export interface Trip {
  name: string;
  header: TraceHeader;
  truth: Truth;
  /** Every line of the trace, header first, without line ends. Each call starts afresh and yields the same lines. */
  lines(): Generator<string>;
}

/** The basket of the cart model on the bench: cells 500 mm apart side to side, 350 mm front to back. */
const geometry: BasketGeometry = { widthMm: 500, depthMm: 350 };
const RATE_HZ = 80;

export function generateTrip(opts: TripOptions): Trip {
  const profile = profiles[opts.profile];
  const seed = opts.seed >>> 0;
  const root = new Random(seed);
  const name = opts.name ?? `${profile.name}-${seed}`;
  const catalog = stockCatalog(root.fork('catalog'), profile.catalog);
  const rateHz = opts.rateHz ?? RATE_HZ;
  if (!(rateHz > 0 && rateHz <= 100)) throw new Error(`rateHz must be above 0 and at most 100 (got ${rateHz})`);
  const makeCells = () => new CellBank(root.fork('cells'), profile.cells, rateHz);
  const scanner = new Scanner(root.fork('scanner'), profile.scanner, chooseScannerStyle(root.fork('scanner-style'), profile.scanner));
  const honest = opts.honest ?? root.fork('honesty').chance(profile.shopper.honestShare);
  const shopper = new Shopper(root.fork('shopper'), profile, catalog, geometry, scanner, new Hand(root.fork('hand'), profile.hand));
  const plan = shopper.plan(honest);

  const header: TraceHeader = {
    kind: 'header',
    format: 'cart-trace',
    version: 1,
    cart: `bench-${String(root.fork('cart').int(1, 12)).padStart(2, '0')}`,
    rateHz,
    channels: ['fl', 'fr', 'rl', 'rr'],
    geometry,
    calibration: makeCells().calibration(),
    catalog: catalog.map(catalogEntry),
  };
  const alerts = alertsOf(plan.actions);
  const truth: Truth = {
    basket: basketOf(plan.actions),
    alerts,
    actions: plan.actions,
    honest: alerts.length === 0,
    trip: name,
    profile: profile.name,
    seed,
    durationS: plan.durationS,
    scanner: scanner.style,
    scans: plan.scans,
    motion: plan.motion,
    rearranged: plan.rearranged,
  };
  const input = {
    header,
    forces: plan.forces,
    pushes: plan.pushes,
    reads: scanner.reads,
    buttons: plan.buttons,
    durationS: plan.durationS,
    tareGrams: profile.motion.tareGrams,
  };
  return {
    name,
    header,
    truth,
    lines: () => renderTrace(input, root.fork('render'), makeCells(), profile.clock),
  };
}
