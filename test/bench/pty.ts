// A pseudo-terminal pair made by socat, standing in for the scanner's serial
// line: the cart (or the recorder) opens `portPath` as a real serial port,
// with the same driver and termios calls as on a cart, and the bench writes
// the scanner's bytes into `scannerPath`. socat copies them across.
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export interface PtyPair {
  /** Where the serial port is: scanner.path in the cart's config. */
  portPath: string;
  /** The scanner's end of the line. */
  scannerPath: string;
  /** Puts bytes on the line towards the port, as the scanner sends them. */
  send(bytes: Buffer): Promise<void>;
  close(): Promise<void>;
}

const startTimeoutMs = 10_000;

/** Starts socat with its two links in `dir`; resolves once it copies between them. */
export async function openPtyPair(dir: string): Promise<PtyPair> {
  const portPath = join(dir, 'scanner-port');
  const scannerPath = join(dir, 'scanner-line');
  // raw, echo=0: bytes pass unchanged both ways; -d -d makes socat say when it is ready.
  const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${scannerPath}`, `pty,raw,echo=0,link=${portPath}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => socat.once('exit', resolve));
  let said = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socat did not start within ${startTimeoutMs} ms: ${said.trim()}`)), startTimeoutMs);
    socat.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run socat (is it installed?): ${err.message}`));
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`socat exited with ${code}: ${said.trim()}`));
    });
    socat.stderr.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes('starting data transfer loop')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  // O_NOCTTY: the bench must not make the line its controlling terminal.
  let line: FileHandle | null = await open(scannerPath, constants.O_WRONLY | constants.O_NOCTTY);
  return {
    portPath,
    scannerPath,
    async send(bytes) {
      if (!line) throw new Error('the scanner line is closed');
      await line.write(bytes);
    },
    async close() {
      await line?.close();
      line = null;
      if (socat.exitCode === null && socat.signalCode === null) socat.kill('SIGTERM');
      await exited;
    },
  };
}
