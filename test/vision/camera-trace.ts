// Gives a recorded trip the camera it did not have: from the trip's truth
// (what was put in and taken out, and when), a simulated camera above the
// basket renders frames around each action, and they are written into a copy
// of the trace as frame lines, in time order. Replaying that copy with vision
// runs the real recognition on the trip: its fusion can be measured on the
// bench's own trips.
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { yuv420FrameBytes } from '../../drivers/camera/index.js';
import { SimRandom } from '../../drivers/camera/sim/random.js';
import { SceneRenderer, type Lighting, type SceneItem } from '../../drivers/camera/sim/scene.js';

export interface TruthAction {
  t: number;
  restAt: number;
  op: 'add' | 'remove';
  gtin: string | null;
  unit: number;
  partial?: true;
}

interface Placed extends SceneItem {
  fromSec: number;
  untilSec: number;
}

export interface CameraTraceOptions {
  width: number;
  height: number;
  /** Frames a second in the windows around actions: lower than a camera's, to keep the file small. */
  fps: number;
  seed: number;
}

export const defaultCameraTrace: CameraTraceOptions = { width: 320, height: 240, fps: 4, seed: 1 };

/** From a second before each action to three after it settled: enough for the weight stage's own start and rest. */
const beforeSec = 1;
const afterSec = 3;

/** The packs in the basket over the trip: each shows from halfway through the hand's move in, and is gone halfway through its move out. */
function timeline(actions: readonly TruthAction[], floor: { widthMm: number; depthMm: number }, rng: SimRandom): Placed[] {
  const placed: Placed[] = [];
  const byUnit = new Map<number, Placed>();
  for (const a of [...actions].sort((x, y) => x.t - y.t)) {
    const switchSec = (a.t + a.restAt) / 2;
    if (a.op === 'add') {
      const item: Placed = {
        // The shopper's own bag has no GTIN; it still has a look.
        gtin: a.gtin ?? 'own-bag',
        xMm: rng.between(-0.35, 0.35) * floor.widthMm,
        yMm: rng.between(-0.35, 0.35) * floor.depthMm,
        angleRad: rng.between(0, Math.PI),
        fromSec: switchSec,
        untilSec: Infinity,
      };
      placed.push(item);
      byUnit.set(a.unit, item);
    } else if (!a.partial) {
      const item = byUnit.get(a.unit);
      if (item) item.untilSec = switchSec;
    }
  }
  return placed;
}

function frameTimes(actions: readonly TruthAction[], fps: number): number[] {
  const times = new Set<number>();
  for (const a of actions) {
    const from = Math.ceil(Math.max(0, a.t - beforeSec) * fps);
    const to = Math.floor((a.restAt + afterSec) * fps);
    for (let k = from; k <= to; k++) times.add(k / fps);
  }
  return [...times].sort((a, b) => a - b);
}

/** Writes `tracePath` with frame lines added to `outPath`; resolves with the number of frames. */
export async function addCameraFrames(tracePath: string, actions: readonly TruthAction[], outPath: string, o: CameraTraceOptions = defaultCameraTrace): Promise<number> {
  const lines = createInterface({ input: createReadStream(tracePath, 'utf8'), crlfDelay: Infinity });
  const out = createWriteStream(outPath);
  const rng = new SimRandom(o.seed);
  const light: Lighting = { gain: rng.between(0.85, 1.15), tint: [rng.between(0.95, 1.05), 1, rng.between(0.95, 1.05)], noiseSd: 2 };
  const frame = new Uint8Array(yuv420FrameBytes(o.width, o.height));
  let renderer: SceneRenderer | null = null;
  let placed: Placed[] = [];
  const times = frameTimes(actions, o.fps);
  let next = 0;
  let frames = 0;
  const write = async (text: string) => {
    if (!out.write(text + '\n')) await once(out, 'drain');
  };
  for await (const line of lines) {
    if (!renderer) {
      const header = JSON.parse(line) as { geometry: { widthMm: number; depthMm: number } };
      renderer = new SceneRenderer(o.width, o.height, header.geometry);
      placed = timeline(actions, header.geometry, rng);
      await write(line);
      continue;
    }
    const t = (JSON.parse(line) as { t: number }).t;
    while (next < times.length && times[next]! <= t) {
      const at = times[next++]!;
      renderer.render(placed.filter((p) => p.fromSec <= at && at < p.untilSec), light, rng, frame);
      await write(JSON.stringify({ t: at, kind: 'frame', camera: 'top', width: o.width, height: o.height, format: 'yuv420', data: Buffer.from(frame).toString('base64') }));
      frames++;
    }
    await write(line);
  }
  out.end();
  await once(out, 'finish');
  return frames;
}
