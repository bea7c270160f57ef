// The HX711 inside a simulated board: turns the true load of its channel into
// conversions, and can be made to stick or saturate as a real one does.
import type { Seconds } from '../../../firmware/domain.js';
import { HX711_MAX, HX711_MIN } from '../board.js';

/** The true load on each channel, in HX711 counts, at a moment. Channel = index in the board's address list. */
export type TrueLoad = (channel: number, atSec: Seconds) => number;

/**
 * - `stuck`: the conversion stops changing.
 * - `saturated-high` / `saturated-low`: the input is beyond full scale; the
 *   HX711 outputs 7FFFFFh or 800000h until it comes back (HX711 datasheet,
 *   "Serial Interface").
 * - `cell-disconnected`: nothing on the input terminals. The datasheet does
 *   not say what open inputs convert to; issue 14 reports an M5Stack unit
 *   reading 0 with its cell off, which is 800000h through the unit's XOR, so
 *   the open input is taken to sit at the negative limit.
 */
export type ConversionFault = 'stuck' | 'saturated-high' | 'saturated-low' | 'cell-disconnected';

export class SimulatedHx711 {
  private fault: ConversionFault | null = null;
  private frozen: number | null = null;
  private last: { atSec: Seconds; value: number } | null = null;

  constructor(
    private readonly channel: number,
    private readonly load: TrueLoad,
  ) {}

  setFault(fault: ConversionFault | null): void {
    this.fault = fault;
    this.frozen = null;
  }

  /**
   * The conversion of the load at `atSec`, clipped to the 24-bit range as the
   * HX711 clips it. One moment gives one conversion: a board read twice within
   * a conversion period sees the same value even where the load is noise drawn
   * at each call.
   */
  convert(atSec: Seconds): number {
    if (this.fault === 'saturated-high') return HX711_MAX;
    if (this.fault === 'saturated-low' || this.fault === 'cell-disconnected') return HX711_MIN;
    if (this.last?.atSec !== atSec) {
      this.last = { atSec, value: Math.min(HX711_MAX, Math.max(HX711_MIN, Math.round(this.load(this.channel, atSec)))) };
    }
    const value = this.last.value;
    if (this.fault !== 'stuck') return value;
    this.frozen ??= value;
    return this.frozen;
  }
}
