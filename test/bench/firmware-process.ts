// The cart-firmware process as systemd would run it, started by the bench:
// compiled (dist/firmware/main.js) when the bench itself runs compiled, from
// the sources through tsx when the bench runs from them, so the process is
// always built from the same code as the bench. Its log lines are read as
// they come, for the bench to wait on.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../firmware/process.js';

export interface FirmwareExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The process said 'goodbye': its stop ran to the end. */
  goodbye: boolean;
}

export interface FirmwareProcess {
  /** Every log line so far. */
  readonly lines: string[];
  /** The process has ended (and its log is read to the end). */
  readonly ended: boolean;
  /** The first line (past or future) that matches, or a rejection when the process ends or the time is up. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** SIGTERM, then the exit; SIGKILL after `timeoutMs`. */
  stop(timeoutMs: number): Promise<FirmwareExit>;
  /** SIGKILL if it still runs: for clean-up after a failure. */
  kill(): void;
}

function firmwareCommand(configPath: string): string[] {
  const fromSources = import.meta.url.endsWith('.ts');
  // From the project's root, not from this file: compiled, the bench runs as a bundle in dist/bench (build.sh).
  const main = join(projectRoot(), fromSources ? 'firmware/main.ts' : 'dist/firmware/main.js');
  // tsx resolved from here, so the bench works from any working directory.
  return fromSources ? ['--import', import.meta.resolve('tsx'), main, '--config', configPath] : [main, '--config', configPath];
}

export function startFirmware(configPath: string, onLine: (line: string) => void = () => {}): FirmwareProcess {
  const child = spawn(process.execPath, firmwareCommand(configPath), { stdio: ['ignore', 'inherit', 'pipe'] });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    });
  });
  // The log ends only when stderr is drained; 'close' comes after both.
  let ended = false;
  const closed = new Promise<void>((resolve) => child.once('close', () => {
    ended = true;
    resolve();
  }));
  createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (line) => {
    lines.push(line);
    onLine(line);
    for (const w of [...waiters]) w();
  });
  void closed.then(() => {
    for (const w of [...waiters]) w();
  });

  return {
    lines,
    get ended() {
      return ended;
    },
    waitForLine(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find((l) => pattern.test(l));
          if (found !== undefined) done(() => resolve(found));
          else if (ended) done(() => reject(new Error(`the firmware exited (${exit?.code ?? exit?.signal}) before logging ${pattern}; its last lines:\n${lines.slice(-8).join('\n')}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`the firmware did not log ${pattern} within ${timeoutMs} ms`))), timeoutMs);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
    async stop(timeoutMs) {
      if (!exit) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      await closed;
      clearTimeout(timer);
      const { code, signal } = exit ?? { code: null, signal: null };
      return { code, signal, goodbye: lines.some((l) => /^INFO +main goodbye/.test(l)) };
    },
    kill() {
      if (!exit) child.kill('SIGKILL');
    },
  };
}
