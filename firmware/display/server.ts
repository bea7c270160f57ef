// The local read-only API for a screen on the cart: HTTP on 127.0.0.1 only.
//   GET /basket  the current view as JSON
//   GET /events  Server-Sent Events: the view at once, then again on each change
// Server-Sent Events rather than a WebSocket: the screen only listens, and
// every browser's EventSource reconnects by itself; Node's http is all it
// takes. Nothing here can change the basket: every other method is refused.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import type { DisplayView } from './view.js';

/** A few screens at most; a leak of connections must not grow without bound. */
const maxListeners = 8;
/** A comment line now and then keeps idle connections from being dropped by proxies and browsers. */
const keepAliveMs = 15_000;

export class DisplayServer {
  #server: Server | null = null;
  /** Each listener with the last view it was sent. */
  readonly #listeners = new Map<ServerResponse, string>();
  #keepAlive: NodeJS.Timeout | null = null;

  constructor(
    private readonly port: number,
    private readonly view: () => DisplayView,
    private readonly log: Logger,
  ) {}

  /** Listens on 127.0.0.1; resolves with the port (the one asked for, or the one given for 0). */
  async start(): Promise<number> {
    const server = createServer((req, res) => this.#handle(req, res));
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    server.on('error', (err) => this.log.warn('display API error', { error: err.message }));
    this.#keepAlive = setInterval(() => {
      for (const res of this.#listeners.keys()) res.write(': keep-alive\n\n');
    }, keepAliveMs);
    const port = (server.address() as AddressInfo).port;
    this.log.info('display API listening', { url: `http://127.0.0.1:${port}/basket` });
    return port;
  }

  /** Sends the view to each listener that has not had it yet. */
  update(): void {
    if (this.#listeners.size === 0) return;
    const text = JSON.stringify(this.view());
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
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('read-only: GET /basket or GET /events\n');
      return;
    }
    if (path === '/basket') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(this.view()));
      return;
    }
    if (path === '/events') {
      if (this.#listeners.size >= maxListeners) {
        res.writeHead(503, { 'retry-after': '10', 'content-type': 'text/plain' }).end('too many listeners\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      const text = JSON.stringify(this.view());
      res.write(`retry: 2000\nevent: basket\ndata: ${text}\n\n`);
      this.#listeners.set(res, text);
      req.on('close', () => this.#listeners.delete(res));
      res.on('error', () => this.#listeners.delete(res));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /basket or GET /events\n');
  }
}
