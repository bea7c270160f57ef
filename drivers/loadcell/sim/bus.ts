// A simulated I2C bus with one simulated HX711 board per address. It answers
// the same calls as i2c-bus, byte for byte as the boards would, so the real
// board drivers run on it. Faults can be switched on per board.
import type { Seconds } from '../../../firmware/domain.js';
import { hex, type BoardModel } from '../board.js';
import type { I2cBus } from '../i2c.js';
import type { SimulatedDevice } from './device.js';
import { SimulatedDfrobotBoard } from './dfrobot.js';
import { SimulatedHx711, type TrueLoad } from './hx711.js';
import { SimulatedM5stackUnit } from './m5stack.js';

/**
 * - `io`: every transfer to the board fails with EIO.
 * - `gone`: the board does not acknowledge its address (EREMOTEIO, as on a
 *   Raspberry Pi); when the fault is cleared it comes back as from power-up.
 * - `bad-answer`: DFRobot answers with a wrong marker byte; M5Stack with a
 *   raw value outside 24 bits.
 * - `stuck`: the board repeats its last conversion.
 * - `saturated-high` / `saturated-low`: the HX711 sits at its 24-bit limit.
 */
export type SimulatedFault = 'io' | 'gone' | 'bad-answer' | 'stuck' | 'saturated-high' | 'saturated-low';

export interface SimulatedBusOptions {
  model: BoardModel;
  /** One board per address; the board at addresses[i] carries channel i of `load`. */
  addresses: readonly number[];
  load: TrueLoad;
  clock: () => Seconds;
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

  constructor(private readonly options: SimulatedBusOptions) {
    if (options.convertAtRead && options.model !== 'm5stack') throw new Error('a playback board (convertAtRead) has the M5Stack register map');
    this.model = options.model;
    this.addresses = [...options.addresses];
    options.addresses.forEach((address, channel) => {
      const hx711 = new SimulatedHx711(channel, options.load);
      this.boards.set(address, {
        device: this.powerUp(hx711, address),
        hx711,
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
    board.hx711.setFault(fault === 'stuck' || fault === 'saturated-high' || fault === 'saturated-low' ? fault : null);
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
    return this.transfer(address, 'write', (device) => {
      device.write(buffer.subarray(0, length));
      return { bytesWritten: length, buffer };
    });
  }

  i2cRead(address: number, length: number, buffer: Buffer) {
    return this.transfer(address, 'read', (device) => {
      device.read(length).copy(buffer);
      return { bytesRead: length, buffer };
    });
  }

  readI2cBlock(address: number, command: number, length: number, buffer: Buffer) {
    return this.transfer(address, 'readI2cBlock', (device) => {
      device.write(Buffer.from([command]));
      device.read(length).copy(buffer);
      return { bytesRead: length, buffer };
    });
  }

  readByte(address: number, command: number) {
    return this.transfer(address, 'readByte', (device) => {
      device.write(Buffer.from([command]));
      return device.read(1)[0] ?? 0;
    });
  }

  writeByte(address: number, command: number, byte: number) {
    return this.transfer(address, 'writeByte', (device) => {
      device.write(Buffer.from([command, byte]));
    });
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private powerUp(hx711: SimulatedHx711, address: number): SimulatedDevice {
    return this.options.model === 'dfrobot'
      ? new SimulatedDfrobotBoard(hx711, this.options.clock)
      : new SimulatedM5stackUnit(hx711, this.options.clock, address, this.options.convertAtRead);
  }

  private board(address: number): SimulatedBoard {
    const board = this.boards.get(address);
    if (!board) throw new Error(`no simulated board at ${hex(address)}`);
    return board;
  }

  private async transfer<T>(address: number, syscall: string, exchange: (device: SimulatedDevice) => T): Promise<T> {
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
      if (!board || board.fault === 'gone') throw errnoError('EREMOTEIO', 121, 'Remote I/O error', syscall);
      if (board.fault === 'io') throw errnoError('EIO', 5, 'Input/output error', syscall);
      return exchange(board.device);
    } finally {
      if (board) board.inFlight--;
    }
  }
}
