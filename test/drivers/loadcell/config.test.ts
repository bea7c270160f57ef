// What openLoadCells refuses before it touches the bus.
import t from 'tap';
import { createLogger, memorySink } from '../../../firmware/log.js';
import { LoadCellConfigError, openLoadCells } from '../../../drivers/loadcell/index.js';

const deps = { clock: () => performance.now() / 1000, log: createLogger(memorySink(), 'test') };

t.test('every problem of a setup is reported at once, each by its key', async (t) => {
  const err = await openLoadCells({ board: 'dfrobot', busNumber: -1, addresses: [0x64, 0x64, 0x26], rateHz: 80 }, deps).catch((e: unknown) => e);
  t.ok(err instanceof LoadCellConfigError);
  t.same((err as LoadCellConfigError).problems, [
    'busNumber: expected a whole number, 0 or more (got -1)',
    'addresses: expected 4, one per corner fl, fr, rl, rr (got 3)',
    'addresses[1]: 0x64 is already used by addresses[0]',
    'addresses[2]: a dfrobot board answers at 0x64-0x67 only (got 0x26)',
    'rateHz: a dfrobot board needs 22 ms per read, so at most 25 Hz (got 80)',
  ]);
});

t.test('an M5Stack setup may use any 7-bit address and 80 Hz', async (t) => {
  // The setup passes; what fails is opening a bus this machine does not have, and the error says which.
  const err = await openLoadCells({ board: 'm5stack', busNumber: 97, addresses: [0x26, 0x27, 0x28, 0x29], rateHz: 80 }, deps).catch((e: unknown) => e);
  t.notOk(err instanceof LoadCellConfigError);
  t.match((err as Error).message, /cannot open I2C bus \/dev\/i2c-97/);
});

t.test('an address outside the 7-bit device range is refused', async (t) => {
  const err = (await openLoadCells({ board: 'm5stack', busNumber: 1, addresses: [0x26, 0x27, 0x28, 0x78], rateHz: 80 }, deps).catch((e: unknown) => e)) as LoadCellConfigError;
  t.same(err.problems, ['addresses[3]: expected a 7-bit device address 0x08-0x77 (got 120)']);
});
