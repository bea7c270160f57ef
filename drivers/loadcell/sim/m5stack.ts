// M5Stack's HX711 units as the bus sees them, written from M5Stack's own
// firmware source, not from our driver:
//
// - Unit Weight I2C (U180) and Unit Mini Scales (U177), firmware V4:
//   github.com/m5stack/M5Unit-Miniscale-Internal-FW,
//   weight-i2c-code/weight-i2c/Core/Src/main.c and i2c_ex.c.
// - Unit Mini Scales, firmware V1 (the repository's first commit):
//   code/miniscale/Core/Src/main.c. No filter registers.
// - Unit Scales (a different product, its load cell built in):
//   github.com/m5stack/M5Unit-Scales-Internal-FW, Core/user/app_main.c and
//   Core/user/i2c_ex.c, firmware version 1.
//
// What the Weight I2C / Mini Scales firmware does, as emulated here:
// - HX711_readData() shifts the HX711's 24-bit word out and stores it XOR
//   0x800000 in raw_adc: offset binary, 0 ... 0xFFFFFF. When the HX711 gives
//   no data-ready within 200 ms it returns 0 instead, without the XOR.
// - The main loop reads the HX711 about every 90 ms and waits for its next
//   data-ready; the HX711 runs at 10 SPS, so raw_adc changes 10 times a second.
// - A one-byte write names a register; Slave_Complete_Callback then copies
//   that register into the transmit buffer, so the read that follows sends a
//   snapshot. 0x00-0x03: raw_adc, 4 bytes, little-endian (the STM32's own
//   order). 0x80-0x82 (V3 on): the filter settings from that register up to
//   0x82. 0xFE: the firmware version. 0xFF: the address.
// - A register the firmware does not serve leaves the transmit buffer as it
//   was: the read sends the previous answer again. A read longer than the
//   answer starts over at its first byte (V4's Slave_Ready_To_Transmit_Callback).
// - The filters (0x80 low-pass, 0x81 averaging, 0x82 EMA) act on weight_value
//   in Get_Weight(), never on raw_adc. The weight registers are emulated for
//   V1 only (no filters there): 0x10-0x13, weight_value as a float,
//   little-endian: |raw_adc - offset_adc| / gap, the offset taken at power-up
//   and the gap 400 until one is written (init_flash_data).
import type { Seconds } from '../../../firmware/domain.js';
import type { SimulatedDevice } from './device.js';
import type { SimulatedHx711 } from './hx711.js';

export type M5stackFirmware = 'weight-i2c-v4' | 'mini-scales-v1' | 'unit-scales-v1';

/** The HX711 in these units runs with RATE low: 10 samples a second (HX711 datasheet). */
const CONVERSIONS_PER_SEC = 10;

/** The firmware's raw_adc for one HX711 conversion (signed counts): the 24-bit two's complement word XOR 0x800000. */
function rawAdcOf(counts: number): number {
  const word = counts & 0xffffff;
  return word ^ 0x800000;
}

/** The latest conversion a unit holds at `atSec`, or, for a playback board, the load at that moment. */
function conversionAt(hx711: SimulatedHx711, atSec: Seconds, convertAtRead: boolean): number {
  return hx711.convert(convertAtRead ? atSec : Math.floor(atSec * CONVERSIONS_PER_SEC) / CONVERSIONS_PER_SEC);
}

/** Unit Weight I2C and Unit Mini Scales: raw value at 0x00, little-endian. */
export class SimulatedM5stackWeightUnit implements SimulatedDevice {
  badAnswer = false;
  private tx: Buffer = Buffer.alloc(0);
  private txIndex = 0;
  // main.c V4 start-up values: lp_filter_enabled 1, avg_filter_level 10, ema_filter_int 10.
  private readonly filters = [1, 10, 10];
  private readonly offsetRaw: number;

  constructor(
    private readonly hx711: SimulatedHx711,
    private readonly clock: () => Seconds,
    private readonly address: number,
    private readonly firmware: 'weight-i2c-v4' | 'mini-scales-v1',
    /** Playback: the load is a recording of conversions, taken at the moment of each read (see SimulatedBusOptions). */
    private readonly convertAtRead = false,
  ) {
    this.offsetRaw = firmware === 'mini-scales-v1' ? this.rawAdc() : 0;
  }

  private rawAdc(): number {
    return rawAdcOf(conversionAt(this.hx711, this.clock(), this.convertAtRead));
  }

  private get version(): number {
    return this.firmware === 'weight-i2c-v4' ? 4 : 1;
  }

  private get hasFilters(): boolean {
    return this.firmware === 'weight-i2c-v4';
  }

  write(bytes: Buffer): void {
    const reg = bytes[0];
    if (reg === undefined) return;
    if (bytes.length === 1) {
      this.select(reg);
      return;
    }
    if (reg >= 0x80 && reg <= 0x82 && this.hasFilters) {
      bytes.subarray(1).forEach((value, i) => {
        if (reg - 0x80 + i <= 2) this.filters[reg - 0x80 + i] = value;
      });
      return;
    }
    if (reg === 0xff || reg === 0x40 || reg === 0x50 || reg === 0x90 || reg === 0xfd) {
      throw new Error(`simulated M5Stack unit: writing register 0x${reg.toString(16)} is not emulated`);
    }
  }

  read(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) {
      if (this.badAnswer || this.tx.length === 0) {
        // Nothing driving SDA: the pull-up makes every bit a 1.
        out[i] = this.badAnswer ? 0xff : 0x00;
        continue;
      }
      out[i] = this.tx[this.txIndex]!;
      this.txIndex = (this.txIndex + 1) % this.tx.length;
    }
    return out;
  }

  private select(reg: number): void {
    let answer: Buffer | null = null;
    if (reg <= 0x03) {
      answer = Buffer.alloc(4);
      answer.writeUInt32LE(this.rawAdc());
    } else if (reg >= 0x10 && reg <= 0x13 && this.firmware === 'mini-scales-v1') {
      answer = Buffer.alloc(4);
      answer.writeFloatLE(Math.abs(this.rawAdc() - this.offsetRaw) / 400);
    } else if (reg >= 0x80 && reg <= 0x82 && this.hasFilters) {
      answer = Buffer.from(this.filters.slice(reg - 0x80));
    } else if (reg === 0xfe) {
      answer = Buffer.from([this.version]);
    } else if (reg === 0xff) {
      answer = Buffer.from([this.address]);
    } else if ((reg >= 0x10 && reg <= 0x13) || (reg >= 0x40 && reg <= 0x43) || (reg >= 0x60 && reg <= 0x7f) || reg === 0x90) {
      throw new Error(`simulated M5Stack unit: register 0x${reg.toString(16)} (weight, gap, polarity) is not emulated`);
    }
    if (answer === null) return;
    this.tx = answer;
    this.txIndex = 0;
  }
}

/**
 * Unit Scales: registers in blocks (I2CAddReg), 32-bit ones sent big-endian
 * (I2CRead swaps them). 0x10: the raw value (HX711_readData, offset binary),
 * the weight, the offset, the scale. 0xFE: version 1. 0xFF: the address.
 * Only these are emulated; the firmware arms no answer for a register outside
 * its blocks, so a read of one is an error here.
 */
export class SimulatedM5stackUnitScales implements SimulatedDevice {
  badAnswer = false;
  private tx: Buffer = Buffer.alloc(0);
  private txIndex = 0;

  constructor(
    private readonly hx711: SimulatedHx711,
    private readonly clock: () => Seconds,
    private readonly address: number,
  ) {}

  write(bytes: Buffer): void {
    const reg = bytes[0];
    if (reg === undefined) return;
    if (bytes.length > 1) throw new Error(`simulated M5Stack Unit Scales: writing register 0x${reg.toString(16)} is not emulated`);
    if (reg === 0xfe) this.tx = Buffer.from([1]);
    else if (reg === 0xff) this.tx = Buffer.from([this.address]);
    else if (reg >= 0x10 && reg <= 0x13) {
      const block = Buffer.alloc(16);
      block.writeUInt32BE(rawAdcOf(conversionAt(this.hx711, this.clock(), false)), 0);
      this.tx = block.subarray(reg - 0x10);
    } else throw new Error(`simulated M5Stack Unit Scales: register 0x${reg.toString(16)} is not emulated`);
    this.txIndex = 0;
  }

  read(length: number): Buffer {
    const out = Buffer.alloc(length, 0xff);
    for (let i = 0; i < length && !this.badAnswer && this.txIndex < this.tx.length; i++) out[i] = this.tx[this.txIndex++]!;
    return out;
  }
}
