// Ordinary least squares for a small dense system: minimise |A x - b|².
// Solved through the normal equations with partial pivoting, which is exact
// enough for the 4 unknowns and 5 to 10 rows of a span calibration.

export interface LeastSquares {
  x: number[];
  /** A x - b, per row. */
  residuals: number[];
}

export function leastSquares(a: readonly (readonly number[])[], b: readonly number[]): LeastSquares {
  const rows = a.length;
  const n = a[0]?.length ?? 0;
  if (rows !== b.length) throw new RangeError(`least squares: ${rows} rows but ${b.length} targets`);
  if (rows < n || n === 0) throw new RangeError(`least squares: ${rows} rows cannot fix ${n} unknowns`);
  const normal = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => a.reduce((s, row) => s + row[i]! * row[j]!, 0)));
  const rhs = Array.from({ length: n }, (_, i) => a.reduce((s, row, k) => s + row[i]! * b[k]!, 0));
  const x = invert(normal).map((row) => row.reduce((s, v, j) => s + v * rhs[j]!, 0));
  const residuals = a.map((row, k) => row.reduce((s, v, j) => s + v * x[j]!, 0) - b[k]!);
  return { x, residuals };
}

/** Gauss-Jordan with partial pivoting; throws when the matrix is singular (placements that cannot tell the corners apart). */
export function invert(m: readonly (readonly number[])[]): number[][] {
  const n = m.length;
  const work = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  const scale = Math.max(...m.flat().map(Math.abs));
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(work[r]![col]!) > Math.abs(work[pivot]![col]!)) pivot = r;
    if (!(Math.abs(work[pivot]![col]!) > scale * 1e-12)) throw new RangeError('least squares: the rows do not fix every unknown (singular matrix)');
    [work[col], work[pivot]] = [work[pivot]!, work[col]!];
    const p = work[col]!;
    const d = p[col]!;
    for (let j = 0; j < 2 * n; j++) p[j] = p[j]! / d;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const row = work[r]!;
      const f = row[col]!;
      if (f !== 0) for (let j = 0; j < 2 * n; j++) row[j] = row[j]! - f * p[j]!;
    }
  }
  return work.map((row) => row.slice(n));
}
