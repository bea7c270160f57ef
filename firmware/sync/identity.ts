// The cart's identity towards the store, kept in a small file beside the
// database: a random epoch id and a start counter. The database's own boot
// counter begins again at 1 when a damaged database is set aside, so it
// cannot order a cart's status messages; this file is not touched then, and
// the counter keeps growing. The file goes only with the whole data folder
// (a reinstalled cart); the next one has a new epoch, which tells the store
// to forget the order it held. docs/store-protocol.md states the rule;
// status-order.ts is its reference.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.js';

export interface CartIdentity {
  /** 16 hex digits, made with the file. */
  epoch: string;
  /** This process's start within the epoch: 1, 2, 3, ... */
  start: number;
}

export const identityFileName = 'cart-identity.json';

function parse(text: string): CartIdentity | null {
  const o = JSON.parse(text) as Partial<CartIdentity>;
  return typeof o.epoch === 'string' && /^[0-9a-f]{16}$/.test(o.epoch) && Number.isSafeInteger(o.start) && o.start! >= 1 ? { epoch: o.epoch, start: o.start! } : null;
}

/** Written whole or not at all: a power cut leaves the old file or the new one. */
function writeDurably(dir: string, identity: CartIdentity): void {
  const path = join(dir, identityFileName);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(identity)}\n`);
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

/** Counts this start in the identity file of `dir` (made when missing) and returns it. */
export function startIdentity(dir: string, log: Logger): CartIdentity {
  const path = join(dir, identityFileName);
  let held: CartIdentity | null = null;
  let text: string | null = null;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.error('cannot read the cart identity file; a new epoch begins', { path, error: (err as Error).message });
  }
  if (text !== null) {
    try {
      held = parse(text);
    } catch {
      held = null;
    }
    if (!held) log.error('cart identity file unreadable; a new epoch begins, and the store starts its order of this cart\'s status again', { path });
  }
  const next: CartIdentity = held ? { epoch: held.epoch, start: held.start + 1 } : { epoch: randomBytes(8).toString('hex'), start: 1 };
  if (!held && text === null) log.info('new cart identity epoch', { path, epoch: next.epoch });
  try {
    writeDurably(dir, next);
  } catch (err) {
    log.error('cannot save the cart identity; the next start begins a new epoch, so a store may briefly show this cart\'s old status',
      { path, error: (err as Error).message });
  }
  return next;
}
