// A pseudo-terminal pair standing in for the scanner's serial line: the cart
// (or the recorder) opens `portPath` as a real serial port, with the same
// driver and termios calls as on a cart, and the bench writes the scanner's
// bytes into the pair's master end.
//
// The pair comes from openpty(3) through @lydell/node-pty (node-pty with
// prebuilt binaries, installed by `npm install`), so no system tool is
// needed. node-pty's `open()` (src/index.ts, src/unixTerminal.ts
// UnixTerminal.open) is in its JavaScript but not in its typings, hence the
// small declaration below. It would read from the slave end too, which would
// take the scanner's bytes from the port: the slave stream is closed at once,
// and the slave is held open by a handle that never reads, so every byte
// written to the master waits in the kernel for the serial port that opens
// the slave by its path.
//
// Closing the pair is the scanner unplugged: the master's end goes, so a
// port open on the slave finds the line hung up, and so does the link, as
// /dev/serial/by-id/ loses it; a new pair linked in the same folder is the
// scanner plugged back.
import { constants } from 'node:fs';
import { open as openFile, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReadStream } from 'node:tty';
import * as nodePtyModule from '@lydell/node-pty';

interface OpenedPty {
  /** The slave's path, /dev/pts/N. */
  readonly ptsName: string;
  readonly master: ReadStream;
  readonly slave: ReadStream;
  write(data: string | Buffer): void;
  destroy(): void;
  on(event: 'error', listener: (err: Error) => void): void;
}

const nodePty = nodePtyModule as unknown as { open(options: { encoding: null }): OpenedPty };

export interface PtyPair {
  /** Where the serial port is: scanner.path in the cart's config (a link to the slave, as /dev/serial/by-id/ is on a cart). */
  portPath: string;
  /** Puts bytes on the line towards the port, as the scanner sends them. */
  send(bytes: Buffer): Promise<void>;
  /** Hears the bytes the port writes towards the scanner (good-read and bad-read feedback). */
  onReceived(listener: (bytes: Buffer) => void): void;
  /** The scanner unplugged: the line and the link to it go. */
  close(): Promise<void>;
}

/** Opens a pair and links its slave end as `dir`/scanner-port. */
export async function openPtyPair(dir: string): Promise<PtyPair> {
  const pty = nodePty.open({ encoding: null });
  // Raw from the start, as a serial line is: no echo, no line editing, bytes unchanged.
  pty.slave.setRawMode(true);
  // O_NOCTTY: the bench must not make the line its controlling terminal.
  const slave = await openFile(pty.ptsName, constants.O_RDWR | constants.O_NOCTTY);
  pty.slave.destroy();
  // What the cart writes back (good-read beeps) is read from the master, and dropped unless someone listens.
  // Without a listener node-pty rethrows a read error of the master end.
  pty.on('error', () => {});
  const portPath = join(dir, 'scanner-port');
  await symlink(pty.ptsName, portPath);
  let open = true;
  return {
    portPath,
    async send(bytes) {
      if (!open) throw new Error('the scanner line is closed');
      await new Promise<void>((resolve, reject) => pty.master.write(bytes, (err) => (err ? reject(err) : resolve())));
    },
    onReceived(listener) {
      pty.master.on('data', listener);
    },
    async close() {
      if (!open) return;
      open = false;
      pty.master.destroy();
      await slave.close();
      await rm(portPath, { force: true });
    },
  };
}
