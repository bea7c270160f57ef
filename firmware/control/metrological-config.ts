// Which settings of the config file are metrological: a change of any of them
// can change what the scale indicates, so it moves the configuration event
// counter (NIST HB44 2.20 S.1.11: configuration parameters are those that
// select the device's metrological function, short of calibration itself).
import type { Config } from '../config.js';

export function metrologicalSettings(config: Config): Record<string, unknown> {
  return {
    // Which boards, and which board sits at which corner.
    'scale.board': config.scale.board,
    'scale.addresses': config.scale.addresses,
    'scale.rateHz': config.scale.rateHz,
    // The calibration in force until cart-cal stores one.
    'scale.calibration': config.scale.calibration,
    'calibration.intervalGrams': config.calibration.intervalGrams,
    'calibration.capacityGrams': config.calibration.capacityGrams,
  };
}
