// The script of a guided bench trip: the test items, what the technician is
// asked to do step by step, and the outcome the firmware must reach. Checked
// once when read, every problem reported at once, each naming its place.
import { readFileSync } from 'node:fs';
import type { Static } from '@sinclair/typebox';
import { Type as T, Value } from '../../firmware/typebox.js';
import type { Product } from '../../firmware/domain.js';
import type { Truth, TruthAction } from './score.js';

const Gtin = T.String({ pattern: '^[0-9]{14}$', description: '14 digits, shorter codes left-padded with zeros' });

const Item = T.Object({
  gtin: Gtin,
  name: T.String({ minLength: 1 }),
  grams: T.Number({ exclusiveMinimum: 0, description: 'the test item\'s weight' }),
  gramsSd: T.Number({ minimum: 0, description: 'its uncertainty (1 sd): a few tenths of a gram for a test weight' }),
  priceCents: T.Integer({ minimum: 0, default: 0 }),
  byWeight: T.Boolean({ default: false }),
}, { additionalProperties: false });

const Step = T.Object({
  say: T.String({ minLength: 1, description: 'what the technician is asked to do' }),
  scan: T.Optional(T.String({ minLength: 1, description: 'the code the scanner must send, without AIM prefix or suffix' })),
  put: T.Optional(Gtin),
  take: T.Optional(Gtin),
}, { additionalProperties: false });

const AlertKind = T.Union([T.Literal('unscanned-item'), T.Literal('weight-mismatch'), T.Literal('unknown-removal'), T.Literal('ambiguous-removal')]);

export const ScriptSchema = T.Object({
  name: T.String({ minLength: 1 }),
  items: T.Array(Item, { minItems: 1 }),
  steps: T.Array(Step, { minItems: 1 }),
  expect: T.Object({
    basket: T.Array(T.Object({ gtin: Gtin, qty: T.Integer({ minimum: 1 }) }, { additionalProperties: false })),
    alerts: T.Array(T.Object({ kind: AlertKind, step: T.Integer({ minimum: 1, description: 'the step (from 1) whose weight change must raise it' }) }, { additionalProperties: false }), { default: [] }),
  }, { additionalProperties: false }),
}, { additionalProperties: false });

export type GuidedScript = Static<typeof ScriptSchema>;
export type GuidedStep = GuidedScript['steps'][number];

export class ScriptError extends Error {}

/** The cross-references the schema cannot see: items named, one action a step, alerts on weight steps. */
function crossCheck(s: GuidedScript): string[] {
  const problems: string[] = [];
  const gtins = new Set(s.items.map((i) => i.gtin));
  s.steps.forEach((step, i) => {
    const actions = [step.scan, step.put, step.take].filter((a) => a !== undefined);
    if (actions.length > 1) problems.push(`steps.${i}: one of scan, put, take per step`);
    for (const g of [step.put, step.take]) if (g !== undefined && !gtins.has(g)) problems.push(`steps.${i}: ${g} is not among the items`);
  });
  s.expect.basket.forEach((l, i) => {
    if (!gtins.has(l.gtin)) problems.push(`expect.basket.${i}: ${l.gtin} is not among the items`);
  });
  s.expect.alerts.forEach((a, i) => {
    const step = s.steps[a.step - 1];
    if (!step) problems.push(`expect.alerts.${i}: there is no step ${a.step}`);
    else if (step.put === undefined && step.take === undefined) problems.push(`expect.alerts.${i}: step ${a.step} puts nothing in and takes nothing out`);
  });
  return problems;
}

export function parseScript(input: unknown): GuidedScript {
  const withDefaults = Value.Default(ScriptSchema, structuredClone(input ?? {}));
  const problems = [...Value.Errors(ScriptSchema, withDefaults)].slice(0, 20).map((e) => `${e.path.slice(1).replaceAll('/', '.') || '(top level)'}: ${e.message}`);
  if (problems.length === 0) problems.push(...crossCheck(withDefaults as GuidedScript));
  if (problems.length > 0) throw new ScriptError(`script is not valid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return withDefaults as GuidedScript;
}

export function loadScript(path: string): GuidedScript {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ScriptError(`cannot read the script ${path}: ${(err as Error).message}`);
  }
  return parseScript(json);
}

export function scriptCatalog(s: GuidedScript): Product[] {
  return s.items.map((i) => ({ gtin: i.gtin, name: i.name, grams: i.grams, gramsSd: i.gramsSd, priceCents: i.priceCents, byWeight: i.byWeight }));
}

/** When each step was asked for and, for weight steps, when its change came to rest (trace time). */
export interface StepTimes {
  askedSec: number;
  restSec: number | null;
}

/** The truth file of the recorded trip: the script's outcome, placed in time by when each step's weight came to rest. */
export function scriptTruth(s: GuidedScript, times: StepTimes[]): Truth {
  const alertSteps = new Set(s.expect.alerts.map((a) => a.step));
  const actions: TruthAction[] = [];
  s.steps.forEach((step, i) => {
    const gtin = step.put ?? step.take;
    const rest = times[i]?.restSec;
    if (gtin === undefined || rest === null || rest === undefined) return;
    actions.push({ t: times[i]!.askedSec, restAt: rest, op: step.put ? 'add' : 'remove', gtin, charged: !alertSteps.has(i + 1) });
  });
  return {
    basket: s.expect.basket,
    // A step whose change never came has no time for its alert: the alert is left out, and the step fails the trip.
    alerts: s.expect.alerts.flatMap((a) => {
      const t = times[a.step - 1]?.restSec;
      return t === null || t === undefined ? [] : [{ kind: a.kind, t }];
    }),
    actions,
    honest: s.expect.alerts.length === 0,
  };
}
