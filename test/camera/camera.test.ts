// The camera driver over the simulated camera apps: frames into the ring,
// and every fault the issue names noticed, reported and recovered from.
import t from 'tap';
import { LibcameraCamera, SimulatedCameraApps, type CameraApps } from '../../drivers/camera/index.js';
import { createLogger, memorySink } from '../../firmware/log.js';
import { until } from '../sync/helpers/until.js';
import { frameNumber, knownFrame } from './frames.js';

const clock = () => performance.now() / 1000;
const width = 64;
const height = 32;

function rig(o: { stallSec?: number; snapshotTimeoutMs?: number } = {}) {
  let n = 0;
  const apps = new SimulatedCameraApps({ clock, source: (_i, _t, w, h, out) => out.set(knownFrame(n++ % 200, w, h)) });
  const sink = memorySink();
  const camera = new LibcameraCamera(
    { id: 'top', cameraIndex: 0, streamBinary: 'rpicam-vid', stillBinary: 'rpicam-still', width, height, framerate: 50, ringSec: 1, stallSec: o.stallSec ?? 0.4, snapshotTimeoutMs: o.snapshotTimeoutMs ?? 2000 },
    { apps: apps satisfies CameraApps, clock, log: createLogger(sink, 'test'), retry: { firstSec: 0.02, maxSec: 0.1 } },
  );
  return { apps, camera, lines: sink.lines };
}

t.test('frames from the video app land in the ring, whole and stamped by the clock', async (t) => {
  const { camera } = rig();
  const started = clock();
  await camera.start();
  t.teardown(() => camera.stop());
  await until(() => camera.ring.size >= 3, 'three frames');
  const newest = camera.ring.newest()!;
  t.not(frameNumber(newest.data, width, height), -1, 'not torn');
  t.ok(newest.atSec >= started && newest.atSec <= clock());
  t.match(camera.health(), { status: 'ok', starts: 1, failures: 0, lastError: null });
});

t.test('a camera app that is not installed: reported, tried again with growing waits, streams once installed', async (t) => {
  const { apps, camera, lines } = rig();
  apps.missing = true;
  await camera.start();
  t.teardown(() => camera.stop());
  await until(() => camera.health().failures >= 3, 'three failed starts');
  t.match(camera.health(), { status: 'restarting', lastError: /rpicam-vid not found/ });
  t.equal(lines.filter((l) => l.includes('camera lost')).length, 1, 'the first failure is logged loudly, the repeats quietly');
  t.match(lines.find((l) => l.includes('camera lost')), /scans and weight/);
  apps.missing = false;
  await until(() => camera.health().status === 'ok', 'frames after the app is installed');
  t.ok(lines.some((l) => l.includes('camera sends frames again')));
});

t.test('no camera on the connector: the app says so and the health carries its words', async (t) => {
  const { apps, camera } = rig();
  apps.unplugged.add(0);
  await camera.start();
  t.teardown(() => camera.stop());
  await until(() => camera.health().failures >= 1, 'a failure');
  t.match(camera.health().lastError, /exited with 255: ERROR: \*\*\* no cameras available \*\*\*/);
});

t.test('a video app that exits is started again', async (t) => {
  const { apps, camera } = rig();
  await camera.start();
  t.teardown(() => camera.stop());
  await until(() => camera.health().status === 'ok', 'streaming');
  apps.crash(0);
  await until(() => camera.health().starts === 2 && camera.health().status === 'ok', 'streaming again');
  t.match(camera.health(), { failures: 1, stalls: 0 });
  t.equal(apps.running, 1, 'one app, never two');
});

t.test('frames that stop coming: the hung app is killed and started again', async (t) => {
  const { apps, camera, lines } = rig();
  await camera.start();
  t.teardown(() => camera.stop());
  await until(() => camera.health().status === 'ok', 'streaming');
  apps.freeze(0);
  await until(() => camera.health().stalls === 1, 'the stall noticed');
  t.ok(lines.some((l) => l.includes('camera lost') && l.includes('no frame for 0.4 s while rpicam-vid ran')));
  await until(() => camera.health().status === 'ok' && camera.health().starts === 2, 'streaming again');
  t.equal(apps.running, 1);
});

t.test('a snapshot pauses the stream, returns the still, and the stream comes back', async (t) => {
  const { apps, camera } = rig();
  await camera.start();
  t.teardown(() => camera.stop());
  await until(() => camera.health().status === 'ok', 'streaming');
  const shot = await camera.snapshot();
  t.equal(shot.type, 'image/bmp');
  t.equal(shot.cameraId, 'top');
  t.ok(shot.bytes.length > 54);
  await until(() => camera.health().starts === 2 && apps.running === 1, 'stream restarted');
  t.equal(camera.health().failures, 0, 'a pause for a snapshot is not a failure');
});

t.test('a still that hangs is stopped after its timeout; the stream comes back', async (t) => {
  const { apps, camera } = rig({ snapshotTimeoutMs: 100 });
  await camera.start();
  t.teardown(() => camera.stop());
  apps.stillHangs = true;
  await t.rejects(camera.snapshot(), /snapshot from camera top failed: rpicam-still took longer than 100 ms and was stopped; the frame stream starts again/);
  await until(() => apps.running === 1, 'stream restarted');
});

t.test('stop ends the app and no restart follows', async (t) => {
  const { apps, camera } = rig();
  await camera.start();
  await until(() => camera.health().status === 'ok', 'streaming');
  await camera.stop();
  t.equal(apps.running, 0);
  const launches = apps.launches;
  await new Promise((r) => setTimeout(r, 200));
  t.equal(apps.launches, launches);
  t.equal(camera.health().status, 'stopped');
});
