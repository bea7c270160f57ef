// The Pi's own vital signs for telemetry: free disk where the database lives,
// CPU temperature, uptime. Each read is allowed to fail (no thermal zone in a
// container, say) and then reports null rather than stopping telemetry.
import { readFile, statfs } from 'node:fs/promises';
import { uptime } from 'node:os';

// The SoC sensor on Raspberry Pi OS, in millidegrees Celsius.
const thermalZone = '/sys/class/thermal/thermal_zone0/temp';

export interface DeviceStats {
  diskFreeMb: number | null;
  cpuTempC: number | null;
  uptimeSec: number;
  runSec: number;
}

export async function readDeviceStats(dataDir: string): Promise<DeviceStats> {
  const [disk, temp] = await Promise.all([
    statfs(dataDir).then((s) => Math.floor((s.bavail * s.bsize) / 2 ** 20), () => null),
    readFile(thermalZone, 'utf8').then((t) => Math.round(Number(t.trim()) / 100) / 10, () => null),
  ]);
  return {
    diskFreeMb: disk,
    cpuTempC: temp !== null && Number.isFinite(temp) ? temp : null,
    uptimeSec: Math.floor(uptime()),
    runSec: Math.floor(process.uptime()),
  };
}
