// The load cells of the basket: four HX711 I2C boards, one per corner, read
// by one sampler. The real bus and the simulated one carry the same board
// drivers; only the bus differs.
import type { Seconds } from '../../firmware/domain.js';
import type { Logger } from '../../firmware/log.js';
import type { BoardModel, LoadCellBoard } from './board.js';
import { BusRecovery, ReopenableBus } from './bus-recovery.js';
import { CHANNEL_NAMES, LoadCellChannel } from './channel.js';
import { checkLoadCellSetup } from './config.js';
import { DfrobotHx711Board } from './dfrobot.js';
import { openI2cBus, type I2cBus } from './i2c.js';
import { M5stackWeightUnit } from './m5stack.js';
import { LoadCellSampler } from './sampler.js';
import type { SimulatedI2cBus } from './sim/bus.js';

export type { BoardModel } from './board.js';
export type { BusHealth } from './bus-recovery.js';
export type { ChannelHealth, ChannelName, ChannelStatus, FaultCount, FaultKind } from './channel.js';
export { CHANNEL_NAMES } from './channel.js';
export { LoadCellConfigError } from './config.js';
export { LoadCellSampler, type SampleListener, type SamplingHealth, type ScaleHardwareHealth } from './sampler.js';
export { SimulatedI2cBus, type SimulatedBoardStats, type SimulatedBusOptions, type SimulatedFault } from './sim/bus.js';
export type { M5stackFirmware } from './sim/m5stack.js';
export type { TrueLoad } from './sim/hx711.js';

export type LoadCellConfig =
  | {
      board: BoardModel;
      /** /dev/i2c-<busNumber> */
      busNumber: number;
      /** One board per corner, in the order fl, fr, rl, rr. */
      addresses: readonly number[];
      rateHz: number;
    }
  | {
      board: 'simulated';
      /** Carries the board model and the addresses; the caller keeps it to drive loads and faults. */
      bus: SimulatedI2cBus;
      rateHz: number;
    };

export interface LoadCellDeps {
  clock: () => Seconds;
  log: Logger;
}

export interface LoadCells {
  sampler: LoadCellSampler;
  /** Stops the sampler, then closes the bus. */
  close(): Promise<void>;
}

function makeBoard(model: BoardModel, bus: I2cBus, address: number): LoadCellBoard {
  return model === 'dfrobot' ? new DfrobotHx711Board(bus, address) : new M5stackWeightUnit(bus, address);
}

async function openBus(busNumber: number): Promise<I2cBus> {
  try {
    return await openI2cBus(busNumber);
  } catch (err) {
    throw new Error(`cannot open I2C bus /dev/i2c-${busNumber}: ${(err as Error).message} (is I2C enabled, and may this user open it?)`);
  }
}

/** Checks the setup, opens the bus and builds the sampler; start it with `sampler.start()`. */
export async function openLoadCells(config: LoadCellConfig, deps: LoadCellDeps): Promise<LoadCells> {
  const model = config.board === 'simulated' ? config.bus.model : config.board;
  const addresses = config.board === 'simulated' ? config.bus.addresses : config.addresses;
  const busNumber = config.board === 'simulated' ? undefined : config.busNumber;
  checkLoadCellSetup({ board: model, busNumber, addresses, rateHz: config.rateHz });
  const bus =
    config.board === 'simulated'
      ? new ReopenableBus(config.bus, () => config.bus.reopen())
      : new ReopenableBus(await openBus(config.busNumber), () => openBus(config.busNumber));
  const log = deps.log.child('loadcell');
  // The check above made sure there is one address per corner.
  const channels = CHANNEL_NAMES.map((name, i) => new LoadCellChannel(name, makeBoard(model, bus, addresses[i] as number), log));
  const sampler = new LoadCellSampler(channels, { rateHz: config.rateHz, clock: deps.clock, log, busRecovery: new BusRecovery(bus, log) });
  return {
    sampler,
    async close() {
      await sampler.stop();
      await bus.close();
    },
  };
}
