// The systemd watchdog: WATCHDOG=1 at half of WatchdogSec, and only while the
// cart is really working. A stuck event loop sends nothing, because the ping
// is a timer on that loop; a loop that runs while the sampling has stopped
// (a read that never returns, a sampler that died) fails the check and the
// pings are withheld, so systemd restarts the service.
import type { Seconds } from '../domain.js';
import type { Logger } from '../log.js';
import type { Notifier } from './sd-notify.js';

export interface WatchdogVerdict {
  ok: boolean;
  /** Why not, for the log. */
  why?: string;
}

/** systemd's watchdog interval for this process, or null when there is none (or it is meant for another pid). */
export function watchdogIntervalSec(env: NodeJS.ProcessEnv, pid: number): Seconds | null {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isFinite(usec) || usec <= 0) return null;
  if (env.WATCHDOG_PID !== undefined && Number(env.WATCHDOG_PID) !== pid) return null;
  return usec / 1e6;
}

/** Samples must keep coming: a sampler at 25-80 Hz that has given none for maxAgeSec is stuck. */
export function samplingVerdict(lastSampleAtSec: Seconds | null, nowSec: Seconds, startedAtSec: Seconds, maxAgeSec: Seconds): WatchdogVerdict {
  const since = lastSampleAtSec ?? startedAtSec;
  const ageSec = nowSec - since;
  if (ageSec <= maxAgeSec) return { ok: true };
  return { ok: false, why: lastSampleAtSec === null ? `no load cell sample in ${ageSec.toFixed(1)} s since start` : `no load cell sample for ${ageSec.toFixed(1)} s` };
}

export interface WatchdogOptions {
  intervalSec: Seconds;
  check: () => WatchdogVerdict;
  log: Logger;
}

export class Watchdog {
  #timer: NodeJS.Timeout | null = null;
  #withholding = false;

  constructor(private readonly notifier: Notifier, private readonly options: WatchdogOptions) {}

  start(): void {
    this.options.log.info('watchdog on', { intervalSec: this.options.intervalSec, pingEverySec: this.options.intervalSec / 2 });
    this.#timer = setInterval(() => this.tick(), (this.options.intervalSec * 1000) / 2);
  }

  /** One ping, if the check passes. */
  tick(): void {
    const verdict = this.options.check();
    if (verdict.ok) {
      if (this.#withholding) this.options.log.info('healthy again; watchdog pings resume');
      this.#withholding = false;
      this.notifier.send({ WATCHDOG: '1' });
      return;
    }
    if (!this.#withholding) {
      this.options.log.error('cart not working; watchdog pings withheld, systemd restarts the cart unless it recovers', { why: verdict.why, withinSec: this.options.intervalSec });
    }
    this.#withholding = true;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
