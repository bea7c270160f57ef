// The real serial driver against @serialport/binding-mock, through the
// simulated scanner: framing, feedback, unplug and replug, no leaked handle.
import t from 'tap';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { SerialScanner, SimulatedScanner, SimulatedScannerDevice, type Frame } from '../../../drivers/scanner/index.js';
import { createLogger, memorySink } from '../../../firmware/log.js';

const clock = () => performance.now() / 1000;
let nextPath = 0;

function scanner(opts: { family?: 'none' | 'honeywell' | 'zebra-ssi'; flushGapSec?: number } = {}) {
  const sink = memorySink();
  const s = new SimulatedScanner({
    clock,
    log: createLogger(sink, 'test'),
    path: `/dev/serial/by-id/usb-Test_Scanner_${nextPath++}-if00`,
    retry: { firstSec: 0.02, maxSec: 0.1 },
    ...opts,
  });
  const frames: Frame[] = [];
  s.on('frame', (f) => frames.push(f));
  return { s, frames, lines: sink.lines };
}

async function until(what: string, check: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

t.test('bytes on the line come out as frames stamped by the clock', async (t) => {
  const { s, frames } = scanner();
  await s.start();
  t.equal(s.health().status, 'ok');
  const before = clock();
  s.send(']E05901234123457\r\n]E496385');
  s.send('074\r\n');
  await until('two frames', () => frames.length === 2);
  t.match(frames, [{ symbology: ']E0', data: '5901234123457' }, { symbology: ']E4', data: '96385074' }]);
  t.ok(frames[0]!.atSec >= before && frames[0]!.atSec <= clock());
  t.match(s.health(), { frames: 2, opens: 1, disconnects: 0, lastError: null });
  await s.stop();
  t.equal(s.device.openPorts, 0, 'the port is closed at stop');
});

t.test('a line without suffix is ended by the silence timer', async (t) => {
  const { s, frames } = scanner({ flushGapSec: 0.05 });
  await s.start();
  s.send('4006381333931');
  await until('the flushed frame', () => frames.length === 1);
  t.match(frames, [{ data: '4006381333931', symbology: null }]);
  await s.stop();
});

t.test('unplugged and plugged back: it notices, retries, reopens, and says so', async (t) => {
  const { s, frames, lines } = scanner();
  await s.start();
  s.send('59012341');
  await sleep(10);
  s.device.unplug();
  await until('reconnecting', () => s.health().status === 'reconnecting');
  t.match(s.health(), { disconnects: 1, lastError: /EIO/ });
  await sleep(150); // several failed attempts while unplugged
  t.equal(s.device.openPorts, 0, 'the lost port was closed');
  s.device.plugIn();
  await until('open again', () => s.health().status === 'ok');
  t.match(s.health(), { opens: 2, disconnects: 1, lastError: null });
  t.equal(s.device.openPorts, 1, 'one handle, not two');
  s.send('23457\r5901234123457\r');
  await until('frames after the replug', () => frames.length === 2);
  t.match(frames, [{ data: '23457' }, { data: '5901234123457' }], 'the half line from before the unplug does not join what follows');
  const warnings = lines.filter((l) => l.startsWith('WARN'));
  t.match(warnings, [/scanner line cut off by the disconnect/, /scanner disconnected; reconnecting .*EIO/, /scanner port cannot be opened; retrying .*ENOENT/]);
  t.equal(warnings.length, 3, 'repeated failures are logged quietly');
  t.ok(lines.some((l) => /INFO  scanner port open again .*failedAttempts=\d+/.test(l)));
  await s.stop();
  t.equal(s.device.openPorts, 0);
});

t.test('a scanner absent at start: start resolves, health says reconnecting, it opens once plugged', async (t) => {
  const { s } = scanner();
  s.device.unplug();
  await s.start();
  t.match(s.health(), { status: 'reconnecting', opens: 0, lastError: /ENOENT/ });
  s.device.plugIn();
  await until('open', () => s.health().status === 'ok');
  await s.stop();
  t.equal(s.health().status, 'stopped');
});

t.test('stop while retrying leaves no timer running', async (t) => {
  const { s } = scanner();
  s.device.unplug();
  await s.start();
  await s.stop();
  s.device.plugIn();
  await sleep(150);
  t.equal(s.health().status, 'stopped');
  t.equal(s.device.openPorts, 0, 'no attempt after stop');
});

t.test('good-read and bad-read reach the scanner in its own commands', async (t) => {
  const honeywell = scanner({ family: 'honeywell' });
  await honeywell.s.start();
  await honeywell.s.signal(true);
  await honeywell.s.signal(false);
  t.same([...honeywell.s.device.written], [0x1b, 0x37, 0x2c, 0x1b, 0x38, 0x2c], '[ESC]7, then [ESC]8,');
  await honeywell.s.stop();

  const none = scanner({ family: 'none' });
  await none.s.start();
  await none.s.signal(true);
  t.equal(none.s.device.written.length, 0, '"none" sends nothing');
  await none.s.stop();
});

t.test('a Zebra in SSI mode: BEEP packets out, its ACK packets never reach the framer', async (t) => {
  const { s, frames } = scanner({ family: 'zebra-ssi' });
  await s.start();
  await s.signal(true);
  const beep = [...s.device.written];
  t.same(beep.slice(0, 5), [0x05, 0xe6, 0x04, 0x00, 0x01]);
  const body = beep.slice(0, -2).reduce((a, b) => a + b, 0);
  const checksum = (beep.at(-2)! << 8) | beep.at(-1)!;
  t.equal((body + checksum) % 0x10000, 0, 'the checksum is the two\'s complement of the byte sum');
  const ack = Buffer.from([0x04, 0xd0, 0x00, 0x00, 0xff, 0x2c]); // its checksum holds a printable ','
  s.send(Buffer.concat([ack.subarray(0, 3)]));
  s.send(Buffer.concat([ack.subarray(3), Buffer.from('5901234123457\r')]));
  await until('the frame', () => frames.length === 1);
  t.match(frames, [{ data: '5901234123457' }]);
  await s.stop();
});

t.test('feedback while unplugged is dropped, not thrown', async (t) => {
  const { s } = scanner({ family: 'honeywell' });
  s.device.unplug();
  await s.start();
  await t.resolves(s.signal(true));
  await s.stop();
});

t.test('a listener that throws does not stop the scanner', async (t) => {
  const { s, frames, lines } = scanner();
  let calls = 0;
  s.prependListener('frame', () => {
    if (calls++ === 0) throw new Error('boom');
  });
  await s.start();
  s.send('4006381333931\r96385074\r');
  await until('the next frame', () => frames.length === 1);
  t.match(frames, [{ data: '96385074' }]);
  t.ok(lines.some((l) => /ERROR scanner frame listener failed; the scanner goes on error=boom/.test(l)));
  await s.stop();
});

t.test('the frame event type is what the firmware listens for', async (t) => {
  const { s } = scanner();
  await s.start();
  const got = once(s, 'frame');
  s.send('96385074\n');
  const [frame] = (await got) as [Frame];
  t.equal(frame.data, '96385074');
  await s.stop();
});

t.test('the driver never lists ports (list() spawns udevadm, which may be missing)', async (t) => {
  const device = new SimulatedScannerDevice(`/dev/serial/by-id/usb-Test_Scanner_${nextPath++}-if00`);
  let listed = 0;
  const binding = { ...device.binding, list: async () => (listed++, []) };
  const s = new SerialScanner(
    { path: device.path, baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, family: 'none', maxLength: 64, flushGapSec: 0.1 },
    { binding, clock, log: createLogger(memorySink(), 'test'), retry: { firstSec: 0.02, maxSec: 0.05 } },
  );
  await s.start();
  device.unplug();
  await until('reconnecting', () => s.health().status === 'reconnecting');
  device.plugIn();
  await until('open again', () => s.health().status === 'ok');
  await s.stop();
  t.equal(listed, 0);
});
