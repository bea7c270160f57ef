#!/usr/bin/env node
// cart-cal: the technician's tool for the cart's scale. See docs/calibration.md.
//
// Exit codes, for scripts on the bench:
//   0  done: the zero or span is stored, the verification passed, or live/history ended normally
//   1  fail: the verification failed, or the span placements disagree (nothing stored)
//   2  not done: a usage error, the scale unreachable or unfit (moving, a cell dead),
//      maintenance refused, a wait timed out, the technician declined or stopped it
import { userInfo } from 'node:os';
import { helpAsked, parseCommandArgs, printUsage, refuseUsage, UsageError } from '../firmware/command-line.js';
import type { Config } from '../firmware/config.js';
import type { Logger } from '../firmware/log.js';
import type { Guide } from './procedure/guide.js';
import type { StepContext } from './procedure/step.js';
import type { ScaleSession } from './session/session.js';

// The arguments are checked before anything else is loaded (each step below
// imports what it needs): `--help` and a mistake answer at once.
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
  --help, -h              this text

exit codes: 0 done or pass, 1 fail, 2 not done (error, refused, declined, stopped)
`;

const commands = ['live', 'zero', 'span', 'verify', 'history'];

function parse(argv: string[]) {
  const { values, positionals } = parseCommandArgs({
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
    },
  });
  const command = positionals[0];
  if (!command) throw new UsageError('a command is needed');
  if (!commands.includes(command)) throw new UsageError(`unknown command ${command}`);
  if (positionals.length > 1) throw new UsageError(`${command} takes no argument (got ${positionals.slice(1).join(' ')})`);
  const number = (key: 'grams' | 'settle-sec' | 'step-timeout-sec' | 'creep-sec' | 'trace-sec' | 'limit', min: number) => {
    const value = Number(values[key]);
    if (!(Number.isFinite(value) && value >= min)) throw new UsageError(`--${key} must be a number of at least ${min} (got ${String(values[key])})`);
    return value;
  };
  const numbers = {
    settleSec: number('settle-sec', 0),
    stepTimeoutSec: number('step-timeout-sec', 1),
    creepSec: number('creep-sec', 1),
    traceSec: number('trace-sec', 1),
    limit: number('limit', 1),
    grams: command === 'span' ? number('grams', 1) : 0,
  };
  if ((command === 'span' || command === 'verify') && values.yes && !values.weights) {
    throw new UsageError('--weights is needed with --yes: the report must say which weights were used');
  }
  return { values, command, numbers };
}

type Parsed = ReturnType<typeof parse>;

/** Under sudo (the service's user, for direct access) the technician is who ran sudo. */
const loginName = () => process.env.SUDO_USER ?? userInfo().username;

async function weightsUsed(args: Parsed): Promise<string> {
  if (args.values.weights) return args.values.weights;
  const { askLine } = await import('./terminal/guides.js');
  const answer = await askLine('Weights used (class, set, certificate numbers): ', process.stderr);
  if (!answer) throw new Error('the weights used must be stated');
  return answer;
}

async function procedure(command: string, args: Parsed, session: ScaleSession, log: Logger): Promise<number> {
  const [{ ReadingFeed }, { JsonGuide, TerminalGuide }, { styleOf }] = await Promise.all([
    import('./procedure/feed.js'), import('./terminal/guides.js'), import('./terminal/style.js'),
  ]);
  const style = styleOf(process.stdout, process.env);
  const guide: Guide = args.values.json ? new JsonGuide(process.stdout, args.values.yes) : new TerminalGuide(process.stdout, style, args.values.yes);
  const technician = args.values.technician ?? loginName();
  const options = { settleSec: args.numbers.settleSec, stepTimeoutSec: args.numbers.stepTimeoutSec };
  const say = (text: string, result: object) => process.stdout.write(args.values.json ? `${JSON.stringify({ event: 'result', ...result })}\n` : `\n${text}\n`);

  const weights = command === 'zero' ? '' : await weightsUsed(args);
  await session.enterMaintenance(technician);
  log.info('maintenance mode: no shopping session can start until cart-cal ends', { technician, via: session.via });
  const ctx: StepContext = { feed: new ReadingFeed(session), guide, options };

  if (command === 'zero') {
    const { runZero } = await import('./procedure/zero.js');
    const outcome = await runZero(session, ctx);
    if (outcome.status === 'stored') say(`Zero stored: calibration counter ${outcome.entry.counter}.`, outcome);
    else say(outcome.status === 'refused' ? `Refused: ${outcome.reason}` : 'Nothing stored.', outcome);
    return outcome.status === 'stored' ? EXIT.done : EXIT.notDone;
  }
  if (command === 'span') {
    const { runSpan } = await import('./procedure/span.js');
    const outcome = await runSpan(session, ctx, { weightGrams: args.numbers.grams, weights });
    if (outcome.status === 'stored') say(`Calibration stored: calibration counter ${outcome.entry.counter}. Run cart-cal verify next.`, outcome);
    else if (outcome.status === 'failed') say('Calibration FAILED: the placements disagree; nothing stored.', outcome);
    else say(outcome.status === 'refused' ? `Refused: ${outcome.reason}` : 'Nothing stored.', outcome);
    return outcome.status === 'stored' ? EXIT.done : outcome.status === 'failed' ? EXIT.fail : EXIT.notDone;
  }
  const [{ runVerification }, { writeReport }, { reportText }] = await Promise.all([
    import('./procedure/verify.js'), import('./report/write.js'), import('./report/text.js'),
  ]);
  const report = await runVerification(session, ctx, { technician, weights, creepSec: args.numbers.creepSec, wall: () => new Date().toISOString() });
  const files = await writeReport(report, args.values['report-dir']!, args.values.html!);
  if (args.values.json) say('', { pass: report.pass, files });
  else process.stdout.write(`\n${reportText(report)}\nReport written: ${files.join(', ')}\n`);
  return report.pass ? EXIT.done : EXIT.fail;
}

async function main(argv: string[]): Promise<number> {
  if (helpAsked(argv)) {
    printUsage(usage);
    return EXIT.done;
  }
  let args: Parsed;
  try {
    args = parse(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return refuseUsage('cart-cal', err.message, usage);
  }
  const { command } = args;
  const [{ ConfigError, loadConfig }, { createLogger, stderrSink }, { openSession }] = await Promise.all([
    import('../firmware/config.js'), import('../firmware/log.js'), import('./session/open.js'),
  ]);
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
      const { historyText } = await import('./terminal/history.js');
      const history = await session.history(args.numbers.limit);
      process.stdout.write(args.values.json ? history.entries.map((e) => `${JSON.stringify(e)}\n`).join('') : historyText(history));
      return EXIT.done;
    }
    if (command === 'live') {
      const [{ runLive }, { styleOf }] = await Promise.all([import('./terminal/live.js'), import('./terminal/style.js')]);
      const style = styleOf(process.stdout, process.env);
      let code: number = EXIT.done;
      await runLive(session, { json: args.values.json!, traceSec: args.numbers.traceSec, style, out: process.stdout, stopped: stopped.then((c) => void (code = c)) });
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`cart-cal: ${(err as Error).message}\n`);
    process.exit(EXIT.notDone);
  },
);
