// The health verdict: what makes the cart unfit to shop, and what is only a warning.
import t from 'tap';
import { assessFitness, devicesFit, formatReport, type FitnessContext, type HealthSnapshot } from '../../firmware/health.js';

const snapshot = (over: Partial<HealthSnapshot> = {}): HealthSnapshot => ({
  state: 'running', pid: 4242, version: '0.1.0', writtenAt: '2026-01-01T10:00:00.000Z', runSec: 3600,
  devices: [{ device: 'load-cells', status: 'ok' }, { device: 'scanner', status: 'ok' }, { device: 'feedback', status: 'ok' }],
  link: { status: 'online', lastSyncAgoSec: 2, plainText: false }, outboxDepth: 0, basket: { lines: 3, openAlerts: 0 }, maintenanceBy: null,
  ...over,
});
const ctx = (over: Partial<FitnessContext> = {}): FitnessContext => ({ ageSec: 1, staleAfterSec: 15, diskFreeMb: 5000, minFreeDiskMb: 200, path: '/run/cart-firmware/health.json', ...over });

t.test('all well: fit, nothing to report', async (t) => {
  t.same(assessFitness(snapshot(), ctx()), { fit: true, problems: [], warnings: [] });
});

t.test('the store link down is a warning: shopping goes on offline', async (t) => {
  const v = assessFitness(snapshot({ link: { status: 'offline', lastSyncAgoSec: 600, plainText: false }, outboxDepth: 12 }), ctx());
  t.equal(v.fit, true);
  t.same(v.warnings, ['store link offline; 12 messages wait in the outbox']);
});

t.test('a store link without TLS on a cart is a warning in the verdict and in the report', async (t) => {
  const plain = snapshot({ link: { status: 'online', lastSyncAgoSec: 2, plainText: true } });
  const v = assessFitness(plain, ctx());
  t.equal(v.fit, true, 'shopping goes on');
  t.match(v.warnings, [/store link without TLS: baskets cross the network readable/]);
  t.match(formatReport(plain, ctx(), v), /store link  online, WITHOUT TLS, last sync/);
});

t.test('a failed scale or scanner makes the cart unfit; failed feedback or a degraded scale only warns', async (t) => {
  const failedScanner = snapshot({ devices: [{ device: 'load-cells', status: 'warning', detail: 'failed: rr' }, { device: 'scanner', status: 'failed', detail: 'reconnecting: ENOENT' }, { device: 'feedback', status: 'warning', detail: 'help button stuck' }] });
  const v = assessFitness(failedScanner, ctx());
  t.equal(v.fit, false);
  t.same(v.problems, ['scanner failed: reconnecting: ENOENT']);
  t.same(v.warnings, ['load-cells warning: failed: rr', 'feedback warning: help button stuck']);
  t.equal(devicesFit(failedScanner.devices), false);
  t.equal(devicesFit([{ device: 'feedback', status: 'failed' }]), true, 'the light is not a reason to stop shopping');
});

t.test('no file, a stopped service or a stale file: unfit, each said plainly', async (t) => {
  t.match(assessFitness(null, ctx({ ageSec: null })).problems, [/no health file at \/run\/cart-firmware\/health.json: the service is not running/]);
  t.match(assessFitness(snapshot({ state: 'stopped' }), ctx()).problems, [/the service stopped at 2026-01-01T10:00:00.000Z/]);
  t.match(assessFitness(snapshot(), ctx({ ageSec: 40 })).problems, [/last wrote its health 40 s ago: it is hung or was killed/]);
});

t.test('a technician calibrating with cart-cal: unfit, and who', async (t) => {
  t.same(assessFitness(snapshot({ maintenanceBy: 'anna' }), ctx()).problems, ['in maintenance: anna holds the scale with cart-cal']);
});

t.test('too little disk beside the database: unfit', async (t) => {
  const v = assessFitness(snapshot(), ctx({ diskFreeMb: 150 }));
  t.equal(v.fit, false);
  t.match(v.problems, [/only 150 MB free beside the database \(at least 200 MB needed/]);
});

t.test('the report lists every device, the link, the outbox, the basket and the disk', async (t) => {
  const text = formatReport(snapshot({ outboxDepth: 4 }), ctx(), { fit: true, problems: [], warnings: [] });
  t.equal(text, [
    'cart FIT TO SHOP',
    '  service     running, pid 4242, version 0.1.0, up 60 min, health written 1 s ago',
    '  load-cells  ok',
    '  scanner     ok',
    '  feedback    ok',
    '  store link  online, last sync 3 s ago',
    '  outbox      4 messages',
    '  basket      3 lines, 0 open alerts',
    '  disk        5000 MB free beside the database (at least 200 MB)',
  ].join('\n'));
});

t.test('the health file is written whole, again and again, and a snapshot that fails is logged once, not thrown', async (t) => {
  const { HealthFile } = await import('../../firmware/health.js');
  const { createLogger, memorySink } = await import('../../firmware/log.js');
  const { readFileSync } = await import('node:fs');
  const path = `${t.testdir({})}/health.json`;
  const sink = memorySink();
  let broken = false;
  const file = new HealthFile(path, 1, (state) => {
    if (broken) throw new Error('SQLITE_IOERR: disk I/O error');
    return snapshot({ state });
  }, createLogger(sink, 'health'));
  file.start();
  await file.stop();
  t.match(JSON.parse(readFileSync(path, 'utf8')), { state: 'stopped', pid: 4242 });
  broken = true;
  file.start();
  await file.stop();
  t.equal(sink.lines.filter((l) => /WARN  health cannot write the health file.*SQLITE_IOERR/.test(l)).length, 1);
  t.match(JSON.parse(readFileSync(path, 'utf8')), { state: 'stopped' }, 'the last good file stays');
});
