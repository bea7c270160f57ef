// The manners every command shares (cart-firmware, cart-bench, cart-cal):
// `--help` or `-h` prints the usage on stdout and exits 0; a wrong option or
// argument prints one line saying what was wrong, then the usage, on stderr
// and exits 2, never a stack trace. Only node:util here: a command reads its
// arguments before it loads anything heavy, so that a mistake or a `--help`
// costs no more than starting Node.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** What the person typing got wrong; the command answers with its usage and exit 2. */
export class UsageError extends Error {}

/** True when the arguments ask for help (an option before any `--`). */
export function helpAsked(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/** node:util parseArgs, with its complaints (unknown option, missing value...) as UsageErrors. */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    // Some of node's messages take two or three lines; a mistake gets one.
    if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw new UsageError((err as Error).message.split('\n').join(' '));
    throw err;
  }
}

/** `--help`: the usage on stdout (exit 0 follows). */
export function printUsage(usage: string): void {
  process.stdout.write(usage.endsWith('\n') ? usage : `${usage}\n`);
}

/** A usage mistake: what was wrong, then the usage, on stderr; returns the exit code, 2. */
export function refuseUsage(command: string, problem: string, usage: string): number {
  process.stderr.write(`${command}: ${problem}\n\n${usage.endsWith('\n') ? usage : `${usage}\n`}`);
  return 2;
}
