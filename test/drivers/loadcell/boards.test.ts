// The board drivers byte for byte: against the bytes each vendor's own source
// says the board sends (a scripted bus), and against the simulated boards,
// which must send those same bytes.
import t from 'tap';
import { BoardError } from '../../../drivers/loadcell/board.js';
import { DfrobotHx711Board } from '../../../drivers/loadcell/dfrobot.js';
import type { I2cBus } from '../../../drivers/loadcell/i2c.js';
import { M5stackWeightUnit } from '../../../drivers/loadcell/m5stack.js';
import { SimulatedI2cBus, type M5stackFirmware, type TrueLoad } from '../../../drivers/loadcell/index.js';
import { useFakeTime, type FakeTime, type Teardown } from './harness.js';

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

const failure = (op: Promise<unknown>) => op.then(() => null, (e: unknown) => e as BoardError);

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

/**
 * A bus on which one device answers each register with bytes given by the
 * test, one answer after the other for a register asked several times. For
 * the protocol as the vendor's source writes it, independent of our simulator.
 */
function scriptedBus(answers: Record<number, number[][]>): I2cBus {
  const next = (reg: number): Buffer => {
    const queue = answers[reg];
    if (!queue?.length) throw new Error(`scripted bus: no answer for register 0x${reg.toString(16)}`);
    return Buffer.from(queue.length > 1 ? queue.shift()! : queue[0]!);
  };
  let selected = -1;
  return {
    async i2cWrite(_address, length, buffer) {
      selected = buffer[0]!;
      return { bytesWritten: length, buffer };
    },
    async i2cRead(_address, length, buffer) {
      next(selected).copy(buffer, 0, 0, length);
      return { bytesRead: length, buffer };
    },
    async readI2cBlock(_address, command, length, buffer) {
      next(command).copy(buffer, 0, 0, length);
      return { bytesRead: length, buffer };
    },
    async readByte(_address, command) {
      return next(command)[0]!;
    },
    async writeByte() {},
    async close() {},
  };
}

// HX711 conversions (signed counts, the 24-bit two's complement word the
// HX711 shifts out: HX711 datasheet, "Serial Interface") and what each board
// sends for it, written out from the vendors' sources:
// - DFRobot (github.com/DFRobot/DFRobot_HX711_I2C, DFRobot_HX711_I2C.cpp,
//   getValue()): marker 0x12, then the word, most significant byte first.
// - M5Stack Unit Weight I2C (github.com/m5stack/M5Unit-Miniscale-Internal-FW,
//   weight-i2c-code/weight-i2c/Core/Src/main.c: HX711_readData() stores
//   word ^ 0x800000 in raw_adc, or 0 when the HX711 gives no data-ready;
//   Slave_Complete_Callback sends raw_adc's 4 bytes from the little-endian
//   STM32's memory for registers 0x00-0x03).
const CONVERSIONS: { counts: number; dfrobot: number[]; m5stack: number[] }[] = [
  { counts: 0, dfrobot: [0x12, 0x00, 0x00, 0x00], m5stack: [0x00, 0x00, 0x80, 0x00] },
  { counts: 1, dfrobot: [0x12, 0x00, 0x00, 0x01], m5stack: [0x01, 0x00, 0x80, 0x00] },
  { counts: -1, dfrobot: [0x12, 0xff, 0xff, 0xff], m5stack: [0xff, 0xff, 0x7f, 0x00] },
  { counts: -41_022, dfrobot: [0x12, 0xff, 0x5f, 0xc2], m5stack: [0xc2, 0x5f, 0x7f, 0x00] },
  { counts: 0x123456, dfrobot: [0x12, 0x12, 0x34, 0x56], m5stack: [0x56, 0x34, 0x92, 0x00] },
  // The positive limit, 7FFFFFh.
  { counts: 0x7fffff, dfrobot: [0x12, 0x7f, 0xff, 0xff], m5stack: [0xff, 0xff, 0xff, 0x00] },
  // The negative limit, 800000h: on the M5Stack the same bytes as no conversion at all.
  { counts: -0x800000, dfrobot: [0x12, 0x80, 0x00, 0x00], m5stack: [0x00, 0x00, 0x00, 0x00] },
];

t.test('DFRobot board', async (t) => {
  const addresses = [0x64, 0x65, 0x66, 0x67];
  const setup = (t: Teardown, load: TrueLoad = () => 0) => {
    const time = fakeTime(t);
    const bus = new SimulatedI2cBus({ model: 'dfrobot', addresses, load, clock: time.clock });
    return { time, bus, boards: addresses.map((a) => new DfrobotHx711Board(bus, a)) };
  };

  t.test('init sends 0x70 then 0x65 in one write, as DFRobot begin() does', async (t) => {
    const { time, bus, boards } = setup(t);
    const writes = recordWrites(bus);
    await during(time, boards[1]!.init());
    t.same(writes, [{ address: 0x65, bytes: [0x70, 0x65] }]);
  });

  t.test("the driver reads each conversion from the bytes DFRobot's library reads", async (t) => {
    const time = fakeTime(t);
    for (const { counts, dfrobot } of CONVERSIONS) {
      const board = new DfrobotHx711Board(scriptedBus({ 0x66: [dfrobot] }), 0x64);
      t.equal(await during(time, board.readRaw()), counts, `${dfrobot.map((b) => b.toString(16)).join(' ')}`);
    }
  });

  t.test('the simulated board sends those bytes, in one read or one byte a read', async (t) => {
    for (const { counts, dfrobot } of CONVERSIONS) {
      const time = useFakeTime();
      const bus = new SimulatedI2cBus({ model: 'dfrobot', addresses, load: () => counts, clock: time.clock });
      const whole = Buffer.alloc(4);
      await bus.i2cWrite(0x64, 1, Buffer.from([0x66]));
      await time.advance(0.022);
      await bus.i2cRead(0x64, 4, whole);
      // DFRobot's Python library: one command, 30 ms, then four one-byte reads.
      const single = Buffer.alloc(1);
      const oneByOne: number[] = [];
      await bus.i2cWrite(0x64, 1, Buffer.from([0x66]));
      await time.advance(0.03);
      for (let i = 0; i < 4; i++) oneByOne.push((await bus.i2cRead(0x64, 1, single)).buffer[0]!);
      time.restore();
      t.same([...whole], dfrobot, `${counts}: one read`);
      t.same(oneByOne, dfrobot, `${counts}: one byte a read`);
    }
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
    const err = await failure(during(time, boards[2]!.readRaw()));
    t.ok(err instanceof BoardError);
    t.equal(err!.kind, 'bad-answer');
    t.match(err!.message, /dfrobot@0x66 .*marker 0xff, expected 0x12/);
  });

  t.test('a board that does not acknowledge is no-answer; EIO is io', async (t) => {
    const { time, bus, boards } = setup(t);
    bus.setFault(0x64, 'gone');
    bus.setFault(0x65, 'io');
    const gone = (await failure(during(time, boards[0]!.readRaw())))!;
    const io = (await failure(during(time, boards[1]!.readRaw())))!;
    t.equal(gone.kind, 'no-answer');
    t.equal(gone.code, 'EREMOTEIO');
    t.equal(io.kind, 'io');
    t.equal(io.code, 'EIO');
  });
});

t.test('M5Stack Unit Weight I2C', async (t) => {
  const addresses = [0x26, 0x27, 0x28, 0x29];
  const setup = (t: Teardown, load: TrueLoad = () => 1000, m5stackFirmware?: M5stackFirmware) => {
    const time = fakeTime(t);
    const bus = new SimulatedI2cBus({ model: 'm5stack', addresses, load, clock: time.clock, m5stackFirmware });
    return { time, bus, units: addresses.map((a) => new M5stackWeightUnit(bus, a)) };
  };
  /** The unit's V4 firmware at 0x26: version 4, its address, and raw values as given. */
  const unitSending = (raw: number[][]) => new M5stackWeightUnit(scriptedBus({ 0xfe: [[4]], 0xff: [[0x26]], 0x00: raw }), 0x26);

  t.test("the driver reads each conversion from the offset-binary bytes of M5Stack's firmware", async (t) => {
    for (const { counts, m5stack } of CONVERSIONS.filter((c) => c.counts !== -0x800000)) {
      const unit = unitSending([m5stack]);
      await unit.init();
      t.equal(await unit.readRaw(), counts, `${m5stack.map((b) => b.toString(16)).join(' ')}`);
    }
  });

  t.test('the simulated unit sends those bytes, the rails and zero included', async (t) => {
    for (const { counts, m5stack } of CONVERSIONS) {
      const time = useFakeTime();
      const bus = new SimulatedI2cBus({ model: 'm5stack', addresses, load: () => counts, clock: time.clock });
      const { buffer } = await bus.readI2cBlock(0x26, 0x00, 4, Buffer.alloc(4));
      time.restore();
      t.same([...buffer], m5stack, `${counts}`);
    }
  });

  t.test('the simulated unit holds one conversion a period, so a noisy load reads the same twice within it', async (t) => {
    const time = useFakeTime();
    t.teardown(() => time.restore());
    let draws = 0;
    const noisy: TrueLoad = () => 1000 + 40 * Math.sin(++draws);
    const unit = new M5stackWeightUnit(new SimulatedI2cBus({ model: 'm5stack', addresses, load: noisy, clock: time.clock }), 0x26);
    await unit.init();
    const first = await unit.readRaw();
    t.equal(await unit.readRaw(), first, 'same period, same conversion');
    t.not(draws, 0);
  });

  t.test('a raw value of 0 is no conversion: no-cell, at once', async (t) => {
    const err = await failure(unitSending([[0, 0, 0, 0]]).readRaw());
    t.equal(err?.kind, 'no-cell');
    t.match(err?.message, /m5stack@0x26 raw read: 0, no conversion: no load cell/);
  });

  t.test('a fourth byte other than 0 is more than 24 bits: a bad answer', async (t) => {
    const err = await failure(unitSending([[0x00, 0x00, 0x80, 0x01]]).readRaw());
    t.equal(err?.kind, 'bad-answer');
    t.match(err?.message, /m5stack@0x26 raw read: 0x1800000 is more than 24 bits/);
  });

  t.test('two reads that differ, then a third that agrees with the second, give the second: a conversion landed between', async (t) => {
    const unit = unitSending([[0x10, 0x00, 0x80, 0x00], [0x20, 0x00, 0x80, 0x00], [0x20, 0x00, 0x80, 0x00]]);
    t.equal(await unit.readRaw(), 0x20);
  });

  t.test('three reads that disagree are a bad answer, and nothing is passed on', async (t) => {
    const unit = unitSending([[0x10, 0x00, 0x80, 0x00], [0x90, 0x00, 0x80, 0x00], [0x10, 0x00, 0x80, 0x00]]);
    const err = await failure(unit.readRaw());
    t.equal(err?.kind, 'bad-answer');
    t.match(err?.message, /three reads disagree/);
  });

  t.test('on a bus that corrupts every third read, every value passed on is the true one', async (t) => {
    const load: TrueLoad = (channel, atSec) => 5000 + channel + Math.round(atSec * 100);
    const { time, bus, units } = setup(t, load);
    const unit = units[1]!;
    await during(time, unit.init());
    bus.setFault(0x27, 'garbled');
    const before = bus.stats(0x27).transfers;
    for (let i = 0; i < 20; i++) {
      await time.advance(0.04);
      const at = time.clock();
      t.equal(await during(time, unit.readRaw()), load(1, Math.floor(at * 10) / 10), `sample ${i}`);
    }
    t.ok(bus.stats(0x27).transfers - before > 40, 'the corrupted reads were read again');
  });

  t.test('init reads the firmware version and the address, and writes nothing: the filters act on the weight only', async (t) => {
    // A load that steps: the unit's filters (on, as it starts up) would blend before and after into its weight, not into its raw value.
    const step: TrueLoad = (_channel, atSec) => (atSec < 1 ? 10_000 : 90_000);
    const { time, bus, units } = setup(t, step);
    const writes = recordWrites(bus);
    await during(time, units[0]!.init());
    await time.advance(1.05);
    t.equal(await during(time, units[0]!.readRaw()), 90_000, 'the new conversion at once');
    t.same(writes, [], 'no write reached the unit');
  });

  t.test('a Mini Scales with its first firmware, which has no filter registers, is set up and read', async (t) => {
    // 517 counts above its power-up value: a weight of 517/400 g, whose float does not start with a 0 byte (see m5stack.ts).
    const load: TrueLoad = (_channel, atSec) => (atSec < 0.1 ? 3000 : 3517);
    const { time, units } = setup(t, load, 'mini-scales-v1');
    await time.advance(0.5);
    await during(time, units[0]!.init());
    t.equal(await during(time, units[0]!.readRaw()), 3517);
  });

  t.test('an M5Stack Unit Scales is refused at init, by name', async (t) => {
    const { time, units } = setup(t, () => 1000, 'unit-scales-v1');
    const err = await failure(during(time, units[0]!.init()));
    t.equal(err?.kind, 'bad-answer');
    t.match(err?.message, /m5stack@0x26 is an M5Stack Unit Scales .*not supported; use a Unit Weight I2C \(U180\)/);
  });

  t.test('a unit that gives another address than the one it answers at is a bad answer', async (t) => {
    const unit = new M5stackWeightUnit(scriptedBus({ 0xfe: [[4]], 0xff: [[0xff]] }), 0x26);
    const err = await failure(unit.init());
    t.equal(err?.kind, 'bad-answer');
    t.match(err?.message, /m5stack@0x26 says its address is 0xff/);
  });

  t.test('a unit that does not acknowledge fails init as no-answer', async (t) => {
    const { time, bus, units } = setup(t);
    bus.setFault(0x28, 'gone');
    const err = await failure(during(time, units[2]!.init()));
    t.equal(err?.kind, 'no-answer');
  });
});
