// `cart-firmware health` reads its keys of the config without the schema:
// what it reads must be what the service, which checks the whole config with
// the schema, reads from the same file.
import t from 'tap';
import { ConfigError, parseConfig } from '../../firmware/config.js';
import { healthConfigOf } from '../../firmware/health-config.js';

const minimal = { cart: { id: 'cart-7', storeId: 'store-1' }, scale: { board: 'dfrobot' } };
const picked = (c: { databasePath: string; health: { path: string; everySec: number; minFreeDiskMb: number } }) =>
  ({ databasePath: c.databasePath, health: { path: c.health.path, everySec: c.health.everySec, minFreeDiskMb: c.health.minFreeDiskMb } });

t.test('the defaults are the schema\'s', async (t) => {
  t.same(healthConfigOf(minimal), picked(parseConfig(minimal)));
});

t.test('the values given are the ones the schema takes', async (t) => {
  const given = { ...minimal, databasePath: '/data/cart.db', health: { path: '/run/x/health.json', everySec: 60, minFreeDiskMb: 0 } };
  t.same(healthConfigOf(given), picked(parseConfig(given)));
  t.same(healthConfigOf({ ...minimal, health: { everySec: 1 } }).health.everySec, 1);
});

t.test('a value the schema refuses is refused, each wrong key named at once', async (t) => {
  const wrong: [object, RegExp][] = [
    [{ health: { everySec: 0 } }, /health\.everySec: Expected a number from 1 to 60 \(got 0\)/],
    [{ health: { everySec: 61 } }, /health\.everySec: Expected a number from 1 to 60 \(got 61\)/],
    [{ health: { everySec: '5' } }, /health\.everySec: .*\(got "5"\)/],
    [{ health: { minFreeDiskMb: -1 } }, /health\.minFreeDiskMb: Expected a number of at least 0 \(got -1\)/],
    [{ health: { path: '' } }, /health\.path: Expected a string of at least 1 character \(got ""\)/],
    [{ health: null }, /health: Expected an object \(got null\)/],
    [{ databasePath: 7 }, /databasePath: .*\(got 7\)/],
  ];
  const thrown = (f: () => unknown): unknown => {
    try {
      f();
    } catch (err) {
      return err;
    }
    return null;
  };
  for (const [keys, said] of wrong) {
    const config = { ...minimal, ...keys };
    t.type(thrown(() => parseConfig(config)), ConfigError, `the schema refuses ${JSON.stringify(keys)}`);
    const err = thrown(() => healthConfigOf(config));
    t.type(err, ConfigError, `health refuses ${JSON.stringify(keys)}`);
    t.match((err as Error).message, said);
  }
  t.throws(() => healthConfigOf({ ...minimal, databasePath: '', health: { everySec: 0, path: 3 } }),
    { message: /^config is not valid:\n  databasePath: .*\n  health\.path: .*\n  health\.everySec: .*$/ });
  t.throws(() => healthConfigOf([]), { message: /\(top level\): Expected an object/ });
});
