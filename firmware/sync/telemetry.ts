// Telemetry: what the cart says about its own health, when it says it, and
// what is kept of it while the link is down. Pure.
//
// Size: one payload is about 400 bytes. At the default 60 s interval, with a
// change at most every 5 s, 50 carts send between 0.3 and 4 KB/s, under
// 0.4 % of a 10 Mbit/s store link (docs/store-protocol.md).
import type { ScaleHardwareHealth } from '../../drivers/loadcell/index.js';
import type { ScannerHealth, ScannerStatus } from '../../drivers/scanner/scanner.js';
import type { ReserveState } from '../storage/reserve.js';
import type { DeviceHealth, DeviceStatus, Telemetry } from './schemas.js';

/** Below this much free disk the cart reports it at once: SQLite needs room to commit the basket. */
export const diskLowMb = 200;
/** The Pi 4 starts to throttle at 80 °C. */
export const cpuHotC = 80;

// A scanner that is reconnecting has lost its port: no scan gets through.
const scannerStatus: Record<ScannerStatus, DeviceStatus> = { ok: 'ok', starting: 'warning', stopped: 'warning', reconnecting: 'failed' };

/** Which devices are simulated, as the config asked (config.ts simulatedDevicesOf). */
export interface SimulatedDevices {
  loadCells: boolean;
  scanner: boolean;
}

/**
 * The devices of the cart in the shape telemetry carries: ESPHome-style ok /
 * warning / failed, and `simulated` for a simulated device that would
 * otherwise say ok, so that a simulated device is never taken for a real one.
 * A simulated device's faults are reported as faults.
 */
export function deviceHealthOf(scale: ScaleHardwareHealth, scanner: ScannerHealth, simulated: SimulatedDevices): DeviceHealth[] {
  const loadCells: DeviceHealth = { device: 'load-cells', status: scale.status };
  if (scale.failedChannels.length > 0) loadCells.detail = `failed: ${scale.failedChannels.join(',')}`;
  const scan: DeviceHealth = { device: 'scanner', status: scannerStatus[scanner.status] };
  if (scan.status !== 'ok') scan.detail = (scanner.lastError ? `${scanner.status}: ${scanner.lastError}` : scanner.status).slice(0, 120);
  if (simulated.loadCells && loadCells.status === 'ok') loadCells.status = 'simulated';
  if (simulated.scanner && scan.status === 'ok') scan.status = 'simulated';
  return [loadCells, scan];
}

/**
 * The database's disk as a device: failed while basket inputs wait in memory
 * (the disk is full or failing: nothing new is saved, the light shows the
 * cart out of order), warning while the reserve is spent.
 */
export function storageDeviceHealth(heldInputs: number, reserve: ReserveState): DeviceHealth {
  if (heldInputs > 0) return { device: 'storage', status: 'failed', detail: `${heldInputs} basket inputs wait in memory: the database cannot be written` };
  if (reserve === 'released') return { device: 'storage', status: 'warning', detail: 'disk reserve used up: free space beside the database' };
  return { device: 'storage', status: 'ok' };
}

/** What makes telemetry worth sending before its interval: a state change, not a number drifting. */
export function telemetryDigest(t: Omit<Telemetry, 'sample'>): string {
  return JSON.stringify([
    t.devices.map((d) => `${d.device}:${d.status}`),
    t.scale,
    t.outbox.full,
    t.clockSynced,
    t.diskFreeMb !== null && t.diskFreeMb < diskLowMb,
    t.cpuTempC !== null && t.cpuTempC >= cpuHotC,
    // A calibration or a metrological setting changed: the store's record of the seal must follow at once.
    t.metrology.calibration,
    t.metrology.configuration,
    t.databaseSetAside,
  ]);
}

export interface TelemetryTiming {
  intervalSec: number;
  minGapSec: number;
}

/** Whether to send now: the interval has passed, or something changed and the last one is not too recent. */
export function telemetryDue(lastSentSec: number | null, lastDigest: string | null, nowSec: number, digest: string, o: TelemetryTiming): boolean {
  if (lastSentSec === null) return true;
  const since = nowSec - lastSentSec;
  if (since >= o.intervalSec) return true;
  return digest !== lastDigest && since >= o.minGapSec;
}

/**
 * Which queued telemetry to drop so that one more fits in `maxRows`: every
 * other row of the older half, again until it fits. The history of a long
 * outage stays, at a coarser step the older it is; the newest rows stay whole.
 * `ids` oldest first.
 */
export function telemetryToThin(ids: readonly number[], maxRows: number): number[] {
  let kept = [...ids];
  const dropped: number[] = [];
  while (kept.length > maxRows - 1) {
    const older = Math.max(2, Math.floor(kept.length / 2));
    const next: number[] = [];
    kept.forEach((id, i) => {
      if (i < older && i % 2 === 1) dropped.push(id);
      else next.push(id);
    });
    kept = next;
  }
  return dropped;
}
