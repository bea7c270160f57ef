// The service is stopped: cart-cal opens the load cell boards through the
// same drivers, runs the same Scale, and stores to the same database. Nobody
// can shop while the service is stopped, so maintenance mode is implicit.
import { openLoadCells, type LoadCellConfig } from '../../drivers/loadcell/index.js';
import type { Config } from '../../firmware/config.js';
import { metrologicalSettings, ScaleHost, type LiveReading, type ScaleInfo } from '../../firmware/control/index.js';
import type { Seconds } from '../../firmware/domain.js';
import type { Logger } from '../../firmware/log.js';
import { openDatabase } from '../../firmware/storage/database.js';
import { MetrologyStore, type AuditEntry } from '../../firmware/storage/metrology-store.js';
import { defaultScaleConfig, Scale } from '../../firmware/weight/scale.js';
import { SessionError, type CalibrationToApply, type History, type ScaleSession } from './session.js';

export interface DirectDeps {
  /** The boards as the config names them, or a simulated bus on the bench. */
  loadCells: LoadCellConfig;
  clock: () => Seconds;
  wall: () => string;
  log: Logger;
}

export async function openDirectSession(config: Config, deps: DirectDeps): Promise<ScaleSession> {
  const { db } = openDatabase(config.databasePath, deps.log.child('storage'));
  const metrology = new MetrologyStore(db);
  // A config file edited while the service was stopped is counted here, before anything is measured with it.
  metrology.recordConfiguration(metrologicalSettings(config), 'cart-cal, service stopped', deps.wall());
  const calibration = metrology.calibration() ?? config.scale.calibration;
  const scale = new Scale(calibration, { widthMm: config.scale.widthMm, depthMm: config.scale.depthMm }, { ...defaultScaleConfig, rateHz: config.scale.rateHz });
  let loadCells;
  try {
    loadCells = await openLoadCells(deps.loadCells, { clock: deps.clock, log: deps.log });
  } catch (err) {
    db.close();
    throw new SessionError(`cannot open the load cells: ${(err as Error).message}`);
  }
  const host = new ScaleHost({ scale, calibration, metrology, hardware: () => loadCells.sampler.health(), clock: deps.clock, wall: deps.wall, log: deps.log.child('control') });
  loadCells.sampler.on('sample', (sample) => {
    scale.push(sample);
    host.sampled();
  });
  loadCells.sampler.start();
  let technician = 'unknown';
  let closed = false;
  return {
    via: 'direct',
    info: async (): Promise<ScaleInfo> => ({
      cartId: config.cart.id,
      intervalGrams: config.calibration.intervalGrams,
      capacityGrams: config.calibration.capacityGrams,
      calibration: host.calibration(),
      counters: host.counters(),
      maintenance: null,
    }),
    onReading: (listener: (reading: LiveReading) => void) => host.onReading(listener),
    onLost: () => {},
    enterMaintenance: async (name: string) => {
      technician = name;
    },
    apply: async (change: CalibrationToApply): Promise<AuditEntry> => host.apply({ ...change, by: technician }),
    zero: async () => host.zero(),
    history: async (limit?: number): Promise<History> => ({ entries: host.history(limit), counters: host.counters() }),
    close: async () => {
      if (closed) return;
      closed = true;
      await loadCells.close();
      db.close();
    },
  };
}
