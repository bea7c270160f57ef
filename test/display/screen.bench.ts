// How long from a commit to the shopper's screen showing it (the goal: 100 ms).
//   npx tsx test/display/screen.bench.ts [COUNT]     (npm run bench runs it)
// The whole cart as on a real one, the page in Debian's Chromium. Each round
// commits an unscanned item (an alert opens) or its removal (the alert
// clears) and times, on the machine's clock (performance.timeOrigin + now()
// in both processes): commit → the view received by a plain Node client of
// /events (the baseline: the server's share), commit → the page's DOM
// changed, and commit → the next frame drawn after it.
import { request } from 'node:http';
import type { StableDelta } from '../../firmware/domain.js';
import { monotonicSec } from '../../firmware/process.js';
import { launchChromium, noChromium } from './browser.js';
import { startScreenCart, until } from './screen-rig.js';
import { seen } from './seen.js';

const rounds = Number(process.argv[2] ?? 60);
const now = () => performance.timeOrigin + performance.now();

/** Runs in the page: marks when the alert box shows or hides, and the frame after. */
const markInPage = `(() => {
  window.marks = [];
  const box = document.getElementById('alert');
  new MutationObserver(() => {
    const mark = { dom: performance.timeOrigin + performance.now(), frame: 0 };
    window.marks.push(mark);
    requestAnimationFrame(() => { mark.frame = performance.timeOrigin + performance.now(); });
  }).observe(box, { attributes: true, attributeFilter: ['hidden'] });
})()`;

function delta(grams: number): StableDelta {
  const at = monotonicSec();
  return { kind: 'stable-delta', grams, sdGrams: 1, centre: null, beganAtSec: at - 0.6, restAtSec: at - 0.1, atSec: at };
}

function summary(name: string, ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(1);
  return `${name.padEnd(34)} median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${s[s.length - 1]!.toFixed(1)} ms (n=${s.length})`;
}

async function main(): Promise<void> {
  if (noChromium) {
    process.stdout.write(`skipped: ${noChromium}\n`);
    return;
  }
  const cart = await startScreenCart();
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.goto(cart.url);
    await seen(page, 'the empty basket', (s) => s.connection === 'live');
    await page.evaluate(markInPage);

    const sse: number[] = [];
    const client = request(`${cart.url}events`, (res) => res.on('data', (chunk: Buffer) => {
      if (chunk.includes('event: basket')) sse.push(now());
    }));
    client.end();
    await until('the Node client\'s first view', () => sse.length === 1);

    const commits: number[] = [];
    cart.running.onCommitted((c) => {
      if (c.decisions.some((d) => d.kind === 'alert' || d.kind === 'alert-resolved')) commits.push(now());
    });
    for (let i = 0; i < rounds; i++) {
      cart.running.cart.apply(delta(i % 2 === 0 ? 300 : -300));
      await until(`round ${i} on the screen`, () => commits.length === i + 1 && sse.length === i + 2);
      // Polled from here: the page's policy forbids the eval a waitForFunction would need.
      while (!await page.evaluate(`window.marks.length === ${i + 1} && window.marks[${i}].frame > 0`)) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const marks = await page.evaluate('window.marks') as { dom: number; frame: number }[];
    client.destroy();
    process.stdout.write([
      summary('commit → view at a Node client', commits.map((c, i) => sse[i + 1]! - c)),
      summary('commit → page DOM changed', commits.map((c, i) => marks[i]!.dom - c)),
      summary('commit → next frame drawn', commits.map((c, i) => marks[i]!.frame - c)),
    ].join('\n') + '\n');
  } finally {
    await browser.close();
    await cart.stop();
  }
}

await main();
