// What the shopper sees on the page, read from the DOM as plain values, and a
// wait for a state of it.
import type { Page } from 'playwright-core';

export interface Seen {
  connection: string;
  /** Each line as its name, quantity × price, amount. */
  lines: string[][];
  empty: boolean;
  total: string;
  totalLabel: string;
  alert: { title: string; ask: string } | null;
  /** The red frame around the whole screen. */
  framed: boolean;
  scale: string;
  armed: boolean;
  myBag: boolean;
  notice: string;
}

/** Runs in the page: plain JavaScript, as the project's TypeScript knows no DOM. */
const readInPage = `(() => {
  const el = (id) => document.getElementById(id);
  const shown = (id) => el(id).checkVisibility();
  return {
    connection: el('screen').dataset.connection ?? '',
    lines: [...document.querySelectorAll('#lines li')].map((li) => [...li.children].map((c) => c.textContent)),
    empty: shown('empty'),
    total: el('total').textContent,
    totalLabel: el('total-label').textContent,
    alert: shown('alert') ? { title: el('alert-title').textContent, ask: el('alert-ask').textContent } : null,
    framed: el('screen').hasAttribute('data-alert'),
    scale: el('scale').textContent,
    armed: shown('my-bag-armed'),
    myBag: shown('my-bag'),
    notice: shown('connection') ? el('connection').textContent : '',
  };
})()`;

export function read(page: Page): Promise<Seen> {
  return page.evaluate(readInPage) as Promise<Seen>;
}

/** Reads the page until `ok`; on time-out the error shows the last thing seen. */
export async function seen(page: Page, what: string, ok: (s: Seen) => boolean, timeoutMs = 15_000): Promise<Seen> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const s = await read(page);
    if (ok(s)) return s;
    if (performance.now() > end) throw new Error(`the screen never showed ${what}; it shows ${JSON.stringify(s)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
