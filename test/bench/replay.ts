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
}

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
    for await (const line of readTrace(path)) {
      if (line.kind === 'header') {
        store = new BasketStore(db, () => 'replay');
        scale = new Scale(line.calibration, line.geometry, { ...defaultScaleConfig, rateHz: line.rateHz });
        cart = buildCart(line, scale, store, opts, log, result);
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
      }
    }
    if (!store) throw new TraceError(`${path} has no header`);
    result.basket = store.lines();
    return result;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function buildCart(header: TraceHeader, scale: Scale, store: BasketStore, opts: ReplayOptions, log: Logger, result: ReplayResult): Cart {
  const products = new Map<string, Product>(header.catalog.map((p) => [p.gtin, p]));
  return new Cart({
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
