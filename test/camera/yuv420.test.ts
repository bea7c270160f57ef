// The frame-stream parser on a synthesised rpicam-vid stream of known frames,
// cut the ways a pipe cuts it.
import t from 'tap';
import { Yuv420Framer } from '../../drivers/camera/index.js';
import { frameNumber, knownStream } from './frames.js';

const width = 64;
const height = 16;

function framesOf(stream: Buffer, cuts: number[]): number[] {
  const framer = new Yuv420Framer(width, height);
  const seen: number[] = [];
  let at = 0;
  for (const cut of [...cuts, stream.length]) {
    framer.push(stream.subarray(at, cut), (f) => seen.push(frameNumber(f, width, height)));
    at = cut;
  }
  return seen;
}

t.test('a frame is width x height x 3/2 bytes: Y, then U and V at quarter size', async (t) => {
  t.equal(new Yuv420Framer(320, 240).frameBytes, 115200);
});

t.test('frames arriving whole, one a read, come out in order and intact', async (t) => {
  const stream = knownStream(5, width, height);
  const size = new Yuv420Framer(width, height).frameBytes;
  t.same(framesOf(stream, [1, 2, 3, 4].map((i) => i * size)), [0, 1, 2, 3, 4]);
});

t.test('reads that cut frames anywhere give the same frames', async (t) => {
  const stream = knownStream(6, width, height);
  t.same(framesOf(stream, [7, 1000, 1001, 2500, 4000]), [0, 1, 2, 3, 4, 5], 'odd cuts');
  t.same(framesOf(stream, Array.from({ length: stream.length - 1 }, (_, i) => i + 1)), [0, 1, 2, 3, 4, 5], 'a byte a read');
  t.same(framesOf(stream, []), [0, 1, 2, 3, 4, 5], 'all in one read');
});

t.test('a read that ends inside a frame holds it back until the rest comes', async (t) => {
  const framer = new Yuv420Framer(width, height);
  const stream = knownStream(2, width, height);
  const seen: number[] = [];
  framer.push(stream.subarray(0, framer.frameBytes + 10), (f) => seen.push(frameNumber(f, width, height)));
  t.same(seen, [0]);
  t.equal(framer.pendingBytes, 10);
  framer.push(stream.subarray(framer.frameBytes + 10), (f) => seen.push(frameNumber(f, width, height)));
  t.same(seen, [0, 1]);
  t.equal(framer.pendingBytes, 0);
});

t.test('after a restart the torn frame of the old stream is dropped, not glued to the new one', async (t) => {
  const framer = new Yuv420Framer(width, height);
  const seen: number[] = [];
  framer.push(knownStream(1, width, height).subarray(0, 100), () => seen.push(-2));
  framer.reset();
  framer.push(knownStream(2, width, height), (f) => seen.push(frameNumber(f, width, height)));
  t.same(seen, [0, 1]);
});

t.test('an odd size is refused: YUV420 halves both sides for chroma', async (t) => {
  t.throws(() => new Yuv420Framer(63, 16), /even width and height/);
});
