// A real small file system for the storage tests: a tmpfs of a few hundred
// kilobytes, mounted for the test, that can be filled to the last block and
// remounted read-only. Needs root and a kernel that lets this process mount
// (a CI container may not): `smallDisk` says why not, and the test skips.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  dir: string;
  /** Writes a filler file until the file system says ENOSPC. */
  fill(): void;
  /** Deletes the filler: the space is back. */
  free(): void;
  remount(mode: 'ro' | 'rw'): void;
  unmount(): void;
}

/** Why this machine cannot give the tests a small disk; false when it can. For tap's `skip`. */
export function smallDiskUnavailable(): string | false {
  const disk = tryMount(64);
  if (typeof disk === 'string') return disk;
  disk.unmount();
  return false;
}

/** A mounted tmpfs of `kb` kilobytes. */
export function smallDisk(kb: number): SmallDisk {
  const disk = tryMount(kb);
  if (typeof disk === 'string') throw new Error(disk);
  return disk;
}

function tryMount(kb: number): SmallDisk | string {
  if (process.getuid?.() !== 0) return 'mounting a small tmpfs needs root';
  const dir = mkdtempSync(join(tmpdir(), 'cart-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k,mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return `this machine does not let the test mount a tmpfs (${(err as Error).message.split('\n')[0]})`;
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      const block = Buffer.alloc(4096, 1);
      try {
        for (;;) writeSync(fd, block);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        closeSync(fd);
      }
    },
    free: () => rmSync(filler, { force: true }),
    remount: (mode) => void execFileSync('mount', ['-o', `remount,${mode}`, dir], { stdio: 'pipe' }),
    unmount() {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
