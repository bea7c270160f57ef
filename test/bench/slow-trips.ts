// Traces as a slower board would have sampled them: the cart's boards are
// read at 10 Hz (M5Stack) or 25 Hz (DFRobot), the generator samples at 80.
// Every line but the samples is kept; a sample is kept when it is the first
// at or past the next tick of the slower rate, and the header takes that rate.
//
//   npx tsx test/bench/slow-trips.ts SRC_DIR OUT_DIR HZ    (the truth files are copied beside)
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The trace's lines (header first) with its samples thinned to `rateHz`. */
export function slowTrace(lines: Iterable<string>, rateHz: number): string[] {
  const out: string[] = [];
  const period = 1 / rateHz;
  let next = -Infinity;
  for (const line of lines) {
    if (out.length === 0) {
      const header = JSON.parse(line) as { rateHz: number };
      if (!(rateHz > 0 && rateHz < header.rateHz)) throw new Error(`a slower rate than the trace's ${header.rateHz} Hz is needed (got ${rateHz})`);
      out.push(JSON.stringify({ ...header, rateHz }));
      continue;
    }
    if (!line.includes('"kind":"adc"')) {
      out.push(line);
      continue;
    }
    const t = (JSON.parse(line) as { t: number }).t;
    if (t < next) continue;
    out.push(line);
    // A gap in the samples starts the ticks afresh rather than letting them catch up.
    next = next + period > t ? next + period : t + period;
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const [src, out, hz] = process.argv.slice(2);
  if (!src || !out || !(Number(hz) > 0)) {
    process.stderr.write('usage: npx tsx test/bench/slow-trips.ts SRC_DIR OUT_DIR HZ\n');
    process.exit(2);
  }
  mkdirSync(out, { recursive: true });
  for (const name of readdirSync(src).filter((f) => f.endsWith('.jsonl')).sort()) {
    const lines = readFileSync(join(src, name), 'utf8').split('\n').filter((l) => l !== '');
    writeFileSync(join(out, name), slowTrace(lines, Number(hz)).join('\n') + '\n');
    const truth = name.replace(/\.jsonl$/, '.truth.json');
    if (existsSync(join(src, truth))) copyFileSync(join(src, truth), join(out, truth));
  }
}
