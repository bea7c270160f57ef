// The scanner driver: the interface, the serial implementation and the
// simulated device, and the one place that picks between them from config.
import { SerialPort } from 'serialport';
import { defaultFramerOptions } from './framer.js';
import type { Scanner, ScannerFamily, ScannerLog } from './scanner.js';
import { defaultRetry, SerialScanner } from './serial-scanner.js';
import { SimulatedScanner } from './simulated.js';

export { defaultFramerOptions, ScanFramer, type FramerOptions } from './framer.js';
export { feedbackBytes } from './feedback.js';
export type { Frame, Scanner, ScannerFamily, ScannerHealth, ScannerLog, ScannerStatus } from './scanner.js';
export { defaultRetry, SerialScanner, type PortBinding, type SerialScannerDeps, type SerialScannerOptions } from './serial-scanner.js';
export { SimulatedScanner, SimulatedScannerDevice, type SimulatedScannerOptions } from './simulated.js';

export interface ScannerConfig {
  kind: 'serial' | 'simulated';
  /** A stable name: /dev/serial/by-id/usb-<maker>_<model>_<serial>-if00, never /dev/ttyACM0. */
  path: string;
  baudRate: number;
  /** Serial framing; 8N1 unless the scanner is set otherwise. */
  dataBits?: 7 | 8;
  parity?: 'none' | 'even' | 'odd';
  stopBits?: 1 | 2;
  /** Which good-read / bad-read commands the scanner understands. */
  family?: ScannerFamily;
  maxLength?: number;
  flushGapSec?: number;
}

export interface ScannerDeps {
  /** Monotonic seconds, e.g. () => performance.now() / 1000. */
  clock: () => number;
  log: ScannerLog;
}

export function openScanner(config: ScannerConfig, deps: ScannerDeps): Scanner {
  const family = config.family ?? 'none';
  const maxLength = config.maxLength ?? defaultFramerOptions.maxLength;
  const flushGapSec = config.flushGapSec ?? defaultFramerOptions.flushGapSec;
  if (config.kind === 'simulated') return new SimulatedScanner({ ...deps, path: config.path, family, maxLength, flushGapSec });
  return new SerialScanner(
    {
      path: config.path,
      baudRate: config.baudRate,
      dataBits: config.dataBits ?? 8,
      parity: config.parity ?? 'none',
      stopBits: config.stopBits ?? 1,
      family,
      maxLength,
      flushGapSec,
    },
    { ...deps, binding: SerialPort.binding, retry: defaultRetry },
  );
}
