// The inference worker from the main thread: it recognises a rendered pack
// among products it has references for, keeps its model when a new one is
// refused, and drops references made by another model.
import t from 'tap';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, memorySink } from '../../firmware/log.js';
import { InferenceWorker, ModelRefusedError } from '../../firmware/vision/inference.js';
import { packReferences } from '../../firmware/vision/match.js';
import { Photographer, productSets, referenceEmbeddings } from '../../models/train/products.js';

const defaultDir = join(import.meta.dirname, '../../models/default');
const products = productSets(99, 6, 0).train;

async function started() {
  const sink = memorySink();
  const worker = new InferenceWorker({ threads: 1 }, createLogger(sink, 'vision'));
  worker.start();
  const manifest = await worker.load(defaultDir);
  const refs = packReferences(manifest.version, manifest.output.size, await referenceEmbeddings((v, r) => worker.embed(v, r), products, 4, 5));
  await worker.setReferences(refs);
  return { worker, manifest, lines: sink.lines };
}

t.test('a pack put into the basket is recognised among the products with references', async (t) => {
  const { worker } = await started();
  t.teardown(() => worker.stop());
  const camera = new Photographer(77, products, 0);
  let right = 0;
  for (const gtin of products) {
    const { view } = camera.view(gtin);
    const r = await worker.recognise([view, { ...camera.view(gtin).view, cameraId: 'side' }], false, 3);
    t.equal(r.views.length, 2);
    t.ok(r.views.every((v) => v.region !== null), 'both cameras saw the change');
    t.ok(Math.abs(r.top.reduce((a, p) => a + p.score, 0) - 1) < 0.05, 'the top three hold nearly all the belief among six products');
    if (r.top[0]!.gtin === gtin) right++;
  }
  t.ok(right >= 5, `${right} of 6 recognised`);
  t.match(worker.health(), { status: 'ok', products: 6, restarts: 0 });
});

t.test('frames with no change give no guess', async (t) => {
  const { worker } = await started();
  t.teardown(() => worker.stop());
  const { view } = new Photographer(3, products, 0).view(products[0]!);
  const r = await worker.recognise([{ ...view, after: view.before.slice() }], false, 3);
  t.same(r.top, []);
  t.same(r.views, [{ cameraId: 'sim', region: null }]);
});

t.test('a refused model leaves the running one in place, and it keeps recognising', async (t) => {
  const { worker, manifest, lines } = await started();
  t.teardown(() => worker.stop());
  const bad = mkdtempSync(join(tmpdir(), 'vision-bad-'));
  t.teardown(() => rmSync(bad, { recursive: true, force: true }));
  cpSync(defaultDir, bad, { recursive: true });
  writeFileSync(join(bad, manifest.file), 'damaged in transit');
  const err = await worker.load(bad).then(() => null, (e: Error) => e);
  t.ok(err instanceof ModelRefusedError);
  t.match(err?.message, /checksum/);
  t.ok(lines.some((l) => l.includes('model refused') && l.includes(`inUse=${manifest.version}`)));
  t.equal(worker.manifest?.version, manifest.version);
  const r = await worker.recognise([new Photographer(4, products, 0).view(products[1]!).view], false, 1);
  t.equal(r.top.length, 1);
});

t.test('references made by another model are refused', async (t) => {
  const { worker, manifest } = await started();
  t.teardown(() => worker.stop());
  await t.rejects(worker.setReferences(packReferences('another-model', manifest.output.size, new Map([[products[0]!, [new Float32Array(32)]]]))),
    /references are for model another-model/);
  t.equal(worker.health().products, 6, 'the old references stay');
});
