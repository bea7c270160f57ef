// A cart in its own process, for the test that kills it in the middle of
// delivery: opens the cart in a folder (the same folder again is a restart),
// shops `steps` steps in one go, then keeps the link up until it is killed.
// Prints "online" once the broker has accepted it.
import { readFileSync } from 'node:fs';
import { openCartRig } from './cart-rig.js';
import { until } from './until.js';

const [url, dir, keyPath, stepsArg] = process.argv.slice(2);
if (!url || !dir || !keyPath || !stepsArg) throw new Error('usage: cart-process URL DIR STORE_KEY_PEM STEPS');

const rig = await openCartRig({ url, dir, protocolVersion: 5, storePublicKeyPem: readFileSync(keyPath, 'utf8') });
await until(() => rig.link.status === 'online', 'the broker', 10_000);
process.stdout.write('online\n');
// In one synchronous burst: every event is committed before the first publish goes out.
for (let i = 0; i < Number(stepsArg); i++) rig.shopper.step(i);
process.once('SIGTERM', () => void rig.close().then(() => process.exit(0)));
