// Store signatures: Ed25519 over RFC 8785 canonical JSON.
import t from 'tap';
import { generateKeyPairSync } from 'node:crypto';
import { canonicalJson, parseStorePublicKey, signMessage, verifyMessage } from '../../firmware/sync/signing.js';

t.test('canonical JSON is RFC 8785: the example of the RFC, byte for byte', async (t) => {
  // RFC 8785 section 3.2.2, the sample input and its canonical form.
  const input = '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}';
  const expected = '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}';
  t.equal(canonicalJson(JSON.parse(input)), expected);
  t.equal(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: 'x' } }), '{"a":{"c":"x","d":[1,{"e":3,"f":2}]},"b":1}', 'keys sorted at every depth');
  t.throws(() => canonicalJson({ a: Number.NaN }));
});

t.test('a signed message verifies whatever the key order or spacing it travelled in, and not once changed', async (t) => {
  const store = generateKeyPairSync('ed25519');
  const signed = signMessage({ v: 1, storeTimeMs: 1_790_000_000_000, note: 'é' }, store.privateKey);
  t.match(signed.sig, /^[A-Za-z0-9+/]{86}==$/);
  const travelled = JSON.parse(JSON.stringify({ sig: signed.sig, note: signed.note, storeTimeMs: signed.storeTimeMs, v: 1 }, null, 2)) as Record<string, unknown>;
  t.ok(verifyMessage(travelled, store.publicKey));
  t.notOk(verifyMessage({ ...travelled, storeTimeMs: 1_790_000_000_001 }, store.publicKey), 'a changed value');
  t.notOk(verifyMessage({ ...travelled, extra: true }, store.publicKey), 'an added field');
  t.notOk(verifyMessage({ ...travelled, sig: undefined }, store.publicKey), 'no signature');
  t.notOk(verifyMessage({ ...travelled, sig: 'AAAA' }, store.publicKey), 'a signature of the wrong length');
  t.notOk(verifyMessage(travelled, generateKeyPairSync('ed25519').publicKey), 'another key');
});

t.test('the store key must be Ed25519', async (t) => {
  const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
  t.equal(parseStorePublicKey(ed).asymmetricKeyType, 'ed25519');
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  t.throws(() => parseStorePublicKey(ec), /not ed25519/);
  t.throws(() => parseStorePublicKey('not a key'));
});
