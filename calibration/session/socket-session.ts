// The control-socket client: the service holds the scale and cart-cal asks.
import { connect, type Socket } from 'node:net';
import type { LiveReading, ScaleInfo } from '../../firmware/control/index.js';
import type { Op, Results, ServerMessage } from '../../firmware/control/protocol.js';
import type { AuditEntry } from '../../firmware/storage/metrology-store.js';
import { SessionError, type CalibrationToApply, type History, type ScaleSession } from './session.js';

interface Pending {
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
}

/**
 * Connects to the service's control socket. Null when no service listens
 * there (no socket file, or a file left by a stopped service); an error when
 * one does but this user may not open it.
 */
export async function connectToService(path: string, group: string): Promise<SocketSession | null> {
  const socket = connect(path);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
  } catch (err) {
    socket.destroy();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ECONNREFUSED') return null;
    if (code === 'EACCES' || code === 'EPERM') throw new SessionError(`the service runs, but this user may not open ${path}: technicians must be in the group ${group} (log in again after joining it)`);
    throw new SessionError(`cannot reach the service at ${path}: ${(err as Error).message}`);
  }
  return new SocketSession(socket);
}

export class SocketSession implements ScaleSession {
  readonly via = 'service';
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  readonly #readingListeners = new Set<(reading: LiveReading) => void>();
  readonly #lostListeners: ((why: string) => void)[] = [];
  #subscribed = false;
  #closing = false;

  constructor(private readonly socket: Socket) {
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.trim() === '') continue;
        let message: ServerMessage;
        try {
          message = JSON.parse(line) as ServerMessage;
        } catch {
          continue;
        }
        this.#message(message);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      const why = 'the service closed the control connection (stopped or restarted)';
      for (const p of this.#pending.values()) p.reject(new SessionError(why));
      this.#pending.clear();
      if (!this.#closing) for (const listener of this.#lostListeners) listener(why);
    });
  }

  info(): Promise<ScaleInfo> {
    return this.#request('hello', {});
  }

  onReading(listener: (reading: LiveReading) => void): () => void {
    this.#readingListeners.add(listener);
    if (!this.#subscribed) {
      this.#subscribed = true;
      this.#request('subscribe', {}).catch(() => {});
    }
    return () => void this.#readingListeners.delete(listener);
  }

  onLost(listener: (why: string) => void): void {
    this.#lostListeners.push(listener);
  }

  async enterMaintenance(technician: string): Promise<void> {
    await this.#request('maintenance', { technician });
  }

  apply(change: CalibrationToApply): Promise<AuditEntry> {
    return this.#request('apply', { ...change });
  }

  async zero(): Promise<boolean> {
    return (await this.#request('zero', {})).zeroed;
  }

  history(limit?: number): Promise<History> {
    return this.#request('history', limit === undefined ? {} : { limit });
  }

  /**
   * The service leaves maintenance when the connection closes; release says
   * so first, for its log. No answer is awaited: a tool on its way out must
   * not hang on a service that does not answer.
   */
  async close(): Promise<void> {
    this.#closing = true;
    if (!this.socket.destroyed) {
      this.#request('release', {}).catch(() => {});
      await new Promise<void>((resolve) => this.socket.end(resolve));
    }
    this.socket.destroy();
  }

  #request<O extends Op>(op: O, fields: Record<string, unknown>): Promise<Results[O]> {
    if (this.socket.destroyed) return Promise.reject(new SessionError('the control connection is closed'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      this.socket.write(`${JSON.stringify({ id, op, ...fields })}\n`);
    });
  }

  #message(message: ServerMessage): void {
    if ('event' in message) {
      for (const listener of this.#readingListeners) listener(message.reading);
      return;
    }
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new SessionError(message.error));
  }
}
