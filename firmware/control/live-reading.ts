// What the calibration tool sees of the scale, one per sample: the scale's
// own reading, the same corners in counts, and the boards' health.
import type { ChannelStatus, ScaleHardwareHealth } from '../../drivers/loadcell/index.js';
import type { CellCalibration } from '../domain.js';
import type { ScaleReading } from '../weight/scale.js';

export interface LiveReading extends ScaleReading {
  /**
   * The corner values of the reading (the averaged rest level while stable)
   * in counts, under the calibration in force: a new calibration is solved
   * from these, whatever the calibration was when they were read.
   */
  cornersCounts: number[];
  /** The load cell boards as a whole: ok, warning (a fault, or one corner failed), failed. */
  health: ChannelStatus;
  /** Per corner fl, fr, rl, rr. */
  channels: ChannelStatus[];
}

export function liveReading(reading: ScaleReading, calibration: readonly CellCalibration[], hardware: ScaleHardwareHealth): LiveReading {
  return {
    ...reading,
    cornersCounts: reading.cornersGrams.map((g, c) => g * (calibration[c]?.countsPerGram ?? Number.NaN) + (calibration[c]?.offset ?? Number.NaN)),
    health: hardware.status,
    channels: hardware.channels.map((c) => c.status),
  };
}
