// The board drivers against the simulated boards, byte for byte.
import t from 'tap';
import { BoardError } from '../../../drivers/loadcell/board.js';
import { DfrobotHx711Board } from '../../../drivers/loadcell/dfrobot.js';
import type { I2cBus } from '../../../drivers/loadcell/i2c.js';
import { M5stackWeightUnit } from '../../../drivers/loadcell/m5stack.js';
import { SimulatedI2cBus, type TrueLoad } from '../../../drivers/loadcell/index.js';
import { useFakeTime, type FakeTime, type Teardown } from './harness.js';

/** Loads that exercise the sign and the byte order: negative, positive, the limits. */
const fixedLoads = [-41_022, 0x123456, -0x800000, 0x7fffff];
const fixedLoad: TrueLoad = (channel) => fixedLoads[channel] ?? 0;

function fakeTime(t: Teardown): FakeTime {
  const time = useFakeTime();
  t.teardown(() => time.restore());
  return time;
}

/** Runs `op` while fake time goes by, as long as it takes the drivers to finish. */
async function during<T>(time: FakeTime, op: Promise<T>): Promise<T> {
  let done = false;
  const watched = op.finally(() => {
    done = true;
  });
  watched.catch(() => {});
  for (let ms = 0; !done && ms < 1000; ms++) await time.advance(0.001);
  return watched;
}

/** Records every write transfer, to check what goes on the wire. */
function recordWrites(bus: I2cBus): { address: number; bytes: number[] }[] {
  const writes: { address: number; bytes: number[] }[] = [];
  const i2cWrite = bus.i2cWrite.bind(bus);
  const writeByte = bus.writeByte.bind(bus);
  bus.i2cWrite = (address, length, buffer) => {
    writes.push({ address, bytes: [...buffer.subarray(0, length)] });
    return i2cWrite(address, length, buffer);
  };
  bus.writeByte = (address, command, byte) => {
    writes.push({ address, bytes: [command, byte] });
    return writeByte(address, command, byte);
  };
  return writes;
}

t.test('DFRobot board', async (t) => {
  const addresses = [0x64, 0x65, 0x66, 0x67];
  const setup = (t: Teardown) => {
    const time = fakeTime(t);
    const bus = new SimulatedI2cBus({ model: 'dfrobot', addresses, load: fixedLoad, clock: time.clock });
    return { time, bus, boards: addresses.map((a) => new DfrobotHx711Board(bus, a)) };
  };

  t.test('init sends 0x70 then 0x65 in one write, as DFRobot begin() does', async (t) => {
    const { time, bus, boards } = setup(t);
    const writes = recordWrites(bus);
    await during(time, boards[1]!.init());
    t.same(writes, [{ address: 0x65, bytes: [0x70, 0x65] }]);
  });

  t.test('reads the signed 24-bit word that follows the 0x12 marker', async (t) => {
    const { time, boards } = setup(t);
    const values = await during(time, Promise.all(boards.map((b) => b.readRaw())));
    t.same(values, fixedLoads);
  });

  t.test('waits 22 ms between the raw command and the read of its answer', async (t) => {
    const { time, bus, boards } = setup(t);
    await during(time, boards[0]!.readRaw());
    await during(time, boards[0]!.readRaw());
    const { shortestWaitSec } = bus.stats(0x64);
    t.ok(shortestWaitSec !== null && shortestWaitSec >= 0.022, `waited ${shortestWaitSec} s`);
  });

  t.test('a wrong marker byte is a bad answer, naming the board and the byte', async (t) => {
    const { time, bus, boards } = setup(t);
    bus.setFault(0x66, 'bad-answer');
    const err = await during(time, boards[2]!.readRaw()).catch((e: unknown) => e);
    t.ok(err instanceof BoardError);
    t.equal((err as BoardError).kind, 'bad-answer');
    t.match((err as BoardError).message, /dfrobot@0x66 .*marker 0x00, expected 0x12/);
  });

  t.test('a board that does not acknowledge is no-answer; EIO is io', async (t) => {
    const { time, bus, boards } = setup(t);
    bus.setFault(0x64, 'gone');
    bus.setFault(0x65, 'io');
    const gone = (await during(time, boards[0]!.readRaw()).catch((e: unknown) => e)) as BoardError;
    const io = (await during(time, boards[1]!.readRaw()).catch((e: unknown) => e)) as BoardError;
    t.equal(gone.kind, 'no-answer');
    t.equal(gone.code, 'EREMOTEIO');
    t.equal(io.kind, 'io');
    t.equal(io.code, 'EIO');
  });
});

t.test('M5Stack Unit Weight I2C', async (t) => {
  const addresses = [0x26, 0x27, 0x28, 0x29];
  const setup = (t: Teardown, load: TrueLoad = fixedLoad) => {
    const time = fakeTime(t);
    const bus = new SimulatedI2cBus({ model: 'm5stack', addresses, load, clock: time.clock });
    return { time, bus, units: addresses.map((a) => new M5stackWeightUnit(bus, a)) };
  };

  t.test('reads the raw int32, little-endian, negative values included', async (t) => {
    const { time, units } = setup(t);
    await during(time, Promise.all(units.map((u) => u.init())));
    t.same(await during(time, Promise.all(units.map((u) => u.readRaw()))), fixedLoads);
  });

  t.test('init turns the three on-board filters off, so the raw register is the conversion itself', async (t) => {
    // A load that steps: filtered, the unit would report a blend of before and after.
    const step: TrueLoad = (_channel, atSec) => (atSec < 1 ? 10_000 : 90_000);
    const { time, bus, units } = setup(t, step);
    const unit = units[0]!;
    const writes = recordWrites(bus);
    await time.advance(1.05);
    const filtered = await during(time, unit.readRaw());
    await during(time, unit.init());
    const raw = await during(time, unit.readRaw());
    t.not(filtered, 90_000, 'with the filters on, the register is not the conversion');
    t.equal(raw, 90_000);
    t.same(writes, [
      { address: 0x26, bytes: [0x80, 0] },
      { address: 0x26, bytes: [0x81, 0] },
      { address: 0x26, bytes: [0x82, 0] },
    ]);
  });

  t.test('a raw value outside 24 bits is a bad answer', async (t) => {
    const { time, bus, units } = setup(t);
    bus.setFault(0x27, 'bad-answer');
    const err = (await during(time, units[1]!.readRaw()).catch((e: unknown) => e)) as BoardError;
    t.equal(err.kind, 'bad-answer');
    t.match(err.message, /m5stack@0x27 .*outside the HX711's 24-bit range/);
  });

  t.test('a unit that does not acknowledge fails init as no-answer', async (t) => {
    const { time, bus, units } = setup(t);
    bus.setFault(0x28, 'gone');
    const err = (await during(time, units[2]!.init()).catch((e: unknown) => e)) as BoardError;
    t.equal(err.kind, 'no-answer');
  });
});
