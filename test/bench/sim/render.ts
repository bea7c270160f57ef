// Turns a planned trip into cart-trace lines, sample by sample, so that a
// long trip never sits in memory whole: the board's clock decides when each
// conversion happens, the forces and pushes what the cells feel, the cells
// what they report; scanner reads and button presses slot in by time.
import type { Seconds } from '../../../firmware/domain.js';
import type { TraceHeader } from '../trace.js';
import type { CellBank } from './cells.js';
import { addInto, zeroCorners, type Corners } from './corners.js';
import type { Force } from './forces.js';
import type { ClockProfile } from './profiles.js';
import type { Push } from './push.js';
import type { Random } from './random.js';
import type { SerialRead } from './scanner.js';
import type { ButtonEvent } from './timeline.js';

export interface RenderInput {
  header: TraceHeader;
  forces: readonly Force[];
  pushes: readonly Push[];
  reads: readonly SerialRead[];
  buttons: readonly ButtonEvent[];
  durationS: Seconds;
  /** The basket's own mass, which swings with a push too. */
  tareGrams: number;
}

/** Trace times are written to 0.1 ms, as the samples are. */
function t4(t: Seconds): number {
  return Math.round(t * 1e4) / 1e4;
}

function eventLines(input: RenderInput): { t: number; line: string }[] {
  const events = [
    ...input.reads.map((r) => ({ t: t4(r.t), line: JSON.stringify({ t: t4(r.t), kind: 'serial', data: r.data }) })),
    ...input.buttons.map((b) => ({ t: t4(b.t), line: JSON.stringify({ t: t4(b.t), kind: 'button', name: b.name, pressed: b.pressed }) })),
  ];
  return events.sort((a, b) => a.t - b.t);
}

/**
 * Sample times of a board whose clock runs `rateError` off its nominal rate,
 * each stamped with white jitter (samples: 0.2 ms sd, no drift between stamps).
 */
function* sampleTimes(rng: Random, rateHz: number, clock: ClockProfile, durationS: Seconds): Generator<Seconds> {
  // Drawn from a stream of its own, so that profiles without an offset draw as before.
  const rate = rng.fork('rate');
  const offset = clock.rateOffset[1] > 0 ? rate.sign() * rate.uniform(...clock.rateOffset) : 0;
  const periodS = 1 / (rateHz * (1 + offset + rng.normal(0, clock.rateErrorSd)));
  const startS = rng.uniform(0, periodS);
  let last = 0;
  for (let i = 0; ; i++) {
    const t = t4(Math.max(last, startS + i * periodS + rng.normal(0, clock.jitterSdMs / 1000)));
    if (t > durationS) return;
    last = t;
    yield t;
  }
}

/**
 * Whether the driver wrote the sample taken at t: it misses single
 * conversions, and while it stalls it writes none (the board converts on;
 * the lines are absent, not null). Its own stream, so that profiles without
 * losses draw as before.
 */
function lossesOf(rng: Random, clock: ClockProfile): (t: Seconds) => boolean {
  let stallUntil = -1;
  let last = 0;
  return (t) => {
    const dt = Math.max(0, t - last);
    last = t;
    if (clock.stallsPerMin > 0 && rng.chance((clock.stallsPerMin / 60) * dt)) stallUntil = t + rng.uniform(...clock.stallS);
    return t < stallUntil || (clock.dropShare > 0 && rng.chance(clock.dropShare));
  };
}

/** Every line of the trace, header first. `rng` and `cells` must be fresh: rendering consumes them. */
export function* renderTrace(input: RenderInput, rng: Random, cells: CellBank, clock: ClockProfile): Generator<string> {
  yield JSON.stringify(input.header);
  const events = eventLines(input);
  let nextEvent = 0;
  const pending = [...input.forces].sort((a, b) => a.startS - b.startS);
  let nextForce = 0;
  let active: Force[] = [];
  const resting = zeroCorners();
  const pushes = [...input.pushes].sort((a, b) => a.startS - b.startS);
  let pushAt = 0;
  const accel = zeroCorners();
  const tareEach = input.tareGrams / 4;
  const lost = lossesOf(rng.fork('losses'), clock);

  for (const t of sampleTimes(rng, input.header.rateHz, clock, input.durationS)) {
    while (nextEvent < events.length && events[nextEvent]!.t <= t) yield events[nextEvent++]!.line;

    while (nextForce < pending.length && pending[nextForce]!.startS <= t) active.push(pending[nextForce++]!);
    const load: Corners = [...resting];
    active = active.filter((f) => {
      if (f.endS > t) {
        f.addAt(t, load);
        return true;
      }
      addInto(resting, f.settled);
      addInto(load, f.settled);
      return false;
    });

    while (pushAt < pushes.length && pushes[pushAt]!.endS < t) pushAt++;
    const push = pushes[pushAt];
    if (push && push.startS <= t) {
      push.accelAt(t, accel);
      for (let c = 0; c < 4; c++) load[c] = load[c]! + accel[c]! * (load[c]! + tareEach);
    }

    const raw = cells.read(t, load, resting);
    if (lost(t)) continue;
    yield `{"t":${t.toFixed(4)},"kind":"adc","raw":[${raw.map((v) => (v === null ? 'null' : String(v))).join(',')}]}`;
  }
  while (nextEvent < events.length) yield events[nextEvent++]!.line;
}
