#!/usr/bin/env node
// cart-cal: the technician's tool for the cart's scale. See docs/calibration.md.
//
// Exit codes, for scripts on the bench:
//   0  done: the zero or span is stored, the verification passed, or live/history ended normally
//   1  fail: the verification failed, or the span placements disagree (nothing stored)
//   2  not done: a usage error, the scale unreachable or unfit (moving, a cell dead),
//      maintenance refused, a wait timed out, the technician declined or stopped it
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../firmware/config.js';
import { createLogger, stderrSink, type Logger } from '../firmware/log.js';
import { ReadingFeed } from './procedure/feed.js';
import type { Guide } from './procedure/guide.js';
import type { StepContext } from './procedure/step.js';
import { runSpan } from './procedure/span.js';
import { runVerification } from './procedure/verify.js';
import { runZero } from './procedure/zero.js';
import { writeReport } from './report/write.js';
import { reportText } from './report/text.js';
import { openSession } from './session/open.js';
import type { ScaleSession } from './session/session.js';
import { askLine, JsonGuide, TerminalGuide } from './terminal/guides.js';
import { historyText } from './terminal/history.js';
import { runLive } from './terminal/live.js';
import { styleOf } from './terminal/style.js';

const EXIT = { done: 0, fail: 1, notDone: 2 } as const;

const usage = `usage: cart-cal <command> [options]

commands
  live       readings per corner and in total, state, load cells, a trace of the total
  zero       the empty basket becomes the calibration's zero
  span       calibrate the corners with a known weight: --grams W
  verify     the verification test sequence (OIML R76 / NIST HB44, class III); writes a report
  history    the sealing counters and every calibration and configuration change

options
  --config PATH           the cart's config file (/etc/cart-firmware/config.json)
  --technician NAME       who does the work (default: the login name)
  --weights TEXT          the test weights used: class, set, certificates (asked when missing)
  --grams W               span: the known weight, in grams
  --yes                   answer every question yes
  --json                  JSON lines on stdout instead of text
  --settle-sec S          seconds at rest before a reading is taken (2)
  --step-timeout-sec S    give up a step after this long without the load at rest (600)
  --creep-sec S           verify: how long the creep load stays on (1800, as R76-1 3.9.4.1)
  --report-dir DIR        verify: where the report goes (the current directory)
  --html                  verify: an HTML report as well
  --trace-sec S           live: seconds of total shown in the trace (10)
  --limit N               history: at most N entries (100)

exit codes: 0 done or pass, 1 fail, 2 not done (error, refused, declined, stopped)
`;

class UsageError extends Error {}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', default: '/etc/cart-firmware/config.json' },
      technician: { type: 'string' },
      weights: { type: 'string' },
      grams: { type: 'string' },
      yes: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'settle-sec': { type: 'string', default: '2' },
      'step-timeout-sec': { type: 'string', default: '600' },
      'creep-sec': { type: 'string', default: '1800' },
      'report-dir': { type: 'string', default: '.' },
      html: { type: 'boolean', default: false },
      'trace-sec': { type: 'string', default: '10' },
      limit: { type: 'string', default: '100' },
      help: { type: 'boolean', default: false },
    },
  });
  const number = (key: keyof typeof values, min: number) => {
    const value = Number(values[key]);
    if (!(Number.isFinite(value) && value >= min)) throw new UsageError(`--${key} must be a number of at least ${min} (got ${String(values[key])})`);
    return value;
  };
  return { values, command: positionals[0], number };
}

type Parsed = ReturnType<typeof parse>;

/** Under sudo (the service's user, for direct access) the technician is who ran sudo. */
const loginName = () => process.env.SUDO_USER ?? userInfo().username;

async function weightsUsed(args: Parsed): Promise<string> {
  const given = args.values.weights;
  if (given) return given;
  if (args.values.yes) throw new UsageError('--weights is needed with --yes: the report must say which weights were used');
  const answer = await askLine('Weights used (class, set, certificate numbers): ', process.stderr);
  if (!answer) throw new UsageError('the weights used must be stated');
  return answer;
}

async function procedure(command: string, args: Parsed, session: ScaleSession, log: Logger): Promise<number> {
  const style = styleOf(process.stdout, process.env);
  const guide: Guide = args.values.json ? new JsonGuide(process.stdout, args.values.yes) : new TerminalGuide(process.stdout, style, args.values.yes);
  const technician = args.values.technician ?? loginName();
  const options = { settleSec: args.number('settle-sec', 0), stepTimeoutSec: args.number('step-timeout-sec', 1) };
  const say = (text: string, result: object) => process.stdout.write(args.values.json ? `${JSON.stringify({ event: 'result', ...result })}\n` : `\n${text}\n`);

  const grams = command === 'span' ? args.number('grams', 1) : 0;
  const weights = command === 'zero' ? '' : await weightsUsed(args);
  await session.enterMaintenance(technician);
  log.info('maintenance mode: no shopping session can start until cart-cal ends', { technician, via: session.via });
  const ctx: StepContext = { feed: new ReadingFeed(session), guide, options };

  if (command === 'zero') {
    const outcome = await runZero(session, ctx);
    if (outcome.status === 'stored') say(`Zero stored: calibration counter ${outcome.entry.counter}.`, outcome);
    else say(outcome.status === 'refused' ? `Refused: ${outcome.reason}` : 'Nothing stored.', outcome);
    return outcome.status === 'stored' ? EXIT.done : EXIT.notDone;
  }
  if (command === 'span') {
    const outcome = await runSpan(session, ctx, { weightGrams: grams, weights });
    if (outcome.status === 'stored') say(`Calibration stored: calibration counter ${outcome.entry.counter}. Run cart-cal verify next.`, outcome);
    else if (outcome.status === 'failed') say('Calibration FAILED: the placements disagree; nothing stored.', outcome);
    else say(outcome.status === 'refused' ? `Refused: ${outcome.reason}` : 'Nothing stored.', outcome);
    return outcome.status === 'stored' ? EXIT.done : outcome.status === 'failed' ? EXIT.fail : EXIT.notDone;
  }
  const report = await runVerification(session, ctx, { technician, weights, creepSec: args.number('creep-sec', 1), wall: () => new Date().toISOString() });
  const files = await writeReport(report, args.values['report-dir']!, args.values.html!);
  if (args.values.json) say('', { pass: report.pass, files });
  else process.stdout.write(`\n${reportText(report)}\nReport written: ${files.join(', ')}\n`);
  return report.pass ? EXIT.done : EXIT.fail;
}

async function main(): Promise<number> {
  let args: Parsed;
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage}`);
    return EXIT.notDone;
  }
  if (args.values.help) {
    process.stdout.write(usage);
    return EXIT.done;
  }
  const command = args.command;
  if (!command || !['live', 'zero', 'span', 'verify', 'history'].includes(command)) {
    process.stderr.write(`${command ? `unknown command ${command}\n\n` : ''}${usage}`);
    return EXIT.notDone;
  }
  let config: Config;
  try {
    config = loadConfig(args.values.config!);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return EXIT.notDone;
  }
  const log = createLogger(stderrSink(args.values.json ? 'warn' : 'info'), 'cart-cal');
  // A terminal that goes away (SSH dropped) must not crash the tool before it lets go of the cart.
  process.stdout.on('error', () => {});
  const session = await openSession(config, log);
  let stopping: ((code: number) => void) | null = null;
  const stopped = new Promise<number>((resolve) => (stopping = resolve));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => stopping?.(command === 'live' && signal === 'SIGINT' ? EXIT.done : EXIT.notDone));
  try {
    if (command === 'history') {
      const history = await session.history(args.number('limit', 1));
      process.stdout.write(args.values.json ? history.entries.map((e) => `${JSON.stringify(e)}\n`).join('') : historyText(history));
      return EXIT.done;
    }
    if (command === 'live') {
      const style = styleOf(process.stdout, process.env);
      let code: number = EXIT.done;
      await runLive(session, { json: args.values.json!, traceSec: args.number('trace-sec', 1), style, out: process.stdout, stopped: stopped.then((c) => void (code = c)) });
      return code;
    }
    return await Promise.race([procedure(command, args, session, log), stopped.then((code) => {
      log.warn('stopped by signal: nothing more is stored; the cart leaves maintenance mode');
      return code;
    })]);
  } catch (err) {
    process.stderr.write(`cart-cal ${command}: ${(err as Error).message}\n`);
    return EXIT.notDone;
  } finally {
    await session.close().catch(() => {});
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`cart-cal: ${(err as Error).message}\n`);
    process.exit(EXIT.notDone);
  },
);
