// cart-cal in a real terminal, as a technician uses it over SSH: tmux runs
// the cart (the firmware service on the calibration bench) in one window and
// a shell in another. The test reads the screen and types, and where the
// tool asks for a weight it puts it on the bench, as hands would.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { ADDRESSES } from './bench.js';

const run = promisify(execFile);
const root = process.cwd();

async function hasTmux(): Promise<boolean> {
  return run('tmux', ['-V']).then(() => true, () => false);
}

/** The group of this process, so that the service may give the socket to it. */
function ownGroup(): string {
  return readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.split(':')[2] === String(process.getgid!()))!.split(':')[0]!;
}

const skip = (await hasTmux()) ? false : 'tmux is not installed (apt-get install tmux)';

t.test('a technician watches the scale live, calibrates with 5 kg, drops the SSH session mid-zero, and reads the history', { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cart-cal-tmux-'));
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify({
    cart: { id: 'cart-tmux', storeId: 'bench-store' },
    databasePath: join(dir, 'cart.db'),
    scale: { board: 'simulated', addresses: ADDRESSES, rateHz: 25 },
    calibration: { socketPath: join(dir, 'control.sock'), socketGroup: ownGroup() },
    mqtt: { url: 'mqtt://127.0.0.1:9', storePublicKeyPath: join(dir, 'none.pem') },
  }));
  const server = `cart-cal-${process.pid}`;
  const tmux = async (...args: string[]) => (await run('tmux', ['-L', server, '-f', '/dev/null', ...args])).stdout;
  t.teardown(() => tmux('kill-server').catch(() => {}));
  const screen = (target: string) => tmux('capture-pane', '-p', '-J', '-S', '-300', '-t', target);
  const waitFor = async (target: string, pattern: RegExp, what: string): Promise<string> => {
    for (let i = 0; i < 600; i++) {
      const text = await screen(target);
      if (pattern.test(text)) return text;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`the screen of ${target} never showed ${what}:\n${await screen(target)}`);
  };
  const type = (target: string, text: string) => tmux('send-keys', '-t', target, '-l', text).then(() => tmux('send-keys', '-t', target, 'Enter'));

  await tmux('new-session', '-d', '-s', 'cal', '-x', '150', '-y', '45', '-c', root, `node --import tsx test/calibration/bench-service.ts ${configPath}`);
  await waitFor('cal:0', /bench ready/, 'the cart starting');
  // The technician's SSH login: a plain shell, no UTF-8 locale, the tool on the path.
  const shell = async (name: string) => {
    await tmux('new-window', '-t', 'cal', '-n', name, '-c', root, 'env LANG=C PS1="$ " bash --norc --noprofile');
    await type(`cal:${name}`, `cart-cal() { node --import tsx ${root}/calibration/cli.ts --config ${configPath} "$@"; }`);
  };

  // Live: the screen is redrawn in place, not scrolled.
  await shell('tech');
  await type('cal:tech', 'cart-cal live');
  const live = await waitFor('cal:tech', /state stable .*load cells ok \(fl ok, fr ok, rl ok, rr ok\)[\s\S]*total, last 10 s:[\s\S]*Ctrl-C leaves/, 'a live screen at rest');
  t.match(live, /cart cart-tmux {2}via service/);
  t.match(live, /motion no/);
  await type('cal:0', 'put 5000 centre');
  await waitFor('cal:tech', /state (settling|moving)/, 'the load arriving');
  await waitFor('cal:tech', /state stable/, 'the load at rest');
  const after = await screen('cal:tech');
  t.equal(after.match(/cart cart-tmux {2}via service/g)?.length, 1, 'one frame, redrawn in place');
  t.match(after, /#/, 'the trace drawn in ASCII');
  await type('cal:0', 'empty');
  // span refuses a cart in motion: it starts once the emptied basket is at rest again.
  await waitFor('cal:tech', /state (settling|moving)/, 'the load leaving');
  await waitFor('cal:tech', /state stable/, 'the empty basket at rest');
  await tmux('send-keys', '-t', 'cal:tech', 'C-c');
  await type('cal:tech', 'echo "live exit=$?"');
  await waitFor('cal:tech', /live exit=0/, 'live leaving on Ctrl-C with 0');

  // Span: the tool says where the weight goes, the technician puts it there.
  await type('cal:tech', 'clear; cart-cal span --grams 5000 --weights "F1 5 kg, cert 17" --technician alice --settle-sec 1');
  const actions: Record<string, string> = {
    'Empty the basket': 'empty',
    'in the middle of the basket': 'put 5000 centre',
    'front-left corner': 'put 5000 corner fl',
    'front-right corner': 'put 5000 corner fr',
    'rear-left corner': 'put 5000 corner rl',
    'rear-right corner': 'put 5000 corner rr',
  };
  for (let step = 1; step <= 6; step++) {
    const text = await waitFor('cal:tech', new RegExp(`Step ${step}/7 \\(span\\)`), `span step ${step}`);
    const line = text.split('\n').find((l) => l.includes(`Step ${step}/7`))!;
    const action = Object.entries(actions).find(([words]) => line.includes(words));
    if (!action) throw new Error(`no hands for: ${line}`);
    await type('cal:0', action[1]);
  }
  await waitFor('cal:tech', /Store this calibration\? \[y\/N\]/, 'the question');
  await waitFor('cal:0', /maintenance started; no shopping session can start technician=alice/, 'the cart in maintenance');
  await type('cal:tech', 'y');
  await waitFor('cal:tech', /Step 7\/7 \(span\) {2}Empty the basket/, 'the last step');
  await type('cal:0', 'empty');
  await waitFor('cal:tech', /Calibration stored: calibration counter 1/, 'the calibration stored');
  await type('cal:tech', 'echo "span exit=$?"');
  const span = await waitFor('cal:tech', /span exit=0/, 'span ending with 0');
  t.match(span, /centre: the new calibration reads (4999|5000)\.\d\d g \(residual -?\d\.\d\d g, allowed ±1\.67 g\)/);
  await waitFor('cal:0', /maintenance ended; shopping may start again technician=alice why=released/, 'the cart given back');

  // The SSH session drops while the tool waits for an answer: the cart must not stay in maintenance.
  await shell('dropped');
  await type('cal:dropped', 'cart-cal zero --technician bob');
  await waitFor('cal:dropped', /Store this zero\? \[y\/N\]/, 'the zero question');
  await waitFor('cal:0', /maintenance started; no shopping session can start technician=bob/, 'bob holding the cart');
  await tmux('kill-window', '-t', 'cal:dropped');
  await waitFor('cal:0', /maintenance ended; shopping may start again technician=bob/, 'the cart given back after the drop');

  await type('cal:tech', 'clear; cart-cal history');
  const history = await waitFor('cal:tech', /Sealing counters: calibration 1, configuration 0[\s\S]*#\d+ {2}calibration 1 {2}span {2}by alice/, 'the history');
  t.match(history, /with 5000 g \(F1 5 kg, cert 17\): residuals/);
});
