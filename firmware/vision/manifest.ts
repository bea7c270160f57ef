// The contract of a recognition model, in manifest.json beside the model
// file: what goes in (shape, colour order, normalisation), what comes out
// (an embedding to match against per-product references, with the
// temperature and confidence the model was calibrated with), which file, its
// checksum and its version. A model is only run as its manifest describes it;
// one that does not match is refused (model.ts).
import type { Static } from '@sinclair/typebox';
import { Type as T, Value } from '../typebox.js';

const Rgb = T.Tuple([T.Number(), T.Number(), T.Number()]);
const PositiveRgb = T.Tuple([T.Number({ exclusiveMinimum: 0 }), T.Number({ exclusiveMinimum: 0 }), T.Number({ exclusiveMinimum: 0 })]);

export const ModelManifestSchema = T.Object({
  format: T.Literal('cart-vision-model'),
  formatVersion: T.Literal(1),
  name: T.String({ minLength: 1, maxLength: 64 }),
  /** Goes with every guess and every reference set; references of another version are not used. */
  version: T.String({ pattern: '^[A-Za-z0-9._+-]{1,64}$' }),
  /** A file beside the manifest: a bare name, never a path. */
  file: T.String({ pattern: '^[A-Za-z0-9._-]{1,64}\\.onnx$' }),
  sha256: T.String({ pattern: '^[0-9a-f]{64}$' }),
  input: T.Object({
    name: T.String({ minLength: 1 }),
    /** [batch, channel, row, column]; batch is free. */
    layout: T.Literal('NCHW'),
    colour: T.Literal('RGB'),
    size: T.Integer({ minimum: 8, maximum: 512 }),
    /** Per channel on values scaled to 0..1: (x - mean) / std. */
    mean: Rgb,
    std: PositiveRgb,
  }),
  output: T.Object({
    name: T.String({ minLength: 1 }),
    /** An embedding of unit length, matched by cosine similarity against per-product references. */
    kind: T.Literal('embedding'),
    size: T.Integer({ minimum: 2, maximum: 4096 }),
    /** Softmax temperature over the similarities to the products' references. */
    temperature: T.Number({ exclusiveMinimum: 0 }),
    /** A product holding at least this share of belief is taken as seen: calibrated on held-out data. */
    confidentScore: T.Number({ exclusiveMinimum: 0, maximum: 1 }),
  }),
  /** What the model was trained on, in words, for whoever wonders why it sees what it sees. */
  trainedOn: T.String(),
  /** Measurements on data the model never saw; informative only. */
  heldOut: T.Optional(T.Record(T.String(), T.Unknown())),
});

export type ModelManifest = Static<typeof ModelManifestSchema>;

export class ManifestError extends Error {}

/** Checks a parsed manifest.json; every problem is named at once. */
export function parseManifest(json: unknown): ModelManifest {
  const problems = [...Value.Errors(ModelManifestSchema, json)].map((e) => `${e.path || '(top level)'}: ${e.message}`);
  if (problems.length > 0) throw new ManifestError(`manifest does not describe a model this firmware can run: ${[...new Set(problems)].slice(0, 6).join('; ')}`);
  return json as ModelManifest;
}
