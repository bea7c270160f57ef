// Telemetry: when it is sent, what a change is, and what is kept of it while
// the link is down.
import t from 'tap';
import fc from 'fast-check';
import type { Telemetry } from '../../firmware/sync/schemas.js';
import { check } from '../../firmware/sync/schemas.js';
import { deviceHealthOf, telemetryDigest, telemetryDue, telemetryToThin } from '../../firmware/sync/telemetry.js';

const sample: Telemetry = {
  v: 1, boot: 3, sample: 1, uptimeSec: 4000, runSec: 3900, clockSynced: true, outbox: { depth: 0, full: false },
  diskFreeMb: 5000, cpuTempC: 51.2, scale: 'stable', devices: [{ device: 'load-cells', status: 'ok' }, { device: 'scanner', status: 'ok' }],
  metrology: { calibration: 4, configuration: 1 },
};

t.test('a telemetry message is small enough for 50 carts on a 10 Mbit/s store link', async (t) => {
  t.ok(check.telemetry.Check(sample));
  const bytes = Buffer.byteLength(JSON.stringify({ ...sample, devices: [
    { device: 'load-cells', status: 'warning', detail: 'failed: rl' }, { device: 'scanner', status: 'failed', detail: 'reconnecting: ENOENT' },
  ] }));
  t.ok(bytes < 500, `${bytes} bytes`);
  // Worst case: every cart sends on a change every 5 s.
  const share = (50 * bytes * 8) / 5 / 10e6;
  t.ok(share < 0.01, `${(share * 100).toFixed(2)} % of the link`);
});

t.test('sent at its interval, and at once on a change of health, but not more often than the minimum gap', async (t) => {
  const timing = { intervalSec: 60, minGapSec: 5 };
  const d = telemetryDigest(sample);
  t.ok(telemetryDue(null, null, 0, d, timing), 'the first one');
  t.notOk(telemetryDue(100, d, 130, d, timing), 'nothing changed, interval not over');
  t.ok(telemetryDue(100, d, 160, d, timing), 'interval over');
  const failed = telemetryDigest({ ...sample, devices: [{ device: 'load-cells', status: 'failed' }, { device: 'scanner', status: 'ok' }] });
  t.ok(telemetryDue(100, d, 106, failed, timing), 'a device failed');
  t.notOk(telemetryDue(100, d, 102, failed, timing), 'but not within the minimum gap');
});

t.test('numbers drifting are not a change; crossing a limit is', async (t) => {
  const d = telemetryDigest(sample);
  t.equal(telemetryDigest({ ...sample, uptimeSec: 9999, cpuTempC: 60, diskFreeMb: 4000, outbox: { depth: 30, full: false } }), d);
  t.not(telemetryDigest({ ...sample, cpuTempC: 81 }), d, 'hot');
  t.not(telemetryDigest({ ...sample, metrology: { calibration: 5, configuration: 1 } }), d, 'recalibrated');
  t.not(telemetryDigest({ ...sample, diskFreeMb: 100 }), d, 'disk low');
  t.not(telemetryDigest({ ...sample, outbox: { depth: 20_000, full: true } }), d, 'outbox full');
  t.not(telemetryDigest({ ...sample, scale: 'degraded' }), d, 'scale degraded');
  t.not(telemetryDigest({ ...sample, clockSynced: false }), d, 'clock lost');
});

t.test('thinning keeps within the bound, keeps the newest and the oldest, and drops only older rows', async (t) => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 4, max: 150 }), (n, maxRows) => {
    const ids = Array.from({ length: n }, (_, i) => i + 1);
    const dropped = new Set(telemetryToThin(ids, maxRows));
    const kept = ids.filter((id) => !dropped.has(id));
    if (n < maxRows) return dropped.size === 0;
    return kept.length <= maxRows - 1 && kept.includes(n) && kept.includes(1) && [...dropped].every((id) => ids.includes(id));
  }));
  const kept = (ids: number[], drop: number[]) => ids.filter((id) => !drop.includes(id));
  const hour = Array.from({ length: 60 }, (_, i) => i + 1);
  let queue: number[] = [];
  for (const minute of hour) {
    queue = kept(queue, telemetryToThin(queue, 20));
    queue.push(minute);
  }
  t.ok(queue.length <= 20, `${queue.length} samples kept of 60`);
  t.same(queue.slice(-5), [56, 57, 58, 59, 60], 'the last minutes whole');
  t.ok(queue[0]! <= 2, 'the start of the hour still there');
});

t.test('device health in telemetry: ok, warning, failed', async (t) => {
  const scale = { status: 'warning' as const, failedChannels: ['rl' as const], channels: [], sampling: {} as never, bus: {} as never };
  const scanner = { status: 'reconnecting' as const, path: '/dev/ttyACM0', opens: 2, disconnects: 1, lastError: 'ENOENT', lastByteAtSec: null, frames: 0, discardedBytes: 0 };
  t.same(deviceHealthOf(scale, scanner, { loadCells: false, scanner: false }), [
    { device: 'load-cells', status: 'warning', detail: 'failed: rl' },
    { device: 'scanner', status: 'failed', detail: 'reconnecting: ENOENT' },
  ]);
});

t.test('a simulated device is reported as simulated, never as ok; its faults still show', async (t) => {
  const scale = { status: 'ok' as const, failedChannels: [], channels: [], sampling: {} as never, bus: {} as never };
  const scanner = { status: 'ok' as const, path: 'simulated', opens: 1, disconnects: 0, lastError: null, lastByteAtSec: null, frames: 0, discardedBytes: 0 };
  t.same(deviceHealthOf(scale, scanner, { loadCells: true, scanner: true }).map((d) => d.status), ['simulated', 'simulated']);
  t.same(deviceHealthOf(scale, scanner, { loadCells: false, scanner: false }).map((d) => d.status), ['ok', 'ok'], 'real ones that work are ok');
  const failing = { ...scale, status: 'failed' as const, failedChannels: ['fl' as const, 'fr' as const] };
  t.same(deviceHealthOf(failing, { ...scanner, status: 'reconnecting' as const }, { loadCells: true, scanner: true }).map((d) => d.status), ['failed', 'failed']);
});
