// Loading a model as its manifest describes it, and refusing one that does
// not match: the cart keeps the model it had.
import t from 'tap';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, ModelRefused, embeddingModel } from '../../firmware/vision/model.js';
import type { ModelManifest } from '../../firmware/vision/manifest.js';

const defaultDir = join(import.meta.dirname, '../../models/default');
const work = mkdtempSync(join(tmpdir(), 'vision-model-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));
const manifest = JSON.parse(readFileSync(join(defaultDir, 'manifest.json'), 'utf8')) as ModelManifest;

let n = 0;
/** A copy of the default model with its manifest or its file changed. */
function variant(change: { manifest?: (m: ModelManifest) => unknown; file?: (bytes: Buffer) => Buffer; resum?: boolean }): string {
  const dir = join(work, `m${n++}`);
  cpSync(defaultDir, dir, { recursive: true });
  const modelPath = join(dir, manifest.file);
  let m: ModelManifest = structuredClone(manifest);
  if (change.file) {
    const bytes = change.file(readFileSync(modelPath));
    writeFileSync(modelPath, bytes);
    if (change.resum) m.sha256 = createHash('sha256').update(bytes).digest('hex');
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(change.manifest ? change.manifest(m) : m));
  return dir;
}

t.test('the default model loads, passes its checks and embeds a batch to unit vectors', async (t) => {
  const loaded = await loadModel(defaultDir, 1);
  t.teardown(() => loaded.session.release());
  const size = loaded.manifest.input.size;
  const input = new Float32Array(3 * 3 * size * size).map((_, i) => Math.sin(i));
  const out = await embeddingModel(loaded).embed(input, 3);
  t.equal(out.length, 3 * 32);
  for (let b = 0; b < 3; b++) t.ok(Math.abs(Math.hypot(...out.subarray(b * 32, (b + 1) * 32)) - 1) < 1e-4);
});

const refusals: [string, Parameters<typeof variant>[0], RegExp][] = [
  ['a manifest for another kind of output', { manifest: (m) => ({ ...m, output: { ...m.output, kind: 'classes' } }) }, /manifest does not describe a model this firmware can run: \/output\/kind/],
  ['a file named by a path, not beside the manifest', { manifest: (m) => ({ ...m, file: '../default/product-embedder.onnx' }) }, /\/file/],
  ['a model file that is not the one the manifest names (checksum)', { file: (b) => Buffer.concat([b, Buffer.from([0])]) }, /does not match the manifest's checksum/],
  ['a file that is not an ONNX model', { file: () => Buffer.from('not a model'), resum: true }, /ONNX Runtime cannot load/],
  ['an input name the model does not have', { manifest: (m) => ({ ...m, input: { ...m.input, name: 'pixels' } }) }, /the model has no input "pixels" \(it has image\)/],
  ['an input size the model was not made for', { manifest: (m) => ({ ...m, input: { ...m.input, size: 64 } }) }, /a trial run failed|input is/],
  ['an embedding size the model does not give', { manifest: (m) => ({ ...m, output: { ...m.output, size: 16 } }) }, /output is \["batch",32\], the manifest says \[N, 16\]/],
];

for (const [what, change, why] of refusals) {
  t.test(`refused: ${what}`, async (t) => {
    const err = await loadModel(variant(change), 1).then(() => null, (e: Error) => e);
    t.ok(err instanceof ModelRefused, 'refused, not crashed');
    t.match(err?.message, why);
  });
}

t.test('refused: a folder without a manifest', async (t) => {
  await t.rejects(loadModel(work, 1), /no manifest.json/);
});
