// Replays a cart-trace through the same stages that run on the cart (weight,
// barcode, reconciler, SQLite store) and reports what the firmware decided,
// in the result format of shared/bench/cart-trace.md.
import { catalogOf } from '../../firmware/basket/catalog.js';
import type { Decision, ReconcilerConfig } from '../../firmware/basket/types.js';
import { defaultReconcilerConfig } from '../../firmware/basket/types.js';
import { Cart } from '../../firmware/cart.js';
import type { WeightEvent } from '../../firmware/domain.js';
import { silentLogger, type Logger } from '../../firmware/log.js';
import { openDatabase, type OpenedDatabase } from '../../firmware/storage/database.js';
import { BasketStore } from '../../firmware/storage/basket-store.js';
import { createScanStage } from '../../firmware/barcode/stage.js';
import { defaultScaleConfig, Scale, type ScaleReading } from '../../firmware/weight/scale.js';
import { FrameRing } from '../../drivers/camera/ring.js';
import { VisionStage, type Recognises } from '../../firmware/vision/stage.js';
import { readTraceBatches, serialBytes, TraceError, type FrameLine, type TraceHeader, type TraceLine } from './trace.js';

export interface ReplayResult {
  basket: { gtin: string; qty: number; grams: number }[];
  alerts: { t: number; kind: string; grams: number }[];
  changes: { t: number; op: 'add' | 'remove'; gtin: string; qty: number }[];
}

export interface ReplayOptions {
  config?: ReconcilerConfig;
  log?: Logger;
  /** Called with every committed decision, for tools that want more than the result. */
  onDecision?: (d: Decision) => void;
  /** Called with the scale's reading after every sample (for plots). */
  onReading?: (reading: ScaleReading) => void;
  /** Called with every stable weight change and scale status, as the scale reports it to the reconciler. */
  onWeightEvent?: (e: WeightEvent) => void;
  /** Recognition for the trace's camera frames; without it frame lines are skipped. */
  vision?: { recogniser: Recognises; topK: number };
}

/** Frames in a trace come around weight changes only: this many per camera reach back far enough. */
const replayRingFrames = 64;

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export async function replayTrace(path: string, opts: ReplayOptions = {}): Promise<ReplayResult> {
  let trip: TripStages | null = null;
  try {
    for (const batch of readTraceBatches(path, { frames: true })) for (let i = 0; i < batch.length; i++) {
      const line = batch[i]!;
      if (line.kind === 'header') {
        trip = new TripStages(line, opts);
        continue;
      }
      if (!trip) throw new TraceError(`${path}: no header before the first sample`);
      trip.feed(line);
      // A guess is never late in a replay: the next line waits for it, so a trace gives the same answer every time.
      if (opts.vision) await trip.settled();
    }
    if (!trip) throw new TraceError(`${path} has no header`);
    return trip.result();
  } finally {
    trip?.close();
  }
}

/**
 * The firmware's stages on one trip, fed one trace line at a time, committing
 * to a throw-away SQLite database: what a replay reads from a file, and what the
 * guided bench feeds as it records, to see the cart decide as it would.
 */
export class TripStages {
  readonly scale: Scale;
  readonly #db: OpenedDatabase['db'];
  readonly #store: BasketStore;
  readonly #cart: Cart;
  readonly #log: Logger;
  readonly #result: ReplayResult = { basket: [], alerts: [], changes: [] };
  readonly #cameras: { id: string; ring: FrameRing }[] = [];
  readonly #vision: boolean;
  readonly #onReading: ((reading: ScaleReading) => void) | undefined;

  constructor(header: TraceHeader, opts: ReplayOptions = {}) {
    this.#log = opts.log ?? silentLogger;
    // The cart's schema, statements and transactions, in memory: the
    // database is thrown away at the end, and writing it to a disk would
    // only measure the disk.
    this.#db = openDatabase(':memory:', this.#log).db;
    this.#store = new BasketStore(this.#db, () => 'replay');
    this.scale = new Scale(header.calibration, header.geometry, { ...defaultScaleConfig, rateHz: header.rateHz });
    const stage = opts.vision ? new VisionStage(this.#cameras, opts.vision.recogniser, opts.vision.topK, this.#log) : null;
    this.#vision = stage !== null;
    this.#onReading = opts.onReading;
    this.#cart = buildCart(header, this.scale, this.#store, opts, this.#log, this.#result, stage);
  }

  feed(line: TraceLine | FrameLine): void {
    switch (line.kind) {
      case 'adc':
        this.#cart.sample({ atSec: line.t, raw: line.raw });
        this.#onReading?.(this.scale.reading());
        break;
      case 'serial':
        this.#cart.serial(serialBytes(line.data), line.t);
        break;
      case 'button':
        if (line.name === 'help' || line.name === 'my-bag') this.#cart.button({ kind: 'button', atSec: line.t, name: line.name, pressed: line.pressed });
        else this.#log.warn('button not known, ignored', { name: line.name, t: line.t });
        break;
      case 'frame': {
        if (!this.#vision) break;
        let camera = this.#cameras.find((c) => c.id === line.camera);
        if (!camera) this.#cameras.push((camera = { id: line.camera, ring: new FrameRing(line.width, line.height, replayRingFrames) }));
        camera.ring.push(line.t, Buffer.from(line.data, 'base64'));
        break;
      }
    }
  }

  /** Resolves once no weight change waits for the cameras' guess. */
  settled(): Promise<void> {
    return this.#cart.settled();
  }

  /** What the firmware decided so far, with the basket as committed. */
  result(): ReplayResult {
    return { basket: this.#store.lines(), alerts: [...this.#result.alerts], changes: [...this.#result.changes] };
  }

  close(): void {
    this.#db.close();
  }
}

function buildCart(header: TraceHeader, scale: Scale, store: BasketStore, opts: ReplayOptions, log: Logger, result: ReplayResult, stage: VisionStage | null): Cart {
  const { onWeightEvent } = opts;
  const raised = new Set<number>();
  return new Cart({
    ...(stage ? { vision: { source: stage, maxWaitSec: Infinity } } : {}),
    weight: onWeightEvent ? { push: (sample) => heard(scale.push(sample), onWeightEvent) } : scale,
    scans: createScanStage(),
    store,
    catalog: catalogOf(header.catalog),
    config: opts.config ?? defaultReconcilerConfig,
    log,
    onCommitted: ({ decisions }) => {
      for (const d of decisions) {
        opts.onDecision?.(d);
        if (d.kind === 'add' || d.kind === 'remove') result.changes.push({ t: round(d.atSec, 3), op: d.kind, gtin: d.gtin, qty: 1 });
        // An alert raised again (the scan taken as its answer was for the next item) is the same alert, listed once.
        if (d.kind === 'alert' && !raised.has(d.alertId)) result.alerts.push({ t: round(d.atSec, 3), kind: d.alert, grams: round(d.grams, 1) });
        if (d.kind === 'alert') raised.add(d.alertId);
      }
    },
  });
}

function heard(events: readonly WeightEvent[], listener: (e: WeightEvent) => void): readonly WeightEvent[] {
  for (const e of events) listener(e);
  return events;
}
