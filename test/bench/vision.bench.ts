// Vision, measured rather than assumed (issue 6).
//   npx tsx test/bench/vision.bench.ts [latency] [e2e] [fusion]     (all three when none is named)
//
// latency: one inference of the default model (one 48 x 48 crop), median and
//   95th percentile over 300 runs, and the process's peak memory, with ONNX
//   Runtime for Node at 1, 2 and 4 threads, and beside it onnxruntime-web's
//   WebAssembly backend on the same model file. Each in a child process of its
//   own, so memory and thread pools do not mix.
// e2e: the running pieces together: a simulated camera app streaming 320 x 240
//   at 10 fps into the ring, the inference worker, the stage and the gate, and
//   the load cell sampler at 80 Hz on simulated boards. For each pack put in,
//   the time from the weight change being reported settled to its guess being
//   attached, and the longest gap between two load cell samples while that
//   ran; then the same with inference on the main thread, which the worker is
//   there to avoid.
// fusion: the shared sample trips and generated dishonest trips, replayed
//   without and with camera frames rendered from their truth (test/vision/).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LibcameraCamera, SimulatedCameraApps, yuv420FrameBytes, type FrameSource } from '../../drivers/camera/index.js';
import { SimRandom } from '../../drivers/camera/sim/random.js';
import { evenLight, SceneRenderer } from '../../drivers/camera/sim/scene.js';
import { openLoadCells, SimulatedI2cBus } from '../../drivers/loadcell/index.js';
import type { BasketInput } from '../../firmware/basket/types.js';
import type { StableDelta } from '../../firmware/domain.js';
import { silentLogger } from '../../firmware/log.js';
import { ChangeDetector } from '../../firmware/vision/change-region.js';
import { GuessGate, InferenceWorker, packReferences, VisionStage, type ViewPair } from '../../firmware/vision/index.js';
import type { ModelManifest } from '../../firmware/vision/manifest.js';
import { embeddingModel, loadModel } from '../../firmware/vision/model.js';
import { normalise } from '../../firmware/vision/preprocess.js';
import { cropOfChange, Recogniser } from '../../firmware/vision/recognise.js';
import type { Recognises } from '../../firmware/vision/stage.js';
import { floor, inputSize, Photographer, productSets, referenceEmbeddings } from '../../models/train/products.js';
import { evaluateFusion } from '../vision/fusion-eval.js';
import { generateTrips } from './generate.js';
import { quantile } from './score.js';

const modelDir = fileURLToPath(new URL('../../models/default', import.meta.url));
const manifest = JSON.parse(readFileSync(join(modelDir, 'manifest.json'), 'utf8')) as ModelManifest;
const clock = () => performance.now() / 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function stats(ms: number[]): { median: number; p95: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  return { median: round2(quantile(sorted, 0.5)!), p95: round2(quantile(sorted, 0.95)!) };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

// ---------------------------------------------------------------- latency

/** Crops as the cart makes them, normalised: the model's real input. */
function realInputs(count: number): Float32Array[] {
  const products = productSets(31, count, 0).train;
  const camera = new Photographer(32, products);
  const detector = new ChangeDetector(320, 240);
  const rgb = new Uint8Array(inputSize * inputSize * 3);
  return products.map((gtin) => {
    const { view, removal } = camera.view(gtin);
    cropOfChange(detector, view, removal, inputSize, rgb);
    const x = new Float32Array(3 * inputSize * inputSize);
    normalise(rgb, manifest.input, x, 0);
    return x;
  });
}

async function latencyChild(runtime: string, threads: number): Promise<void> {
  const inputs = realInputs(16);
  const rssBefore = process.memoryUsage().rss;
  let run: (x: Float32Array) => Promise<unknown>;
  if (runtime === 'node') {
    const model = embeddingModel(await loadModel(modelDir, threads));
    run = (x) => model.embed(x, 1);
  } else {
    const ortWeb = await import('onnxruntime-web');
    // Read once, when the WebAssembly module starts: hence one process per setting.
    ortWeb.env.wasm.numThreads = threads;
    const session = await ortWeb.InferenceSession.create(readFileSync(join(modelDir, manifest.file)), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    run = (x) => session.run({ [manifest.input.name]: new ortWeb.Tensor('float32', x, [1, 3, inputSize, inputSize]) });
  }
  for (let i = 0; i < 30; i++) await run(inputs[i % inputs.length]!);
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    await run(inputs[i % inputs.length]!);
    times.push(performance.now() - t0);
  }
  const s = stats(times);
  process.stdout.write(JSON.stringify({
    runtime, threads, medianMs: s.median, p95Ms: s.p95,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    modelRssMb: Math.round((process.memoryUsage().rss - rssBefore) / 2 ** 20),
  }) + '\n');
  process.exit(0);
}

async function latency(): Promise<void> {
  process.stdout.write(`\nlatency: one crop through ${manifest.name} ${manifest.version} (300 runs after 30 to warm up)\n`);
  process.stdout.write('runtime                 threads  median ms  p95 ms  peak RSS MB  RSS for model+runs MB\n');
  for (const runtime of ['node', 'web']) {
    for (const threads of [1, 2, 4]) {
      const out = await new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', runtime, String(threads)], { stdio: ['ignore', 'pipe', 'inherit'] });
        let text = '';
        child.stdout.on('data', (b: Buffer) => (text += b.toString()));
        child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`${runtime} at ${threads} threads exited with ${code}`))));
      });
      const r = JSON.parse(out.trim().split('\n').at(-1)!) as { medianMs: number; p95Ms: number; peakRssMb: number; modelRssMb: number };
      const name = runtime === 'node' ? 'onnxruntime-node (CPU)' : 'onnxruntime-web (WASM)';
      process.stdout.write(`${name.padEnd(24)}${String(threads).padStart(7)}${r.medianMs.toFixed(2).padStart(11)}${r.p95Ms.toFixed(2).padStart(8)}${String(r.peakRssMb).padStart(13)}${String(r.modelRssMb).padStart(23)}\n`);
    }
  }
}

// ---------------------------------------------------------------- end to end

interface Run {
  guessMs: number[];
  right: number;
  guesses: number;
  maxGapMs: number;
  /** Gaps between samples longer than 25 ms (two ticks missed at 80 Hz). */
  longGaps: number;
  samples: number;
}

/** Where pack i lies when it is put in. */
function placeOf(i: number): { xMm: number; yMm: number } {
  return { xMm: ((i % 5) - 2) * 80, yMm: ((i % 3) - 1) * 70 };
}

/**
 * The basket as the camera sees it, rendered before the run: the empty
 * basket and each pack alone. A real camera app hands over bytes from its own
 * process; rendering on the main thread during the run would charge the
 * simulator's work to the cart.
 */
class PrerenderedBasket {
  readonly #frames = new Map<string, Uint8Array>();
  #showing = '';
  #pending: { gtin: string; atSec: number } | null = null;

  constructor(products: readonly string[]) {
    const renderer = new SceneRenderer(320, 240, floor);
    const rng = new SimRandom(3);
    const render = (items: Parameters<SceneRenderer['render']>[0]) => {
      const frame = new Uint8Array(yuv420FrameBytes(320, 240));
      renderer.render(items, evenLight, rng, frame);
      return frame;
    };
    this.#frames.set('', render([]));
    products.forEach((gtin, i) => this.#frames.set(gtin, render([{ gtin, ...placeOf(i), angleRad: 0.4 * i }])));
  }

  /** The pack shows once the hand (half a second) has let go; '' empties the basket at once. */
  show(gtin: string, atSec: number): void {
    this.#pending = { gtin, atSec: atSec + (gtin === '' ? 0 : 0.5) };
  }

  readonly source: FrameSource = (_i, atSec, _w, _h, out) => {
    if (this.#pending && atSec >= this.#pending.atSec) {
      this.#showing = this.#pending.gtin;
      this.#pending = null;
    }
    out.set(this.#frames.get(this.#showing)!);
  };
}

async function endToEnd(recogniser: Recognises | null, products: string[], events: number): Promise<Run> {
  const scene = new PrerenderedBasket(products);
  const apps = new SimulatedCameraApps({ clock, source: scene.source });
  const camera = new LibcameraCamera(
    { id: 'top', cameraIndex: 0, streamBinary: 'rpicam-vid', stillBinary: 'rpicam-still', width: 320, height: 240, framerate: 10, ringSec: 5, stallSec: 3, snapshotTimeoutMs: 8000 },
    { apps, clock, log: silentLogger },
  );
  const bus = new SimulatedI2cBus({ model: 'm5stack', addresses: [0x26, 0x27, 0x28, 0x29], clock, load: () => 20000 + Math.random() * 20 });
  const cells = await openLoadCells({ board: 'simulated', bus, rateHz: 80 }, { clock, log: silentLogger });
  const stage = recogniser ? new VisionStage([camera], recogniser, 5, silentLogger) : { guess: () => null };
  let attached: StableDelta | null = null;
  const gate = new GuessGate({ source: stage, maxWaitSec: 1 }, (input: BasketInput) => {
    if (input.kind === 'stable-delta') attached = input;
  }, silentLogger);
  let measuring = false;
  let lastSample: number | null = null;
  let maxGap = 0;
  let longGaps = 0;
  let samples = 0;
  cells.sampler.on('sample', (s) => {
    gate.timePassed(s.atSec);
    if (measuring && lastSample !== null) {
      maxGap = Math.max(maxGap, s.atSec - lastSample);
      if (s.atSec - lastSample > 0.025) longGaps++;
    }
    if (measuring) samples++;
    lastSample = s.atSec;
  });
  cells.sampler.start();
  await camera.start();
  while (camera.ring.size < 3) await sleep(50);
  const run: Run = { guessMs: [], right: 0, guesses: 0, maxGapMs: 0, longGaps: 0, samples: 0 };
  measuring = true;
  for (let i = 0; i < events; i++) {
    const gtin = products[i % products.length]!;
    const began = clock();
    scene.show(gtin, began);
    // The hand takes half a second; the weight stage reports the change a few tenths after it comes to rest.
    await sleep(800);
    const delta: StableDelta = { kind: 'stable-delta', grams: 300, sdGrams: 1, centre: null, beganAtSec: began, restAtSec: began + 0.55, atSec: clock() };
    attached = null;
    const t0 = performance.now();
    gate.input(delta);
    await gate.settled();
    run.guessMs.push(performance.now() - t0);
    const guess = (attached as StableDelta | null)?.guess;
    if (guess) run.guesses++;
    if (guess?.top[0]?.gtin === gtin) run.right++;
    // Out again before the next one, so that each change is one pack.
    scene.show('', clock());
    await sleep(700);
  }
  measuring = false;
  run.maxGapMs = Math.round(maxGap * 1000 * 10) / 10;
  run.samples = samples;
  run.longGaps = longGaps;
  await camera.stop();
  await cells.close();
  return run;
}

async function e2e(): Promise<void> {
  const products = productSets(41, 12, 0).train;
  const events = 24;
  const idle = await endToEnd(null, products, events);
  process.stdout.write(`\nend to end: ${events} packs put in, 1 camera at 320x240 and 10 fps, load cells sampled at 80 Hz\n`);
  process.stdout.write('inference                        guess after settle: median ms  p95 ms  max ms  guesses  right  longest sample gap ms  gaps > 25 ms\n');
  const gaps = (r: Run) => `${r.maxGapMs.toFixed(1).padStart(23)}${`${r.longGaps} of ${r.samples}`.padStart(14)}`;
  process.stdout.write(`${'none (camera and sampler alone)'.padEnd(33)}${'-'.padStart(30)}${'-'.padStart(8)}${'-'.padStart(8)}${'-'.padStart(9)}${'-'.padStart(7)}${gaps(idle)}\n`);
  const show = (name: string, r: Run) => {
    const s = stats(r.guessMs);
    process.stdout.write(`${name.padEnd(33)}${s.median.toFixed(1).padStart(30)}${s.p95.toFixed(1).padStart(8)}${Math.max(...r.guessMs).toFixed(1).padStart(8)}${String(r.guesses).padStart(9)}${String(r.right).padStart(7)}${gaps(r)}\n`);
  };
  for (const threads of [1, 2]) {
    const worker = new InferenceWorker({ threads }, silentLogger);
    worker.start();
    const m = await worker.load(modelDir);
    await worker.setReferences(packReferences(m.version, m.output.size, await referenceEmbeddings((v, r) => worker.embed(v, r), products, 8, 4)));
    show(`worker thread, ${threads} ORT thread${threads > 1 ? 's' : ''}`, await endToEnd(worker, products, events));
    await worker.stop();
  }
  // What the worker avoids: the same recognition on the event loop.
  const loaded = await loadModel(modelDir, 1);
  const local = new Recogniser(embeddingModel(loaded));
  local.setReferences(packReferences(manifest.version, manifest.output.size, await referenceEmbeddings((v, r) => local.embeddings(v, r), products, 8, 4)));
  const onMain: Recognises = { manifest, recognise: (views: ViewPair[], removal: boolean, topK: number) => local.recognise(views, removal, topK) };
  show('main thread (for comparison)', await endToEnd(onMain, products, events));
  await loaded.session.release();
}

// ---------------------------------------------------------------- fusion

async function fusion(): Promise<void> {
  const examples = fileURLToPath(new URL('../../../shared/bench/examples', import.meta.url));
  const shared = existsSync(examples) ? readdirSync(examples).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(examples, f)) : [];
  const out = mkdtempSync(join(tmpdir(), 'vision-trips-'));
  try {
    await generateTrips({ profile: 'typical', seed: 606, count: 24, out, honest: false });
    const generated = readdirSync(out).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(out, f));
    for (const [name, traces] of [['shared samples', shared], ['generated dishonest trips (typical, seed 606)', generated]] as const) {
      if (traces.length === 0) continue;
      const c = await evaluateFusion([...traces]);
      const pct = (n: number, of: number) => (of === 0 ? '-' : `${n} of ${of} (${Math.round((100 * n) / of)} %)`);
      process.stdout.write(`\nfusion on ${c.trips} ${name}\n` +
        `  ambiguous removals:            ${c.ambiguous}; alerted without cameras ${pct(c.ambiguousAlertedWithout, c.ambiguous)}\n` +
        `    resolved by the cameras:     right ${pct(c.ambiguousResolvedRight, c.ambiguous)}, wrong ${c.ambiguousResolvedWrong}\n` +
        `  unscanned items:               ${c.unscanned}; alert names the right product ${pct(c.unscannedNamedRight, c.unscanned)}, another ${c.unscannedNamedWrong}, none ${c.unscannedUnnamed}\n` +
        `  weight mismatches:             ${c.mismatches}; cameras saw another product go in ${pct(c.mismatchesSeen, c.mismatches)}\n` +
        `  final basket right:            without cameras ${c.basketExactWithout}, with ${c.basketExactWith} of ${c.trips}\n` +
        `  alerts with no truth behind:   without cameras ${c.falseAlertsWithout}, with ${c.falseAlertsWith}\n`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

// ----------------------------------------------------------------

const args = process.argv.slice(2);
if (args[0] === '--child') {
  await latencyChild(args[1]!, Number(args[2]));
} else {
  const all = args.length === 0;
  process.stdout.write(`vision benchmark on ${process.platform}/${process.arch}, node ${process.version}, ${(await import('node:os')).cpus().length} cores (shared: figures vary run to run)\n`);
  process.stdout.write(`held-out figures from the manifest: ${JSON.stringify(manifest.heldOut)}\n`);
  if (all || args.includes('latency')) await latency();
  if (all || args.includes('e2e')) await e2e();
  if (all || args.includes('fusion')) await fusion();
}
