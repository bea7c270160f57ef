// The control socket: a Unix stream socket in the service, speaking the
// line protocol of protocol.ts. Maintenance mode belongs to the connection
// that entered it, and ends when that connection closes, however it closes:
// a tool that exits, crashes, or dies with its SSH session gives the cart
// back to shoppers.
import { lstat, unlink } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Seconds } from '../domain.js';
import type { Logger } from '../log.js';
import type { Maintenance } from './maintenance.js';
import { MAX_LINE_BYTES, parseRequest, type Request, type ScaleInfo, type ServerMessage } from './protocol.js';
import type { ScaleHost } from './scale-host.js';
import { restrictToGroup } from './socket-access.js';

/** A reader this far behind (an SSH link that stalls) gets no readings until it catches up; replies still go. */
const MAX_BUFFERED_BYTES = 1 << 20;

export interface ControlServerDeps {
  path: string;
  group: string;
  cartId: string;
  intervalGrams: number;
  capacityGrams: number;
  host: ScaleHost;
  maintenance: Maintenance;
  /** The shopping session under way, if any. */
  shoppingSession: () => string | null;
  clock: () => Seconds;
  log: Logger;
}

class RequestError extends Error {}

export class ControlServer {
  #server: Server | null = null;
  readonly #connections = new Set<Socket>();

  constructor(private readonly deps: ControlServerDeps) {}

  async start(): Promise<void> {
    const { path, log } = this.deps;
    await removeStaleSocket(path);
    const server = createServer((socket) => this.#connected(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => log.error('control socket failed', { error: err.message }));
    this.#server = server;
    await restrictToGroup(path, this.deps.group, log);
    log.info('control socket listening', { path, group: this.deps.group });
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    for (const socket of this.#connections) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #connected(socket: Socket): void {
    const { log, maintenance, host } = this.deps;
    this.#connections.add(socket);
    let holds = false;
    let unsubscribe: (() => void) | null = null;
    let behind = false;
    let pending = '';

    const send = (message: ServerMessage) => socket.write(`${JSON.stringify(message)}\n`);
    const info = (): ScaleInfo => ({
      cartId: this.deps.cartId,
      intervalGrams: this.deps.intervalGrams,
      capacityGrams: this.deps.capacityGrams,
      calibration: host.calibration(),
      counters: host.counters(),
      maintenance: maintenance.holder === null ? null : { holder: maintenance.holder },
    });
    const mustHold = (op: string) => {
      if (!holds) throw new RequestError(`${op} needs maintenance mode, entered on this connection`);
    };

    const handle = (request: Request): unknown => {
      switch (request.op) {
        case 'hello':
          return info();
        case 'maintenance': {
          if (holds) return { holder: maintenance.holder };
          const verdict = maintenance.enter(request.technician, this.deps.shoppingSession(), this.deps.clock());
          if (!verdict.ok) {
            log.warn('maintenance refused', { technician: request.technician, reason: verdict.reason });
            throw new RequestError(verdict.reason);
          }
          holds = true;
          log.info('maintenance started; no shopping session can start', { technician: request.technician });
          return { holder: request.technician };
        }
        case 'release':
          if (!holds) return { released: false };
          release('released');
          return { released: true };
        case 'subscribe':
          unsubscribe ??= host.onReading((reading) => {
            if (socket.writableLength > MAX_BUFFERED_BYTES) {
              if (!behind) log.warn('control client reads too slowly; readings dropped until it catches up');
              behind = true;
              return;
            }
            behind = false;
            send({ event: 'reading', reading });
          });
          return { subscribed: true };
        case 'apply':
          mustHold('apply');
          return host.apply({ calibration: request.calibration, what: request.what, by: maintenance.holder ?? 'unknown', details: request.details });
        case 'zero':
          mustHold('zero');
          return { zeroed: host.zero() };
        case 'history':
          return { entries: host.history(request.limit), counters: host.counters() };
      }
    };

    const release = (why: string) => {
      if (!holds) return;
      const technician = maintenance.holder;
      holds = false;
      maintenance.leave();
      log.info('maintenance ended; shopping may start again', { technician, why });
    };

    const line = (text: string) => {
      const request = parseRequest(text);
      if ('error' in request) {
        log.warn('control request refused', { error: request.error });
        if (request.id !== null) send({ id: request.id, ok: false, error: request.error });
        return;
      }
      try {
        send({ id: request.id, ok: true, result: handle(request) });
      } catch (err) {
        if (!(err instanceof RequestError)) log.error('control request failed', { op: request.op, error: (err as Error).message });
        send({ id: request.id, ok: false, error: (err as Error).message });
      }
    };

    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const text = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (text.trim() !== '') line(text);
      }
      if (Buffer.byteLength(pending) > MAX_LINE_BYTES) {
        log.warn('control connection closed: a line longer than the protocol allows', { maxBytes: MAX_LINE_BYTES });
        socket.destroy();
      }
    });
    // A connection that breaks is closed right after; the close handles it.
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#connections.delete(socket);
      unsubscribe?.();
      release('connection closed');
    });
  }
}

/**
 * Removes a socket file left by a service that did not stop cleanly. A socket
 * that still answers belongs to a running service, and anything that is not
 * a socket is not ours: both are left alone, and this service gets no socket.
 */
async function removeStaleSocket(path: string): Promise<void> {
  try {
    if (!(await lstat(path)).isSocket()) throw new Error(`${path} exists and is not a socket`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const answers = await new Promise<boolean>((resolve) => {
    const probe = connect(path, () => {
      probe.destroy();
      resolve(true);
    });
    probe.on('error', () => resolve(false));
  });
  if (answers) throw new Error(`${path} is in use by another running service`);
  await unlink(path);
}
