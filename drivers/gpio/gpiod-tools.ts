// libgpiod's command-line tools, the cart's way to the GPIO character device
// (/dev/gpiochipN) without a native binding: gpioset holds an output line at
// a level until it is killed, gpioget reads inputs once, gpiomon reports
// their edges. Run with spawn / execFile (an argument array, never a shell,
// a timeout on every run).
//
// Two generations of the tools are in use, with different command lines:
// 1.6 (Debian 12 Bookworm, Raspberry Pi OS Bookworm; `gpioset --help` of
// Debian's gpiod 1.6.3) and 2.x (Debian 13 Trixie; tools/gpioset.c,
// gpioget.c, gpiomon.c of libgpiod 2). `gpioset --version` says which.
import { execFile, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Level } from './pins.js';

export type GpiodTool = 'gpioset' | 'gpioget' | 'gpiomon';

/** A tool while it runs; a ChildProcess fits. */
export interface ToolProcess {
  readonly stdout: Readable;
  readonly stderr: Readable;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  once(event: 'error', listener: (err: Error) => void): this;
  kill(signal?: NodeJS.Signals): boolean;
}

export interface GpiodTools {
  /** Runs a tool to its end and resolves with its stdout; rejects with what it said on stderr. */
  run(tool: GpiodTool, args: readonly string[], timeoutMs: number): Promise<string>;
  /** Starts a tool that runs until killed: gpioset holding a line, gpiomon watching lines. */
  start(tool: GpiodTool, args: readonly string[]): ToolProcess;
}

export type Bias = 'pull-up' | 'pull-down';

/** The consumer name the lines carry (gpioinfo shows it); 2.x only, 1.6 tools name themselves. */
const consumer = 'cart-firmware';

/** The command lines of one generation of the tools. */
export interface GpiodDialect {
  readonly version: 1 | 2;
  /** gpioset: drive one line and hold it until SIGTERM. */
  holdArgs(chip: string, offset: number, level: Level): string[];
  /** Whether gpioset says when it holds its line (2.x: --banner); 1.6 says nothing. */
  readonly holdSaysReady: boolean;
  /** gpioget: read lines once, as inputs with the bias; prints "1 0 ...". */
  getArgs(chip: string, offsets: readonly number[], bias: Bias): string[];
  /** gpiomon: every edge on the lines, one "<offset> <event>" line each. */
  monitorArgs(chip: string, offsets: readonly number[], bias: Bias): string[];
  /** The level after an edge, from gpiomon's %e; null for anything else. */
  levelAfter(event: string): Level | null;
}

export const gpiodDialects: Record<1 | 2, GpiodDialect> = {
  1: {
    version: 1,
    // --mode=signal: "set values and wait for SIGINT or SIGTERM" (the default, exit, lets the line go at once).
    holdArgs: (chip, offset, level) => ['--mode=signal', chip, `${offset}=${level}`],
    holdSaysReady: false,
    getArgs: (chip, offsets, bias) => [`--bias=${bias}`, chip, ...offsets.map(String)],
    // --line-buffered: stdout is a pipe here, and an edge must not wait in a buffer.
    monitorArgs: (chip, offsets, bias) => [`--bias=${bias}`, '--line-buffered', '--format=%o %e', chip, ...offsets.map(String)],
    // 1.6: "%e: event type (0 - falling edge, 1 rising edge)".
    levelAfter: (event) => (event === '1' ? 1 : event === '0' ? 0 : null),
  },
  2: {
    version: 2,
    // 2.x holds the line until killed by default; --banner says when it does.
    holdArgs: (chip, offset, level) => ['--banner', '-c', chip, '-C', consumer, `${offset}=${level}`],
    holdSaysReady: true,
    getArgs: (chip, offsets, bias) => ['--numeric', `--bias=${bias}`, '-c', chip, '-C', consumer, ...offsets.map(String)],
    // 2.x flushes stdout after every batch of events.
    monitorArgs: (chip, offsets, bias) => [`--bias=${bias}`, '--format=%o %e', '-c', chip, '-C', consumer, ...offsets.map(String)],
    // 2.x: "%e numeric edge event type ('1' - rising or '2' - falling)".
    levelAfter: (event) => (event === '1' ? 1 : event === '2' ? 0 : null),
  },
};

/** The dialect of `gpioset --version`'s first line, e.g. "gpioset (libgpiod) v1.6.3". */
export function dialectOf(versionText: string): GpiodDialect {
  const major = /\(libgpiod\) v(\d+)\./.exec(versionText)?.[1];
  if (major === '1' || major === '2') return gpiodDialects[major === '1' ? 1 : 2];
  throw new Error(`unknown libgpiod tools: "${versionText.split('\n')[0]}" (1.6 and 2.x are known)`);
}

/** One line of gpiomon's output as an edge, or null when it is not one. */
export function parseEdge(dialect: GpiodDialect, line: string): { offset: number; level: Level } | null {
  const m = /^(\d+) (\d+)$/.exec(line.trim());
  if (!m) return null;
  const level = dialect.levelAfter(m[2]!);
  return level === null ? null : { offset: Number(m[1]), level };
}

/** gpioget's "1 0 ..." for the lines asked, in their order. */
export function parseLevels(text: string, count: number): Level[] {
  const words = text.trim().split(/\s+/);
  if (words.length !== count || words.some((w) => w !== '0' && w !== '1')) throw new Error(`gpioget printed "${text.trim()}", not ${count} levels`);
  return words.map((w) => (w === '1' ? 1 : 0));
}

/** The tools themselves, from PATH (Debian's gpiod package). */
export const libgpiodTools: GpiodTools = {
  run: (tool, args, timeoutMs) =>
    new Promise((resolve, reject) => {
      execFile(tool, args, { timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8' }, (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error(`${tool} not found: install libgpiod's tools (Debian package gpiod)`));
        if (err.killed) return reject(new Error(`${tool} took longer than ${timeoutMs} ms and was stopped`));
        reject(new Error(`${tool} failed: ${stderr.trim().split('\n').at(-1) || err.message}`));
      });
    }),
  start: (tool, args) => spawn(tool, args, { stdio: ['ignore', 'pipe', 'pipe'] }),
};
