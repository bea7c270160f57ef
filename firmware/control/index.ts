// The cart's side of calibration: maintenance mode, the scale host and the
// control socket, with one lifecycle. The service feeds it every sample; in
// maintenance the technician's test weights reach the scale but never the
// basket, and no shopping session can start (the store link reads
// `maintenance.active`).
import type { ScaleHardwareHealth } from '../../drivers/loadcell/index.js';
import type { Cart } from '../cart.js';
import type { Config } from '../config.js';
import type { CellCalibration, LoadSample, Seconds } from '../domain.js';
import type { Logger } from '../log.js';
import type { MetrologyStore } from '../storage/metrology-store.js';
import type { Scale } from '../weight/scale.js';
import { Maintenance } from './maintenance.js';
import { metrologicalSettings } from './metrological-config.js';
import { ScaleHost } from './scale-host.js';
import { ControlServer } from './server.js';

export type { LiveReading } from './live-reading.js';
export { Maintenance } from './maintenance.js';
export { metrologicalSettings } from './metrological-config.js';
export type { ScaleInfo } from './protocol.js';
export { ScaleHost } from './scale-host.js';

export interface CartControlDeps {
  config: Config;
  scale: Scale;
  calibration: readonly CellCalibration[];
  metrology: MetrologyStore;
  hardware: () => ScaleHardwareHealth;
  shoppingSession: () => string | null;
  clock: () => Seconds;
  wall?: () => string;
  log: Logger;
}

export class CartControl {
  readonly maintenance = new Maintenance();
  readonly host: ScaleHost;
  readonly #server: ControlServer;
  readonly #wall: () => string;

  constructor(private readonly deps: CartControlDeps) {
    const { config, log } = deps;
    this.#wall = deps.wall ?? (() => new Date().toISOString());
    this.host = new ScaleHost({ scale: deps.scale, calibration: deps.calibration, metrology: deps.metrology, hardware: deps.hardware, clock: deps.clock, wall: this.#wall, log });
    this.#server = new ControlServer({
      path: config.calibration.socketPath,
      group: config.calibration.socketGroup,
      cartId: config.cart.id,
      intervalGrams: config.calibration.intervalGrams,
      capacityGrams: config.calibration.capacityGrams,
      host: this.host,
      maintenance: this.maintenance,
      shoppingSession: deps.shoppingSession,
      clock: deps.clock,
      log,
    });
  }

  /** One sample: through the cart, or in maintenance through the scale alone (its state still reaches the basket). */
  sample(sample: LoadSample, cart: Cart): void {
    if (!this.maintenance.active) cart.sample(sample);
    else for (const event of this.deps.scale.push(sample)) if (event.kind === 'scale-status') cart.apply(event);
    this.host.sampled();
  }

  /**
   * Counts a change of the config file's metrological settings, then opens
   * the socket. Shopping does not depend on the socket: if it cannot open,
   * that is logged and the cart runs without remote calibration.
   */
  async start(): Promise<void> {
    const { config, metrology, log } = this.deps;
    const entry = metrology.recordConfiguration(metrologicalSettings(config), 'service start', this.#wall());
    if (entry && entry.counter > 0) log.warn('metrological configuration changed', { keys: entry.what, configurationCounter: entry.counter });
    try {
      await this.#server.start();
    } catch (err) {
      log.error('control socket could not open; cart-cal can reach the scale only with the service stopped', { path: config.calibration.socketPath, error: (err as Error).message });
    }
  }

  async stop(): Promise<void> {
    await this.#server.stop();
    this.maintenance.leave();
  }
}
