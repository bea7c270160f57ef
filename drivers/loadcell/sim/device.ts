// A simulated board at the level of the bus: what it does with the bytes of a
// write transfer and which bytes it sends in a read transfer. SMBus commands
// are made of these two (sim/bus.ts).
export interface SimulatedDevice {
  /** When set, the board answers, but not as its protocol says. */
  badAnswer: boolean;
  /** A write transfer: the bytes after the address. */
  write(bytes: Buffer): void;
  /** A read transfer: the `length` bytes the board sends. */
  read(length: number): Buffer;
}
