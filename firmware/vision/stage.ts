// From a settled weight change to the cameras' guess: for each camera, the
// frame from just before the change began and the one from after it settled
// come out of its ring (no waiting for a capture), are copied once and handed
// to the inference worker; its answer becomes the guess the reconciler sees.
import type { FrameRing } from '../../drivers/camera/ring.js';
import type { StableDelta, VisionGuess } from '../domain.js';
import type { Logger } from '../log.js';
import type { GuessSource } from './gate.js';
import type { ModelManifest } from './manifest.js';
import type { Recognition, ViewPair } from './recognise.js';

/** A camera as the stage needs it: its name and its ring. */
export interface FramesOf {
  readonly id: string;
  readonly ring: FrameRing;
}

export interface Recognises {
  readonly manifest: ModelManifest | null;
  recognise(views: ViewPair[], removal: boolean, topK: number): Promise<Recognition>;
}

/** A hand reaches into the basket before the weight moves: the frame from before is taken this long before the change began. */
const handLeadSec = 0.2;

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

export class VisionStage implements GuessSource {
  constructor(
    private readonly cameras: readonly FramesOf[],
    private readonly recogniser: Recognises,
    private readonly topK: number,
    private readonly log: Logger,
  ) {}

  guess(delta: StableDelta): Promise<VisionGuess | null> | null {
    const manifest = this.recogniser.manifest;
    if (!manifest) return null;
    const views: ViewPair[] = [];
    let beforeAtSec = Infinity;
    let afterAtSec = -Infinity;
    for (const camera of this.cameras) {
      const before = camera.ring.atOrBefore(delta.beganAtSec - handLeadSec);
      const after = camera.ring.atOrBefore(delta.atSec);
      // A camera that lost frames around the change has nothing to say about it.
      if (!before || !after || after.atSec < delta.restAtSec) continue;
      views.push({ cameraId: camera.id, width: after.width, height: after.height, before: before.data.slice(), after: after.data.slice() });
      beforeAtSec = Math.min(beforeAtSec, before.atSec);
      afterAtSec = Math.max(afterAtSec, after.atSec);
    }
    if (views.length === 0) {
      this.log.debug('no frames from before and after the weight change', { cameras: this.cameras.length });
      return null;
    }
    return this.recogniser.recognise(views, delta.grams < 0, this.topK).then((r) => {
      this.log.debug('recognised', { cameras: views.length, saw: r.views.filter((v) => v.region).length, inferenceMs: Math.round(r.inferenceMs * 10) / 10 });
      if (r.top.length === 0) return null;
      return {
        top: r.top.map((p) => ({ gtin: p.gtin, score: round4(p.score) })),
        confidentScore: manifest.output.confidentScore,
        beforeAtSec,
        afterAtSec,
        model: manifest.version,
      };
    });
  }
}
