// Replays a cart-trace through the same stages that run on the cart (weight,
// barcode, reconciler, SQLite store) and reports what the firmware decided,
// in the result format of shared/bench/cart-trace.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Decision, ReconcilerConfig } from '../../firmware/basket/types.js';
import { defaultReconcilerConfig } from '../../firmware/basket/types.js';
import { Cart } from '../../firmware/cart.js';
import type { Product } from '../../firmware/domain.js';
import { silentLogger, type Logger } from '../../firmware/log.js';
import { openDatabase } from '../../firmware/storage/database.js';
import { BasketStore } from '../../firmware/storage/basket-store.js';
import { createScanStage } from '../../firmware/barcode/stage.js';
import { defaultScaleConfig, Scale, type ScaleReading } from '../../firmware/weight/scale.js';
import { FrameRing } from '../../drivers/camera/ring.js';
import { VisionStage, type Recognises } from '../../firmware/vision/stage.js';
import { readTrace, serialBytes, TraceError, type TraceHeader } from './trace.js';

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
  const dir = mkdtempSync(join(tmpdir(), 'cart-replay-'));
  const log = opts.log ?? silentLogger;
  const { db } = openDatabase(join(dir, 'replay.db'), log);
  // The replay's database is thrown away at the end: waiting for the disk on
  // every commit would only measure the disk.
  db.pragma('synchronous = OFF');
  try {
    const result: ReplayResult = { basket: [], alerts: [], changes: [] };
    let cart: Cart | null = null;
    let scale: Scale | null = null;
    let store: BasketStore | null = null;
    const cameras: { id: string; ring: FrameRing }[] = [];
    const stage = opts.vision ? new VisionStage(cameras, opts.vision.recogniser, opts.vision.topK, log) : null;
    for await (const line of readTrace(path, { frames: true })) {
      if (line.kind === 'header') {
        store = new BasketStore(db, () => 'replay');
        scale = new Scale(line.calibration, line.geometry, { ...defaultScaleConfig, rateHz: line.rateHz });
        cart = buildCart(line, scale, store, opts, log, result, stage);
        continue;
      }
      if (!cart || !scale) throw new TraceError(`${path}: no header before the first sample`);
      switch (line.kind) {
        case 'adc':
          cart.sample({ atSec: line.t, raw: line.raw });
          opts.onReading?.(scale.reading());
          break;
        case 'serial':
          cart.serial(serialBytes(line.data), line.t);
          break;
        case 'button':
          if (line.name === 'help' || line.name === 'my-bag') cart.button({ kind: 'button', atSec: line.t, name: line.name, pressed: line.pressed });
          else log.warn('button not known, ignored', { name: line.name, t: line.t });
          break;
        case 'frame': {
          if (!stage) break;
          let camera = cameras.find((c) => c.id === line.camera);
          if (!camera) cameras.push((camera = { id: line.camera, ring: new FrameRing(line.width, line.height, replayRingFrames) }));
          camera.ring.push(line.t, Buffer.from(line.data, 'base64'));
          break;
        }
      }
      // A guess is never late in a replay: the next line waits for it, so a trace gives the same answer every time.
      if (stage) await cart.settled();
    }
    if (!store) throw new TraceError(`${path} has no header`);
    result.basket = store.lines();
    return result;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function buildCart(header: TraceHeader, scale: Scale, store: BasketStore, opts: ReplayOptions, log: Logger, result: ReplayResult, stage: VisionStage | null): Cart {
  const products = new Map<string, Product>(header.catalog.map((p) => [p.gtin, p]));
  return new Cart({
    ...(stage ? { vision: { source: stage, maxWaitSec: Infinity } } : {}),
    weight: scale,
    scans: createScanStage(),
    store,
    catalog: { get: (gtin) => products.get(gtin) },
    config: opts.config ?? defaultReconcilerConfig,
    log,
    onCommitted: ({ decisions }) => {
      for (const d of decisions) {
        opts.onDecision?.(d);
        if (d.kind === 'add' || d.kind === 'remove') result.changes.push({ t: round(d.atSec, 3), op: d.kind, gtin: d.gtin, qty: 1 });
        if (d.kind === 'alert') result.alerts.push({ t: round(d.atSec, 3), kind: d.alert, grams: round(d.grams, 1) });
      }
    },
  });
}
