// The cart's identity file: a start counter that survives a replaced
// database, a new epoch only when the file itself is gone or unreadable.
import t from 'tap';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, memorySink } from '../../firmware/log.js';
import { identityFileName, startIdentity } from '../../firmware/sync/identity.js';

t.test('each start counts up in the same epoch; a lost or garbled file begins a new epoch at 1, and says so', async (t) => {
  const dir = t.testdir({});
  const sink = memorySink();
  const log = createLogger(sink, 'sync');
  const first = startIdentity(dir, log);
  t.match(first, { epoch: /^[0-9a-f]{16}$/, start: 1 });
  t.same(startIdentity(dir, log), { epoch: first.epoch, start: 2 });
  t.same(JSON.parse(readFileSync(join(dir, identityFileName), 'utf8')), { epoch: first.epoch, start: 2 }, 'kept on disk');

  writeFileSync(join(dir, identityFileName), '{"epoch": "zz", "start": 3');
  const garbled = startIdentity(dir, log);
  t.not(garbled.epoch, first.epoch);
  t.equal(garbled.start, 1);
  t.match(sink.lines.join('\n'), /ERROR sync cart identity file unreadable; a new epoch begins/);

  rmSync(join(dir, identityFileName));
  const lost = startIdentity(dir, log);
  t.not(lost.epoch, garbled.epoch);
  t.equal(lost.start, 1);
});
