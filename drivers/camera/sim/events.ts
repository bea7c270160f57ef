// One pack put into or taken out of a simulated basket, as the camera sees it
// before and after: other packs lie about, the light differs from basket to
// basket, the pack lands anywhere at any angle. The default model's training
// and held-out data, the reference views a store would send, and the tests'
// fixtures are all made of these.
import type { SimRandom } from './random.js';
import type { Lighting, SceneItem, SceneRenderer } from './scene.js';
import { yuv420FrameBytes } from '../yuv420.js';

export interface ProductEvent {
  gtin: string;
  /** true: the pack came out (it is in `before`); false: it went in (it is in `after`). */
  removal: boolean;
  before: Uint8Array;
  after: Uint8Array;
}

export interface EventOptions {
  /** Products that may lie in the basket already. */
  clutter: readonly string[];
  /** Most packs already in the basket. */
  maxClutter: number;
  /** Share of events that are removals. */
  removalShare: number;
}

function randomLight(rng: SimRandom): Lighting {
  const gain = rng.between(0.75, 1.25);
  return { gain, tint: [rng.between(0.9, 1.1), rng.between(0.95, 1.05), rng.between(0.9, 1.1)], noiseSd: rng.between(1, 4) };
}

function randomPlace(rng: SimRandom, renderer: SceneRenderer, gtin: string): SceneItem {
  // Keep the pack's centre far enough in that most of it is in view.
  const xMm = rng.between(-0.35, 0.35) * renderer.view.widthMm;
  const yMm = rng.between(-0.35, 0.35) * renderer.view.depthMm;
  return { gtin, xMm, yMm, angleRad: rng.between(0, Math.PI) };
}

export function renderEvent(renderer: SceneRenderer, gtin: string, rng: SimRandom, o: EventOptions): ProductEvent {
  const others: SceneItem[] = [];
  const n = o.clutter.length === 0 ? 0 : rng.int(0, o.maxClutter);
  for (let i = 0; i < n; i++) others.push(randomPlace(rng, renderer, rng.pick(o.clutter)));
  const target = randomPlace(rng, renderer, gtin);
  const light = randomLight(rng);
  const bytes = yuv420FrameBytes(renderer.width, renderer.height);
  const without = new Uint8Array(bytes);
  const withIt = new Uint8Array(bytes);
  // The pack goes on top of what is there: it is put in last, or it is the one in reach to take out.
  renderer.render(others, light, rng, without);
  renderer.render([...others, target], light, rng, withIt);
  const removal = rng.next() < o.removalShare;
  return removal ? { gtin, removal, before: withIt, after: without } : { gtin, removal, before: without, after: withIt };
}
