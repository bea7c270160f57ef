// A simulated I2C bus with one simulated HX711 board per address. It answers
// the same calls as i2c-bus, byte for byte as the boards would, so the real
// board drivers run on it. Faults can be switched on per board.
import type { Seconds } from '../../../firmware/domain.js';
import { hex, type BoardModel } from '../board.js';
import type { I2cBus } from '../i2c.js';
import type { SimulatedDevice } from './device.js';
import { SimulatedDfrobotBoard } from './dfrobot.js';
import { SimulatedHx711, type TrueLoad } from './hx711.js';
import { SimulatedM5stackUnitScales, SimulatedM5stackWeightUnit, type M5stackFirmware } from './m5stack.js';

/**
 * Faults of one board, switched on at the board's own boundary:
 * - `io`: every transfer to the board fails with EIO.
 * - `gone`: the board does not acknowledge its address (EREMOTEIO, as on a
 *   Raspberry Pi); when the fault is cleared it comes back as from power-up.
 * - `bad-answer`: the board acknowledges but does not drive SDA, so every
 *   byte it sends reads as 0xFF (DFRobot: its marker too).
 * - `garbled`: every third read transfer from the board comes back with bit
 *   7 of its first byte flipped, as when the Pi's controller samples SDA
 *   while the board is still stretching the clock (docs/scale-hardware.md).
 * - `stuck`: the board repeats its last conversion.
 * - `saturated-high` / `saturated-low`: the HX711 sits at its 24-bit limit.
 * - `cell-disconnected`: no load cell on the board's terminals (sim/hx711.ts).
 */
export type SimulatedFault = 'io' | 'gone' | 'bad-answer' | 'garbled' | 'stuck' | 'saturated-high' | 'saturated-low' | 'cell-disconnected';

export interface SimulatedBusOptions {
  model: BoardModel;
  /** One board per address; the board at addresses[i] carries channel i of `load`. */
  addresses: readonly number[];
  load: TrueLoad;
  clock: () => Seconds;
  /** M5Stack only: which unit and firmware answers (sim/m5stack.ts); the Unit Weight I2C's V4 unless said. */
  m5stackFirmware?: M5stackFirmware;
  /**
   * The playback board: an M5Stack unit whose register holds the load at the
   * moment of each read instead of its HX711's 10 conversions a second. For a
   * load that is itself a recording of conversions (sim/recorded-load.ts), so
   * the recording's own rate reaches the firmware unchanged. M5Stack only.
   */
  convertAtRead?: boolean;
}

interface SimulatedBoard {
  device: SimulatedDevice;
  reads: number;
  hx711: SimulatedHx711;
  fault: SimulatedFault | null;
  latencySec: Seconds;
  transfers: number;
  inFlight: number;
  maxInFlight: number;
}

export interface SimulatedBoardStats {
  transfers: number;
  /** Most transfers to this board that were under way at once. */
  maxInFlight: number;
  /** DFRobot only: shortest wait between a raw command and the read of its answer. */
  shortestWaitSec: Seconds | null;
}

function errnoError(code: string, errno: number, text: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}, ${text}`), { code, errno: -errno, syscall });
}

const sleepSec = (sec: Seconds) => new Promise<void>((resolve) => setTimeout(resolve, sec * 1000));

export class SimulatedI2cBus implements I2cBus {
  readonly model: BoardModel;
  readonly addresses: readonly number[];
  private readonly boards = new Map<number, SimulatedBoard>();
  private closed = false;
  /** SDA held low by something on the bus, and whether closing and reopening the bus lets it go. */
  private sdaHeldLow: { releasedByReopen: boolean } | null = null;
  /** How many times the bus was opened again after a close. */
  reopens = 0;

  constructor(private readonly options: SimulatedBusOptions) {
    if ((options.convertAtRead || options.m5stackFirmware) && options.model !== 'm5stack') {
      throw new Error('a playback board (convertAtRead) and m5stackFirmware are M5Stack options');
    }
    if (options.convertAtRead && options.m5stackFirmware && options.m5stackFirmware !== 'weight-i2c-v4') {
      throw new Error('a playback board is a Unit Weight I2C');
    }
    this.model = options.model;
    this.addresses = [...options.addresses];
    options.addresses.forEach((address, channel) => {
      const hx711 = new SimulatedHx711(channel, options.load);
      this.boards.set(address, {
        device: this.powerUp(hx711, address),
        hx711,
        reads: 0,
        fault: null,
        latencySec: 0,
        transfers: 0,
        inFlight: 0,
        maxInFlight: 0,
      });
    });
  }

  /** Switches a fault on for the board at `address`, or off with null. */
  setFault(address: number, fault: SimulatedFault | null): void {
    const board = this.board(address);
    if (board.fault === 'gone' && fault !== 'gone') board.device = this.powerUp(board.hx711, address);
    board.fault = fault;
    board.device.badAnswer = fault === 'bad-answer';
    const conversion = fault === 'stuck' || fault === 'saturated-high' || fault === 'saturated-low' || fault === 'cell-disconnected';
    board.hx711.setFault(conversion ? fault : null);
  }

  /**
   * SDA held low by a device on the bus (one that lost a transfer half way,
   * or hangs). Modelled for a controller that does not check the line
   * before a START: every bit it reads is 0 and every acknowledge (SDA low
   * on the ninth clock) looks given, so writes seem to go through and reads
   * return zeros, from every address (I2C-bus specification UM10204, 3.1.6;
   * 3.1.16 on clearing a held bus). `releasedByReopen`: the device
   * lets go once the host closes and reopens the bus (a unit whose own I2C
   * timeout resets it meanwhile); otherwise only clearing the fault, a power
   * cycle, does.
   */
  holdSdaLow(held: { releasedByReopen: boolean } | null): void {
    this.sdaHeldLow = held;
  }

  /** Opens the bus again after close(); what recovery does with a real /dev/i2c-N. */
  async reopen(): Promise<SimulatedI2cBus> {
    this.closed = false;
    this.reopens++;
    if (this.sdaHeldLow?.releasedByReopen) this.sdaHeldLow = null;
    return this;
  }

  /** Makes every transfer to the board take this long (clock stretching, a busy bus). */
  setLatency(address: number, latencySec: Seconds): void {
    this.board(address).latencySec = latencySec;
  }

  stats(address: number): SimulatedBoardStats {
    const board = this.board(address);
    const shortestWaitSec = board.device instanceof SimulatedDfrobotBoard ? board.device.shortestWaitSec : null;
    return { transfers: board.transfers, maxInFlight: board.maxInFlight, shortestWaitSec };
  }

  i2cWrite(address: number, length: number, buffer: Buffer) {
    const written = { bytesWritten: length, buffer };
    return this.transfer(address, 'write', (device) => {
      device.write(buffer.subarray(0, length));
      return written;
    }, () => written);
  }

  i2cRead(address: number, length: number, buffer: Buffer) {
    return this.transfer(address, 'read', (device) => {
      device.read(length).copy(buffer);
      return { bytesRead: length, buffer };
    }, () => {
      buffer.fill(0, 0, length);
      return { bytesRead: length, buffer };
    });
  }

  readI2cBlock(address: number, command: number, length: number, buffer: Buffer) {
    return this.transfer(address, 'readI2cBlock', (device) => {
      device.write(Buffer.from([command]));
      device.read(length).copy(buffer);
      return { bytesRead: length, buffer };
    }, () => {
      buffer.fill(0, 0, length);
      return { bytesRead: length, buffer };
    });
  }

  async readByte(address: number, command: number) {
    const buffer = await this.transfer(address, 'readByte', (device) => {
      device.write(Buffer.from([command]));
      return device.read(1);
    }, () => Buffer.alloc(1));
    return buffer[0] ?? 0;
  }

  writeByte(address: number, command: number, byte: number) {
    return this.transfer(address, 'writeByte', (device) => {
      device.write(Buffer.from([command, byte]));
    }, () => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private powerUp(hx711: SimulatedHx711, address: number): SimulatedDevice {
    const { model, clock, m5stackFirmware = 'weight-i2c-v4', convertAtRead } = this.options;
    if (model === 'dfrobot') return new SimulatedDfrobotBoard(hx711, clock);
    if (m5stackFirmware === 'unit-scales-v1') return new SimulatedM5stackUnitScales(hx711, clock, address);
    return new SimulatedM5stackWeightUnit(hx711, clock, address, m5stackFirmware, convertAtRead);
  }

  private board(address: number): SimulatedBoard {
    const board = this.boards.get(address);
    if (!board) throw new Error(`no simulated board at ${hex(address)}`);
    return board;
  }

  /** One transfer: `exchange` with the board, or `heldLow` when SDA is held low and no board hears its address. */
  private async transfer<T>(address: number, syscall: string, exchange: (device: SimulatedDevice) => T, heldLow: () => T): Promise<T> {
    if (this.closed) throw new Error('simulated I2C bus is closed');
    const board = this.boards.get(address);
    if (board) {
      board.transfers++;
      board.inFlight++;
      board.maxInFlight = Math.max(board.maxInFlight, board.inFlight);
    }
    try {
      // i2c-bus completes every call on libuv's thread pool, never synchronously.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (board && board.latencySec > 0) await sleepSec(board.latencySec);
      if (this.sdaHeldLow) return heldLow();
      if (!board || board.fault === 'gone') throw errnoError('EREMOTEIO', 121, 'Remote I/O error', syscall);
      if (board.fault === 'io') throw errnoError('EIO', 5, 'Input/output error', syscall);
      const result = exchange(board.device);
      if (syscall !== 'write' && syscall !== 'writeByte' && board.fault === 'garbled' && board.reads++ % 3 === 2) {
        const bytes = Buffer.isBuffer(result) ? result : (result as { buffer: Buffer }).buffer;
        bytes[0] = (bytes[0] ?? 0) ^ 0x80;
      }
      return result;
    } finally {
      if (board) board.inFlight--;
    }
  }
}
