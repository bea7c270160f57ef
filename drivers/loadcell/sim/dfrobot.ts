// A DFRobot Gravity I2C HX711 board as the bus sees it (protocol: ../dfrobot.ts).
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

export class SimulatedDfrobotBoard implements SimulatedDevice {
  badAnswer = false;
  /** The shortest time between a raw command and the read of its answer, so far. */
  shortestWaitSec: Seconds | null = null;
  private commandAtSec: Seconds | null = null;

  constructor(
    private readonly hx711: SimulatedHx711,
    private readonly clock: () => Seconds,
  ) {}

  write(bytes: Buffer): void {
    // 0x66 asks for a conversion; the init pair (0x70 0x65) and the
    // calibration commands change nothing the raw read depends on.
    this.commandAtSec = bytes.length === 1 && bytes[0] === 0x66 ? this.clock() : null;
  }

  read(length: number): Buffer {
    const answer = Buffer.alloc(length);
    const commandAtSec = this.commandAtSec;
    this.commandAtSec = null;
    if (commandAtSec === null) return answer;
    const now = this.clock();
    this.shortestWaitSec = Math.min(this.shortestWaitSec ?? Infinity, now - commandAtSec);
    // Read too early, the board has no conversion for us: the marker is not 0x12.
    if (now - commandAtSec < ANSWER_READY_SEC) return answer;
    const word = Buffer.alloc(4);
    word.writeIntBE(this.hx711.convert(commandAtSec), 1, 3);
    word[0] = this.badAnswer ? 0x00 : 0x12;
    word.copy(answer, 0, 0, Math.min(length, 4));
    return answer;
  }
}
