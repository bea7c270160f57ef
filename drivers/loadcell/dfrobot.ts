// DFRobot Gravity I2C HX711 board (weight sensor kit KIT0176).
//
// Protocol, from DFRobot's own libraries (github.com/DFRobot/DFRobot_HX711_I2C:
// DFRobot_HX711_I2C.h/.cpp and python/raspberrypi/DFRobot_HX711_I2C.py):
// - Address 0x64 + A0 + 2*A1, set by the board's switches (0x64-0x67); a new
//   address takes effect after a power cycle (DFRobot wiki, KIT0176).
// - begin() writes 0x70 (REG_DATA_INIT_SENSOR) and 0x65 (REG_CLEAR_REG_STATE)
//   in one transfer.
// - A raw read writes the command 0x66 (REG_DATA_GET_RAM_DATA), waits 22 ms
//   (readReg's delay(22); the Python library waits 30 ms), then reads 4 bytes
//   with a plain read: the marker 0x12, then the HX711's 24-bit word, most
//   significant byte first. Any other first byte is not a conversion
//   (getValue() discards it).
// - The libraries XOR the word with 0x800000 and then average and subtract
//   the results (getValue(), average(), readWeight()), which only works if
//   the XOR turns a two's complement word into offset binary: the board
//   sends the HX711's word as is. We sign-extend it instead, which gives the
//   signed counts a cart-trace records.
// - The Python library fetches the four bytes with four one-byte reads after
//   one command: the board keeps its answer across reads (sim/dfrobot.ts).
import { BoardError, expectLength, hex, onBus, type LoadCellBoard } from './board.js';
import type { I2cBus } from './i2c.js';

export const DFROBOT_ADDRESSES: readonly number[] = [0x64, 0x65, 0x66, 0x67];

const CMD_INIT_SENSOR = 0x70;
const CMD_CLEAR_REG_STATE = 0x65;
const CMD_GET_RAW = 0x66;
const RAW_MARKER = 0x12;

/** Time the board needs between the raw-read command and the read of its answer (see above). */
export const DFROBOT_COMMAND_WAIT_MS = 22;

/**
 * Each sample waits 22 ms per board; the four boards wait side by side, but
 * their transfers share one bus (about 0.7 ms a board at the Pi's default
 * 100 kHz) and the 22 ms timer itself runs a little late. On the simulated
 * bus a sample took up to 30 ms; 25 Hz (40 ms ticks) leaves room for the
 * real bus. Faster rates would skip ticks all the time.
 */
export const DFROBOT_MAX_RATE_HZ = 25;

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class DfrobotHx711Board implements LoadCellBoard {
  readonly label: string;

  constructor(
    private readonly bus: I2cBus,
    private readonly address: number,
  ) {
    this.label = `dfrobot@${hex(address)}`;
  }

  async init(): Promise<void> {
    const command = Buffer.from([CMD_INIT_SENSOR, CMD_CLEAR_REG_STATE]);
    const { bytesWritten } = await onBus(this.label, 'init', () => this.bus.i2cWrite(this.address, command.length, command));
    expectLength(this.label, 'init', bytesWritten, command.length);
  }

  async readRaw(): Promise<number> {
    const command = Buffer.from([CMD_GET_RAW]);
    const written = await onBus(this.label, 'raw command', () => this.bus.i2cWrite(this.address, 1, command));
    expectLength(this.label, 'raw command', written.bytesWritten, 1);
    await sleepMs(DFROBOT_COMMAND_WAIT_MS);
    const { bytesRead, buffer } = await onBus(this.label, 'raw read', () => this.bus.i2cRead(this.address, 4, Buffer.alloc(4)));
    expectLength(this.label, 'raw read', bytesRead, 4);
    if (buffer[0] !== RAW_MARKER) {
      throw new BoardError('bad-answer', `${this.label} raw read: marker ${hex(buffer[0] ?? 0)}, expected ${hex(RAW_MARKER)}`);
    }
    // Bytes 1-3: the 24-bit word, big-endian, two's complement.
    return buffer.readIntBE(1, 3);
  }
}
