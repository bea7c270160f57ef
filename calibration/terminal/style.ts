// What the technician's terminal can show. Over SSH nothing is assumed: no
// colour unless the terminal says it has it (and NO_COLOR is not set), no
// block characters unless the locale is UTF-8, no cursor movement unless
// the output is a terminal.
export interface Style {
  tty: boolean;
  color: boolean;
  unicode: boolean;
  columns: number;
}

export function styleOf(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): Style {
  const tty = stream.isTTY === true;
  return {
    tty,
    color: tty && env.NO_COLOR === undefined && env.TERM !== 'dumb' && stream.hasColors?.() === true,
    unicode: /utf-?8/i.test(env.LC_ALL || env.LC_CTYPE || env.LANG || ''),
    columns: stream.columns ?? 80,
  };
}

const codes = { green: 32, yellow: 33, red: 31, bold: 1 } as const;

export function paint(style: Style, colour: keyof typeof codes, text: string): string {
  return style.color ? `\x1b[${codes[colour]}m${text}\x1b[0m` : text;
}
