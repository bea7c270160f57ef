// Short-lived forces on the basket, in grams per corner: a weight ramping on
// or off as a hand sets an item down or lifts it, a hand pressing, the ring
// of an impact. Each lives from startS to endS; what it leaves behind
// (`settled`) then joins the basket's static load.
import type { Seconds } from '../../../firmware/domain.js';
import { addInto, zeroCorners, type Corners } from './corners.js';

export interface Force {
  readonly startS: Seconds;
  readonly endS: Seconds;
  /** Adds this force's grams at time t (startS <= t < endS) into acc, on top of the static load. */
  addAt(t: Seconds, acc: Corners): void;
  /** The change of static load from endS on. */
  readonly settled: Corners;
}

/** 0 to 1 with zero slope at both ends: a hand accelerates and slows an item. */
function smoothstep(x: number): number {
  const u = Math.min(1, Math.max(0, x));
  return u * u * (3 - 2 * u);
}

/** A load that comes on (or, with negative grams, goes off) over durS. */
export class Ramp implements Force {
  readonly endS: Seconds;
  constructor(
    readonly startS: Seconds,
    durS: Seconds,
    readonly settled: Corners,
    /** Items sliding in a pushed cart shift at a steady rate, not a hand's S-curve. */
    private readonly linear = false,
  ) {
    this.endS = startS + durS;
  }

  addAt(t: Seconds, acc: Corners): void {
    const x = (t - this.startS) / (this.endS - this.startS);
    addInto(acc, this.settled, this.linear ? Math.min(1, Math.max(0, x)) : smoothstep(x));
  }
}

/**
 * A hand pressing on the basket: raised-cosine onset and release of edgeS,
 * with a tremor, since a hand is never still. Leaves nothing behind.
 */
export class Press implements Force {
  readonly endS: Seconds;
  readonly settled = zeroCorners();
  constructor(
    readonly startS: Seconds,
    durS: Seconds,
    private readonly grams: Corners,
    private readonly edgeS: Seconds,
    private readonly tremorShare: number,
    private readonly tremorHz: number,
  ) {
    this.endS = startS + durS;
  }

  addAt(t: Seconds, acc: Corners): void {
    const fromStart = t - this.startS;
    const toEnd = this.endS - t;
    const edge = Math.min(fromStart, toEnd, this.edgeS) / this.edgeS;
    const envelope = 0.5 - 0.5 * Math.cos(Math.PI * Math.max(0, edge));
    const tremor = 1 + this.tremorShare * Math.sin(2 * Math.PI * this.tremorHz * fromStart);
    addInto(acc, this.grams, envelope * tremor);
  }
}

/** A damped oscillation started by an impact: the basket and its cells ringing. Leaves nothing behind. */
export class Ring implements Force {
  readonly endS: Seconds;
  readonly settled = zeroCorners();
  constructor(
    readonly startS: Seconds,
    durS: Seconds,
    /** Grams of the first swing on each corner (the sign says which way it goes first). */
    private readonly grams: Corners,
    private readonly hz: number,
    private readonly tauS: Seconds,
  ) {
    this.endS = startS + durS;
  }

  addAt(t: Seconds, acc: Corners): void {
    const dt = t - this.startS;
    addInto(acc, this.grams, Math.exp(-dt / this.tauS) * Math.sin(2 * Math.PI * this.hz * dt));
  }
}
