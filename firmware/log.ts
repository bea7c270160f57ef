// One line an event: `LEVEL module message key=value ...`. Under systemd the
// journal adds the time, so a line carries none; on a terminal the demo shows
// the same lines. Facts go in key=value pairs so that they can be grepped.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** Lower is more talkative. */
export const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFacts = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(message: string, facts?: LogFacts): void;
  info(message: string, facts?: LogFacts): void;
  warn(message: string, facts?: LogFacts): void;
  error(message: string, facts?: LogFacts): void;
  /** A logger for a part of the program, sharing this one's level and output. */
  child(module: string): Logger;
  /** The least important level written, for this logger and every one sharing its output. */
  level(): LogLevel;
  /** Changes that level at once for every logger sharing this output; returns the level it replaced. */
  setLevel(level: LogLevel): LogLevel;
}

export interface LogSink {
  level: LogLevel;
  write(line: string): void;
}

function formatValue(v: string | number | boolean | null): string {
  if (typeof v !== 'string') return String(v);
  return /^[^\s="]+$/.test(v) ? v : JSON.stringify(v);
}

export function formatLine(level: LogLevel, module: string, message: string, facts?: LogFacts): string {
  let line = `${level.toUpperCase().padEnd(5)} ${module} ${message}`;
  if (facts) {
    for (const [k, v] of Object.entries(facts)) {
      if (v !== undefined) line += ` ${k}=${formatValue(v)}`;
    }
  }
  return line;
}

export function createLogger(sink: LogSink, module: string): Logger {
  const emit = (level: LogLevel) => (message: string, facts?: LogFacts) => {
    if (levelRank[level] >= levelRank[sink.level]) sink.write(formatLine(level, module, message, facts));
  };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (name) => createLogger(sink, name),
    level: () => sink.level,
    setLevel: (level) => {
      const was = sink.level;
      sink.level = level;
      return was;
    },
  };
}

/** The process's sink: stderr, so that stdout stays free for command output (replay JSON). */
export function stderrSink(level: LogLevel): LogSink {
  return { level, write: (line) => process.stderr.write(line + '\n') };
}

/** A sink that keeps lines in memory, for tests and for tools that show them later. */
export function memorySink(level: LogLevel = 'debug'): LogSink & { lines: string[] } {
  const lines: string[] = [];
  return { level, lines, write: (line) => lines.push(line) };
}

/** A logger that drops everything: for replays where only the result matters. */
export const silentLogger: Logger = createLogger({ level: 'error', write: () => {} }, 'silent');
