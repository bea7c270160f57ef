// M5Stack Unit Weight I2C (U180): an STM32 reading an HX711, as I2C registers.
// The Unit Mini Scales (U177) runs the same firmware and register map.
//
// From M5Stack's firmware (github.com/m5stack/M5Unit-Miniscale-Internal-FW,
// weight-i2c-code/weight-i2c/Core/Src/main.c, V4) and library
// (github.com/m5stack/M5Unit-WEIGHT, src/unit/unit_WeightI2C.cpp):
// - Default address 0x26; register 0xFF holds the address.
// - 0x00 RAW_ADC: 4 bytes, little-endian, read as "write the register,
//   repeated START, read 4 bytes" (read_register: no stop bit between), an
//   SMBus I2C block read. The value is offset binary: HX711_readData() stores
//   the HX711's 24-bit two's complement word XOR 0x800000, so 0 ... 0xFFFFFF,
//   0x800000 being zero counts. The fourth byte is always 0.
// - HX711_readData() returns 0, without the XOR, when the HX711 gives no
//   data-ready within 200 ms; the HX711 at its negative limit (800000h) also
//   reads 0. Either way no weight is measured: see readRaw.
// - The filters 0x80-0x82 act on the weight registers only (Get_Weight()
//   filters weight_value, never raw_adc), and the first Mini Scales firmware
//   (V1) has none: this driver neither writes nor reads them.
// - 0xFE firmware version; begin() waits until it reads non-zero.
// - The HX711 runs at 10 conversions a second: reading faster returns each
//   conversion several times.
//
// The M5Stack Unit Scales is another product with another register map (raw
// value at 0x10, big-endian, then the weight, offset and scale:
// github.com/m5stack/M5Unit-Scales-Internal-FW, Core/user/app_main.c and
// i2c_ex.c). Its firmware answers version 1 at 0xFE, and so does the first
// Mini Scales firmware (the Internal-FW repository's first commit,
// code/miniscale/Core/Src/main.c). Both serve 0x10 (reading a register the
// Unit Scales does not serve could leave it stretching the clock): on the
// Unit Scales its first byte is the top byte of a 24-bit value, always 0; on
// the Mini Scales it is the low byte of the weight as a float. A version 1
// unit whose 0x10 starts with 0 is refused as a Unit Scales; a Mini Scales
// weighing something whose float happens to end in a 0 byte is refused too,
// and set up at the next attempt.
import { BoardError, expectLength, hex, onBus, type LoadCellBoard } from './board.js';
import type { I2cBus } from './i2c.js';

export const M5STACK_DEFAULT_ADDRESS = 0x26;

const REG_RAW_ADC = 0x00;
const REG_WEIGHT = 0x10;
const REG_FIRMWARE_VERSION = 0xfe;
const REG_ADDRESS = 0xff;
/** raw_adc of zero counts: the offset of the offset-binary value. */
const ZERO_COUNTS_RAW = 0x800000;
/** The version both the Unit Scales and the first Mini Scales firmware answer. */
const AMBIGUOUS_VERSION = 1;

export class M5stackWeightUnit implements LoadCellBoard {
  readonly label: string;

  constructor(
    private readonly bus: I2cBus,
    private readonly address: number,
  ) {
    this.label = `m5stack@${hex(address)}`;
  }

  async init(): Promise<void> {
    const version = await onBus(this.label, 'firmware version', () => this.bus.readByte(this.address, REG_FIRMWARE_VERSION));
    if (version === 0) throw new BoardError('bad-answer', `${this.label} is not ready: firmware version reads 0`);
    if (version === AMBIGUOUS_VERSION && (await this.looksLikeUnitScales())) {
      throw new BoardError(
        'bad-answer',
        `${this.label} is an M5Stack Unit Scales (firmware version 1, raw value at 0x10): its register map is not the Unit Weight I2C's, and it is not supported; use a Unit Weight I2C (U180)`,
      );
    }
    // The address register holds a value we know: a check that the bus carries bytes unchanged.
    const address = await onBus(this.label, 'address', () => this.bus.readByte(this.address, REG_ADDRESS));
    if (address !== this.address) throw new BoardError('bad-answer', `${this.label} says its address is ${hex(address)}`);
  }

  private async looksLikeUnitScales(): Promise<boolean> {
    const { bytesRead, buffer } = await onBus(this.label, 'product check', () =>
      this.bus.readI2cBlock(this.address, REG_WEIGHT, 4, Buffer.alloc(4)),
    );
    expectLength(this.label, 'product check', bytesRead, 4);
    return buffer[0] === 0;
  }

  /**
   * One conversion, in signed counts. The register is read until two reads in
   * a row agree (at most three): a byte corrupted on the bus, as the Pi's
   * controller does when it misses the unit's clock stretching, shows as two
   * reads that differ; a new conversion landing between two reads is the
   * third read agreeing with the second.
   */
  async readRaw(): Promise<number> {
    const first = await this.readRegister();
    let second = await this.readRegister();
    if (second !== first) {
      const third = await this.readRegister();
      if (third !== second) {
        throw new BoardError('bad-answer', `${this.label} raw read: three reads disagree (${hex(first)}, ${hex(second)}, ${hex(third)}): the bus corrupts bytes`);
      }
      second = third;
    }
    if (second === 0) {
      throw new BoardError('no-cell', `${this.label} raw read: 0, no conversion: no load cell on its terminals, a broken cell, or an HX711 that does not convert`);
    }
    return second - ZERO_COUNTS_RAW;
  }

  private async readRegister(): Promise<number> {
    const { bytesRead, buffer } = await onBus(this.label, 'raw read', () =>
      this.bus.readI2cBlock(this.address, REG_RAW_ADC, 4, Buffer.alloc(4)),
    );
    expectLength(this.label, 'raw read', bytesRead, 4);
    const raw = buffer.readUInt32LE(0);
    if (raw > 0xffffff) throw new BoardError('bad-answer', `${this.label} raw read: ${hex(raw)} is more than 24 bits`);
    return raw;
  }
}
