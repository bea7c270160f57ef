// cart-cal live: the scale as it is now, per corner and in total, its state,
// the boards' health, and a trace of the last seconds, redrawn in place.
// --json streams the readings instead, ten a second.
import type { LiveReading, ScaleInfo } from '../../firmware/control/index.js';
import { CORNERS } from '../../firmware/weight/calibration.js';
import type { ScaleSession } from '../session/session.js';
import { paint, type Style } from './style.js';
import { drawTrace, trimTrace, type TracePoint } from './trace.js';

export interface LiveView {
  info: ScaleInfo;
  via: ScaleSession['via'];
  reading: LiveReading | null;
  trace: readonly TracePoint[];
  traceSec: number;
}

const stateColour = { stable: 'green', settling: 'yellow', degraded: 'yellow', moving: 'red', overloaded: 'red' } as const;
const statusColour = { ok: 'green', warning: 'yellow', failed: 'red' } as const;
const TRACE_ROWS = 6;
const REDRAW_MS = 200;
const JSON_EVERY_SEC = 0.1;

const grams = (x: number) => `${x.toFixed(1)} g`.padStart(12);

export function renderLive(view: LiveView, style: Style): string[] {
  const { info, reading } = view;
  const lines = [
    `cart ${info.cartId}  via ${view.via}  e = ${info.intervalGrams} g  Max = ${info.capacityGrams} g  ` +
      `counters: calibration ${info.counters.calibration}, configuration ${info.counters.configuration}`,
  ];
  if (!reading) return [...lines, 'waiting for the first reading...'];
  const channels = reading.channels.map((s, i) => `${CORNERS[i]} ${paint(style, statusColour[s], s)}`).join(', ');
  lines.push(
    `state ${paint(style, stateColour[reading.state], reading.state.padEnd(10))}  stable ${reading.state === 'stable' ? 'yes' : 'no '}  ` +
      `motion ${reading.state === 'moving' ? paint(style, 'red', 'yes') : 'no '}  load cells ${paint(style, statusColour[reading.health], reading.health)} (${channels})`,
    '',
    `${CORNERS.map((c) => c.padStart(12)).join('')}${'total'.padStart(14)}`,
    `${reading.cornersGrams.map(grams).join('')}  ${paint(style, 'bold', grams(reading.totalGrams))}`,
    '',
    `total, last ${view.traceSec} s:`,
    ...drawTrace(view.trace, { spanSec: view.traceSec, width: Math.max(20, Math.min(72, style.columns - 14)), rows: TRACE_ROWS, unicode: style.unicode }),
    'Ctrl-C leaves.',
  );
  return lines;
}

export interface LiveOptions {
  json: boolean;
  traceSec: number;
  style: Style;
  out: NodeJS.WritableStream;
  /** Resolves when the technician leaves (Ctrl-C). */
  stopped: Promise<void>;
}

/** Runs until stopped; rejects if the session is lost. */
export async function runLive(session: ScaleSession, options: LiveOptions): Promise<void> {
  const { out, style } = options;
  const info = await session.info();
  const trace: TracePoint[] = [];
  let latest: LiveReading | null = null;
  let lastJsonSec = -Infinity;
  const stop = session.onReading((reading) => {
    latest = reading;
    trace.push({ atSec: reading.atSec, grams: reading.totalGrams });
    trimTrace(trace, options.traceSec);
    if (options.json && reading.atSec - lastJsonSec >= JSON_EVERY_SEC) {
      lastJsonSec = reading.atSec;
      out.write(`${JSON.stringify(reading)}\n`);
    }
  });
  let drawn = 0;
  const draw = () => {
    const lines = renderLive({ info, via: session.via, reading: latest, trace, traceSec: options.traceSec }, style);
    // Back to the top of the last frame, then every line cleared and written again.
    out.write(`${drawn > 0 ? `\x1b[${drawn}A` : '\x1b[?25l'}${lines.map((l) => `\x1b[2K${l}\n`).join('')}`);
    drawn = lines.length;
  };
  // Without a terminal, one plain line a second.
  const line = () => {
    if (latest) out.write(`${latest.atSec.toFixed(1)} s ${latest.state} total ${latest.totalGrams.toFixed(1)} g corners ${latest.cornersGrams.map((g) => g.toFixed(1)).join(' ')} load cells ${latest.health}\n`);
  };
  const timer = options.json ? null : style.tty ? setInterval(draw, REDRAW_MS) : setInterval(line, 1000);
  const lost = new Promise<never>((_, reject) => session.onLost((why) => reject(new Error(why))));
  try {
    await Promise.race([options.stopped, lost]);
  } finally {
    if (timer) clearInterval(timer);
    stop();
    if (style.tty && !options.json) out.write('\x1b[?25h');
  }
}
