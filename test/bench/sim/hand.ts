// The shopper's hand as the load cells feel it. Samples: a placement ramps up
// in 0.2-0.75 s, lands with a small impact and rings for a moment; in one of
// six the hand lingers, pressing 80-600 g for half a second. A removal starts
// with a grab that presses the item down, then the weight ramps off and the
// basket springs back. restAt (`endS`) is when nothing of the gesture moves.
import type { Seconds } from '../../../firmware/domain.js';
import { plus, scaled, type Corners } from './corners.js';
import { Press, Ramp, Ring, type Force } from './forces.js';
import type { HandProfile } from './profiles.js';
import type { Random } from './random.js';

export interface Gesture {
  forces: Force[];
  /** The basket is at rest again (as far as this gesture goes). */
  endS: Seconds;
}

function sum(c: Corners): number {
  return c[0] + c[1] + c[2] + c[3];
}

export class Hand {
  /** Draws of the field profile's gestures: a stream of their own, so the other profiles draw as before. */
  private readonly field: Random;

  constructor(
    private readonly rng: Random,
    private readonly profile: HandProfile,
  ) {
    this.field = rng.fork('field');
  }

  /** Rings for ringS and has decayed to under 1 % by then. */
  private ring(atS: Seconds, grams: Corners): { force: Ring; endS: Seconds } {
    const durS = this.rng.uniform(...this.profile.ringS);
    return { force: new Ring(atS, durS, grams, this.rng.uniform(...this.profile.ringHz), durS / 5), endS: atS + durS };
  }

  /** Sets down an item whose weight lands on the corners as `load`. */
  place(t0: Seconds, load: Corners): Gesture {
    const p = this.profile;
    const rampS = this.rng.uniform(...p.rampS);
    let landS = t0 + rampS;
    const forces: Force[] = [];
    if (p.edgeFirstShare > 0 && this.field.chance(p.edgeFirstShare)) {
      // One edge down, the rest held by a hand whose tremor is 0.5-2 % of what it holds (physiological tremor, 6-12 Hz).
      const share = this.field.uniform(...p.edgeFirstLoad);
      const holdS = this.field.uniform(...p.edgeFirstHoldS);
      const held = scaled(load, 1 - share);
      forces.push(new Ramp(t0, rampS, scaled(load, share)));
      forces.push(new Press(landS, holdS, scaled(held, this.field.uniform(0.005, 0.02)), 0.05, 1, this.field.uniform(6, 12)));
      const downS = this.field.uniform(0.2, 0.5);
      forces.push(new Ramp(landS + holdS, downS, held));
      landS += holdS + downS;
    } else {
      forces.push(new Ramp(t0, rampS, load));
    }
    const impact = this.ring(landS, scaled(load, this.rng.uniform(...p.impactShare)));
    forces.push(impact.force);
    let endS = impact.endS;
    if (this.rng.chance(p.pressShare)) {
      const startS = t0 + rampS * this.rng.uniform(0.7, 1);
      const durS = this.rng.uniform(...p.pressS);
      const grams = this.rng.uniform(...p.pressGrams);
      forces.push(new Press(startS, durS, scaled(load, grams / sum(load)), 0.08, this.rng.uniform(0.1, 0.25), this.rng.uniform(3, 7)));
      endS = Math.max(endS, startS + durS + this.rng.uniform(0.05, 0.15));
    }
    return { forces, endS };
  }

  /** Lifts out weight that rests on the corners as `load` (a whole item, or part of one). */
  lift(t0: Seconds, load: Corners): Gesture {
    const p = this.profile;
    const grabS = this.rng.uniform(0.2, 0.35);
    const rampStart = t0 + this.rng.uniform(0.08, 0.2);
    const rampS = this.rng.uniform(...p.removeRampS);
    const grab = new Press(t0, grabS, scaled(load, this.rng.uniform(...p.grabShare)), 0.07, 0.1, 5);
    if (p.edgeFirstShare > 0 && this.field.chance(p.edgeFirstShare)) {
      // One edge lifted first, the basket still taking the rest while the hand holds it; then out.
      const left = scaled(load, this.field.uniform(...p.edgeFirstLoad));
      const holdS = this.field.uniform(...p.edgeFirstHoldS);
      const upS = this.field.uniform(0.2, 0.5);
      const outS = rampStart + rampS + holdS;
      const rebound = this.ring(outS + upS, scaled(load, -this.rng.uniform(0.03, 0.1)));
      return {
        forces: [
          grab,
          new Ramp(rampStart, rampS, plus(scaled(load, -1), left)),
          new Press(rampStart + rampS, holdS, scaled(plus(load, scaled(left, -1)), this.field.uniform(0.005, 0.02)), 0.05, 1, this.field.uniform(6, 12)),
          new Ramp(outS, upS, scaled(left, -1)),
          rebound.force,
        ],
        endS: rebound.endS,
      };
    }
    const rebound = this.ring(rampStart + rampS, scaled(load, -this.rng.uniform(0.03, 0.1)));
    return {
      forces: [grab, new Ramp(rampStart, rampS, scaled(load, -1)), rebound.force],
      endS: rebound.endS,
    };
  }

  /**
   * Picks up (part of) an item and puts it down elsewhere: `from` leaves, `to`
   * arrives, in about a second (samples: 0.9 s from lift to put-down), or
   * after `heldS` of holding it.
   */
  move(t0: Seconds, from: Corners, to: Corners, heldS?: Seconds): Gesture & { putDownS: Seconds } {
    const upS = this.rng.uniform(0.25, 0.45);
    // Drawn even when the hold is given, so that the draws after it stay where they were.
    const drawnS = this.rng.uniform(0.1, 0.4);
    const holdS = heldS ?? drawnS;
    const downS = this.rng.uniform(0.25, 0.45);
    const putStart = t0 + upS + holdS;
    const putDownS = putStart + downS;
    const settle = this.ring(putDownS, scaled(to, this.rng.uniform(0.01, 0.04)));
    return {
      forces: [new Ramp(t0, upS, scaled(from, -1)), new Ramp(putStart, downS, to), settle.force],
      endS: settle.endS,
      putDownS,
    };
  }

  /** A knock on the cart: a short ring, 5-9 Hz, gone in a quarter second. Samples: 40-550 g. */
  knock(atS: Seconds, grams: Corners): Force {
    const tauS = this.rng.uniform(0.04, 0.08);
    return new Ring(atS, 6 * tauS, grams, this.rng.uniform(5, 9), tauS);
  }
}
