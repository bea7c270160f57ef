// M5Stack Unit Weight I2C (U180): an STM32 reading an HX711, as I2C registers.
//
// Register map and access, from M5Stack's library github.com/m5stack/M5Unit-WEIGHT
// (src/unit/unit_WeightI2C.hpp/.cpp) and the UiFlow docs for the unit:
// - Default address 0x26; register 0xFF holds the address and can change it.
// - 0x00 RAW_ADC: the conversion as int32, little-endian, read as "write the
//   register, repeated START, read 4 bytes" (read_register: no stop bit
//   between), which is an SMBus I2C block read.
// - 0x80 low-pass filter on/off (1/0), 0x81 averaging level (0-50),
//   0x82 EMA alpha (0-99). M5Stack's begin() switches them on (1, 10, 10).
//   We write 0 to all three so that the firmware sees the HX711's own
//   conversions, and read them back, since a unit that lost power comes back
//   with its defaults.
// - 0xFE firmware version; begin() waits until it reads non-zero before
//   using the unit.
// - The unit's HX711 runs with RATE low, 10 conversions a second (begin()'s
//   comment on its 400 ms settling wait): reading faster returns each
//   conversion several times.
import { BoardError, HX711_MAX, HX711_MIN, expectLength, hex, onBus, type LoadCellBoard } from './board.js';
import type { I2cBus } from './i2c.js';

export const M5STACK_DEFAULT_ADDRESS = 0x26;

const REG_RAW_ADC = 0x00;
const REG_FILTER_LOW_PASS = 0x80;
const REG_FILTER_AVERAGE = 0x81;
const REG_FILTER_EMA = 0x82;
const REG_FIRMWARE_VERSION = 0xfe;

const FILTER_REGISTERS = [REG_FILTER_LOW_PASS, REG_FILTER_AVERAGE, REG_FILTER_EMA];

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
    for (const reg of FILTER_REGISTERS) {
      await onBus(this.label, `filter ${hex(reg)} off`, () => this.bus.writeByte(this.address, reg, 0));
      const back = await onBus(this.label, `filter ${hex(reg)} check`, () => this.bus.readByte(this.address, reg));
      if (back !== 0) throw new BoardError('bad-answer', `${this.label} filter ${hex(reg)} reads ${back} after writing 0`);
    }
  }

  async readRaw(): Promise<number> {
    const { bytesRead, buffer } = await onBus(this.label, 'raw read', () =>
      this.bus.readI2cBlock(this.address, REG_RAW_ADC, 4, Buffer.alloc(4)),
    );
    expectLength(this.label, 'raw read', bytesRead, 4);
    const raw = buffer.readInt32LE(0);
    if (raw < HX711_MIN || raw > HX711_MAX) {
      throw new BoardError('bad-answer', `${this.label} raw read: ${raw} is outside the HX711's 24-bit range`);
    }
    return raw;
  }
}
