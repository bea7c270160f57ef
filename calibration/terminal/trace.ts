// A small plot of the total weight over the last seconds, in text: one
// column per time slice, bars in eighths of a cell with block characters,
// or in thirds with ASCII where the terminal has no UTF-8.
export interface TracePoint {
  atSec: number;
  grams: number;
}

export interface TraceShape {
  spanSec: number;
  /** Columns of the plot itself (a label of 11 characters comes before). */
  width: number;
  rows: number;
  unicode: boolean;
}

const UNICODE = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const ASCII = [' ', '.', ':', '#'];
/** A flat trace is drawn across at least this range, so that noise is not blown up to full height. */
const MIN_RANGE_GRAMS = 2;

/** Keeps the points of the last `spanSec` (points come in time order). */
export function trimTrace(points: TracePoint[], spanSec: number): void {
  const last = points[points.length - 1];
  if (!last) return;
  let drop = 0;
  while (drop < points.length && points[drop]!.atSec < last.atSec - spanSec) drop++;
  points.splice(0, drop);
}

export function drawTrace(points: readonly TracePoint[], shape: TraceShape): string[] {
  const { spanSec, width, rows } = shape;
  const glyphs = shape.unicode ? UNICODE : ASCII;
  const steps = glyphs.length - 1;
  const last = points[points.length - 1];
  if (!last) return Array.from({ length: rows }, (_, r) => `${' '.repeat(11)}|${r === rows - 1 ? ' no readings yet' : ''}`);
  // The newest value in each column's time slice, carried forward over slices with none.
  const columns: (number | null)[] = Array.from({ length: width }, () => null);
  const startSec = last.atSec - spanSec;
  for (const p of points) {
    const c = Math.min(width - 1, Math.floor(((p.atSec - startSec) / spanSec) * width));
    if (c >= 0) columns[c] = p.grams;
  }
  let carried: number | null = null;
  for (let c = 0; c < width; c++) columns[c] = carried = columns[c] ?? carried;
  const values = columns.filter((v): v is number => v !== null);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < MIN_RANGE_GRAMS) {
    const mid = (hi + lo) / 2;
    lo = mid - MIN_RANGE_GRAMS / 2;
    hi = mid + MIN_RANGE_GRAMS / 2;
  }
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const floor = rows - 1 - r;
    let cells = '';
    for (const v of columns) {
      const height = v === null ? 0 : ((v - lo) / (hi - lo)) * rows * steps;
      cells += glyphs[Math.max(0, Math.min(steps, Math.round(height - floor * steps)))];
    }
    const label = r === 0 ? `${hi.toFixed(1)} g` : r === rows - 1 ? `${lo.toFixed(1)} g` : '';
    lines.push(`${label.padStart(10)} |${cells}`);
  }
  return lines;
}
