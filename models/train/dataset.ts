// Writes the default model's data: crops of made-up products in a simulated
// basket, cut as the cart cuts them. Run by make-default-model.sh:
//   npx tsx models/train/dataset.ts OUT_DIR
// OUT_DIR gets train.u8 / train.labels (learnt from), meta.json (sizes and the
// per-channel mean and sd of the training crops, for normalising).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputSize, Photographer, productSets, setsSeed, trainProducts, unseenProducts } from './products.js';

const viewsPerProduct = 24;

function main(out: string): void {
  mkdirSync(out, { recursive: true });
  const sets = productSets(setsSeed, trainProducts, unseenProducts);
  const per = inputSize * inputSize * 3;
  const crops = new Uint8Array(trainProducts * viewsPerProduct * per);
  const labels = new Int32Array(trainProducts * viewsPerProduct);
  // Clutter comes from the training products only: an unseen product is never in a training picture.
  const camera = new Photographer(1, sets.train);
  let n = 0;
  for (let v = 0; v < viewsPerProduct; v++) {
    for (let p = 0; p < trainProducts; p++) {
      if (!camera.crop(sets.train[p]!, crops, n * per)) continue;
      labels[n++] = p;
    }
  }
  const sum = [0, 0, 0];
  const sq = [0, 0, 0];
  for (let i = 0; i < n * per; i++) {
    const x = crops[i]! / 255;
    sum[i % 3]! += x;
    sq[i % 3]! += x * x;
  }
  const count = (n * per) / 3;
  const mean = sum.map((s) => s / count);
  const std = sq.map((s, c) => Math.sqrt(s / count - mean[c]! ** 2));
  writeFileSync(join(out, 'train.u8'), crops.subarray(0, n * per));
  writeFileSync(join(out, 'train.labels'), new Uint8Array(labels.buffer, 0, n * 4));
  writeFileSync(join(out, 'meta.json'), JSON.stringify({ size: inputSize, samples: n, products: trainProducts, mean, std }, null, 1));
  process.stdout.write(`${n} training crops of ${trainProducts} products (${n === labels.length ? 'none' : labels.length - n} skipped)\n`);
}

main(process.argv[2] ?? 'bench-out/vision-data');
