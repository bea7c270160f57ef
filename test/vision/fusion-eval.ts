// What the cameras change on the bench's trips: each trip is replayed as
// recorded (scale and scanner alone) and again with camera frames rendered
// from its truth and the real recognition, and the decisions are compared
// with what the shopper truly did.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Decision } from '../../firmware/basket/types.js';
import { replayTrace } from '../bench/replay.js';
import { scoreTrip, type Truth } from '../bench/score.js';
import { parseHeader } from '../bench/trace.js';
import { addCameraFrames, type TruthAction } from './camera-trace.js';
import { tripVision } from './trip-vision.js';

/** As the scorer matches alerts to the truth. */
const matchSec = 3;

export interface FusionCounts {
  trips: number;
  /** Removals the truth calls ambiguous (the weight cannot tell). */
  ambiguous: number;
  /** Of those, alerted without cameras. */
  ambiguousAlertedWithout: number;
  /** With cameras: resolved, the right product taken off, no alert. */
  ambiguousResolvedRight: number;
  /** With cameras: resolved, but the wrong product taken off. */
  ambiguousResolvedWrong: number;
  /** Unscanned items the truth has. */
  unscanned: number;
  /** With cameras: their alert names the right product, another product, or none. */
  unscannedNamedRight: number;
  unscannedNamedWrong: number;
  unscannedUnnamed: number;
  /** Mismatches the truth has, and how many of their alerts say the cameras saw another product. */
  mismatches: number;
  mismatchesSeen: number;
  /** Trips whose final basket is exactly right, without and with cameras. */
  basketExactWithout: number;
  basketExactWith: number;
  /** Alerts with no truth behind them (the scorer's count over all trips), without and with cameras. */
  falseAlertsWithout: number;
  falseAlertsWith: number;
}

type AlertDecision = Extract<Decision, { kind: 'alert' }>;

function near(atSec: number, t: number): boolean {
  return Math.abs(atSec - t) <= matchSec;
}

export async function evaluateFusion(traces: string[]): Promise<FusionCounts> {
  const c: FusionCounts = {
    trips: 0, ambiguous: 0, ambiguousAlertedWithout: 0, ambiguousResolvedRight: 0, ambiguousResolvedWrong: 0,
    unscanned: 0, unscannedNamedRight: 0, unscannedNamedWrong: 0, unscannedUnnamed: 0, mismatches: 0, mismatchesSeen: 0,
    basketExactWithout: 0, basketExactWith: 0, falseAlertsWithout: 0, falseAlertsWith: 0,
  };
  const work = mkdtempSync(join(tmpdir(), 'vision-fusion-'));
  try {
    for (const trace of traces) {
      const truth = JSON.parse(readFileSync(trace.replace(/\.jsonl$/, '.truth.json'), 'utf8')) as Truth & { actions: (TruthAction & { alert: string | null })[] };
      const header = parseHeader(readFileSync(trace, 'utf8').slice(0, 1 << 20).split('\n', 1)[0]!);
      const withFrames = join(work, basename(trace));
      await addCameraFrames(trace, truth.actions, withFrames);
      const vision = await tripVision(header.catalog.map((p) => p.gtin));
      const decisionsWith: Decision[] = [];
      const decisionsWithout: Decision[] = [];
      const without = await replayTrace(trace, { onDecision: (d) => decisionsWithout.push(d) });
      const withCameras = await replayTrace(withFrames, { vision: { ...vision, topK: 5 }, onDecision: (d) => decisionsWith.push(d) });
      await vision.release();
      rmSync(withFrames);
      c.trips++;
      const a = scoreTrip(without, truth);
      const b = scoreTrip(withCameras, truth);
      if (a.basketRight) c.basketExactWithout++;
      if (b.basketRight) c.basketExactWith++;
      c.falseAlertsWithout += a.falseAlerts;
      c.falseAlertsWith += b.falseAlerts;
      const alerts = (ds: Decision[], kind: string) => ds.filter((d): d is AlertDecision => d.kind === 'alert' && d.alert === kind);
      for (const act of truth.actions) {
        if (act.alert === 'ambiguous-removal') {
          c.ambiguous++;
          if (alerts(decisionsWithout, 'ambiguous-removal').some((d) => near(d.atSec, act.restAt))) c.ambiguousAlertedWithout++;
          if (alerts(decisionsWith, 'ambiguous-removal').some((d) => near(d.atSec, act.restAt))) continue;
          const seen = decisionsWith.find((d) => d.kind === 'remove' && /cameras saw/.test(d.reason.rule) && near(d.atSec, act.restAt));
          if (seen && seen.kind === 'remove' && seen.gtin === act.gtin) c.ambiguousResolvedRight++;
          else if (seen) c.ambiguousResolvedWrong++;
        } else if (act.alert === 'unscanned-item') {
          c.unscanned++;
          const alert = alerts(decisionsWith, 'unscanned-item').find((d) => near(d.atSec, act.restAt));
          if (alert?.likelyGtin === undefined) c.unscannedUnnamed++;
          else if (alert.likelyGtin === act.gtin) c.unscannedNamedRight++;
          else c.unscannedNamedWrong++;
        } else if (act.alert === 'weight-mismatch') {
          c.mismatches++;
          if (alerts(decisionsWith, 'weight-mismatch').some((d) => near(d.atSec, act.restAt) && /cameras saw/.test(d.reason.rule))) c.mismatchesSeen++;
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return c;
}
