// Measures the freshly trained model through the cart's own code (the model
// loader with all its checks, the change finder, the cropper, the matcher)
// on data it never saw, picks the confidence above which its guesses may be
// trusted, and writes the manifest. Run by make-default-model.sh:
//   npx tsx models/train/calibrate.ts DATA_DIR MODEL_DIR
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelManifest } from '../../firmware/vision/manifest.js';
import { packReferences } from '../../firmware/vision/match.js';
import { embeddingModel, loadModel } from '../../firmware/vision/model.js';
import { Recogniser } from '../../firmware/vision/recognise.js';
import { inputSize, Photographer, productSets, referenceEmbeddings, setsSeed, trainProducts, unseenProducts } from './products.js';

const modelFile = 'product-embedder.onnx';
/** Reference views a store would send per product. */
const referenceViews = 8;
const queriesPerProduct = 10;
/** Guesses above the chosen confidence must be right this often on the held-out products. */
const targetPrecision = 0.98;
/**
 * The cart acts on the cameras only when they are at least 9 to 1 for one
 * product, however well the held-out set would allow less: rendered packs are
 * far easier to tell apart than real ones in a real basket.
 */
const leastConfidence = 0.9;

interface Query {
  gtin: string;
  /** Shares of belief over the products, by GTIN. */
  scores: Map<string, number>;
}

async function main(dataDir: string, modelDir: string): Promise<void> {
  const meta = JSON.parse(readFileSync(join(dataDir, 'meta.json'), 'utf8')) as { mean: number[]; std: number[]; size: number; samples: number };
  const training = JSON.parse(readFileSync(join(dataDir, 'training.json'), 'utf8')) as { temperature: number; epochs: number; trainSeconds: number };
  const bytes = readFileSync(join(modelDir, modelFile));
  const manifest: ModelManifest = {
    format: 'cart-vision-model',
    formatVersion: 1,
    name: 'cart-products-synthetic',
    version: `synthetic-${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}`,
    file: modelFile,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    input: { name: 'image', layout: 'NCHW', colour: 'RGB', size: inputSize, mean: meta.mean as [number, number, number], std: meta.std as [number, number, number] },
    output: { name: 'embedding', kind: 'embedding', size: 32, temperature: training.temperature, confidentScore: 0.9 },
    trainedOn: `${meta.samples} rendered crops of ${trainProducts} made-up products (looks drawn from their GTINs: box, round or bag packs, ` +
      'plain, striped, banded, checked or dotted, some with a round logo) on a simulated wire basket floor with 0-10 other packs, ' +
      `random light and sensor noise, cut by the cart's own change finder; ${training.epochs} epochs on one CPU thread (${training.trainSeconds} s). ` +
      'No photograph of a real product.',
  };
  writeFileSync(join(modelDir, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  const recogniser = new Recogniser(embeddingModel(await loadModel(modelDir, 1)));
  const embed = (views: Parameters<Recogniser['embeddings']>[0], removal: boolean) => recogniser.embeddings(views, removal);
  const sets = productSets(setsSeed, trainProducts, unseenProducts);

  const unseen = await evaluate(recogniser, embed, manifest.version, sets.unseen, sets.train, 11);
  const seen = await evaluate(recogniser, embed, manifest.version, sets.train.slice(0, 100), sets.train, 12);
  const confidentScore = Math.max(leastConfidence, chooseConfidence(unseen.queries));
  const pairs = pairDecisions(unseen.queries, confidentScore);
  manifest.output.confidentScore = confidentScore;
  manifest.heldOut = {
    unseenProducts: { products: sets.unseen.length, queries: unseen.queries.length, top1: unseen.top1, top3: unseen.top3, ...precisionAt(unseen.queries, confidentScore) },
    seenProductsNewViews: { products: 100, queries: seen.queries.length, top1: seen.top1, top3: seen.top3 },
    pairsOfUnseenProducts: pairs,
    referenceViewsPerProduct: referenceViews,
  };
  writeFileSync(join(modelDir, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  process.stdout.write(`${JSON.stringify(manifest.heldOut, null, 1)}\nconfidentScore ${confidentScore}\n`);
}

async function evaluate(recogniser: Recogniser, embed: Parameters<typeof referenceEmbeddings>[0], version: string, products: string[], clutter: string[], seed: number) {
  const refs = packReferences(version, 32, await referenceEmbeddings(embed, products, referenceViews, seed));
  recogniser.setReferences(refs);
  const camera = new Photographer(seed + 100, clutter);
  const queries: Query[] = [];
  for (let q = 0; q < queriesPerProduct; q++) {
    for (const gtin of products) {
      const { view, removal } = camera.view(gtin);
      const r = await recogniser.recognise([view], removal, products.length);
      if (r.top.length > 0) queries.push({ gtin, scores: new Map(r.top.map((p) => [p.gtin, p.score])) });
    }
  }
  const rankOf = (q: Query) => [...q.scores.entries()].sort((a, b) => b[1] - a[1]).findIndex(([g]) => g === q.gtin);
  return {
    queries,
    top1: round3(queries.filter((q) => rankOf(q) === 0).length / queries.length),
    top3: round3(queries.filter((q) => rankOf(q) >= 0 && rankOf(q) < 3).length / queries.length),
  };
}

function best(q: Query): [string, number] {
  return [...q.scores.entries()].reduce((a, b) => (b[1] > a[1] ? b : a));
}

function precisionAt(queries: Query[], threshold: number) {
  const sure = queries.filter((q) => best(q)[1] >= threshold);
  return { confidentShare: round3(sure.length / queries.length), confidentPrecision: round3(sure.filter((q) => best(q)[0] === q.gtin).length / Math.max(1, sure.length)) };
}

/** The lowest confidence at which guesses over the whole unseen catalog are right at least targetPrecision of the time. */
function chooseConfidence(queries: Query[]): number {
  for (let t = 0.5; t < 0.995; t += 0.01) {
    const p = precisionAt(queries, t);
    if (p.confidentPrecision >= targetPrecision && p.confidentShare * queries.length >= 50) return round3(t);
  }
  return 0.995;
}

/**
 * The ambiguous removal's question: of two products that both fit the weight
 * (the true one and another at random), which was it? A share narrowed to the
 * pair, at the chosen confidence, decides or abstains.
 */
function pairDecisions(queries: Query[], confidentScore: number) {
  let decided = 0;
  let right = 0;
  queries.forEach((q, i) => {
    const other = queries[(i * 7919 + 13) % queries.length]!.gtin;
    if (other === q.gtin) return;
    const own = q.scores.get(q.gtin) ?? 0;
    const rival = q.scores.get(other) ?? 0;
    const share = own / (own + rival);
    if (share >= confidentScore) {
      decided++;
      right++;
    } else if (1 - share >= confidentScore) decided++;
  });
  return { pairs: queries.length, decided: round3(decided / queries.length), rightWhenDecided: round3(right / Math.max(1, decided)) };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

await main(process.argv[2] ?? 'bench-out/vision-data', process.argv[3] ?? 'models/default');
