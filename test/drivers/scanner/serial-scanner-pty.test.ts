// The real driver on the real serialport binding, against a pseudo-terminal
// pair (openpty(3) through @lydell/node-pty, which `npm install` brings; no
// system tool): the cart's port is the pair's slave end, opened by its link as
// a cart opens /dev/serial/by-id/..., and the test plays the scanner on the
// master end. Closing the pair is the scanner unplugged (test/bench/pty.ts).
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { SerialPort } from 'serialport';
import { SerialScanner, type Frame } from '../../../drivers/scanner/index.js';
import { createLogger, memorySink } from '../../../firmware/log.js';
import { openPtyPair, type PtyPair } from '../../bench/pty.js';

async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const send = (pty: PtyPair, bytes: string) => pty.send(Buffer.from(bytes, 'latin1'));

t.test('frames, feedback, unplug and replug on a pseudo-terminal', async (t) => {
  const dir = t.testdir({});
  let pty = await openPtyPair(dir);
  t.teardown(() => pty.close());
  const sink = memorySink();
  const scanner = new SerialScanner(
    { path: pty.portPath, baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, family: 'honeywell', maxLength: 64, flushGapSec: 0.1 },
    { binding: SerialPort.binding, clock: () => performance.now() / 1000, log: createLogger(sink, 'test'), retry: { firstSec: 0.05, maxSec: 0.2 } },
  );
  const frames: Frame[] = [];
  scanner.on('frame', (f) => frames.push(f));
  t.teardown(() => scanner.stop());
  await scanner.start();
  t.equal(scanner.health().status, 'ok');

  await send(pty, ']E05901234123457\r\n]C10109506000134352\x1d10AB\r');
  await send(pty, '96385');
  await send(pty, '074\r');
  await send(pty, '\x00\xff4006381333931\n');
  await send(pty, 'x'.repeat(100) + '\r');
  await send(pty, '4011'); // no suffix: ended by silence
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
  pty.onReceived((b) => heard.push(b));
  await scanner.signal(true);
  await until('the feedback bytes', () => Buffer.concat(heard).length >= 3);
  t.same([...Buffer.concat(heard)], [0x1b, 0x37, 0x2c], 'Honeywell good-read, [ESC]7,');

  await pty.close();
  await until('the disconnect', () => scanner.health().status === 'reconnecting');
  await sleep(300); // the port stays away for a few retries
  t.equal(scanner.health().disconnects, 1);
  t.match(sink.lines.join('\n'), /disconnected; reconnecting[^\n]*\n[^\n]*port cannot be opened; retrying[^\n]*No such file/, 'the line hung up, then its link gone');
  pty = await openPtyPair(dir);
  await until('the reopen', () => scanner.health().status === 'ok');
  t.match(scanner.health(), { opens: 2, disconnects: 1, lastError: null });

  await send(pty, '5901234123457\r');
  await until('a frame after the replug', () => frames.length === 6);
  t.match(frames[5], { data: '5901234123457' });
  await scanner.stop();
  t.equal(scanner.health().status, 'stopped');
});
