// Which way to the scale: the running service's control socket when there
// is one, else the boards themselves. Never both: the drivers are opened only
// when no service answers on the socket.
import type { Config } from '../../firmware/config.js';
import type { Logger } from '../../firmware/log.js';
import { loadCellsFor, monotonicSec } from '../../firmware/process.js';
import { openDirectSession } from './direct-session.js';
import type { ScaleSession } from './session.js';
import { connectToService } from './socket-session.js';

export async function openSession(config: Config, log: Logger): Promise<ScaleSession> {
  const service = await connectToService(config.calibration.socketPath, config.calibration.socketGroup);
  if (service) return service;
  log.info('the firmware service is not running: cart-cal opens the load cells itself', { socket: config.calibration.socketPath });
  return openDirectSession(config, { loadCells: loadCellsFor(config), clock: monotonicSec, wall: () => new Date().toISOString(), log });
}
