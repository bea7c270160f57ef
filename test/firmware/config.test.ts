import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { barcodeConfigOf, ConfigError, loadConfig, parseConfig } from '../../firmware/config.js';

const minimal = { cart: { id: 'cart-7', storeId: 'store-1' } };

t.test('a minimal config gets every default', async (t) => {
  const c = parseConfig(minimal);
  t.equal(c.scale.rateHz, 25, 'a DFRobot board reads at most 25 times a second');
  t.equal(c.basket.scanWindowSec, 20);
  t.equal(c.mqtt.protocolVersion, 5);
  t.equal(c.scale.calibration.length, 4);
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
  t.match(err.message, /scale\.board: Expected one of simulated, dfrobot, m5stack \(got "hx999"\)/);
  t.match(err.message, /scale\.colour: Unexpected property/);
  t.match(err.message, /basket\.fitSigmas: Expected number \(got "four"\)/);
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
