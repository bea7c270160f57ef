// A recorded trip as the load on simulated boards: the adc lines of a
// cart-trace (shared/bench/cart-trace.md) played back in real time, so the
// whole firmware process can be run on a trip that was recorded or generated.
//
// The trace clock starts at the first conversion asked for: that read gets
// the trace's first adc line, and later reads the line of their moment. Each
// read takes the recorded conversion nearest to it. Read at the recording's
// own rate (`measuredRateHz`: a board's clock runs a little off its nominal
// rateHz), every recorded conversion is read once, even when a timer fires a
// millisecond late or the recording's time stamps jitter.
//
// Drivers import no bench code, so the few lines of the trace format needed
// here are read here.
import { readFileSync } from 'node:fs';
import type { Seconds } from '../../../firmware/domain.js';
import type { TrueLoad } from './hx711.js';

/** What the boards are told when a recorded channel gave no value: the transfer fails, as the bus would say it. */
function noAnswer(channel: number, traceSec: Seconds): NodeJS.ErrnoException {
  return Object.assign(new Error(`EIO, Input/output error (the recording has no value for channel ${channel} at ${traceSec.toFixed(4)} s)`), {
    code: 'EIO', errno: -5, syscall: 'read',
  });
}

export interface TraceClockStart {
  /** Clock time of trace time 0: trace time = clock - originSec. */
  originSec: Seconds;
}

/** The recording's true sample period: its span over the periods in it, a gap of several periods counted as such. */
function measuredPeriodSec(times: number[]): Seconds {
  const steps = times.slice(1).map((t, i) => t - times[i]!).sort((a, b) => a - b);
  const typical = steps[Math.floor(steps.length / 2)];
  if (typical === undefined || typical <= 0) return NaN;
  const periods = steps.reduce((n, dt) => n + Math.max(1, Math.round(dt / typical)), 0);
  return (times.at(-1)! - times[0]!) / periods;
}

export class RecordedLoad {
  /** The header's nominal rate. */
  readonly rateHz: number;
  /** The rate the recording's time stamps show. */
  readonly measuredRateHz: number;
  readonly channels: number;
  /** Time of the last adc line: how long the playback lasts. */
  readonly endSec: Seconds;
  #times: Float64Array;
  /** Row-major, `channels` values a line; NaN where the channel gave null. */
  #raw: Float64Array;
  #originSec: Seconds | null = null;
  #next = 0;

  private constructor(rateHz: number, channels: number, times: number[], raw: number[], private readonly onStart: (start: TraceClockStart) => void) {
    this.rateHz = rateHz;
    this.measuredRateHz = 1 / measuredPeriodSec(times);
    if (!Number.isFinite(this.measuredRateHz)) this.measuredRateHz = rateHz;
    this.channels = channels;
    this.#times = Float64Array.from(times);
    this.#raw = Float64Array.from(raw);
    this.endSec = times.at(-1) ?? 0;
  }

  /** Reads the trace's header and adc lines; throws naming the line when one cannot be used. */
  static fromTrace(path: string, onStart: (start: TraceClockStart) => void = () => {}): RecordedLoad {
    const lines = readFileSync(path, 'utf8').split('\n');
    const header = JSON.parse(lines[0] ?? '') as { format?: unknown; rateHz?: unknown; channels?: unknown };
    if (header.format !== 'cart-trace' || typeof header.rateHz !== 'number' || !Array.isArray(header.channels)) {
      throw new Error(`${path}: line 1 is not a cart-trace header with rateHz and channels`);
    }
    const channels = header.channels.length;
    const times: number[] = [];
    const raw: number[] = [];
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      // Only adc lines matter here; the cheap test spares parsing the rest.
      if (!line.includes('"adc"')) continue;
      const o = JSON.parse(line) as { t?: unknown; kind?: unknown; raw?: unknown };
      if (o.kind !== 'adc') continue;
      if (typeof o.t !== 'number' || !Array.isArray(o.raw) || o.raw.length !== channels) {
        throw new Error(`${path}: line ${i + 1} is not an adc line with t and ${channels} values`);
      }
      times.push(o.t);
      for (const v of o.raw as unknown[]) raw.push(typeof v === 'number' ? v : NaN);
    }
    if (times.length === 0) throw new Error(`${path} has no adc lines to play`);
    return new RecordedLoad(header.rateHz, channels, times, raw, onStart);
  }

  /** The load the simulated boards convert: the recorded conversion nearest to `atSec`, the last one after the end. */
  readonly load: TrueLoad = (channel, atSec) => {
    if (this.#originSec === null) {
      this.#originSec = atSec - (this.#times[0] ?? 0);
      this.onStart({ originSec: this.#originSec });
    }
    const traceSec = atSec - this.#originSec;
    // Reads come in time order, so the line only moves on.
    const edge = traceSec + 0.5 / this.measuredRateHz;
    while (this.#next + 1 < this.#times.length && this.#times[this.#next + 1]! <= edge) this.#next++;
    const value = this.#raw[this.#next * this.channels + channel];
    if (value === undefined || Number.isNaN(value)) throw noAnswer(channel, traceSec);
    return value;
  };
}
