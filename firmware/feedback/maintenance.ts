// `cart-firmware maintenance`: the fallback unit's light. When the firmware
// cannot run, the status light blinks blue ("out of order, call staff") until
// systemd stops it; nothing else runs, the basket is not touched.
import { openGpio } from '../../drivers/gpio/index.js';
import { ConfigError, loadConfig, parseConfig } from '../config.js';
import { createLogger, stderrSink } from '../log.js';
import { StatusLight } from './outputs.js';

/** Resolves with the exit code once SIGTERM or SIGINT has turned the light off. */
export async function maintenanceCommand(configPath: string): Promise<number> {
  const log = createLogger(stderrSink('info'), 'maintenance');
  // A config the firmware refused may be why we are here: fall back to the
  // default pins and GPIO backend (the board named is not used here).
  let { feedback: { pins }, gpio } = parseConfig({ cart: { id: 'unknown', storeId: 'unknown' }, scale: { board: 'dfrobot' } });
  try {
    ({ feedback: { pins }, gpio } = loadConfig(configPath));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    log.warn('config unusable; the maintenance light uses the default pins', { error: err.message.split('\n')[0] });
  }
  const opened = await openGpio(gpio, { inputs: [], inputBias: 'pull-up' }, log);
  const light = new StatusLight([opened.pins.output(pins.red, 'status light red'), opened.pins.output(pins.green, 'status light green'), opened.pins.output(pins.blue, 'status light blue')]);
  light.show('maintenance');
  log.error('cart out of order: the firmware is not running; the light blinks blue until a technician restarts it (journalctl -u cart-firmware)');
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  light.off();
  opened.pins.close();
  return 0;
}
