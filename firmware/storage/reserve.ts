// Space held back for the basket. A file of zeros beside the database, made
// while there is room; when a commit fails because the disk is full, it is
// deleted and the commit tried again, so the trip goes on being saved while
// whatever filled the disk is found. Zeros written, not a sparse file: the
// blocks must really be taken from the file system to be given back.
import { statSync, unlinkSync } from 'node:fs';
import { open, rm, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../log.js';

export type ReserveState = 'held' | 'released' | 'none';

const chunkBytes = 1 << 20;

export class DiskReserve {
  #state: ReserveState = 'none';
  #making = false;
  #saidNoRoom = false;

  /** `bytes` 0: no reserve (the cart holds inputs in memory only). */
  constructor(readonly path: string, readonly bytes: number, private readonly log: Logger) {}

  get state(): ReserveState {
    return this.#state;
  }

  /**
   * Makes the reserve when it is missing or short and the disk has room for
   * it and as much again; asynchronous, in 1 MB writes, so that the sampler is
   * not held up. Returns the state reached.
   */
  async make(): Promise<ReserveState> {
    if (this.bytes === 0 || this.#making) return this.#state;
    this.#making = true;
    try {
      if (this.#sizeOnDisk() >= this.bytes) return (this.#state = 'held');
      const fs = await statfs(dirname(this.path));
      if (fs.bavail * fs.bsize < 2 * this.bytes) {
        if (!this.#saidNoRoom) this.log.warn('no room for the disk reserve; it is made once the disk has twice its size free', { path: this.path, mb: this.bytes / 2 ** 20 });
        this.#saidNoRoom = true;
        return this.#state;
      }
      const file = await open(this.path, 'w', 0o600);
      try {
        const zeros = Buffer.alloc(chunkBytes);
        for (let at = 0; at < this.bytes; at += chunkBytes) await file.write(zeros, 0, Math.min(chunkBytes, this.bytes - at), at);
        await file.sync();
      } finally {
        await file.close();
      }
      if (this.#state === 'released') this.log.info('disk reserve made again; the cart can ride out another full disk', { path: this.path, mb: this.bytes / 2 ** 20 });
      return (this.#state = 'held');
    } catch (err) {
      await rm(this.path, { force: true });
      this.log.warn('disk reserve could not be made; a full disk will hold basket inputs in memory until space is freed', { path: this.path, error: (err as Error).message });
      return this.#state;
    } finally {
      this.#making = false;
    }
  }

  /** Gives the reserve's space back to the file system; false when there was none to give. */
  release(): boolean {
    if (this.#state !== 'held') return false;
    try {
      unlinkSync(this.path);
    } catch (err) {
      this.log.error('disk reserve could not be released', { path: this.path, error: (err as Error).message });
      return false;
    }
    this.#state = 'released';
    this.log.warn('disk full: the reserve beside the database was released so that the basket keeps being saved; free space on the disk',
      { path: this.path, mb: this.bytes / 2 ** 20 });
    return true;
  }

  #sizeOnDisk(): number {
    try {
      return statSync(this.path).blocks * 512;
    } catch {
      return 0;
    }
  }
}
