// Scoring a replay against a trace's truth file, as shared/bench/cart-trace.md
// describes: a trip is right when its final basket is exactly the truth's and
// every expected alert is matched by one of the same kind within 3 s, with no
// other alert raised. Latency of an action: its change's t minus its restAt.
import type { ReplayResult } from './replay.js';

export interface TruthAction {
  t: number;
  restAt: number;
  op: 'add' | 'remove';
  /** Null for what no change is expected of (a shopper's own bag, say), as the simulator writes it. */
  gtin: string | null;
  charged?: boolean;
}

export interface Truth {
  basket: { gtin: string; qty: number }[];
  alerts: { kind: string; t: number }[];
  actions: TruthAction[];
  honest?: boolean;
}

export interface TripScore {
  exact: boolean;
  basketRight: boolean;
  expectedAlerts: number;
  matchedAlerts: number;
  falseAlerts: number;
  latenciesSec: number[];
  /** Why the trip is not exact, in a few words each. */
  problems: string[];
}

const alertWindowSec = 3;

export function scoreTrip(result: ReplayResult, truth: Truth): TripScore {
  const problems: string[] = [];
  const want = new Map(truth.basket.map((l) => [l.gtin, l.qty]));
  const got = new Map(result.basket.map((l) => [l.gtin, l.qty]));
  for (const gtin of new Set([...want.keys(), ...got.keys()])) {
    const w = want.get(gtin) ?? 0;
    const g = got.get(gtin) ?? 0;
    if (w !== g) problems.push(`basket ${gtin}: ${g} instead of ${w}`);
  }
  const basketRight = problems.length === 0;

  const unmatched = [...result.alerts];
  let matched = 0;
  for (const expected of truth.alerts) {
    const i = unmatched.findIndex((a) => a.kind === expected.kind && Math.abs(a.t - expected.t) <= alertWindowSec);
    if (i >= 0) {
      unmatched.splice(i, 1);
      matched++;
    } else {
      problems.push(`missed ${expected.kind} at ${expected.t}`);
    }
  }
  for (const extra of unmatched) problems.push(`false ${extra.kind} at ${extra.t} (${extra.grams} g)`);

  const latenciesSec: number[] = [];
  const changes = [...result.changes];
  for (const action of [...truth.actions].sort((a, b) => a.restAt - b.restAt)) {
    if (action.charged === false) continue;
    const i = changes.findIndex((c) => c.op === action.op && c.gtin === action.gtin && c.t >= action.restAt - 1);
    if (i < 0) continue;
    latenciesSec.push(changes[i]!.t - action.restAt);
    changes.splice(i, 1);
  }

  return {
    exact: problems.length === 0,
    basketRight,
    expectedAlerts: truth.alerts.length,
    matchedAlerts: matched,
    falseAlerts: unmatched.length,
    latenciesSec,
    problems,
  };
}

export interface Summary {
  trips: number;
  exactTrips: number;
  honestTrips: number;
  falseAlertsOnHonestTrips: number;
  expectedAlerts: number;
  matchedAlerts: number;
  latencyMedianSec: number | null;
  latencyP95Sec: number | null;
}

export function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function summarise(scored: { truth: Truth; score: TripScore }[]): Summary {
  const latencies = scored.flatMap((s) => s.score.latenciesSec).sort((a, b) => a - b);
  const honest = scored.filter((s) => s.truth.alerts.length === 0);
  return {
    trips: scored.length,
    exactTrips: scored.filter((s) => s.score.exact).length,
    honestTrips: honest.length,
    falseAlertsOnHonestTrips: honest.reduce((n, s) => n + s.score.falseAlerts, 0),
    expectedAlerts: scored.reduce((n, s) => n + s.score.expectedAlerts, 0),
    matchedAlerts: scored.reduce((n, s) => n + s.score.matchedAlerts, 0),
    latencyMedianSec: quantile(latencies, 0.5),
    latencyP95Sec: quantile(latencies, 0.95),
  };
}
