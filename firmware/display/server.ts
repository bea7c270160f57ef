// The shopper's screen, served on 127.0.0.1 only to the kiosk browser on the cart:
//   GET /              the page (page/: plain HTML, CSS and a script, no framework)
//   GET /basket        the current view as JSON
//   GET /events        Server-Sent Events: the view at once, then again on each change
//   POST /my-bag       the screen's "my bag" button: the same press as the one on the handle
// Server-Sent Events rather than a WebSocket: the screen only listens, and
// every browser's EventSource reconnects by itself; Node's http is all it
// takes. The one thing the page can do is what the shopper's own button
// does; so that no other web page the browser might open, and no DNS name
// pointed at 127.0.0.1, can do it, a request must name this server as its
// Host and a POST from a browser must come from this server's own page.
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import type { DisplayView } from './view.js';

/** A few screens at most; a leak of connections must not grow without bound. */
const maxListeners = 8;
/** A comment line now and then keeps idle connections from being dropped by proxies and browsers. */
const keepAliveMs = 15_000;
/** How long a browser waits before it reconnects after the stream drops (the SSE `retry` field). */
const reconnectMs = 1000;

const pageFiles: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/screen.css': { file: 'screen.css', type: 'text/css; charset=utf-8' },
  '/screen.js': { file: 'screen.js', type: 'text/javascript; charset=utf-8' },
};

/** The page loads nothing from elsewhere and runs no inline script. */
const pageHeaders = {
  'cache-control': 'no-cache',
  'content-security-policy': "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

export interface DisplayDeps {
  view: () => DisplayView;
  /** Presses "my bag" for the shopper; throws when the press could not be saved. */
  pressMyBag: () => void;
  log: Logger;
}

export class DisplayServer {
  #server: Server | null = null;
  #page = new Map<string, { type: string; body: Buffer }>();
  /** Each listener with the last view it was sent. */
  readonly #listeners = new Map<ServerResponse, string>();
  #keepAlive: NodeJS.Timeout | null = null;
  #hosts: string[] = [];

  constructor(
    private readonly port: number,
    private readonly deps: DisplayDeps,
  ) {}

  /** Listens on 127.0.0.1; resolves with the port (the one asked for, or the one given for 0). */
  async start(): Promise<number> {
    const pageDir = new URL('./page/', import.meta.url);
    for (const [path, { file, type }] of Object.entries(pageFiles)) {
      this.#page.set(path, { type, body: await readFile(new URL(file, pageDir)) });
    }
    const server = createServer((req, res) => this.#handle(req, res));
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    server.on('error', (err) => this.deps.log.warn('display server error', { error: err.message }));
    this.#keepAlive = setInterval(() => {
      for (const res of this.#listeners.keys()) res.write(': keep-alive\n\n');
    }, keepAliveMs);
    const port = (server.address() as AddressInfo).port;
    this.#hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    this.deps.log.info('shopper\'s screen listening', { url: `http://127.0.0.1:${port}/` });
    return port;
  }

  /** Sends the view to each listener that has not had it yet. */
  update(): void {
    if (this.#listeners.size === 0) return;
    const text = JSON.stringify(this.deps.view());
    for (const [res, last] of this.#listeners) {
      if (last === text) continue;
      res.write(`event: basket\ndata: ${text}\n\n`);
      this.#listeners.set(res, text);
    }
  }

  async stop(): Promise<void> {
    if (this.#keepAlive) clearInterval(this.#keepAlive);
    for (const res of this.#listeners.keys()) res.end();
    this.#listeners.clear();
    const server = this.#server;
    this.#server = null;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // A browser's EventSource may reconnect over a kept-alive socket as the streams end; close() would wait on it for ever.
    server.closeAllConnections();
    await closed;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0]!;
    if (!this.#hosts.includes(req.headers.host ?? '')) {
      refuse(res, 403, 'this server answers only as 127.0.0.1 or localhost\n');
      return;
    }
    if (req.method === 'POST' && path === '/my-bag') {
      this.#myBag(req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('read-only but for POST /my-bag\n');
      return;
    }
    const asset = this.#page.get(path);
    if (asset) {
      res.writeHead(200, { 'content-type': asset.type, ...pageHeaders }).end(asset.body);
      return;
    }
    if (path === '/basket') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(this.deps.view()));
      return;
    }
    if (path === '/events') {
      if (this.#listeners.size >= maxListeners) {
        res.writeHead(503, { 'retry-after': '10', 'content-type': 'text/plain' }).end('too many listeners\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      const text = JSON.stringify(this.deps.view());
      res.write(`retry: ${reconnectMs}\nevent: basket\ndata: ${text}\n\n`);
      this.#listeners.set(res, text);
      req.on('close', () => this.#listeners.delete(res));
      res.on('error', () => this.#listeners.delete(res));
      return;
    }
    refuse(res, 404, 'not found: GET /, /basket or /events\n');
  }

  #myBag(req: IncomingMessage, res: ServerResponse): void {
    const log = this.deps.log;
    // A browser names the page a POST comes from; one from any other page is refused.
    const origin = req.headers.origin;
    if (origin !== undefined && !this.#hosts.some((h) => origin === `http://${h}`)) {
      log.warn('"my bag" from another web page refused; nothing pressed', { origin });
      refuse(res, 403, 'only the cart\'s own screen may press "my bag"\n');
      return;
    }
    try {
      this.deps.pressMyBag();
    } catch (err) {
      log.error('"my bag" on the screen could not be saved; the next item put in will be charged, the shopper can press again', { error: (err as Error).message });
      refuse(res, 500, 'the press could not be saved\n');
      return;
    }
    log.info('"my bag" pressed on the screen');
    res.writeHead(204).end();
  }
}

function refuse(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
}
