// The driver with real child processes: stand-in camera apps (shell scripts)
// write recorded bytes to a real pipe, hang, or are missing. What reaches
// them is an argument list, never a shell string.
import t from 'tap';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { libcameraApps, LibcameraCamera, streamArgs } from '../../drivers/camera/index.js';
import { createLogger, memorySink } from '../../firmware/log.js';
import { until } from '../sync/helpers/until.js';
import { frameNumber, knownStream } from './frames.js';

const clock = () => performance.now() / 1000;
const width = 64;
const height = 32;

const dir = mkdtempSync(join(tmpdir(), 'camera-apps-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

// A recorded stream of 12 known frames, played by a stand-in for rpicam-vid that then idles until stopped.
writeFileSync(join(dir, 'stream.yuv'), knownStream(12, width, height));
const fakeVid = script('fake-rpicam-vid', `printf '%s\\n' "$@" > "${dir}/args"\ncat "${dir}/stream.yuv"\nexec sleep 30`);

function camera(streamBinary: string, stillBinary = 'rpicam-still', snapshotTimeoutMs = 2000) {
  const sink = memorySink();
  const cam = new LibcameraCamera(
    { id: 'top', cameraIndex: 1, streamBinary, stillBinary, width, height, framerate: 10, ringSec: 2, stallSec: 5, snapshotTimeoutMs },
    { apps: libcameraApps, clock, log: createLogger(sink, 'test'), retry: { firstSec: 0.05, maxSec: 0.2 } },
  );
  return { cam, lines: sink.lines };
}

t.test('recorded bytes through a real pipe come out as the recorded frames, in order', async (t) => {
  const { cam } = camera(fakeVid);
  await cam.start();
  t.teardown(() => cam.stop());
  await until(() => cam.health().frames === 12, 'twelve frames');
  t.equal(cam.ring.size, 12);
  t.equal(frameNumber(cam.ring.oldest()!.data, width, height), 0, 'the first recorded, intact');
  t.equal(frameNumber(cam.ring.newest()!.data, width, height), 11, 'the last recorded, intact');
  t.same(readFileSync(join(dir, 'args'), 'utf8').trim().split('\n'), streamArgs({ cameraIndex: 1, width, height, framerate: 10 }));
});

t.test('stop ends the app process', async (t) => {
  const { cam } = camera(fakeVid);
  await cam.start();
  await until(() => cam.health().frames > 0, 'frames');
  await cam.stop();
  t.equal(cam.health().status, 'stopped');
});

t.test('a missing binary is reported by name', async (t) => {
  const { cam } = camera(join(dir, 'no-such-rpicam-vid'));
  await cam.start();
  t.teardown(() => cam.stop());
  await until(() => cam.health().failures >= 1, 'a failure');
  t.match(cam.health().lastError, /no-such-rpicam-vid not found \(camera.streamBinary; older systems call it libcamera-vid\)/);
});

t.test('a binary name with shell syntax in it is a name, never a command', async (t) => {
  const marker = join(dir, 'injected');
  const { cam } = camera(`rpicam-vid; touch ${marker}`);
  await cam.start();
  t.teardown(() => cam.stop());
  await until(() => cam.health().failures >= 1, 'a failure');
  t.notOk(existsSync(marker));
});

t.test('a still comes back as the app wrote it', async (t) => {
  const fakeStill = script('fake-rpicam-still', `printf '\\377\\330\\377\\340jpeg'`);
  const { cam } = camera(fakeVid, fakeStill);
  const shot = await cam.snapshot();
  t.equal(shot.type, 'image/jpeg');
  t.equal(shot.bytes.length, 8);
});

t.test('a still app that hangs is killed after the timeout', async (t) => {
  const hung = script('hung-rpicam-still', 'exec sleep 30');
  const { cam } = camera(fakeVid, hung, 200);
  await t.rejects(cam.snapshot(), /hung-rpicam-still took longer than 200 ms and was stopped/);
});
