// A fixed basket for the layout test and the screenshots: the demo's
// products and a few more, as the view would give them.
import { demoCatalog } from '../bench/demo-trip.js';
import type { DisplayLine, DisplayView } from '../../firmware/display/index.js';

const more = [
  { gtin: '04008400401621', name: 'Dark chocolate 100 g', priceCents: 189 },
  { gtin: '05000159484695', name: 'Sparkling water 6 × 1.5 l', priceCents: 354 },
  { gtin: '08001120734109', name: 'Tinned tomatoes 400 g', priceCents: 79 },
  { gtin: '04311501490346', name: 'Wholemeal bread, sliced', priceCents: 215 },
];

/** `count` lines (the demo's four, then more, then repeats), with the alert when asked. */
export function sampleView(count: number, alert: boolean): DisplayView {
  const products = [...demoCatalog, ...more];
  const lines: DisplayLine[] = Array.from({ length: count }, (_, i) => {
    const p = products[i % products.length]!;
    const qty = i % 3 === 1 ? 2 : 1;
    return { gtin: `${p.gtin.slice(0, 12)}${String(i).padStart(2, '0')}`, name: p.name, qty, grams: 0, priceCents: p.priceCents, byWeight: false, amountCents: p.priceCents * qty };
  });
  return {
    lines,
    total: { cents: lines.reduce((s, l) => s + l.amountCents!, 0), unpricedLines: 0, currency: 'EUR' },
    alerts: alert ? [{ id: 7, kind: 'unscanned-item', ask: 'Please scan the item you just put in.' }] : [],
    status: { light: alert ? 'attention' : 'ready', link: 'online', scale: 'stable', myBagArmed: false },
  };
}
