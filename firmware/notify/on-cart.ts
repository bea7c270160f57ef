// What the cart adds around the running pipeline when it runs as a service:
// the shopper's light, buzzer and buttons, the shopper's screen, the health file,
// and systemd's READY=1, watchdog and STOPPING=1. Started after startCart, so
// READY=1 means the database is open, the drivers are up (or have declared
// themselves degraded) and the store link is being attempted. Stopped first.
import { openGpio, type SimulatedGpioBoard } from '../../drivers/gpio/index.js';
import type { Scanner } from '../../drivers/scanner/scanner.js';
import { simulatedDevicesOf, type Config } from '../config.js';
import { startCartScreen, type CartScreen } from '../display/index.js';
import type { Seconds } from '../domain.js';
import { buttonLinesOf, ShopperFeedback } from '../feedback/index.js';
import { devicesFit, HealthFile, healthCollector } from '../health.js';
import type { Logger } from '../log.js';
import type { RunningCart } from '../service.js';
import { deviceHealthOf } from '../sync/telemetry.js';
import type { Notifier } from './sd-notify.js';
import { samplingVerdict, Watchdog, watchdogIntervalSec } from './watchdog.js';

/** At 25-80 samples a second, two seconds without one is a stuck sampler, not a slow one. */
const maxSampleAgeSec = 2;

export interface OnCartDeps {
  scanner: Scanner;
  notifier: Notifier;
  clock: () => Seconds;
  version: string;
  log: Logger;
}

export interface OnCart {
  feedback: ShopperFeedback;
  /** The simulated header when gpio.backend is "simulated", to press the buttons on; null otherwise. */
  gpioBoard: SimulatedGpioBoard | null;
  display: CartScreen;
  /** STOPPING=1, then everything in reverse, the cart itself included. */
  stop(): Promise<void>;
}

export async function startOnCart(config: Config, running: RunningCart, deps: OnCartDeps): Promise<OnCart> {
  const { scanner, notifier, clock, log } = deps;
  const startedAtSec = clock();
  // The storage device fails while basket inputs cannot be saved: the light says "not for shopping" then too.
  const simulated = simulatedDevicesOf(config);
  const devices = () => [...deviceHealthOf(running.loadCells.sampler.health(), scanner.health(), simulated), running.storageHealth()];

  const gpio = await openGpio(config.gpio, buttonLinesOf(config.feedback), log.child('gpio'));
  const feedback = new ShopperFeedback(gpio.pins, config.feedback, {
    clock,
    log: log.child('feedback'),
    // A technician's cart-cal session holds the scale: the light says "not for shopping" as for a failed device.
    condition: () => ({ storeOnline: running.link.status === 'online', fitToShop: devicesFit(devices()) && !running.maintenance.active }),
    openAlertIds: running.store.state.openAlerts.map((a) => a.id),
    press: (press) => running.cart.button(press),
  });
  // A pin that cannot be exported throws here, naming it: a start-up error.
  feedback.start();

  running.onCommitted(({ decisions }) => feedback.committed(decisions));
  const display = await startCartScreen(config, running, { light: () => feedback.health().light, clock, log: log.child('display') });

  const health = new HealthFile(config.health.path, config.health.everySec,
    healthCollector({ running, scanner, feedback, simulated, version: deps.version, clock }), log.child('health'));
  health.start();

  const intervalSec = watchdogIntervalSec(process.env, process.pid);
  const watchdog = intervalSec === null ? null : new Watchdog(notifier, {
    intervalSec,
    check: () => samplingVerdict(running.loadCells.sampler.health().sampling.lastSampleAtSec, clock(), startedAtSec, maxSampleAgeSec),
    log: log.child('watchdog'),
  });
  watchdog?.start();

  // performance.now() counts from the start of the process: the start-up time systemd sees.
  log.info('service ready', { startupMs: Math.round(performance.now()), systemd: notifier.enabled, watchdogSec: intervalSec ?? 'off' });
  notifier.send({ READY: '1', STATUS: `shopping; store link ${running.link.status}` });

  let stopping: Promise<void> | null = null;
  return {
    feedback,
    gpioBoard: gpio.board,
    display,
    stop() {
      stopping ??= (async () => {
        notifier.send({ STOPPING: '1', STATUS: 'stopping: finishing the basket, saying goodbye to the store' });
        watchdog?.stop();
        await display.stop();
        feedback.stop();
        // Written while the database is still open; the file says "stopped" a moment early.
        await health.stop();
        await running.stop();
        notifier.close();
      })();
      return stopping;
    },
  };
}
