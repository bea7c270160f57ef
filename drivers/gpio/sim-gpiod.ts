// A simulated GPIO chip behind libgpiod's tools, answering at the tools'
// boundary: their command lines in, what they print and how they end out.
// The development and CI machines can load neither gpio-sim nor gpio-mockup,
// so the chardev driver is tested here. It follows the tools as they
// document themselves: 1.6 from `--help` of Debian's gpiod 1.6.3 (gpioset's default mode "exit"
// lets the line go at once, --mode=signal holds it until SIGTERM; gpiomon's
// %e is 0 for a falling edge, 1 for a rising one; gpioget prints "1 0"), 2.x
// from libgpiod's tools/gpioset.c, gpioget.c, gpiomon.c (gpioset holds until
// killed and prints "Setting line '23'..." with --banner; gpioget prints
// "\"17\"=active" unless --numeric; gpiomon's %e is 1 rising, 2 falling). A
// line is requested by one process at a time; a second request fails with
// EBUSY, as the kernel's does.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { Bias, GpiodTool, GpiodTools, ToolProcess } from './gpiod-tools.js';
import type { Level } from './pins.js';
import type { PinChange } from './sim.js';

class SimulatedTool extends EventEmitter implements ToolProcess {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  #ended = false;

  constructor(private readonly onKill: (tool: SimulatedTool, signal: NodeJS.Signals) => void) {
    super();
  }

  get ended(): boolean {
    return this.#ended;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (this.#ended) return false;
    setImmediate(() => this.onKill(this, signal));
    return true;
  }

  end(code: number | null, signal: NodeJS.Signals | null, stderr?: string): void {
    if (this.#ended) return;
    this.#ended = true;
    if (stderr) this.stderr.write(`${stderr}\n`);
    this.stdout.end();
    this.stderr.end();
    setImmediate(() => this.emit('exit', code, signal));
  }
}

interface SimLine {
  holder: SimulatedTool;
  direction: 'in' | 'out';
  level: Level;
}

interface Parsed {
  chip: string | undefined;
  bias: Bias | undefined;
  flags: Set<string>;
  lines: string[];
}

export class SimulatedGpiodChip implements GpiodTools {
  /** Every level an output was driven to, in order. */
  readonly changes: PinChange[] = [];
  /** Every tool started, with its arguments. */
  readonly started: { tool: GpiodTool; args: string[] }[] = [];
  readonly #lines = new Map<number, SimLine>();
  readonly #external = new Map<number, Level>();
  readonly #monitors = new Set<{ tool: SimulatedTool; offsets: number[] }>();
  #installed = true;

  constructor(
    readonly path = '/dev/gpiochip0',
    readonly version: 1 | 2 = 2,
    readonly ngpio = 58,
    private readonly clock: () => number = () => performance.now() / 1000,
  ) {}

  /** The tools are not installed: every run fails as execFile's ENOENT does in libgpiodTools. */
  uninstall(): void {
    this.#installed = false;
  }

  /** The output level of a line a gpioset holds, null when nothing drives it. */
  level(bcm: number): Level | null {
    const line = this.#lines.get(bcm);
    return line && line.direction === 'out' ? line.level : null;
  }

  /** Lines requested now, by anyone. */
  requested(): number[] {
    return [...this.#lines.keys()].sort((a, b) => a - b);
  }

  /** The outside world sets an input's level; a gpiomon watching it prints the edge. */
  drive(bcm: number, level: Level): void {
    const before = this.#inputLevel(bcm);
    this.#external.set(bcm, level);
    if (before === level) return;
    for (const m of this.#monitors) {
      if (!m.tool.ended && m.offsets.includes(bcm)) m.tool.stdout.write(`${bcm} ${this.#eventCode(level)}\n`);
    }
  }

  /** Another process takes a line (a second firmware, a technician's gpioset): requests for it fail with EBUSY. */
  holdElsewhere(bcm: number): void {
    this.#lines.set(bcm, { holder: new SimulatedTool(() => {}), direction: 'out', level: 0 });
  }

  /** The tool holding the line dies by itself (killed by the OOM killer, say). */
  crashHolder(bcm: number): void {
    const line = this.#lines.get(bcm);
    if (line) this.#release(line.holder, null, 'SIGKILL');
  }

  run(tool: GpiodTool, args: readonly string[]): Promise<string> {
    if (!this.#installed) return Promise.reject(new Error(`${tool} not found: install libgpiod's tools (Debian package gpiod)`));
    if (args.includes('--version')) return Promise.resolve(`${tool} (libgpiod) v${this.version === 1 ? '1.6.3' : '2.1.3'}\nCopyright (C) 2017-2023 Bartosz Golaszewski\n`);
    if (tool !== 'gpioget') return Promise.reject(new Error(`${tool} failed: the simulated chip runs gpioget to its end, ${tool} only with start()`));
    const p = this.#parse(args);
    const refusal = this.#refuse(tool, p, p.lines.map(Number));
    if (refusal) return Promise.reject(new Error(`${tool} failed: ${refusal}`));
    const offsets = p.lines.map(Number);
    const levels = offsets.map((o) => this.#external.get(o) ?? (p.bias === 'pull-down' ? 0 : 1));
    if (this.version === 2 && !p.flags.has('--numeric')) return Promise.resolve(`${offsets.map((o, i) => `"${o}"=${levels[i] ? 'active' : 'inactive'}`).join(' ')}\n`);
    return Promise.resolve(`${levels.join(' ')}\n`);
  }

  start(tool: GpiodTool, args: readonly string[]): ToolProcess {
    const proc = new SimulatedTool((t, signal) => this.#release(t, null, signal));
    this.started.push({ tool, args: [...args] });
    if (!this.#installed) {
      setImmediate(() => proc.emit('error', Object.assign(new Error(`spawn ${tool} ENOENT`), { code: 'ENOENT' })));
      return proc;
    }
    setImmediate(() => (tool === 'gpioset' ? this.#set(proc, args) : this.#monitor(proc, args)));
    return proc;
  }

  #set(proc: SimulatedTool, args: readonly string[]): void {
    if (proc.ended) return;
    const p = this.#parse(args);
    const pairs = p.lines.map((l) => l.split('='));
    const offsets = pairs.map(([o]) => Number(o));
    const refusal = this.#refuse('gpioset', p, offsets);
    if (refusal) return proc.end(1, null, refusal);
    for (const [o, v] of pairs) {
      const level: Level = v === '1' ? 1 : 0;
      this.#lines.set(Number(o), { holder: proc, direction: 'out', level });
      this.changes.push({ bcm: Number(o), level, atSec: this.clock() });
    }
    if (this.version === 2) {
      if (p.flags.has('--banner')) proc.stdout.write(`Setting line '${offsets[0]}'...\n`);
    } else if (!p.flags.has('--mode=signal')) {
      // 1.6's default mode: set the values and exit, which lets the lines go.
      this.#release(proc, 0, null);
    }
  }

  #monitor(proc: SimulatedTool, args: readonly string[]): void {
    if (proc.ended) return;
    const p = this.#parse(args);
    const offsets = p.lines.map(Number);
    const refusal = this.#refuse('gpiomon', p, offsets);
    if (refusal) return proc.end(1, null, refusal);
    const format = [...p.flags].find((f) => f.startsWith('--format='));
    if (format !== '--format=%o %e') return proc.end(1, null, `gpiomon: the simulated chip prints only --format="%o %e" (got ${format ?? 'none'})`);
    for (const o of offsets) this.#lines.set(o, { holder: proc, direction: 'in', level: this.#inputLevel(o) });
    this.#monitors.add({ tool: proc, offsets });
  }

  #release(tool: SimulatedTool, code: number | null, signal: NodeJS.Signals | null): void {
    for (const [o, line] of this.#lines) if (line.holder === tool) this.#lines.delete(o);
    for (const m of this.#monitors) if (m.tool === tool) this.#monitors.delete(m);
    tool.end(code, signal);
  }

  #inputLevel(bcm: number): Level {
    return this.#external.get(bcm) ?? 1;
  }

  #eventCode(level: Level): string {
    if (this.version === 1) return level === 1 ? '1' : '0';
    return level === 1 ? '1' : '2';
  }

  /** The tools' command lines: 1.6 names the chip first, 2.x with -c; -C takes a value in 2.x. */
  #parse(args: readonly string[]): Parsed {
    const p: Parsed = { chip: undefined, bias: undefined, flags: new Set(), lines: [] };
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (this.version === 2 && (a === '-c' || a === '-C')) {
        const value = args[++i];
        if (a === '-c') p.chip = value;
      } else if (a.startsWith('--bias=')) p.bias = a.slice(7) as Bias;
      else if (a.startsWith('-')) p.flags.add(a);
      else if (this.version === 1 && p.chip === undefined) p.chip = a;
      else p.lines.push(a);
    }
    return p;
  }

  /** What the tool prints on stderr when it cannot have the lines, or null when it can. */
  #refuse(tool: GpiodTool, p: Parsed, offsets: number[]): string | null {
    if (p.chip !== this.path) {
      return this.version === 1 ? `${tool}: error setting the GPIO line values: No such file or directory` : `${tool}: cannot find a GPIO chip character device corresponding to ${p.chip}`;
    }
    if (offsets.length === 0 || offsets.some((o) => !Number.isInteger(o) || o < 0 || o >= this.ngpio)) {
      return this.version === 1 ? `${tool}: offset out of range` : `${tool}: offset ${offsets.find((o) => !(o >= 0 && o < this.ngpio))} is out of range on chip '${p.chip}'`;
    }
    if (offsets.some((o) => this.#lines.has(o))) {
      return this.version === 1 ? `${tool}: error requesting GPIO lines: Device or resource busy` : `${tool}: unable to request lines on chip '${p.chip}': Device or resource busy`;
    }
    return null;
  }
}
