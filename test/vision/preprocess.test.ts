// The pure steps from frames to model input: where the change is, the square
// crop around it, YUV420 to RGB, normalisation.
import t from 'tap';
import { SceneRenderer, evenLight } from '../../drivers/camera/sim/scene.js';
import { SimRandom } from '../../drivers/camera/sim/random.js';
import { yuv420FrameBytes } from '../../drivers/camera/index.js';
import { ChangeDetector } from '../../firmware/vision/change-region.js';
import { cropRgb, normalise, squareAround } from '../../firmware/vision/preprocess.js';

const width = 320;
const height = 240;
const floor = { widthMm: 500, depthMm: 350 };
const gtin = '05901234123457';

function frames(light = evenLight) {
  const renderer = new SceneRenderer(width, height, floor);
  const rng = new SimRandom(3);
  const before = new Uint8Array(yuv420FrameBytes(width, height));
  const after = new Uint8Array(yuv420FrameBytes(width, height));
  const other = { gtin: '00000076372995', xMm: -150, yMm: 80, angleRad: 0.3 };
  renderer.render([other], evenLight, rng, before);
  // A pack put in right of centre and towards the rear (lower in the frame).
  renderer.render([other, { gtin, xMm: 120, yMm: -60, angleRad: 0 }], light, rng, after);
  return { before, after, look: renderer.look(gtin) };
}

t.test('the change found is where the pack went in, not where the pack already lying there is', async (t) => {
  const { before, after, look } = frames();
  const region = new ChangeDetector(width, height).find(before, after)!;
  const cx = width / 2 + 120 * (width / floor.widthMm);
  const cy = height / 2 + 60 * (height / floor.depthMm);
  t.ok(Math.abs(region.x + region.width / 2 - cx) < 10, 'centred on the pack across');
  t.ok(Math.abs(region.y + region.height / 2 - cy) < 10, 'and along');
  t.ok(Math.abs(region.width - look.lengthMm * (width / floor.widthMm)) < 20, 'as wide as the pack');
});

t.test('noise alone, or the light turning brighter, is no change', async (t) => {
  const renderer = new SceneRenderer(width, height, floor);
  const rng = new SimRandom(5);
  const a = new Uint8Array(yuv420FrameBytes(width, height));
  const b = new Uint8Array(yuv420FrameBytes(width, height));
  const items = [{ gtin, xMm: 0, yMm: 0, angleRad: 1 }];
  renderer.render(items, { ...evenLight, noiseSd: 4 }, rng, a);
  renderer.render(items, { ...evenLight, noiseSd: 4 }, rng, b);
  t.equal(new ChangeDetector(width, height).find(a, b), null, 'noise');
  renderer.render(items, { ...evenLight, gain: 1.08 }, rng, b);
  t.equal(new ChangeDetector(width, height).find(a, b), null, 'brighter light');
});

t.test('the crop is a square holding the region with a margin, moved inside the frame', async (t) => {
  t.same(squareAround({ x: 100, y: 50, width: 40, height: 20 }, width, height), { x: 94, y: 34, width: 52, height: 52 });
  t.same(squareAround({ x: 300, y: 220, width: 20, height: 20 }, width, height), { x: 294, y: 214, width: 26, height: 26 });
  t.same(squareAround({ x: 0, y: 0, width: 320, height: 240 }, width, height), { x: 40, y: 0, width: 240, height: 240 });
});

t.test('YUV420 full-range BT.601 becomes the RGB it was made from', async (t) => {
  // A frame of one colour: RGB (200, 40, 90).
  const frame = new Uint8Array(yuv420FrameBytes(16, 16));
  const [r, g, b] = [200, 40, 90];
  frame.fill(Math.round(0.299 * r + 0.587 * g + 0.114 * b), 0, 256);
  frame.fill(Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b), 256, 256 + 64);
  frame.fill(Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b), 256 + 64);
  const rgb = new Uint8Array(4 * 4 * 3);
  cropRgb(frame, 16, 16, { x: 2, y: 2, width: 8, height: 8 }, 4, rgb);
  for (let i = 0; i < 16; i++) {
    t.ok(Math.abs(rgb[i * 3]! - r) <= 2 && Math.abs(rgb[i * 3 + 1]! - g) <= 2 && Math.abs(rgb[i * 3 + 2]! - b) <= 2, `pixel ${i}`);
  }
});

t.test('normalisation writes channel planes (CHW) at the offset: (x / 255 - mean) / std', async (t) => {
  const rgb = Uint8Array.from([255, 0, 51]);
  const out = new Float32Array(2 + 3).fill(9);
  normalise(rgb, { size: 1, mean: [0.5, 0.5, 0.2], std: [0.5, 0.25, 0.1] }, out, 2);
  t.same(Array.from(out.subarray(0, 2)), [9, 9], 'before the offset untouched');
  const expected = [1, -2, 0];
  expected.forEach((e, c) => t.ok(Math.abs(out[2 + c]! - e) < 1e-5, `channel ${c}`));
});
