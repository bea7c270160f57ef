// A fake systemd notify socket: a Unix datagram socket in a temp folder that
// the test listens on, keeping each message with the time it came. The folder
// is a short one of its own: a socket path longer than 107 bytes would be cut
// short by the kernel's sun_path, and two tests could meet on the stump.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSocket } from 'unix-dgram';

export interface Received {
  atMs: number;
  fields: Record<string, string>;
}

export interface FakeSystemd {
  path: string;
  messages: Received[];
  /** Resolves with the first message (from now on or already received) that has this key. */
  next(key: string, timeoutMs?: number): Promise<Received>;
  close(): void;
}

export function fakeSystemd(): FakeSystemd {
  const dir = mkdtempSync(join(tmpdir(), 'notify-'));
  const path = join(dir, 'notify.sock');
  const messages: Received[] = [];
  const waiters: { key: string; resolve: (r: Received) => void }[] = [];
  const socket = createSocket('unix_dgram', (buf) => {
    const fields = Object.fromEntries(buf.toString('utf8').split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const r = { atMs: performance.now(), fields };
    messages.push(r);
    for (const w of waiters.splice(0)) {
      if (w.key in fields) w.resolve(r);
      else waiters.push(w);
    }
  });
  socket.bind(path);
  return {
    path,
    messages,
    next(key, timeoutMs = 30_000) {
      const had = messages.find((m) => key in m.fields);
      if (had) return Promise.resolve(had);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${key}= message within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ key, resolve: (r) => { clearTimeout(timer); resolve(r); } });
      });
    },
    close() {
      socket.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
