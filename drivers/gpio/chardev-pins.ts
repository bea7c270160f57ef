// Pins through the GPIO character device, with libgpiod's tools
// (gpiod-tools.ts). A line belongs to the process that requested it and is
// let go when that process ends, so each output is one gpioset holding its
// line at a level, replaced when the level changes (the old one must have
// exited before the new one can request the line), and the inputs are one
// gpiomon for all buttons, their levels read first with gpioget.
import { createInterface } from 'node:readline';
import type { Logger } from '../../firmware/log.js';
import { GpioSetupError } from './chip.js';
import { dialectOf, parseEdge, parseLevels, type Bias, type GpiodDialect, type GpiodTools, type ToolProcess } from './gpiod-tools.js';
import { GpioExportError } from './onoff-pins.js';
import type { GpioPins, InputPin, Level, OutputPin } from './pins.js';

export interface ChardevOptions {
  /** /dev/gpiochipN of the header: BCM n is its line n. */
  chip: string;
  /** BCM numbers of the inputs (the buttons), requested at open with `inputBias`. */
  inputs: readonly number[];
  inputBias: Bias;
}

export interface ChardevDeps {
  tools: GpiodTools;
  log: Logger;
  /** Wait before a tool that died is started again; doubles to 30 s while it keeps dying. */
  retryMs?: number;
}

const runTimeoutMs = 5000;
/** A 1.6 gpioset that has not ended this long after its start holds its line (a refused request ends it at once). */
const heldAfterMs = 200;
const maxRetryMs = 30_000;

/** Collects what a tool says on stderr, for the error that names why it ended. */
function lastWords(proc: ToolProcess): () => string {
  let text = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (chunk: string) => (text = (text + chunk).slice(-400)));
  return () => text.trim().split('\n').at(-1) ?? '';
}

/** Calls `listener` once, on 'exit' or on a spawn 'error', whichever comes first. */
function onEnd(proc: ToolProcess, listener: (why: string) => void): void {
  let ended = false;
  const end = (why: string) => {
    if (!ended) listener(why);
    ended = true;
  };
  proc.once('exit', (code, signal) => end(signal ? `killed by ${signal}` : `exit code ${code}`));
  proc.once('error', (err) => end(err.message));
}

/** One output line, held by a gpioset at the level last written. */
class HeldLine {
  #desired: Level = 0;
  #proc: ToolProcess | null = null;
  #heldLevel: Level = 0;
  #replacing = false;
  #closed = false;
  #failing = false;
  #retryMs: number;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly bcm: number,
    private readonly role: string,
    private readonly o: { chip: string; dialect: GpiodDialect; deps: ChardevDeps },
  ) {
    this.#retryMs = o.deps.retryMs ?? 1000;
    this.#hold();
  }

  write(level: Level): void {
    this.#desired = level;
    if (this.#proc && this.#heldLevel !== level && !this.#replacing) {
      this.#replacing = true;
      this.#proc.kill('SIGTERM');
    }
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#proc?.kill('SIGTERM');
  }

  #hold(): void {
    const { chip, dialect, deps } = this.o;
    const level = this.#desired;
    const proc = deps.tools.start('gpioset', dialect.holdArgs(chip, this.bcm, level));
    this.#proc = proc;
    this.#heldLevel = level;
    this.#replacing = false;
    const said = lastWords(proc);
    const held = () => {
      if (this.#proc !== proc) return;
      if (this.#failing) deps.log.info('GPIO output held again', { bcm: this.bcm, role: this.role });
      this.#failing = false;
      this.#retryMs = deps.retryMs ?? 1000;
    };
    // 2.x says when it holds the line (--banner); 1.6 says nothing, so a gpioset still running a moment later holds it.
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', () => dialect.holdSaysReady && held());
    const quiet = dialect.holdSaysReady ? null : setTimeout(held, heldAfterMs);
    onEnd(proc, (why) => {
      if (quiet) clearTimeout(quiet);
      this.#proc = null;
      if (this.#closed) return;
      if (this.#replacing) return this.#hold();
      // Ended by itself: the line is let go (the light or buzzer is wrong) until it is held again.
      const facts = { bcm: this.bcm, role: this.role, chip, error: said() || why, retryMs: this.#retryMs };
      if (!this.#failing) deps.log.error(`GPIO output lost: the ${this.role} is not driven; trying again`, facts);
      else deps.log.debug('GPIO output still lost', facts);
      this.#failing = true;
      this.#timer = setTimeout(() => {
        this.#timer = null;
        if (!this.#closed) this.#hold();
      }, this.#retryMs);
      this.#retryMs = Math.min(maxRetryMs, this.#retryMs * 2);
    });
  }
}

export class ChardevPins implements GpioPins {
  readonly simulated = false;
  readonly #outputs: HeldLine[] = [];
  readonly #levels = new Map<number, Level>();
  readonly #listeners = new Map<number, ((level: Level) => void)[]>();
  #monitor: ToolProcess | null = null;
  #closed = false;
  #retryMs: number;

  private constructor(
    private readonly options: ChardevOptions,
    private readonly dialect: GpiodDialect,
    private readonly deps: ChardevDeps,
  ) {
    this.#retryMs = deps.retryMs ?? 1000;
  }

  /**
   * Finds the tools and their generation, reads the inputs' levels (which
   * opens the chip and requests their lines: a missing chip, a line another
   * process holds or a permission is an error here, naming the chip), then
   * watches them.
   */
  static async open(options: ChardevOptions, deps: ChardevDeps): Promise<ChardevPins> {
    const where = `GPIO character device ${options.chip}`;
    let dialect: GpiodDialect;
    try {
      dialect = dialectOf(await deps.tools.run('gpioset', ['--version'], runTimeoutMs));
    } catch (err) {
      throw new GpioSetupError(`cannot use the ${where}: ${(err as Error).message}`);
    }
    const pins = new ChardevPins(options, dialect, deps);
    if (options.inputs.length > 0) {
      try {
        await pins.#readInputs();
      } catch (err) {
        throw new GpioSetupError(`cannot read the buttons (BCM ${options.inputs.join(', ')}) on the ${where}: ${(err as Error).message}`);
      }
      pins.#watchInputs();
    }
    deps.log.info('GPIO through the character device', { chip: options.chip, tools: `libgpiod ${dialect.version}`, inputs: options.inputs.join(',') });
    return pins;
  }

  output(bcm: number, role: string): OutputPin {
    const line = new HeldLine(bcm, role, { chip: this.options.chip, dialect: this.dialect, deps: this.deps });
    this.#outputs.push(line);
    return { bcm, write: (level) => line.write(level) };
  }

  input(bcm: number, role: string): InputPin {
    if (!this.#levels.has(bcm)) throw new GpioExportError(`cannot use GPIO BCM ${bcm} for the ${role}: it was not opened as an input (inputs: ${this.options.inputs.join(', ') || 'none'})`);
    return {
      bcm,
      read: () => this.#levels.get(bcm)!,
      watch: (listener) => void this.#listeners.set(bcm, [...(this.#listeners.get(bcm) ?? []), listener]),
    };
  }

  close(): void {
    this.#closed = true;
    for (const line of this.#outputs.splice(0)) line.close();
    this.#monitor?.kill('SIGTERM');
    this.#listeners.clear();
  }

  async #readInputs(): Promise<void> {
    const { chip, inputs, inputBias } = this.options;
    const levels = parseLevels(await this.deps.tools.run('gpioget', this.dialect.getArgs(chip, inputs, inputBias), runTimeoutMs), inputs.length);
    inputs.forEach((bcm, i) => this.#set(bcm, levels[i]!));
  }

  #set(bcm: number, level: Level): void {
    const before = this.#levels.get(bcm);
    this.#levels.set(bcm, level);
    if (before !== undefined && before !== level) for (const l of this.#listeners.get(bcm) ?? []) l(level);
  }

  #watchInputs(): void {
    const { chip, inputs, inputBias } = this.options;
    const proc = this.deps.tools.start('gpiomon', this.dialect.monitorArgs(chip, inputs, inputBias));
    this.#monitor = proc;
    const said = lastWords(proc);
    createInterface({ input: proc.stdout, crlfDelay: Infinity }).on('line', (line) => {
      this.#retryMs = this.deps.retryMs ?? 1000;
      const edge = parseEdge(this.dialect, line);
      if (edge && this.#levels.has(edge.offset)) this.#set(edge.offset, edge.level);
      else this.deps.log.warn('gpiomon said something that is not an edge; ignored', { line: line.slice(0, 80) });
    });
    onEnd(proc, (why) => {
      this.#monitor = null;
      if (this.#closed) return;
      // Edges are missed until gpiomon runs again; the levels are read anew first.
      this.deps.log.error('GPIO inputs lost: the buttons are not heard; trying again', { chip, error: said() || why, retryMs: this.#retryMs });
      setTimeout(() => void this.#rewatch(), this.#retryMs);
      this.#retryMs = Math.min(maxRetryMs, this.#retryMs * 2);
    });
  }

  async #rewatch(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#readInputs();
    } catch (err) {
      this.deps.log.debug('buttons still cannot be read', { error: (err as Error).message });
    }
    if (!this.#closed) this.#watchInputs();
  }
}
