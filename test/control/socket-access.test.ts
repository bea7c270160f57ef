// The control socket's group under the shipped unit: SystemCallFilter=
// ~@privileged makes every chown fail with EPERM (SystemCallErrorNumber=), so
// the technicians' group must reach the socket without one. Here chown is
// made to fail exactly so, at the node:fs boundary.
import { chmodSync, chownSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { createLogger, memorySink } from '../../firmware/log.js';

const techGid = 4242;

async function socketAccessUnderFilter(t: Test) {
  const refuse = async () => {
    throw Object.assign(new Error('EPERM: operation not permitted, chown'), { code: 'EPERM' });
  };
  return t.mockImport<typeof import('../../firmware/control/socket-access.js')>('../../firmware/control/socket-access.js', {
    'node:fs/promises': { ...fsPromises, chown: refuse, lchown: refuse, fchown: refuse },
  });
}

async function listenIn(t: Test, dir: string): Promise<string> {
  const path = join(dir, 'control.sock');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return path;
}

const notRoot = process.getuid?.() !== 0 && 'needs root, to give a folder a group this process is not in';

t.test('in a set-group-ID folder of the technicians\' group the socket is theirs, read-write, with chown refused', { skip: notRoot }, async (t) => {
  const { restrictToGroup } = await socketAccessUnderFilter(t);
  const dir = mkdtempSync(join(tmpdir(), 'cart-socket-'));
  // What systemd-tmpfiles makes of "d /run/cart-firmware 2755 cart-firmware cart-tech".
  chownSync(dir, process.getuid!(), techGid);
  chmodSync(dir, 0o2755);
  writeFileSync(join(dir, 'group'), `root:x:0:\ncart-tech:x:${techGid}:alice\n`);
  const path = await listenIn(t, dir);
  const sink = memorySink();
  await restrictToGroup(path, 'cart-tech', createLogger(sink, 'control'), join(dir, 'group'));
  const stat = statSync(path);
  t.equal(stat.gid, techGid, 'the group came from the folder');
  t.equal(stat.mode & 0o777, 0o660, 'technicians may connect');
  t.same(sink.lines.filter((l) => l.startsWith('ERROR')), [], 'nothing went wrong');
});

t.test('a folder that does not hand on the group leaves the socket to the service alone, and the log says how to fix it', { skip: notRoot }, async (t) => {
  const { restrictToGroup } = await socketAccessUnderFilter(t);
  const dir = mkdtempSync(join(tmpdir(), 'cart-socket-'));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'group'), `root:x:0:\ncart-tech:x:${techGid}:alice\n`);
  const path = await listenIn(t, dir);
  const sink = memorySink();
  await restrictToGroup(path, 'cart-tech', createLogger(sink, 'control'), join(dir, 'group'));
  t.equal(statSync(path).mode & 0o777, 0o600, 'closed to all but the service');
  t.match(sink.lines.join('\n'), /ERROR +control control socket is not in the technicians' group.*set-group-ID.*group=cart-tech gid=4242/);
});
