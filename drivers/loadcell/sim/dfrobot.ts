// A DFRobot Gravity I2C HX711 board as the bus sees it (protocol: ../dfrobot.ts).
// DFRobot does not publish the board's firmware; what is emulated is what
// both of DFRobot's libraries (github.com/DFRobot/DFRobot_HX711_I2C) rely on:
// - after the command byte 0x66 the board has, 22 ms later (readReg's
//   delay(22)), four bytes ready: the marker 0x12, then the HX711's 24-bit
//   word, most significant byte first, as the HX711 shifts it out (two's
//   complement: getValue() XORs it with 0x800000 to get an offset-binary
//   value it then averages and subtracts, which is only monotonic if the word
//   is two's complement);
// - the four bytes may be fetched in one read (the Arduino library's
//   requestFrom(4)) or one byte a read (the Python library's four
//   read_byte calls after one command), so the answer is a stream that the
//   reads take bytes from until the next command.
import type { Seconds } from '../../../firmware/domain.js';
import type { SimulatedDevice } from './device.js';
import type { SimulatedHx711 } from './hx711.js';

/**
 * How long after the 0x66 command the emulated board has its answer ready.
 * DFRobot documents only the host's wait (22 ms); the emulation is ready a
 * little sooner so that timer jitter does not fail a driver that waits the
 * documented time; the shortest wait seen is kept for the tests.
 */
const ANSWER_READY_SEC: Seconds = 0.02;
const RAW_MARKER = 0x12;

export class SimulatedDfrobotBoard implements SimulatedDevice {
  badAnswer = false;
  /** The shortest time between a raw command and the first read of its answer, so far. */
  shortestWaitSec: Seconds | null = null;
  private commandAtSec: Seconds | null = null;
  private answer: Buffer | null = null;
  private sent = 0;

  constructor(
    private readonly hx711: SimulatedHx711,
    private readonly clock: () => Seconds,
  ) {}

  write(bytes: Buffer): void {
    // 0x66 asks for a conversion; the init pair (0x70 0x65) and the
    // calibration commands change nothing the raw read depends on.
    this.commandAtSec = bytes.length === 1 && bytes[0] === 0x66 ? this.clock() : null;
    this.answer = null;
  }

  read(length: number): Buffer {
    const out = Buffer.alloc(length);
    if (this.answer === null) {
      const commandAtSec = this.commandAtSec;
      if (commandAtSec === null) return out;
      const now = this.clock();
      this.shortestWaitSec = Math.min(this.shortestWaitSec ?? Infinity, now - commandAtSec);
      // Read too early, the board has no conversion for us: the marker is not 0x12.
      if (now - commandAtSec < ANSWER_READY_SEC) {
        this.commandAtSec = null;
        return out;
      }
      this.answer = Buffer.alloc(4);
      this.answer.writeIntBE(this.hx711.convert(commandAtSec), 1, 3);
      this.answer[0] = this.badAnswer ? 0xff : RAW_MARKER;
      if (this.badAnswer) this.answer.fill(0xff);
      this.sent = 0;
    }
    const n = Math.min(length, this.answer.length - this.sent);
    this.answer.copy(out, 0, this.sent, this.sent + n);
    this.sent += n;
    return out;
  }
}
