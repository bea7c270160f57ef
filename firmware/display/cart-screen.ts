// The shopper's screen wired to the running cart: the view of its basket,
// sent again after every commit and every second (the store link, the scale
// and the "my bag" window change without a decision), and the screen's
// "my bag" button fed to the cart as the same ButtonPress the handle's gives.
import type { Config } from '../config.js';
import type { Seconds } from '../domain.js';
import type { LightMode } from '../feedback/index.js';
import type { Logger } from '../log.js';
import type { RunningCart } from '../service.js';
import { DisplayServer } from './server.js';
import { displayView } from './view.js';

export interface CartScreenDeps {
  /** The status light's mode; null where the cart has none (the demo). */
  light: () => LightMode | null;
  clock: () => Seconds;
  log: Logger;
}

export interface CartScreen {
  server: DisplayServer;
  /** The page's address; null when the server could not start. */
  url: string | null;
  stop(): Promise<void>;
}

/** Never throws: without its screen the cart still shops (light, buzzer, store). */
export async function startCartScreen(config: Config, running: RunningCart, deps: CartScreenDeps): Promise<CartScreen> {
  const { clock, log } = deps;
  const server = new DisplayServer(config.display.port, {
    view: () => displayView(running.store.state, running.catalog, {
      light: deps.light(), link: running.link.status, atSec: clock(), myBagSec: config.basket.personalArmSec, currency: config.display.currency,
    }),
    pressMyBag: () => running.cart.button({ kind: 'button', atSec: clock(), name: 'my-bag', pressed: true }),
    log,
  });
  running.onCommitted(() => server.update());
  let url: string | null = null;
  try {
    url = `http://127.0.0.1:${await server.start()}/`;
  } catch (err) {
    log.error('shopper\'s screen could not start; the screen shows nothing, shopping goes on', { port: config.display.port, error: (err as Error).message });
  }
  const poll = setInterval(() => server.update(), 1000);
  return {
    server,
    url,
    async stop() {
      clearInterval(poll);
      await server.stop();
    },
  };
}
