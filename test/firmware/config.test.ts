import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { barcodeConfigOf, ConfigError, loadConfig, parseConfig, simulatedDevicesOf } from '../../firmware/config.js';

const minimal = { cart: { id: 'cart-7', storeId: 'store-1' }, scale: { board: 'dfrobot' } };

t.test('a minimal config gets every default', async (t) => {
  const c = parseConfig(minimal);
  t.equal(c.scale.rateHz, 25, 'a DFRobot board reads at most 25 times a second');
  t.equal(c.basket.scanWindowSec, 20);
  t.equal(c.mqtt.protocolVersion, 5);
  t.equal(c.scale.calibration.length, 4);
});

t.test('no device is simulated unless the config asks: the boards must be named, the scanner is serial, GPIO the character device', async (t) => {
  t.throws(() => parseConfig({ cart: minimal.cart }), { message: /scale\.board: Expected one of dfrobot, m5stack, simulated \(got nothing\)/ }, 'no default board, least of all a simulated one');
  const c = parseConfig(minimal);
  t.equal(c.scanner.kind, 'serial');
  t.equal(c.scanner.path, '/dev/cart-scanner', 'the name the udev rule gives');
  t.same(c.gpio, { backend: 'chardev', chip: '/dev/gpiochip0' });
  t.same(simulatedDevicesOf(c), { loadCells: false, scanner: false });
  const bench = parseConfig({ ...minimal, scale: { board: 'simulated' }, scanner: { kind: 'simulated' }, gpio: { backend: 'simulated' } });
  t.same(simulatedDevicesOf(bench), { loadCells: true, scanner: true }, 'asked for, and so reported');
  t.throws(() => parseConfig({ ...minimal, gpio: { backend: 'mmap', chip: '/dev/mem' } }), { message: /gpio\.backend: Expected one of chardev, sysfs, simulated[\s\S]*gpio\.chip/ });
});

t.test('every wrong key is reported at once, by name, with what was expected', async (t) => {
  const err = t.throws(() => parseConfig({
    cart: { id: 'cart 7' },
    scale: { rateHz: 500, board: 'hx999', colour: 'red' },
    basket: { fitSigmas: 'four' },
  })) as ConfigError;
  t.type(err, ConfigError);
  t.match(err.message, /cart\.storeId: Expected required property/);
  t.match(err.message, /cart\.id: .*pattern|cart\.id: Expected string to match/);
  t.match(err.message, /scale\.rateHz: .*100 \(got 500\)/);
  t.match(err.message, /scale\.board: Expected one of dfrobot, m5stack, simulated \(got "hx999"\)/);
  t.match(err.message, /scale\.colour: Unexpected property/);
  t.match(err.message, /basket\.fitSigmas: Expected number \(got "four"\)/);
});

t.test('the wait for a scan after an item is put in is 2.25 s unless set; a value outside 0-5 s is refused by name', async (t) => {
  t.equal(parseConfig(minimal).basket.scanAfterPlaceSec, 2.25);
  t.equal(parseConfig({ ...minimal, basket: { scanAfterPlaceSec: 3 } }).basket.scanAfterPlaceSec, 3);
  t.throws(() => parseConfig({ ...minimal, basket: { scanAfterPlaceSec: 9 } }), { message: /basket\.scanAfterPlaceSec: Expected number to be less or equal to 5 \(got 9\)/ });
  t.throws(() => parseConfig({ ...minimal, basket: { scanAfterPlaceSec: -1 } }), { message: /basket\.scanAfterPlaceSec: .*0 \(got -1\)/ });
});

t.test('a put-back agrees to 3 sd unless set; a value outside 1-10 is refused by name', async (t) => {
  t.equal(parseConfig(minimal).basket.putBackSigmas, 3);
  t.equal(parseConfig({ ...minimal, basket: { putBackSigmas: 4 } }).basket.putBackSigmas, 4);
  t.throws(() => parseConfig({ ...minimal, basket: { putBackSigmas: 0.5 } }), { message: /basket\.putBackSigmas: .*1 \(got 0\.5\)/ });
  t.throws(() => parseConfig({ ...minimal, basket: { putBackSigmas: 11 } }), { message: /basket\.putBackSigmas: .*10 \(got 11\)/ });
});

t.test('a config that is not there, or not JSON, says so with its path', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cart-config-'));
  t.throws(() => loadConfig(join(dir, 'missing.json')), { message: /cannot read config file .*missing\.json/ });
  writeFileSync(join(dir, 'bad.json'), '{"cart": ');
  t.throws(() => loadConfig(join(dir, 'bad.json')), { message: /bad\.json is not JSON/ });
  writeFileSync(join(dir, 'good.json'), JSON.stringify(minimal));
  t.equal(loadConfig(join(dir, 'good.json')).cart.id, 'cart-7');
});

t.test('parsing does not change the object it is given', async (t) => {
  const input = structuredClone(minimal);
  parseConfig(input);
  t.same(input, minimal);
});

t.test('barcode layouts: the store\'s own first, then the country preset; a bad pattern is named', async (t) => {
  const c = parseConfig({ ...minimal, barcodes: { variableMeasurePreset: 'DE', variableMeasure: [{ name: 'deli', pattern: '21IIIIIVMMMMC', measure: 'priceCents', step: 1 }] } });
  const layouts = barcodeConfigOf(c).variableMeasure.map((l) => l.name);
  t.equal(layouts[0], 'deli');
  t.ok(layouts.includes('DE weight 24'));
  t.same(barcodeConfigOf(parseConfig(minimal)).variableMeasure, [], 'no layout until the store says which');
  t.throws(() => parseConfig({ ...minimal, barcodes: { variableMeasure: [{ name: 'x', pattern: '21XX', measure: 'grams', step: 1 }] } }),
    { message: /barcodes\.variableMeasure\.0\.pattern/ });
});
