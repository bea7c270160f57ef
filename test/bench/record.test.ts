// cart-bench record and guided, on simulated devices at their own boundary:
// boards on a simulated I2C bus, the scanner on a pseudo-terminal opened as a
// real serial port, buttons on a simulated GPIO header. A recording must
// replay to what was done on the cart, and a guided trip must pass when the
// hardware does what the script says and fail when it does not.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { OnoffPins, SimulatedGpioBoard } from '../../drivers/gpio/index.js';
import { SimulatedI2cBus } from '../../drivers/loadcell/index.js';
import { parseConfig, type Config } from '../../firmware/config.js';
import { createLogger, memorySink, silentLogger } from '../../firmware/log.js';
import { monotonicSec } from '../../firmware/process.js';
import { CatalogStore } from '../../firmware/storage/basket-store.js';
import { openDatabase } from '../../firmware/storage/database.js';
import { DemoBasket, demoCalibration } from './demo-trip.js';
import { guidedTrip, type Answers } from './guided.js';
import { parseScript } from './guided-script.js';
import { openPtyPair } from './pty.js';
import { recordDevicesFor, storedCartData, traceHeader, TripRecorder } from './record.js';
import { replayTrace } from './replay.js';
import { writeShortTrip } from './short-trip.js';
import { parseHeader, readTrace, serialBytes, type TraceLine } from './trace.js';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const sleepUntil = (atSec: number) => new Promise((r) => setTimeout(r, Math.max(0, (atSec - monotonicSec()) * 1000)));

function traceLines(path: string): TraceLine[] {
  return readFileSync(path, 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l) as TraceLine);
}

t.test('a trip recorded from the boards and the scanner port replays to the basket that was put in', async (t) => {
  const dir = t.testdir({});
  // What was done: the first 12 s of a generated trip, two items scanned and put in,
  // played on the boards (scale.playback) and the scanner's line.
  const done = writeShortTrip(dir, 'typical', 2, 12);
  const header = parseHeader(readFileSync(done, 'utf8').split('\n')[0]!);
  const pty = await openPtyPair(dir);
  t.teardown(() => pty.close());
  // The cart's database holds the store's catalog; the header takes it from there.
  const databasePath = join(dir, 'cart.db');
  const { db } = openDatabase(databasePath, silentLogger);
  new CatalogStore(db).replace(header.catalog, 3);
  db.close();
  const config = parseConfig({
    cart: { id: 'rig-1', storeId: 'bench' },
    databasePath,
    scale: { board: 'simulated', rateHz: header.rateHz, calibration: header.calibration, playback: done },
    scanner: { kind: 'serial', path: pty.portPath },
    gpio: { backend: 'simulated' },
  });
  const log = createLogger(memorySink('info'), 'record');
  const { calibration, catalog } = storedCartData(config);
  const out = join(dir, 'recorded.jsonl');
  const recorder = new TripRecorder(traceHeader(config, calibration, catalog), await recordDevicesFor(config, log), config.feedback, { clock: monotonicSec, log });
  await recorder.start(out);
  // The playback boards and the recording start their clocks on the same first conversion.
  const originSec = recorder.originSec!;
  for (const line of readTrace(done)) {
    if (line.kind !== 'serial') continue;
    await sleepUntil(originSec + line.t);
    await pty.send(serialBytes(line.data));
  }
  await sleepUntil(originSec + 12.2);
  const summary = await recorder.stop();

  const recorded = parseHeader(readFileSync(out, 'utf8').split('\n')[0]!);
  t.match(recorded, { cart: 'rig-1', rateHz: 80, channels: ['fl', 'fr', 'rl', 'rr'], calibration: header.calibration });
  t.equal(recorded.catalog.length, header.catalog.length, 'the catalog from the database');
  t.ok(summary.adc > 400, `${summary.adc} samples`);
  const bytes = (path: string) => traceLines(path).flatMap((l) => (l.kind === 'serial' ? [l.data] : [])).join('');
  t.equal(bytes(out), bytes(done), 'every scanner byte, in order');

  const [fromRecording, asDone] = [await replayTrace(out), await replayTrace(done)];
  t.equal(asDone.basket.length, 2);
  t.same(fromRecording.basket.map((l) => [l.gtin, l.qty]), asDone.basket.map((l) => [l.gtin, l.qty]), 'the same basket');
  t.same(fromRecording.alerts, []);
});

t.test('presses of the buttons on the header are recorded as button lines', async (t) => {
  const dir = t.testdir({});
  const config = parseConfig({ cart: { id: 'rig-2', storeId: 'bench' }, databasePath: join(dir, 'none.db'), scale: { board: 'simulated' } });
  const board = new SimulatedGpioBoard();
  const gpio = new OnoffPins(board.Gpio, board.chip, silentLogger, true);
  const bus = new SimulatedI2cBus({ model: 'm5stack', addresses: config.scale.addresses, clock: monotonicSec, load: (ch) => 5000 * ch + Math.random() * 40 });
  const out = join(dir, 'buttons.jsonl');
  const recorder = new TripRecorder(traceHeader(config, config.scale.calibration, []), { loadCells: { board: 'simulated', bus, rateHz: 80 }, scanner: null, gpio }, config.feedback,
    { clock: monotonicSec, log: silentLogger });
  await recorder.start(out);
  const myBag = config.feedback.pins.myBag;
  board.drive(myBag, 0);
  await sleepUntil(monotonicSec() + 0.25);
  board.drive(myBag, 1);
  await sleepUntil(monotonicSec() + 0.25);
  await recorder.stop();
  const presses = traceLines(out).filter((l) => l.kind === 'button');
  t.match(presses, [{ kind: 'button', name: 'my-bag', pressed: true }, { kind: 'button', name: 'my-bag', pressed: false }]);
  t.ok(presses[1]!.t - presses[0]!.t > 0.15, 'held about a quarter of a second');
});

// Test weights: 1 kg with the brief's test card, 500 g with a code of its own.
const kilo = { gtin: '04006381333931', name: '1 kg test weight', grams: 1000, gramsSd: 0.5 };
const half = { gtin: '04012345000009', name: '500 g test weight', grams: 500, gramsSd: 0.3 };

function benchRig(dir: string, scannerPath: string, basket: Partial<Config['basket']> = {}): Config {
  return parseConfig({
    cart: { id: 'rig-3', storeId: 'bench' },
    databasePath: join(dir, 'none.db'),
    basket,
    // Simulated DFRobot boards at the default 25 Hz, as a cart without boards gets them.
    scale: { board: 'simulated', calibration: demoCalibration },
    scanner: { kind: 'serial', path: scannerPath },
    gpio: { backend: 'simulated' },
  });
}

t.test('a guided trip passes when the rig does what the script says, each step asked for once the cart has raised the alert expected of the last', async (t) => {
  const dir = t.testdir({});
  const pty = await openPtyPair(dir);
  t.teardown(() => pty.close());
  const config = benchRig(dir, pty.portPath);
  const script = parseScript({
    name: 'two weights',
    items: [kilo, half],
    steps: [
      { say: 'Scan the test card of the 1 kg weight', scan: '4006381333931' },
      { say: 'Place the 1 kg weight on the front left', put: kilo.gtin },
      { say: 'Place the 500 g weight in the middle without scanning it', put: half.gtin },
      { say: 'Take the 500 g weight out', take: half.gtin },
    ],
    expect: { basket: [{ gtin: kilo.gtin, qty: 1 }], alerts: [{ kind: 'unscanned-item', step: 3 }] },
  });
  // The technician's hands: what each prompt asks, done on the simulated rig, then Enter.
  const basket = new DemoBasket({ widthMm: config.scale.widthMm, depthMm: config.scale.depthMm }, demoCalibration);
  const hands: Record<string, () => Promise<void>> = {
    'Scan the test card': () => pty.send(Buffer.from(']E04006381333931\r\n', 'latin1')),
    'Place the 1 kg': async () => basket.put(1000.2, { xMm: -150, yMm: 100 }, monotonicSec()),
    'Place the 500 g': async () => basket.put(499.9, { xMm: 0, yMm: 0 }, monotonicSec()),
    // At once: taken out before the cart alerts (it holds weight nothing explains basket.continuationSec),
    // the weight would undo its placement without an alert, so the tool must not ask for this before the alert.
    'Take the 500 g': async () => basket.take(499.9, { xMm: 0, yMm: 0 }, monotonicSec()),
  };
  const asked: string[] = [];
  const answers: Answers = {
    async ask(question) {
      asked.push(question);
      const act = Object.entries(hands).find(([start]) => question.includes(start))?.[1];
      await act?.();
      return '';
    },
  };
  const bus = new SimulatedI2cBus({ model: 'dfrobot', addresses: config.scale.addresses, clock: monotonicSec, load: (ch, at) => basket.counts(ch, at) });
  const printed: string[] = [];
  const out = join(dir, 'guided.jsonl');
  const report = await guidedTrip(script, {
    config, out, batch: 'LC-2024-07', answers, print: (l) => printed.push(l), clock: monotonicSec, log: silentLogger,
    devices: { loadCells: { board: 'simulated', bus, rateHz: config.scale.rateHz }, scanner: { ...config.scanner, path: pty.portPath }, gpio: null },
  });
  t.same(report.problems, []);
  t.ok(report.pass);
  t.equal(asked.length, 4, 'one prompt a step');
  t.match(printed.join('\n'), /measured \+(999|1000)\.\d g \(1 kg test weight: 1000 g\)/);
  t.same(report.result.basket.map((l) => [l.gtin, l.qty]), [[kilo.gtin, 1]]);
  t.match(printed.join('\n'), /waiting for the cart's unscanned-item alert \(up to 4.25 s after the rest\)[^\n]*\n {2}the cart alerted unscanned-item [23]\.\d s after the rest/, 'scanAfterPlaceSec (2.25 s) after the rest, at a tick of the samples');
  const truth = JSON.parse(readFileSync(report.truthPath, 'utf8')) as { alerts: { kind: string; t: number }[]; actions: { t: number; restAt: number }[]; batch: string };
  t.match(truth, { batch: 'LC-2024-07', alerts: [{ kind: 'unscanned-item' }] });
  t.ok(Math.abs(truth.alerts[0]!.t - report.result.alerts[0]!.t) <= 3, 'the alert at the rest of step 3');
  t.ok(truth.actions[2]!.t >= report.result.alerts[0]!.t, `step 4 asked for at ${truth.actions[2]!.t} s, after the alert at ${report.result.alerts[0]!.t} s`);
  t.same(report.result, await replayTrace(out, { config: config.basket }), 'what the technician was shown is what the recording replays to');
  t.match(JSON.parse(readFileSync(out, 'utf8').split('\n')[0]!), { guided: { script: 'two weights', batch: 'LC-2024-07' }, catalog: [{ gtin: kilo.gtin }, { gtin: half.gtin }] });
});

t.test('a guided step whose expected alert does not come is reported plainly, after the hold from the config and a margin', async (t) => {
  const dir = t.testdir({});
  const pty = await openPtyPair(dir);
  t.teardown(() => pty.close());
  const config = benchRig(dir, pty.portPath, { continuationSec: 1, scanAfterPlaceSec: 1 });
  const script = parseScript({
    name: 'a scanned weight taken for unscanned',
    items: [kilo],
    steps: [
      { say: 'Scan the test card of the 1 kg weight', scan: '4006381333931' },
      { say: 'Place the 1 kg weight on the front left', put: kilo.gtin },
      { say: 'Take the 1 kg weight out', take: kilo.gtin },
    ],
    // Wrong on purpose: the weight was scanned, so the cart adds it and raises nothing.
    expect: { basket: [], alerts: [{ kind: 'unscanned-item', step: 2 }] },
  });
  const basket = new DemoBasket({ widthMm: config.scale.widthMm, depthMm: config.scale.depthMm }, demoCalibration);
  const hands: Record<string, () => Promise<void>> = {
    'Scan the test card': () => pty.send(Buffer.from(']E04006381333931\r\n', 'latin1')),
    'Place the 1 kg': async () => basket.put(1000.2, { xMm: -150, yMm: 100 }, monotonicSec()),
    'Take the 1 kg': async () => basket.take(1000.2, { xMm: -150, yMm: 100 }, monotonicSec()),
  };
  const answers: Answers = {
    async ask(question) {
      await Object.entries(hands).find(([start]) => question.includes(start))?.[1]();
      return '';
    },
  };
  const bus = new SimulatedI2cBus({ model: 'dfrobot', addresses: config.scale.addresses, clock: monotonicSec, load: (ch, at) => basket.counts(ch, at) });
  const printed: string[] = [];
  const report = await guidedTrip(script, {
    config, out: join(dir, 'guided.jsonl'), batch: 'LC-2024-08', answers, print: (l) => printed.push(l), clock: monotonicSec, log: silentLogger,
    devices: { loadCells: { board: 'simulated', bus, rateHz: config.scale.rateHz }, scanner: { ...config.scanner, path: pty.portPath }, gpio: null },
  });
  t.notOk(report.pass);
  const problem = 'step 2: the cart raised no unscanned-item alert within 3 s of the weight coming to rest (it raised none)';
  t.equal(report.problems[0], problem, 'a hold of 1 s from the config, and 2 s of margin');
  t.ok(printed.includes(`  NO ALERT: ${problem}`), 'the technician is told at the step');
  t.same(report.result.changes.map((c) => c.op), ['add', 'remove'], 'the weight was added, as scanned, and taken out');
  const truth = JSON.parse(readFileSync(report.truthPath, 'utf8')) as { actions: { t: number; restAt: number }[] };
  t.ok(truth.actions[1]!.t >= truth.actions[0]!.restAt + 3 - 0.1, `step 3 asked for at ${truth.actions[1]!.t} s, once the wait after the rest at ${truth.actions[0]!.restAt} s was over`);
});

interface GuidedProcess {
  stdin: NodeJS.WritableStream;
  /** Resolves once the process has printed `text`; rejects if it ends first. */
  printed(text: string): Promise<void>;
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function startGuided(t: Test, args: string[]): GuidedProcess {
  const p = spawn(process.execPath, ['--import', 'tsx', cli, 'guided', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  t.teardown(() => void p.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  p.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    for (const w of [...waiters]) w();
  });
  p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => p.on('close', (code) => resolve({ code, stdout, stderr })));
  return {
    stdin: p.stdin,
    printed: (text) => new Promise((resolve, reject) => {
      const check = () => {
        if (!stdout.includes(text)) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
      void exited.then((r) => reject(new Error(`guided ended (${r.code}) before printing "${text}":\n${r.stdout}${r.stderr}`)));
    }),
    exited,
  };
}

t.test('cart-bench guided: exit 0 on a pass answered on stdin, 1 on a fail, 2 on a script it cannot use', async (t) => {
  const dir = t.testdir({});
  const pty = await openPtyPair(dir);
  t.teardown(() => pty.close());
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(benchRig(dir, pty.portPath)));
  const script = (name: string, body: object) => {
    writeFileSync(join(dir, name), JSON.stringify({ name, items: [kilo], ...body }));
    return join(dir, name);
  };
  const scanCard = { say: 'Scan the test card', scan: '4006381333931' };
  const args = (scriptPath: string, out: string) => ['--config', configPath, '--script', scriptPath, '--out', join(dir, out), '--batch', 'B1'];

  // The technician scans the card, then presses Enter: a line on stdin.
  const pass = startGuided(t, args(script('card.json', { steps: [scanCard], expect: { basket: [] } }), 'pass.jsonl'));
  await pass.printed('Step 1 of 1');
  await pty.send(Buffer.from('4006381333931\r', 'latin1'));
  pass.stdin.end('\n');
  const passed = await pass.exited;
  t.equal(passed.code, 0, passed.stdout + passed.stderr);
  t.match(passed.stdout, /read 4006381333931[\s\S]*PASS/);

  // --yes confirms the scan that nobody makes; the script also expects the weight in the basket.
  const fail = startGuided(t, [...args(script('kilo.json', { steps: [scanCard], expect: { basket: [{ gtin: kilo.gtin, qty: 1 }] } }), 'fail.jsonl'), '--yes']);
  fail.stdin.end();
  const failed = await fail.exited;
  t.equal(failed.code, 1, failed.stdout + failed.stderr);
  t.match(failed.stdout, /FAIL:\n {2}step 1: the scanner did not send 4006381333931 \(it sent nothing\)\n {2}basket 04006381333931: 0 instead of 1/);

  const bad = startGuided(t, args(script('bad.json', { steps: [{ say: 'Place the 500 g weight', put: half.gtin }], expect: { basket: [], alerts: [{ kind: 'unscanned-item', step: 2 }] } }), 'bad.jsonl'));
  bad.stdin.end();
  const refused = await bad.exited;
  t.equal(refused.code, 2);
  t.match(refused.stderr, /steps\.0: 04012345000009 is not among the items\n {2}expect\.alerts\.0: there is no step 2/);
});
