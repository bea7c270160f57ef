// What every HX711 I2C board driver offers, and how its failures are named.
import type { Seconds } from '../../firmware/domain.js';

/** HX711 output range: 24-bit two's complement (HX711 datasheet, "Serial Interface"). */
export const HX711_MIN = -0x800000;
export const HX711_MAX = 0x7fffff;

/**
 * HX711 output settling time after power-up or reset: 4 conversions, 400 ms
 * at 10 SPS (HX711 datasheet, "Output settling time"). Neither vendor says
 * how long its board's own start takes on top of that, so 10 SPS, the slow
 * case, is assumed for both.
 */
export const HX711_SETTLE_SEC: Seconds = 0.4;

export type BoardModel = 'dfrobot' | 'm5stack';

/** One HX711 board on the bus. */
export interface LoadCellBoard {
  /** For logs and health, e.g. "dfrobot@0x64". */
  readonly label: string;
  /** Puts the board in the state the driver reads it in; also proves it answers. */
  init(): Promise<void>;
  /** One conversion, signed 24-bit counts. Throws BoardError. */
  readRaw(): Promise<number>;
}

/**
 * - `io`: the bus transfer failed (EIO, a timeout, a short transfer).
 * - `no-answer`: nothing acknowledged the address (ENXIO, EREMOTEIO): unplugged, unpowered or wrong address.
 * - `bad-answer`: the board answered, but not as its protocol says (wrong marker byte, value out of range,
 *   reads that disagree), or it is not the board the driver reads.
 * - `no-cell`: the board answered that its HX711 gave no conversion (M5Stack: raw value 0).
 */
export type BoardErrorKind = 'io' | 'no-answer' | 'bad-answer' | 'no-cell';

export class BoardError extends Error {
  constructor(
    readonly kind: BoardErrorKind,
    message: string,
    /** The errno code of the bus error, when there was one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'BoardError';
  }
}

// A NACK on the address is ENXIO by the kernel's convention
// (Documentation/i2c/fault-codes.rst); some adapters, the Raspberry Pi's
// i2c-bcm2835 among them, report it as EREMOTEIO ("Remote I/O error").
const NO_ANSWER_CODES = new Set(['ENXIO', 'EREMOTEIO']);

/** Runs one bus transfer and turns its failure into a BoardError naming the board. */
export async function onBus<T>(label: string, what: string, transfer: () => Promise<T>): Promise<T> {
  try {
    return await transfer();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message = `${label} ${what}: ${(err as Error).message}`;
    throw new BoardError(code !== undefined && NO_ANSWER_CODES.has(code) ? 'no-answer' : 'io', message, code);
  }
}

export function expectLength(label: string, what: string, got: number, wanted: number): void {
  if (got !== wanted) throw new BoardError('io', `${label} ${what}: short transfer, ${got} of ${wanted} bytes`);
}

export function hex(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

export function isSaturated(raw: number): boolean {
  return raw === HX711_MIN || raw === HX711_MAX;
}
