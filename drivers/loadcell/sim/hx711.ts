// The HX711 inside a simulated board: turns the true load of its channel into
// conversions, and can be made to stick or saturate as a real one does.
import type { Seconds } from '../../../firmware/domain.js';
import { HX711_MAX, HX711_MIN } from '../board.js';

/** The true load on each channel, in HX711 counts, at a moment. Channel = index in the board's address list. */
export type TrueLoad = (channel: number, atSec: Seconds) => number;

export type ConversionFault = 'stuck' | 'saturated-high' | 'saturated-low';

export class SimulatedHx711 {
  private fault: ConversionFault | null = null;
  private frozen: number | null = null;

  constructor(
    private readonly channel: number,
    private readonly load: TrueLoad,
  ) {}

  setFault(fault: ConversionFault | null): void {
    this.fault = fault;
    this.frozen = null;
  }

  /** The conversion of the load at `atSec`, clipped to the 24-bit range as the HX711 clips it. */
  convert(atSec: Seconds): number {
    if (this.fault === 'saturated-high') return HX711_MAX;
    if (this.fault === 'saturated-low') return HX711_MIN;
    const value = Math.min(HX711_MAX, Math.max(HX711_MIN, Math.round(this.load(this.channel, atSec))));
    if (this.fault !== 'stuck') return value;
    this.frozen ??= value;
    return this.frozen;
  }
}
