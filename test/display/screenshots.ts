// Makes the screenshots of the shopper's screen in docs/img/, in Debian's
// Chromium, at the cart's two screen sizes:
//   npx tsx test/display/screenshots.ts
// 800×480 with an alert open, 1280×800 with a quiet basket and "my bag".
import { fileURLToPath } from 'node:url';
import { DisplayServer } from '../../firmware/display/index.js';
import { createLogger, stderrSink } from '../../firmware/log.js';
import { launchChromium, noChromium } from './browser.js';
import { sampleView } from './sample-view.js';
import { seen } from './seen.js';

const shots = [
  { file: 'screen-800x480.png', width: 800, height: 480, view: sampleView(5, true) },
  { file: 'screen-1280x800.png', width: 1280, height: 800, view: sampleView(7, false) },
];

async function main(): Promise<void> {
  if (noChromium) throw new Error(noChromium);
  let view = shots[0]!.view;
  const server = new DisplayServer(0, { view: () => view, pressMyBag: () => {}, log: createLogger(stderrSink('warn'), 'display') });
  const port = await server.start();
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    for (const shot of shots) {
      view = shot.view;
      await page.setViewportSize({ width: shot.width, height: shot.height });
      await page.goto(`http://127.0.0.1:${port}/`);
      await seen(page, 'the basket', (s) => s.connection === 'live' && s.lines.length === shot.view.lines.length);
      const path = fileURLToPath(new URL(`../../docs/img/${shot.file}`, import.meta.url));
      await page.screenshot({ path });
      process.stdout.write(`${path}\n`);
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
