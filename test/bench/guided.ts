// cart-bench guided: a technician takes a cart, or a cart built from a new
// hardware batch, through a scripted trip on the bench (guided-script.ts):
// known test weights put in and taken out, test cards scanned. The trip is
// recorded as a cart-trace (record.ts), run through the firmware's own stages
// as it is recorded (replay.ts, line by line) and scored against the outcome
// the script expects, so the bench says whether the hardware is fit.
//
// Each step waits for its weight change to come to rest (or its code to be
// read), and for the alerts the script expects of it, before the next is
// asked for: the technician sees what was measured and what the cart
// decided, and the script's alerts are placed in time at those rests.
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { ScanFramer, type Frame } from '../../drivers/scanner/index.js';
import type { Config } from '../../firmware/config.js';
import type { Decision } from '../../firmware/basket/types.js';
import type { Seconds, StableDelta } from '../../firmware/domain.js';
import type { Logger } from '../../firmware/log.js';
import { scriptCatalog, scriptTruth, type GuidedScript, type StepTimes } from './guided-script.js';
import { TripRecorder, storedCartData, traceHeader, type RecordDevices } from './record.js';
import { TripStages, type ReplayResult } from './replay.js';
import { quantile, scoreTrip } from './score.js';
import { serialBytes } from './trace.js';

/** Where the technician's answers come from. */
export interface Answers {
  /** Resolves with the answer; null when none will come (stdin closed). */
  ask(question: string): Promise<string | null>;
}

/** Answers read from a stream, one line each (a terminal, or a file or pipe for scripted use). */
export function lineAnswers(input: Readable, print: (line: string) => void): Answers {
  const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
  return {
    async ask(question) {
      print(question);
      const next = await lines.next();
      return next.done ? null : String(next.value);
    },
  };
}

/** Every step confirmed at once: for a rig whose actions happen by themselves. */
export function confirmAll(print: (line: string) => void): Answers {
  return {
    async ask(question) {
      print(`${question} (confirmed by --yes)`);
      return '';
    },
  };
}

type AlertDecision = Extract<Decision, { kind: 'alert' }>;

export interface GuidedOptions {
  config: Config;
  devices: RecordDevices;
  /** The recording; its truth file is written beside it. */
  out: string;
  /** The hardware batch under test; asked for when null. */
  batch: string | null;
  answers: Answers;
  /** The technician's screen. */
  print: (line: string) => void;
  clock: () => Seconds;
  log: Logger;
}

export interface GuidedReport {
  pass: boolean;
  /** Why the trip did not pass: steps whose effect was not seen, and the score's problems. */
  problems: string[];
  result: ReplayResult;
  truthPath: string;
  latencyMedianSec: number | null;
}

/** The technician stopped the trip (q) or no answer can come; the recording so far is kept. */
export class GuidedAbort extends Error {}

/** How long the basket may take to come to rest, at the start and after a weight step is confirmed. */
const restTimeoutMs = 30_000;
/** How long after a scan step is confirmed its code may still arrive. */
const scanTimeoutMs = 5000;
/** Recorded after the last step, so that a replay sees the firmware decide on it (its latency is under a second). */
const tailMs = 3000;
/** A change may begin a little before its prompt is read out to the end. */
const earlySec = 0.5;
/**
 * An alert on weight nothing explains comes basket.continuationSec after its
 * rest (basket.scanAfterPlaceSec when it was put in), at the cart's next tick
 * (a quarter second); this much more allows
 * for a busy machine's late samples before the alert counts as not come.
 */
const alertMarginSec = 2;

function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function guidedTrip(script: GuidedScript, opts: GuidedOptions): Promise<GuidedReport> {
  const { config, print, log, clock } = opts;
  const batch = opts.batch ?? (await opts.answers.ask('Hardware batch under test (as on its label):'));
  if (batch === null || batch.trim() === 'q') throw new GuidedAbort('no batch given');

  const { calibration } = storedCartData(config);
  const header = { ...traceHeader(config, calibration, scriptCatalog(script)), guided: { script: script.name, batch: batch.trim() } };
  const recorder = new TripRecorder(header, opts.devices, config.feedback, { clock, log });
  const deltas: StableDelta[] = [];
  const alerts: AlertDecision[] = [];
  const stages = new TripStages(header, {
    config: config.basket,
    onWeightEvent: (e) => e.kind === 'stable-delta' && deltas.push(e),
    onDecision: (d) => d.kind === 'alert' && alerts.push(d),
  });
  const framer = new ScanFramer({ maxLength: config.scanner.maxLength, flushGapSec: config.scanner.flushGapSec });
  /** Weight changes and alerts already taken by a step. */
  const claimed = new Set<StableDelta | AlertDecision>();
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  recorder.onLine((line) => {
    stages.feed(line);
    if (line.kind === 'adc') {
      const due = framer.flushDueAtSec();
      if (due !== null && line.t >= due) frames.push(...framer.flush(line.t));
    } else if (line.kind === 'serial') {
      frames.push(...framer.push(serialBytes(line.data), line.t));
    }
    for (const w of [...waiters]) w();
  });
  /** The probe's first answer, looked for at every recorded line; undefined after the timeout. */
  const seen = <T>(probe: () => T | undefined, timeoutMs: number) => new Promise<T | undefined>((resolve) => {
    const check = () => {
      const found = probe();
      if (found === undefined) return;
      finish(found);
    };
    const finish = (found: T | undefined) => {
      clearTimeout(timer);
      waiters.delete(check);
      resolve(found);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    waiters.add(check);
    check();
  });
  const traceNow = () => clock() - recorder.originSec!;

  const problems: string[] = [];
  const times: StepTimes[] = [];
  let result: ReplayResult;
  try {
    await recorder.start(opts.out);
    try {
      print(`Recording ${script.name} on ${config.cart.id}, batch ${batch.trim()}, to ${opts.out}. Keep the basket empty and still.`);
      const atRest = (await seen(() => (stages.scale.reading().state === 'stable' ? true : undefined), restTimeoutMs)) !== undefined;
      if (!atRest) problems.push(`the empty basket did not come to rest within ${restTimeoutMs / 1000} s: no step was asked for`);
      for (const [i, step] of atRest ? script.steps.entries() : []) {
        const askedSec = traceNow();
        const answer = await opts.answers.ask(`Step ${i + 1} of ${script.steps.length}: ${step.say}  [Enter when done, q to stop]`);
        if (answer === null || answer.trim() === 'q') throw new GuidedAbort(`stopped at step ${i + 1}`);
        const time: StepTimes = { askedSec, restSec: null };
        times.push(time);
        const gtin = step.put ?? step.take;
        if (gtin !== undefined) {
          const delta = await seen(() => deltas.find((d) => !claimed.has(d) && d.beganAtSec >= askedSec - earlySec && Math.abs(d.grams) >= config.basket.minChangeGrams), restTimeoutMs);
          if (!delta) {
            problems.push(`step ${i + 1}: no weight change came to rest within ${restTimeoutMs / 1000} s`);
            continue;
          }
          claimed.add(delta);
          time.restSec = delta.restAtSec;
          const item = script.items.find((it) => it.gtin === gtin)!;
          print(`  measured ${delta.grams >= 0 ? '+' : ''}${delta.grams.toFixed(1)} g (${item.name}: ${item.grams} g), at rest at ${delta.restAtSec.toFixed(2)} s`);
          // The cart holds weight nothing explains before it alerts, and an item taken out
          // within that time undoes its placement without one: the next step waits for the alert.
          const waitSec = Math.max(config.basket.continuationSec, config.basket.scanAfterPlaceSec) + alertMarginSec;
          for (const { kind } of script.expect.alerts.filter((a) => a.step === i + 1)) {
            print(`  waiting for the cart's ${kind} alert (up to ${waitSec} s after the rest): leave the basket as it is`);
            const alert = await seen(() => alerts.find((a) => !claimed.has(a) && a.alert === kind && a.atSec >= delta.beganAtSec), (delta.restAtSec + waitSec - traceNow()) * 1000);
            if (alert) {
              claimed.add(alert);
              print(`  the cart alerted ${kind} ${(alert.atSec - delta.restAtSec).toFixed(1)} s after the rest`);
            } else {
              const raised = alerts.filter((a) => !claimed.has(a) && a.atSec >= delta.beganAtSec).map((a) => a.alert);
              const problem = `step ${i + 1}: the cart raised no ${kind} alert within ${waitSec} s of the weight coming to rest (${raised.length > 0 ? `it raised ${raised.join(', ')}` : 'it raised none'})`;
              problems.push(problem);
              print(`  NO ALERT: ${problem}`);
            }
          }
        } else if (step.scan !== undefined) {
          const code = step.scan;
          const frame = await seen(() => frames.find((f) => f.atSec >= askedSec && f.data === code), scanTimeoutMs);
          if (frame) print(`  read ${code}`);
          else problems.push(`step ${i + 1}: the scanner did not send ${code} (it sent ${frames.filter((f) => f.atSec >= askedSec).map((f) => f.data).join(', ') || 'nothing'})`);
        }
      }
      print('Done: keep the basket still a moment.');
      await sleepMs(tailMs);
    } finally {
      const summary = await recorder.stop();
      log.info('recorded', { out: opts.out, seconds: Number(summary.durationSec.toFixed(1)), samples: summary.adc, scannerReads: summary.serial, buttonChanges: summary.button });
    }
    result = stages.result();
  } finally {
    stages.close();
  }
  const truth = scriptTruth(script, times);
  const truthPath = opts.out.replace(/(\.jsonl)?$/, '.truth.json');
  writeFileSync(truthPath, JSON.stringify({ ...truth, trip: script.name, batch: batch.trim() }, null, 1) + '\n');
  const score = scoreTrip(result, truth);
  problems.push(...score.problems);
  return {
    pass: problems.length === 0,
    problems,
    result,
    truthPath,
    latencyMedianSec: quantile([...score.latenciesSec].sort((a, b) => a - b), 0.5),
  };
}

/** The verdict as the technician reads it. */
export function guidedVerdict(report: GuidedReport): string[] {
  const latency = report.latencyMedianSec === null ? '' : `; latency from rest to decision, median ${Math.round(report.latencyMedianSec * 1000)} ms`;
  const basket = report.result.basket.map((l) => `${l.qty} x ${l.gtin} (${l.grams} g)`).join(', ') || 'empty';
  const alerts = report.result.alerts.map((a) => `${a.kind} at ${a.t} s`).join(', ') || 'none';
  const lines = [`basket: ${basket}`, `alerts: ${alerts}`];
  if (report.pass) return [...lines, `PASS: the firmware reached the expected outcome${latency}`];
  return [...lines, 'FAIL:', ...report.problems.map((p) => `  ${p}`), `(the recording and its truth file are kept: ${report.truthPath})`];
}
