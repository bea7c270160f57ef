// Which product is this? The model turns a crop into an embedding (unit
// length); each product of the catalog has reference embeddings of its own,
// made from pictures of it by the store with the same model. A product's
// similarity is that of its closest reference; similarities become shares of
// belief with a softmax at the model's temperature. Pure.

export interface ProductScore {
  gtin: string;
  /** Share of belief, 0..1; the scores over every product with references sum to 1. */
  score: number;
}

/** Reference embeddings, packed: product i owns rows starts[i] .. starts[i+1]-1 of `vectors` (dim floats a row). */
export interface ReferenceSet {
  /** The model version whose embeddings these are: another model's are meaningless. */
  model: string;
  dim: number;
  gtins: string[];
  starts: Int32Array;
  vectors: Float32Array;
}

/** Packs references given per product; every vector must have `dim` numbers. */
export function packReferences(model: string, dim: number, byGtin: ReadonlyMap<string, readonly ArrayLike<number>[]>): ReferenceSet {
  const gtins = [...byGtin.keys()].filter((g) => (byGtin.get(g)?.length ?? 0) > 0);
  const starts = new Int32Array(gtins.length + 1);
  let rows = 0;
  gtins.forEach((g, i) => {
    starts[i] = rows;
    rows += byGtin.get(g)!.length;
  });
  starts[gtins.length] = rows;
  const vectors = new Float32Array(rows * dim);
  let row = 0;
  for (const g of gtins) {
    for (const v of byGtin.get(g)!) {
      if (v.length !== dim) throw new Error(`reference for ${g} has ${v.length} numbers, the model gives ${dim}`);
      for (let k = 0; k < dim; k++) vectors[row * dim + k] = v[k]!;
      row++;
    }
  }
  return { model, dim, gtins, starts, vectors };
}

/**
 * Adds the shares of belief for one embedding (at `offset` in `embeddings`)
 * into `into` (one number per product of `refs`), times `weight`. `scratch`
 * has room for one number per product.
 */
export function accumulateScores(embeddings: Float32Array, offset: number, refs: ReferenceSet, temperature: number, weight: number,
  into: Float64Array, scratch: Float64Array): void {
  const { dim, starts, vectors } = refs;
  const n = refs.gtins.length;
  let maxLogit = -Infinity;
  for (let p = 0; p < n; p++) {
    scratch[p] = bestSimilarity(embeddings, offset, vectors, dim, starts[p]!, starts[p + 1]!) / temperature;
    if (scratch[p]! > maxLogit) maxLogit = scratch[p]!;
  }
  let sum = 0;
  for (let p = 0; p < n; p++) {
    scratch[p] = Math.exp(scratch[p]! - maxLogit);
    sum += scratch[p]!;
  }
  for (let p = 0; p < n; p++) into[p]! += (weight * scratch[p]!) / sum;
}

function bestSimilarity(e: Float32Array, offset: number, vectors: Float32Array, dim: number, from: number, to: number): number {
  let best = -Infinity;
  for (let r = from; r < to; r++) {
    let dot = 0;
    for (let k = 0; k < dim; k++) dot += e[offset + k]! * vectors[r * dim + k]!;
    if (dot > best) best = dot;
  }
  return best;
}

/** The k likeliest products, likeliest first. */
export function topProducts(scores: Float64Array, refs: ReferenceSet, k: number): ProductScore[] {
  const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!).slice(0, k);
  return order.map((p) => ({ gtin: refs.gtins[p]!, score: scores[p]! }));
}
