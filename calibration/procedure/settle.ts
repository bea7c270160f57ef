// When a reading may be taken: the scale's own rest test says stable (on
// four cells: a degraded scale is not calibrated or verified), the load is
// the one asked for, and it has stayed so for `settleSec`. R76-1 4.4.2: a
// result is taken only in stable equilibrium.
import type { LiveReading } from '../../firmware/control/index.js';
import type { Watch } from './feed.js';

export interface SettleOptions {
  settleSec: number;
  /** The scale must first be seen off rest: the weight was lifted, moved or put down. */
  disturb: boolean;
}

export function settled(accept: (reading: LiveReading) => boolean, options: SettleOptions): Watch<LiveReading> {
  let disturbed = !options.disturb;
  let sinceSec: number | null = null;
  return (reading) => {
    if (reading.state !== 'stable') {
      disturbed = true;
      sinceSec = null;
      return undefined;
    }
    if (!disturbed || !accept(reading)) {
      sinceSec = null;
      return undefined;
    }
    sinceSec ??= reading.atSec;
    return reading.atSec - sinceSec >= options.settleSec ? reading : undefined;
  };
}
