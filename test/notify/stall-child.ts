// A process with the watchdog running, whose event loop then blocks for the
// given time, as a stuck cart would: the test listens as systemd.
import { createLogger, stderrSink } from '../../firmware/log.js';
import { openNotifier, Watchdog } from '../../firmware/notify/index.js';

const stallMs = Number(process.argv[2]);
const log = createLogger(stderrSink('warn'), 'watchdog');
const notifier = openNotifier(process.env, log);
const watchdog = new Watchdog(notifier, { intervalSec: Number(process.env.WATCHDOG_USEC) / 1e6, check: () => ({ ok: true }), log });
watchdog.start();
setTimeout(() => {
  const until = performance.now() + stallMs;
  while (performance.now() < until) {
    // the stuck loop
  }
  setTimeout(() => {
    watchdog.stop();
    notifier.close();
  }, 500);
}, 500);
