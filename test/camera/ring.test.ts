import t from 'tap';
import { FrameRing } from '../../drivers/camera/index.js';
import { frameNumber, knownFrame } from './frames.js';

const width = 64;
const height = 16;

t.test('the ring keeps the last seconds of frames and finds the one before a moment', async (t) => {
  const ring = FrameRing.forSeconds(width, height, 1, 10);
  t.equal(ring.capacity, 11);
  for (let n = 0; n < 30; n++) ring.push(n / 10, knownFrame(n, width, height));
  t.equal(ring.size, 11);
  t.equal(ring.oldest()!.atSec, 1.9);
  const before = ring.atOrBefore(2.45)!;
  t.equal(before.atSec, 2.4);
  t.equal(frameNumber(before.data, width, height), 24);
  t.equal(ring.atOrBefore(1.85), null, 'older than anything kept');
  t.equal(frameNumber(ring.newest()!.data, width, height), 29);
});

t.test('a frame is copied in: the caller may reuse its buffer', async (t) => {
  const ring = new FrameRing(width, height, 2);
  const buf = knownFrame(1, width, height);
  ring.push(0, buf);
  buf.fill(0);
  t.equal(frameNumber(ring.newest()!.data, width, height), 1);
});

t.test('a frame older than the newest is dropped, and a frame of another size refused', async (t) => {
  const ring = new FrameRing(width, height, 3);
  t.ok(ring.push(1, knownFrame(1, width, height)));
  t.notOk(ring.push(0.5, knownFrame(2, width, height)));
  t.equal(ring.size, 1);
  t.throws(() => ring.push(2, new Uint8Array(10)), /does not fit/);
});
