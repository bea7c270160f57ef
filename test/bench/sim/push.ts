// A push of the cart over the floor: the basket's whole load (its own mass
// included) swings with the vertical acceleration, pitches front to back as
// the shopper starts and stops, and rocks side to side on uneven tiles.
// Samples: sd of the total 4-28 % of the load, peaks at 2-13 Hz, a 0.5 s
// build-up and die-down, bursts where a wheel hits a joint.
import type { Seconds } from '../../../firmware/domain.js';
import { pitchSigns, rollSigns, type Corners } from './corners.js';
import type { Random } from './random.js';

interface Tone {
  hz: number;
  phase: number;
  amp: number;
}

interface Bump {
  atS: Seconds;
  amp: number;
  hz: number;
  tauS: Seconds;
}

/** A sum of tones of random pitch and phase, scaled to a given rms: road noise with a few resonances. */
function tones(rng: Random, count: number, rms: number): Tone[] {
  const raw = Array.from({ length: count }, () => ({ hz: rng.logUniform(2, 13), phase: rng.uniform(0, 2 * Math.PI), amp: rng.uniform(0.3, 1) }));
  const power = raw.reduce((s, t) => s + (t.amp * t.amp) / 2, 0);
  const k = rms / Math.sqrt(power);
  return raw.map((t) => ({ ...t, amp: t.amp * k }));
}

function sound(list: readonly Tone[], t: Seconds): number {
  let s = 0;
  for (const tone of list) s += tone.amp * Math.sin(2 * Math.PI * tone.hz * t + tone.phase);
  return s;
}

export class Push {
  private readonly vertical: Tone[];
  private readonly pitch: Tone[];
  private readonly roll: Tone[];
  private readonly bumps: Bump[] = [];
  private readonly amHz: number;
  private readonly amPhase: number;
  private readonly rampS: Seconds;
  /** Forward lean while setting off (positive loads the front), as a share of g. */
  private readonly lean: number;

  constructor(
    rng: Random,
    readonly startS: Seconds,
    readonly endS: Seconds,
    /** sd of the vertical acceleration, as a share of g. */
    readonly swing: number,
  ) {
    this.vertical = tones(rng, 8, swing);
    this.pitch = tones(rng, 5, swing * rng.uniform(0.2, 0.45));
    this.roll = tones(rng, 5, swing * rng.uniform(0.2, 0.45));
    this.amHz = rng.uniform(0.2, 0.8);
    this.amPhase = rng.uniform(0, 2 * Math.PI);
    this.rampS = Math.min(rng.uniform(0.4, 0.6), (endS - startS) / 3);
    this.lean = rng.sign() * swing * rng.uniform(0.05, 0.3);
    for (let at = startS + rng.exponential(1.5); at < endS - 0.3; at += rng.exponential(1.5)) {
      this.bumps.push({ atS: at, amp: swing * rng.uniform(1, 2.5) * rng.sign(), hz: rng.uniform(4, 9), tauS: rng.uniform(0.06, 0.15) });
    }
  }

  /** Raised-cosine build-up and die-down at each end. */
  private envelope(t: Seconds): number {
    const edge = Math.min(t - this.startS, this.endS - t) / this.rampS;
    if (edge <= 0) return 0;
    return edge >= 1 ? 1 : 0.5 - 0.5 * Math.cos(Math.PI * edge);
  }

  /**
   * Acceleration on each corner at t, as a share of g: multiply by the corner's
   * load (its share of the basket's own mass included) for the extra grams.
   */
  accelAt(t: Seconds, out: Corners): void {
    const env = this.envelope(t);
    if (env === 0) {
      out.fill(0);
      return;
    }
    const am = 1 + 0.4 * Math.sin(2 * Math.PI * this.amHz * t + this.amPhase);
    let v = sound(this.vertical, t) * am;
    for (const b of this.bumps) {
      const dt = t - b.atS;
      if (dt >= 0 && dt < 6 * b.tauS) v += b.amp * Math.exp(-dt / b.tauS) * Math.sin(2 * Math.PI * b.hz * dt);
    }
    // Leaning in while setting off, out while stopping.
    const sinceStart = t - this.startS;
    const untilEnd = this.endS - t;
    const lean = this.lean * (Math.exp(-sinceStart / 0.5) - Math.exp(-untilEnd / 0.5));
    const p = sound(this.pitch, t) + lean;
    const r = sound(this.roll, t);
    for (let c = 0; c < 4; c++) out[c] = env * (v + pitchSigns[c]! * p + rollSigns[c]! * r);
  }
}
