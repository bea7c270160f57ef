// Four load cells, each read by an HX711 over I2C: grams in, signed 24-bit
// counts out. The header's calibration is what the calibration tool stored;
// the true cell differs from it a little (gain, zero, a slight curve) and
// drifts with temperature, creeps under load, and its converter is noisy,
// spikes now and then, and sometimes does not answer (null): one board, or
// the whole bus at once.
import type { CellCalibration, Seconds } from '../../../firmware/domain.js';
import type { Corners } from './corners.js';
import type { CellProfile } from './profiles.js';
import type { Random } from './random.js';

/** HX711 output range: 24-bit two's complement. */
export const RAIL_LOW = -8388608;
export const RAIL_HIGH = 8388607;

interface Cell {
  stored: CellCalibration;
  /** What the cell really does: counts = offset + countsPerGram * grams. */
  offset: number;
  countsPerGram: number;
  /** Grams of extra reading per kg squared of load. */
  curveGPerKg2: number;
  noiseCounts: number;
  driftGPerS: number;
  thermalG: number;
  thermalTauS: Seconds;
  creepShare: number;
  creepTauS: Seconds;
  /** Integrated state. */
  walkG: number;
  creepG: number;
}

/**
 * The HX711 converts 10 or 80 times a second (its RATE pin), and the slower
 * conversion is quieter: 50 against 90 nV rms input-referred noise at gain
 * 128 (Avia Semiconductor HX711 datasheet, electrical characteristics). The
 * profiles' noise is the 80-a-second figure. A board read more slowly than
 * 10 Hz converts at 10; one read at 25 Hz (DFRobot's) converts at 80 and is
 * read every third or fourth conversion.
 */
function noiseScaleAt(readHz: number): number {
  return readHz <= 10 ? 50 / 90 : 1;
}

export class CellBank {
  private readonly cells: Cell[];
  private readonly nullUntil: number[] = [-1, -1, -1, -1];
  private readonly faults: Random;
  private lastT: Seconds = 0;

  constructor(
    private readonly rng: Random,
    private readonly profile: CellProfile,
    /** Samples a second the board is read at (noiseScaleAt). */
    private readonly readHz: number,
  ) {
    const reversed = rng.chance(profile.reversedCellShare) ? rng.int(0, 3) : -1;
    // Drawn from a stream of their own, so that profiles without them draw as before.
    this.faults = rng.fork('faults');
    const alsoReversed = reversed >= 0 && this.faults.chance(profile.twoReversedShare) ? (reversed + this.faults.int(1, 3)) % 4 : -1;
    this.cells = [0, 1, 2, 3].map((i) => {
      const sign = i === reversed || i === alsoReversed ? -1 : 1;
      const gain = Math.round(rng.uniform(...profile.countsPerGram) * 1000) / 1000;
      const stored = { offset: Math.round(rng.uniform(-profile.offsetCounts, profile.offsetCounts)), countsPerGram: sign * gain };
      return {
        stored,
        offset: stored.offset + rng.normal(0, profile.offsetErrorSdG) * gain,
        countsPerGram: stored.countsPerGram * (1 + rng.normal(0, profile.gainErrorSd)),
        curveGPerKg2: rng.normal(0, profile.nonlinearitySdGPerKg2),
        noiseCounts: rng.uniform(...profile.noiseCounts),
        driftGPerS: rng.normal(0, profile.driftSdGPerMin) / 60,
        thermalG: rng.normal(0, profile.thermalStepSdG),
        thermalTauS: rng.uniform(...profile.thermalTauS),
        creepShare: rng.uniform(...profile.creep),
        creepTauS: rng.uniform(...profile.creepTauS),
        walkG: 0,
        creepG: 0,
      };
    });
  }

  /** The calibration as the header states it. */
  calibration(): CellCalibration[] {
    return this.cells.map((c) => ({ ...c.stored }));
  }

  /**
   * One conversion of every channel at time t. `grams` is what presses on each
   * cell now; `restingGrams` the load that has stood on it, which is what creeps.
   */
  read(t: Seconds, grams: Corners, restingGrams: Corners): (number | null)[] {
    const dt = Math.max(0, t - this.lastT);
    this.lastT = t;
    const p = this.profile;
    if (p.nullBurstsPerMin > 0 && this.rng.chance((p.nullBurstsPerMin / 60) * dt)) {
      const channel = this.rng.int(0, 3);
      const until = t + this.rng.uniform(...p.nullBurstS);
      if (p.busBurstShare > 0 && this.faults.chance(p.busBurstShare)) this.nullUntil.fill(until);
      else this.nullUntil[channel] = until;
    }
    const spikeOn = this.rng.chance((p.spikesPerMin / 60) * dt) ? this.rng.int(0, 3) : -1;
    return this.cells.map((cell, i) => {
      const failed = this.rng.chance(p.nullShare) || t < this.nullUntil[i]!;
      cell.walkG += this.rng.normal(0, p.driftWalkGPerSqrtMin * Math.sqrt(dt / 60));
      cell.creepG += (cell.creepShare * restingGrams[i]! - cell.creepG) * (1 - Math.exp(-dt / cell.creepTauS));
      const load = grams[i]!;
      const kg = load / 1000;
      const drift = cell.driftGPerS * t + cell.thermalG * (1 - Math.exp(-t / cell.thermalTauS)) + cell.walkG;
      const sensed = load + cell.curveGPerKg2 * kg * Math.abs(kg) + drift + cell.creepG;
      let counts = cell.offset + cell.countsPerGram * sensed + this.rng.normal(0, cell.noiseCounts * noiseScaleAt(this.readHz));
      if (i === spikeOn && !failed) {
        if (this.rng.chance(p.railShare)) return this.rng.chance(0.5) ? RAIL_LOW : RAIL_HIGH;
        counts += this.rng.sign() * this.rng.logUniform(...p.spikeGrams) * Math.abs(cell.countsPerGram);
      }
      if (failed) return null;
      return Math.min(RAIL_HIGH, Math.max(RAIL_LOW, Math.round(counts)));
    });
  }
}
