#!/usr/bin/env node
// cart-bench: replay and score recorded or generated trips.
//
// Each subcommand imports its modules when it runs: `--help`, a mistyped
// option and `replay` start without loading the live firmware's packages
// (MQTT, the broker, ONNX, config validation), which once took most of a
// replay's time (docs/bench.md, start-up).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { helpAsked, parseCommandArgs, printUsage, refuseUsage, UsageError } from '../../firmware/command-line.js';
import type { Config } from '../../firmware/config.js';
import { generateUsage, parseGenerateArgs, UsageError as GenerateUsageError } from './generate-args.js';
import type { Truth, TripScore } from './score.js';

const usage = `usage:
  cart-bench ${generateUsage}
                                           write simulated trips with their truth files
  cart-bench replay TRACE.jsonl            replay one trace, print the result JSON
  cart-bench plot TRACE.jsonl [--out F.svg] draw the trip: weights, scale state, decisions, truth
  cart-bench run TRACE.jsonl               play the trip in real time into the cart-firmware process on simulated
                                           devices, print the result JSON; scored when NAME.truth.json is beside it
                                           (exit 1: not as the truth, 2: the run itself went wrong)
  cart-bench record --config FILE --out TRIP.jsonl [--seconds N]
                                           record what the cart's devices see as a trace (service stopped;
                                           Ctrl-C ends it when there is no --seconds)
  cart-bench guided --config FILE --script SCRIPT.json --out TRIP.jsonl [--batch ID] [--yes]
                                           take a technician through a scripted trip, record it, score it
                                           against the script (answers from stdin, or --yes for all steps;
                                           exit 0: pass, 1: fail, 2: error or stopped)
  cart-bench score DIR|TRACE.jsonl...      replay traces that have a NAME.truth.json beside them and score them
      --min-exact 0.98 --max-false-alerts 0.02 --min-alert-recall 0.97
                                           exit 1 when the score is below these (for CI)
      --json                               print the summary as JSON
  cart-bench SUBCOMMAND --help             this text`;

function fail(message: string, code = 2): never {
  process.stderr.write(`cart-bench: ${message}\n`);
  process.exit(code);
}

function tracesIn(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (!existsSync(p)) fail(`${p} does not exist`);
    if (statSync(p).isDirectory()) {
      out.push(...readdirSync(p).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(p, f)));
    } else {
      out.push(p);
    }
  }
  return out;
}

function pct(n: number, of: number): string {
  return of === 0 ? '-' : `${((100 * n) / of).toFixed(1)} %`;
}

function ms(sec: number | null): string {
  return sec === null ? '-' : `${Math.round(sec * 1000)} ms`;
}

/** A --min-/--max- figure: absent, or a number from 0 up to `max`. */
function figure(values: Record<string, unknown>, key: string, max: number): number | null {
  const text = values[key];
  if (text === undefined) return null;
  const value = Number(text);
  if (!(typeof text === 'string' && text.trim() !== '' && value >= 0 && value <= max)) {
    throw new UsageError(`--${key} must be a number from 0${max === Infinity ? ' up' : ` to ${max}`} (got ${String(text)})`);
  }
  return value;
}

async function score(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs({
    args,
    allowPositionals: true,
    options: {
      'min-exact': { type: 'string' },
      'max-false-alerts': { type: 'string' },
      'min-alert-recall': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new UsageError('score needs a folder or trace files');
  const minExact = figure(values, 'min-exact', 1);
  const maxFalseAlerts = figure(values, 'max-false-alerts', Infinity);
  const minAlertRecall = figure(values, 'min-alert-recall', 1);
  const [{ replayTrace }, { scoreTrip, summarise }] = await Promise.all([import('./replay.js'), import('./score.js')]);
  const scored: { name: string; truth: Truth; score: TripScore }[] = [];
  for (const trace of tracesIn(positionals)) {
    const truthPath = trace.replace(/\.jsonl$/, '.truth.json');
    if (!existsSync(truthPath)) continue;
    const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as Truth;
    const result = await replayTrace(trace);
    scored.push({ name: basename(trace, '.jsonl'), truth, score: scoreTrip(result, truth) });
  }
  if (scored.length === 0) fail('no trace with a truth file found');
  const s = summarise(scored);
  const falsePerHonest = s.honestTrips === 0 ? 0 : s.falseAlertsOnHonestTrips / s.honestTrips;
  const recall = s.expectedAlerts === 0 ? 1 : s.matchedAlerts / s.expectedAlerts;
  if (values.json) {
    process.stdout.write(JSON.stringify({ ...s, falseAlertsPerHonestTrip: falsePerHonest, alertRecall: recall,
      failed: scored.filter((x) => !x.score.exact).map((x) => ({ trip: x.name, problems: x.score.problems })) }, null, 1) + '\n');
  } else {
    const lines = [
      `trips                      ${s.trips}`,
      `exact trips                ${s.exactTrips}  (${pct(s.exactTrips, s.trips)})`,
      `false alerts / honest trip ${falsePerHonest.toFixed(3)}  (${s.falseAlertsOnHonestTrips} on ${s.honestTrips} honest trips)`,
      `alert recall               ${pct(s.matchedAlerts, s.expectedAlerts)}  (${s.matchedAlerts} of ${s.expectedAlerts})`,
      `latency rest -> change     median ${ms(s.latencyMedianSec)}, p95 ${ms(s.latencyP95Sec)}`,
    ];
    const worst = scored.filter((x) => !x.score.exact).sort((a, b) => b.score.problems.length - a.score.problems.length).slice(0, 10);
    if (worst.length > 0) {
      lines.push('', 'trips not right:');
      for (const w of worst) lines.push(`  ${w.name}: ${w.score.problems.join('; ')}`);
    }
    process.stdout.write(lines.join('\n') + '\n');
  }
  const below: string[] = [];
  if (minExact !== null && s.exactTrips / s.trips < minExact) below.push('exact trips');
  if (maxFalseAlerts !== null && falsePerHonest > maxFalseAlerts) below.push('false alerts');
  if (minAlertRecall !== null && recall < minAlertRecall) below.push('alert recall');
  if (below.length > 0) fail(`below the agreed figures: ${below.join(', ')}`, 1);
}

async function replay(args: string[]): Promise<void> {
  const { positionals } = parseCommandArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new UsageError('replay takes one trace');
  const { replayTrace } = await import('./replay.js');
  const result = await replayTrace(positionals[0]!);
  process.stdout.write(JSON.stringify(result) + '\n');
}

async function plot(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs({ args, allowPositionals: true, options: { out: { type: 'string' } } });
  if (positionals.length !== 1) throw new UsageError('plot takes one trace');
  const trace = positionals[0]!;
  const out = values.out ?? trace.replace(/\.jsonl$/, '') + '.svg';
  const { plotTrip } = await import('./plot.js');
  writeFileSync(out, await plotTrip(trace));
  process.stdout.write(`${out}\n`);
}

async function generate(args: string[]): Promise<void> {
  let set;
  try {
    set = parseGenerateArgs(args);
  } catch (err) {
    if (err instanceof GenerateUsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw new UsageError((err as Error).message);
    throw err;
  }
  const { generateTrips } = await import('./generate.js');
  await generateTrips(set, (path, summary) => process.stdout.write(`${path}  ${summary}\n`));
}

async function run(args: string[]): Promise<void> {
  const { positionals } = parseCommandArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new UsageError('run takes one trace');
  const trace = positionals[0]!;
  const [{ createLogger, stderrSink }, { runTrace }, { quantile, scoreTrip }] = await Promise.all([
    import('../../firmware/log.js'), import('./run.js'), import('./score.js'),
  ]);
  const log = createLogger(stderrSink('info'), 'bench');
  const report = await runTrace(trace, { log, onFirmwareLine: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(JSON.stringify(report.result) + '\n');
  log.info('run done', {
    startupSec: Number(report.startupSec.toFixed(2)),
    serialLateMaxMs: Math.round(report.serialLateMaxMs),
    deliveryMedianMs: report.deliveryMedianMs === null ? undefined : Math.round(report.deliveryMedianMs),
    deliveryMaxMs: report.deliveryMaxMs === null ? undefined : Math.round(report.deliveryMaxMs),
    ticksLost: report.ticksLost,
    buttonLinesSkipped: report.buttonLinesSkipped,
  });
  for (const problem of report.problems) log.error('run went wrong', { problem });
  let exact = true;
  const truthPath = trace.replace(/\.jsonl$/, '.truth.json');
  if (existsSync(truthPath)) {
    const s = scoreTrip(report.result, JSON.parse(readFileSync(truthPath, 'utf8')) as Truth);
    const sorted = [...s.latenciesSec].sort((a, b) => a - b);
    log.info('scored against the truth', { exact: s.exact, latencyMedian: ms(quantile(sorted, 0.5)), latencyP95: ms(quantile(sorted, 0.95)) });
    for (const problem of s.problems) log.warn('not as the truth', { problem });
    exact = s.exact;
  }
  if (report.problems.length > 0) process.exit(2);
  if (!exact) process.exit(1);
}

async function benchConfig(path: string): Promise<Config> {
  const { ConfigError, loadConfig } = await import('../../firmware/config.js');
  try {
    return loadConfig(path);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
}

async function record(args: string[]): Promise<void> {
  const { values } = parseCommandArgs({ args, options: { config: { type: 'string' }, out: { type: 'string' }, seconds: { type: 'string' } } });
  if (!values.config || !values.out) throw new UsageError('record needs --config and --out');
  const seconds = values.seconds === undefined ? null : Number(values.seconds);
  if (seconds !== null && !(seconds > 0)) throw new UsageError('--seconds must be a positive number');
  const config = await benchConfig(values.config);
  const [{ createLogger, stderrSink }, { monotonicSec }, { recordDevicesFor, storedCartData, traceHeader, TripRecorder, untilStopped }] = await Promise.all([
    import('../../firmware/log.js'), import('../../firmware/process.js'), import('./record.js'),
  ]);
  const log = createLogger(stderrSink('info'), 'record');
  const { calibration, catalog } = storedCartData(config);
  if (catalog.length === 0) log.warn('no catalog in the cart\'s database: a replay of the trace will add nothing', { database: config.databasePath });
  const recorder = new TripRecorder(traceHeader(config, calibration, catalog), await recordDevicesFor(config, log), config.feedback, { clock: monotonicSec, log });
  await recorder.start(values.out);
  await untilStopped(seconds);
  const s = await recorder.stop();
  process.stdout.write(`${values.out}  ${s.durationSec.toFixed(1)} s, ${s.adc} samples, ${s.serial} scanner reads, ${s.button} button changes\n`);
}

async function guided(args: string[]): Promise<void> {
  const { values } = parseCommandArgs({
    args,
    options: { config: { type: 'string' }, script: { type: 'string' }, out: { type: 'string' }, batch: { type: 'string' }, yes: { type: 'boolean', default: false } },
  });
  if (!values.config || !values.script || !values.out) throw new UsageError('guided needs --config, --script and --out');
  const [{ loadScript, ScriptError }, { confirmAll, GuidedAbort, guidedTrip, guidedVerdict, lineAnswers }, { createLogger, stderrSink }, { monotonicSec }, { recordDevicesFor }] = await Promise.all([
    import('./guided-script.js'), import('./guided.js'), import('../../firmware/log.js'), import('../../firmware/process.js'), import('./record.js'),
  ]);
  let script;
  try {
    script = loadScript(values.script);
  } catch (err) {
    if (err instanceof ScriptError) fail(err.message);
    throw err;
  }
  const config = await benchConfig(values.config);
  const log = createLogger(stderrSink('info'), 'guided');
  const print = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const report = await guidedTrip(script, {
      config, devices: await recordDevicesFor(config, log), out: values.out, batch: values.batch ?? null,
      answers: values.yes ? confirmAll(print) : lineAnswers(process.stdin, print), print, clock: monotonicSec, log,
    });
    for (const line of guidedVerdict(report)) print(line);
    process.exit(report.pass ? 0 : 1);
  } catch (err) {
    if (err instanceof GuidedAbort) fail(`stopped: ${err.message}; nothing was judged`);
    throw err;
  }
}

const subcommands: Record<string, (args: string[]) => Promise<void>> = { generate, replay, plot, run, record, guided, score };

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || (command !== undefined && Object.hasOwn(subcommands, command) && helpAsked(rest))) {
    printUsage(usage);
    return;
  }
  try {
    if (command === undefined) throw new UsageError('a subcommand is needed');
    const subcommand = Object.hasOwn(subcommands, command) ? subcommands[command] : undefined;
    if (!subcommand) throw new UsageError(`unknown subcommand "${command}"`);
    await subcommand(rest);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.exit(refuseUsage('cart-bench', err.message, usage));
  }
}

main(process.argv.slice(2)).catch((err: unknown) => fail((err as Error).message));
