// The cart's cameras: the interface, the driver over the libcamera apps, the
// frame ring, the simulated apps, and the one place that builds the cameras a
// config names.
import { libcameraApps, type CameraApps } from './apps.js';
import type { Camera, CameraLog } from './camera.js';
import { LibcameraCamera, type LibcameraCameraOptions } from './libcamera-camera.js';

export { libcameraApps, stillArgs, streamArgs, type CameraApps, type StreamProcess, type StreamSettings } from './apps.js';
export { imageType, type Camera, type CameraHealth, type CameraLog, type CameraStatus, type Snapshot } from './camera.js';
export { defaultCameraRetry, LibcameraCamera, type LibcameraCameraDeps, type LibcameraCameraOptions } from './libcamera-camera.js';
export { FrameRing, type RingFrame } from './ring.js';
export { Yuv420Framer, yuv420FrameBytes } from './yuv420.js';
export { SimulatedCameraApps, type FrameSource, type SimulatedCameraAppsOptions } from './sim/apps.js';
export { BasketScene } from './sim/basket-scene.js';

/** The settings every camera shares, and which cameras there are. */
export type CameraConfig = Omit<LibcameraCameraOptions, 'id' | 'cameraIndex'> & {
  cameras: readonly { id: string; index: number }[];
};

export interface CameraDeps {
  clock: () => number;
  log: CameraLog;
  /** The real apps unless given (the demo and the tests give simulated ones). */
  apps?: CameraApps;
  retry?: { firstSec: number; maxSec: number };
}

/** One camera per entry of the config; none when the config lists none. */
export function openCameras(config: CameraConfig, deps: CameraDeps): Camera[] {
  return config.cameras.map((c) => new LibcameraCamera(
    { ...config, id: c.id, cameraIndex: c.index },
    { apps: deps.apps ?? libcameraApps, clock: deps.clock, log: deps.log, retry: deps.retry },
  ));
}
