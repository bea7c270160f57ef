// The real driver on the real serialport binding, against a pseudo-terminal
// pair made by socat: one end is the cart's port, the test plays the scanner
// on the other. Killing socat is the scanner being unplugged.
import t from 'tap';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SerialPort } from 'serialport';
import { SerialScanner, type Frame } from '../../../drivers/scanner/index.js';
import { createLogger, memorySink } from '../../../firmware/log.js';

const hasSocat = spawnSync('socat', ['-V']).status === 0;

async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** A pty pair; `host` is the cart's side, `device` the scanner's. */
class PtyPair {
  private socat: ChildProcess | null = null;
  readonly dir = mkdtempSync(join(tmpdir(), 'scanner-pty-'));
  readonly host = join(this.dir, 'host');
  readonly device = join(this.dir, 'device');

  async plugIn(): Promise<void> {
    this.socat = spawn('socat', [`pty,raw,echo=0,link=${this.device}`, `pty,raw,echo=0,link=${this.host}`], { stdio: 'ignore' });
    await until('socat ptys', () => existsSync(this.host) && existsSync(this.device));
  }

  async unplug(): Promise<void> {
    const socat = this.socat;
    this.socat = null;
    if (!socat || socat.exitCode !== null) return;
    const exited = new Promise((resolve) => socat.once('exit', resolve));
    socat.kill('SIGTERM');
    await exited;
  }

  async remove(): Promise<void> {
    await this.unplug();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The scanner's end, opened with serialport too. */
function openDevice(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 9600 }, (err) => (err ? reject(err) : resolve(port)));
  });
}

function write(port: SerialPort, bytes: string): Promise<void> {
  return new Promise((resolve, reject) => port.write(Buffer.from(bytes, 'latin1'), (err) => (err ? reject(err) : port.drain(() => resolve()))));
}

function close(port: SerialPort): Promise<void> {
  return new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
}

t.test('pty pair through socat', { skip: hasSocat ? false : 'socat is not installed' }, async (t) => {
  const pty = new PtyPair();
  t.teardown(() => pty.remove());
  await pty.plugIn();
  const sink = memorySink();
  const scanner = new SerialScanner(
    { path: pty.host, baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, family: 'honeywell', maxLength: 64, flushGapSec: 0.1 },
    { binding: SerialPort.binding, clock: () => performance.now() / 1000, log: createLogger(sink, 'test'), retry: { firstSec: 0.05, maxSec: 0.2 } },
  );
  const frames: Frame[] = [];
  scanner.on('frame', (f) => frames.push(f));
  t.teardown(() => scanner.stop());
  await scanner.start();
  t.equal(scanner.health().status, 'ok');

  let device = await openDevice(pty.device);
  await write(device, ']E05901234123457\r\n]C10109506000134352\x1d10AB\r');
  await write(device, '96385');
  await write(device, '074\r');
  await write(device, '\x00\xff4006381333931\n');
  await write(device, 'x'.repeat(100) + '\r');
  await write(device, '4011'); // no suffix: ended by silence
  await until('five frames', () => frames.length === 5);
  t.match(frames, [
    { symbology: ']E0', data: '5901234123457' },
    { symbology: ']C1', data: '0109506000134352\x1d10AB' },
    { symbology: null, data: '96385074' },
    { symbology: null, data: '4006381333931' },
    { symbology: null, data: '4011' },
  ]);
  t.equal(scanner.health().discardedBytes, 102, 'two noise bytes and the overlong line');

  const heard: Buffer[] = [];
  device.on('data', (b: Buffer) => heard.push(b));
  await scanner.signal(true);
  await until('the feedback bytes', () => Buffer.concat(heard).length >= 3);
  t.same([...Buffer.concat(heard)], [0x1b, 0x37, 0x2c], 'Honeywell good-read, [ESC]7,');

  await close(device);
  await pty.unplug();
  await until('the disconnect', () => scanner.health().status === 'reconnecting');
  await sleep(300); // the port stays away for a few retries
  t.equal(scanner.health().disconnects, 1);
  await pty.plugIn();
  await until('the reopen', () => scanner.health().status === 'ok');
  t.match(scanner.health(), { opens: 2, disconnects: 1, lastError: null });

  device = await openDevice(pty.device);
  await write(device, '5901234123457\r');
  await until('a frame after the replug', () => frames.length === 6);
  t.match(frames[5], { data: '5901234123457' });
  await close(device);
  await scanner.stop();
  t.equal(scanner.health().status, 'stopped');
});
