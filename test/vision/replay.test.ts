// Camera frames in a cart-trace: a trace without them replays as before with
// vision on; one with them gets guesses, and the unscanned item's alert
// names the product.
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Decision } from '../../firmware/basket/types.js';
import { replayTrace } from '../bench/replay.js';
import { parseHeader } from '../bench/trace.js';
import { addCameraFrames, type TruthAction } from './camera-trace.js';
import { tripVision } from './trip-vision.js';

const examples = fileURLToPath(new URL('../../../shared/bench/examples', import.meta.url));
const trip = join(examples, 'trip-002.jsonl');
if (!existsSync(trip)) {
  t.pass('the shared samples are not beside the repo: nothing to replay');
} else {
  const header = parseHeader(readFileSync(trip, 'utf8').split('\n', 1)[0]!);
  const truth = JSON.parse(readFileSync(join(examples, 'trip-002.truth.json'), 'utf8')) as { basket: unknown; actions: TruthAction[] };
  const work = mkdtempSync(join(tmpdir(), 'vision-replay-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));

  t.test('a trace without frames replays the same with vision on', async (t) => {
    const vision = await tripVision(header.catalog.map((p) => p.gtin), 2);
    t.teardown(() => vision.release());
    t.same(await replayTrace(trip, { vision: { ...vision, topK: 5 } }), await replayTrace(trip));
  });

  t.test('with camera frames the unscanned item is named in its alert, and the basket is still right', async (t) => {
    const withFrames = join(work, 'trip-002-camera.jsonl');
    t.ok(await addCameraFrames(trip, truth.actions, withFrames) > 0);
    const vision = await tripVision(header.catalog.map((p) => p.gtin));
    t.teardown(() => vision.release());
    const alerts: Extract<Decision, { kind: 'alert' }>[] = [];
    const result = await replayTrace(withFrames, { vision: { ...vision, topK: 5 }, onDecision: (d) => d.kind === 'alert' && alerts.push(d) });
    const unscanned = truth.actions.find((a) => a.op === 'add' && a.gtin === '04107464678267')!;
    t.match(alerts, [{ alert: 'unscanned-item', likelyGtin: unscanned.gtin }]);
    t.same(result.basket.map((l) => ({ gtin: l.gtin, qty: l.qty })), truth.basket);
    t.same(result, await replayTrace(withFrames, { vision: { ...vision, topK: 5 } }), 'the same answer twice');
  });
}
