// The part of i2c-bus's PromisifiedBus that the load cell boards need. Board
// drivers take this interface, so the same driver code runs on the real bus
// and on the simulated one (sim/bus.ts).
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import i2c from 'i2c-bus';

export interface I2cBus {
  /** Plain write: START, address+W, the bytes, STOP. */
  i2cWrite(address: number, length: number, buffer: Buffer): Promise<{ bytesWritten: number; buffer: Buffer }>;
  /** Plain read: START, address+R, `length` bytes, STOP. */
  i2cRead(address: number, length: number, buffer: Buffer): Promise<{ bytesRead: number; buffer: Buffer }>;
  /** SMBus I2C block read: write `command`, repeated START, read `length` bytes. */
  readI2cBlock(address: number, command: number, length: number, buffer: Buffer): Promise<{ bytesRead: number; buffer: Buffer }>;
  /** SMBus read byte data: write `command`, repeated START, read one byte. */
  readByte(address: number, command: number): Promise<number>;
  /** SMBus write byte data: write `command` then `byte`. */
  writeByte(address: number, command: number, byte: number): Promise<void>;
  close(): Promise<void>;
}

/** Opens /dev/i2c-<busNumber>, failing now rather than at the first read if it is missing or not ours to use. */
export async function openI2cBus(busNumber: number): Promise<I2cBus> {
  // i2c-bus opens the device file lazily, at the first transfer to each address.
  await access(`/dev/i2c-${busNumber}`, constants.R_OK | constants.W_OK);
  return i2c.openPromisified(busNumber);
}
