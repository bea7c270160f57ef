// Reference embeddings on the cart: a JSON file of, per product, the
// embeddings the store made of its pictures with the model version named in
// the file. Read once at start; a file for another model version, or one
// that does not parse, is not used, and the cart says why.
import { readFile } from 'node:fs/promises';
import { Type as T, Value } from '../typebox.js';
import { packReferences, type ReferenceSet } from './match.js';

const ReferencesFile = T.Object({
  format: T.Literal('cart-vision-references'),
  model: T.String({ minLength: 1 }),
  products: T.Record(T.String({ pattern: '^[0-9]{14}$' }), T.Array(T.Array(T.Number(), { minItems: 1 }), { minItems: 1 })),
});

export class ReferencesError extends Error {}

/** The references in `path`; null when there is no such file (none sent yet). */
export async function readReferences(path: string, dim: number): Promise<ReferenceSet | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ReferencesError(`cannot read product references ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ReferencesError(`product references ${path} are not JSON: ${(err as Error).message}`);
  }
  const problem = Value.Errors(ReferencesFile, json).First();
  if (problem) throw new ReferencesError(`product references ${path} are not valid: ${problem.path || '(top level)'}: ${problem.message}`);
  const file = json as { model: string; products: Record<string, number[][]> };
  try {
    return packReferences(file.model, dim, new Map(Object.entries(file.products)));
  } catch (err) {
    throw new ReferencesError(`product references ${path}: ${(err as Error).message}`);
  }
}

/** The file's text for references, as a store (or the demo) writes them. */
export function referencesJson(refs: ReferenceSet): string {
  const products: Record<string, number[][]> = {};
  refs.gtins.forEach((gtin, p) => {
    const rows: number[][] = [];
    for (let r = refs.starts[p]!; r < refs.starts[p + 1]!; r++) rows.push(Array.from(refs.vectors.subarray(r * refs.dim, (r + 1) * refs.dim), (x) => Math.round(x * 1e5) / 1e5));
    products[gtin] = rows;
  });
  return JSON.stringify({ format: 'cart-vision-references', model: refs.model, products });
}
