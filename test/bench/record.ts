// cart-bench record: what the drivers of a real cart or bench rig see,
// written as a cart-trace (shared/bench/cart-trace.md), so that a trip on
// real hardware can be replayed, scored and kept as a regression case. Run
// it with the cart-firmware service stopped: it opens the same devices.
//
// - adc lines: the firmware's own load cell sampler, at scale.rateHz;
// - serial lines: the scanner's port opened here, not through the scanner
//   driver, so the bytes are kept exactly as they came, reads and all;
// - button lines: the help and my-bag buttons through the firmware's own
//   debouncing, where there is GPIO.
//
// The trace clock starts at the first sample that carries a value: the
// samples before it are the boards being set up. A sample is stamped when its
// tick began and written when its reads are done; scanner and button lines
// that came in between wait for it, so that time never goes back in the file.
import { once } from 'node:events';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import Database from 'better-sqlite3';
import { SerialPort } from 'serialport';
import { CHANNEL_NAMES, openLoadCells, type LoadCellConfig, type LoadCells } from '../../drivers/loadcell/index.js';
import { openGpio, type GpioPins } from '../../drivers/gpio/index.js';
import type { Config } from '../../firmware/config.js';
import type { CellCalibration, LoadSample, Product, Seconds } from '../../firmware/domain.js';
import { Buttons } from '../../firmware/feedback/buttons.js';
import { buttonLinesOf } from '../../firmware/feedback/index.js';
import type { Logger } from '../../firmware/log.js';
import { CatalogStore } from '../../firmware/storage/basket-store.js';
import { loadCellsFor } from '../../firmware/process.js';
import { MetrologyStore } from '../../firmware/storage/metrology-store.js';
import type { TraceHeader, TraceLine } from './trace.js';

export interface ScannerPort {
  path: string;
  baudRate: number;
  dataBits: 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
}

export interface RecordDevices {
  loadCells: LoadCellConfig;
  /** The scanner's serial port; null where there is no scanner to record. */
  scanner: ScannerPort | null;
  /** The header's pins for the buttons; null where there is no GPIO (no button lines then). */
  gpio: GpioPins | null;
}

export interface RecorderDeps {
  clock: () => Seconds;
  log: Logger;
}

export interface RecordSummary {
  adc: number;
  serial: number;
  button: number;
  /** Trace time of the last line. */
  durationSec: Seconds;
}

/** The devices the config names, as the service would open them; the scanner's port and GPIO only where there are real ones. */
export async function recordDevicesFor(config: Config, log: Logger): Promise<RecordDevices> {
  const gpio = await openGpio(config.gpio, buttonLinesOf(config.feedback), log.child('gpio'));
  return {
    loadCells: loadCellsFor(config),
    scanner: config.scanner.kind === 'serial' ? config.scanner : null,
    gpio: gpio.board ? null : gpio.pins,
  };
}

/** What the cart knows that a trace header carries: the calibration in force and the store's catalog, from its database when it has one. */
export function storedCartData(config: Config): { calibration: CellCalibration[]; catalog: Product[] } {
  if (!existsSync(config.databasePath)) return { calibration: config.scale.calibration, catalog: [] };
  const db = new Database(config.databasePath, { readonly: true, fileMustExist: true });
  try {
    const catalog = new CatalogStore(db);
    const gtins = db.prepare('SELECT gtin FROM catalog ORDER BY gtin').pluck().all() as string[];
    return {
      calibration: new MetrologyStore(db).calibration() ?? config.scale.calibration,
      catalog: gtins.map((g) => catalog.get(g)).filter((p): p is Product => p !== undefined),
    };
  } finally {
    db.close();
  }
}

export function traceHeader(config: Config, calibration: CellCalibration[], catalog: Product[]): TraceHeader {
  return {
    kind: 'header', format: 'cart-trace', version: 1,
    cart: config.cart.id,
    rateHz: config.scale.rateHz,
    channels: [...CHANNEL_NAMES],
    geometry: { widthMm: config.scale.widthMm, depthMm: config.scale.depthMm },
    calibration,
    catalog,
  };
}

/** Resolves after `seconds`, or at once on SIGINT or SIGTERM (Ctrl-C ends a recording without a limit). */
export function untilStopped(seconds: Seconds | null): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    const timer = seconds === null ? null : setTimeout(done, seconds * 1000);
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

/** Boards are set up in well under a second; ten without a value means none answers. */
const firstValueTimeoutMs = 10_000;

/** The spec's samples carry time to a tenth of a millisecond. */
const roundT = (t: Seconds) => Math.round(t * 1e4) / 1e4;

export class TripRecorder {
  #out: WriteStream | null = null;
  #cells: LoadCells | null = null;
  #port: SerialPort | null = null;
  #buttons: Buttons | null = null;
  #originSec: Seconds | null = null;
  #started: (() => void) | null = null;
  #listeners: ((line: TraceLine) => void)[] = [];
  /** Scanner and button lines not yet written: a sample begun before them may still be reading. */
  #held: TraceLine[] = [];
  #summary: RecordSummary = { adc: 0, serial: 0, button: 0, durationSec: 0 };

  constructor(
    private readonly header: TraceHeader,
    private readonly devices: RecordDevices,
    private readonly feedback: Config['feedback'],
    private readonly deps: RecorderDeps,
  ) {}

  /** Hears every line as it is written. */
  onLine(listener: (line: TraceLine) => void): void {
    this.#listeners.push(listener);
  }

  /** Clock time of trace time 0; null before the first sample with a value. */
  get originSec(): Seconds | null {
    return this.#originSec;
  }

  /** Opens the devices and the file; resolves once the trace clock has started. */
  async start(outPath: string): Promise<void> {
    const { log } = this.deps;
    this.#out = createWriteStream(outPath, { encoding: 'utf8' });
    this.#out.write(JSON.stringify(this.header) + '\n');
    const started = new Promise<void>((resolve) => (this.#started = resolve));
    if (this.devices.scanner) this.#port = await this.#openScanner(this.devices.scanner);
    else log.warn('no scanner port to record (scanner.kind is not serial): no serial lines');
    if (this.devices.gpio) this.#startButtons(this.devices.gpio);
    else log.warn('no GPIO here: no button lines');
    this.#cells = await openLoadCells(this.devices.loadCells, { clock: this.deps.clock, log });
    this.#cells.sampler.on('sample', (s) => this.#sample(s));
    this.#cells.sampler.start();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), firstValueTimeoutMs)));
    const late = await Promise.race([started.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) {
      await this.stop();
      throw new Error(`no load cell gave a value within ${firstValueTimeoutMs / 1000} s: are the boards connected and at the configured addresses?`);
    }
    log.info('recording', { out: outPath, rateHz: this.header.rateHz, catalog: this.header.catalog.length });
  }

  async stop(): Promise<RecordSummary> {
    this.#buttons?.stop();
    this.devices.gpio?.close();
    await this.#cells?.close();
    const port = this.#port;
    this.#port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    this.#release(Infinity);
    const out = this.#out;
    this.#out = null;
    if (out) {
      out.end();
      await once(out, 'finish');
    }
    return { ...this.#summary };
  }

  /** Writes the held lines from before `t`. */
  #release(t: Seconds): void {
    while (this.#held.length > 0 && this.#held[0]!.t < t) this.#write(this.#held.shift()!);
  }

  #write(line: TraceLine): void {
    if (!this.#out) return;
    this.#out.write(JSON.stringify(line) + '\n');
    this.#summary[line.kind]++;
    this.#summary.durationSec = line.t;
    for (const l of this.#listeners) l(line);
  }

  /** Trace time of an event at `atSec`, or null before the trace clock started. */
  #traceTime(atSec: Seconds): Seconds | null {
    return this.#originSec === null ? null : roundT(atSec - this.#originSec);
  }

  #sample(s: LoadSample): void {
    if (this.#originSec === null) {
      if (s.raw.every((v) => v === null)) return;
      this.#originSec = s.atSec;
      this.#started?.();
    }
    const t = this.#traceTime(s.atSec)!;
    this.#release(t);
    this.#write({ t, kind: 'adc', raw: s.raw });
  }

  async #openScanner(p: ScannerPort): Promise<SerialPort> {
    const { log, clock } = this.deps;
    const port = new SerialPort({ path: p.path, baudRate: p.baudRate, dataBits: p.dataBits, parity: p.parity, stopBits: p.stopBits, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(new Error(`cannot open the scanner port ${p.path}: ${err.message}`)) : resolve())));
    // Bytes that waited in the kernel are from before the recording: likely a code cut in half.
    await new Promise<void>((resolve) => port.flush(() => resolve()));
    port.on('data', (chunk: Buffer) => {
      const t = this.#traceTime(clock());
      if (t !== null) this.#held.push({ t, kind: 'serial', data: chunk.toString('latin1') });
    });
    port.on('error', (err: Error) => log.warn('scanner port error', { error: err.message }));
    port.on('close', (err: Error | null) => {
      if (err) log.warn('scanner port lost: no more serial lines', { error: err.message });
    });
    log.info('scanner port open', { path: p.path });
    return port;
  }

  #startButtons(gpio: GpioPins): void {
    const f = this.feedback;
    this.#buttons = new Buttons(
      [{ name: 'help', pin: gpio.input(f.pins.help, 'help button') }, { name: 'my-bag', pin: gpio.input(f.pins.myBag, 'my-bag button') }],
      { debounceSec: f.debounceMs / 1000, stuckAfterSec: f.stuckAfterSec, pressedLevel: f.buttonPressedLevel },
      {
        clock: this.deps.clock,
        log: this.deps.log.child('buttons'),
        onPress: (press) => {
          const t = this.#traceTime(press.atSec);
          if (t !== null) this.#held.push({ t, kind: 'button', name: press.name, pressed: press.pressed });
        },
      },
    );
    this.#buttons.start();
  }
}
