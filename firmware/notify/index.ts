export { openNotifier, type Notifier } from './sd-notify.js';
export { samplingVerdict, Watchdog, watchdogIntervalSec, type WatchdogOptions, type WatchdogVerdict } from './watchdog.js';
