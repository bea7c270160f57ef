// An M5Stack Unit Weight I2C as the bus sees it (register map: ../m5stack.ts).
import type { Seconds } from '../../../firmware/domain.js';
import type { SimulatedDevice } from './device.js';
import type { SimulatedHx711 } from './hx711.js';

/** The unit's HX711 converts 10 times a second (RATE pin low). */
const CONVERSIONS_PER_SEC = 10;
/**
 * M5Stack does not document what its filters compute. With any of them on,
 * the emulated raw register returns the mean of the last 10 conversions: a
 * stand-in that is visibly not the raw conversion, so a driver that leaves
 * the filters on fails its tests.
 */
const FILTER_STAND_IN_CONVERSIONS = 10;
const FIRMWARE_VERSION = 2;

export class SimulatedM5stackUnit implements SimulatedDevice {
  badAnswer = false;
  private pointer = 0;
  // The values M5Stack's begin() sets: low-pass on, averaging 10, EMA alpha 10.
  private readonly filters = new Map<number, number>([
    [0x80, 1],
    [0x81, 10],
    [0x82, 10],
  ]);

  constructor(
    private readonly hx711: SimulatedHx711,
    private readonly clock: () => Seconds,
    private address: number,
    /** Playback: the load is a recording of conversions, taken at the moment of each read (see SimulatedBusOptions). */
    private readonly convertAtRead = false,
  ) {}

  write(bytes: Buffer): void {
    this.pointer = bytes[0] ?? this.pointer;
    const value = bytes[1];
    if (value === undefined) return;
    if (this.filters.has(this.pointer)) this.filters.set(this.pointer, value);
    if (this.pointer === 0xff) this.address = value;
  }

  read(length: number): Buffer {
    const out = Buffer.alloc(length);
    const reg = this.pointer;
    if (reg === 0x00) {
      const raw = Buffer.alloc(4);
      raw.writeInt32LE(this.badAnswer ? 0x40000000 : this.rawRegister());
      raw.copy(out, 0, 0, Math.min(length, 4));
    } else if (this.filters.has(reg)) {
      out[0] = this.filters.get(reg) ?? 0;
    } else if (reg === 0xfe) {
      out[0] = FIRMWARE_VERSION;
    } else if (reg === 0xff) {
      out[0] = this.address;
    }
    return out;
  }

  private rawRegister(): number {
    if (this.convertAtRead) return this.hx711.convert(this.clock());
    const latest = Math.floor(this.clock() * CONVERSIONS_PER_SEC);
    const at = (k: number) => this.hx711.convert(k / CONVERSIONS_PER_SEC);
    if ([...this.filters.values()].every((v) => v === 0)) return at(latest);
    let sum = 0;
    for (let k = latest - FILTER_STAND_IN_CONVERSIONS + 1; k <= latest; k++) sum += at(k);
    return Math.round(sum / FILTER_STAND_IN_CONVERSIONS);
  }
}
