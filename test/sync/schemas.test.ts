// The one source of truth: asyncapi.yaml is what schemas.ts and topics.ts
// make, the schemas describe the decisions the cart really sends, and the
// broker ACL follows the topic table.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Decision } from '../../firmware/basket/types.js';
import { asyncApiDocument, toYaml } from '../../firmware/sync/asyncapi.js';
import type { BasketEvent } from '../../firmware/sync/schemas.js';
import { mosquittoAcl } from '../../firmware/sync/topics.js';

// Compile-time: every decision the store hears fits the BasketEvent schema once its envelope is added.
type WithoutEnvelope<T> = T extends unknown ? Omit<T, 'v' | 'stream' | 'seq' | 'id' | 'type' | 'boot' | 'logSeq'> : never;
type StoreDecision = Extract<Decision, { kind: BasketEvent['kind'] }>;
const fits = (d: StoreDecision): WithoutEnvelope<BasketEvent> => d;
void fits;

t.test('asyncapi.yaml is generated from the schemas and the topic table, and is up to date', async (t) => {
  const onDisk = readFileSync(fileURLToPath(new URL('../../asyncapi.yaml', import.meta.url)), 'utf8');
  t.equal(onDisk, toYaml(asyncApiDocument()), 'regenerate with: npx tsx firmware/sync/asyncapi.ts asyncapi.yaml');
});

t.test('every reference in the AsyncAPI document resolves, and every channel has its operation', async (t) => {
  const doc = asyncApiDocument();
  const refs: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string') refs.push(x);
        else walk(x);
      }
    }
  };
  walk(doc);
  const resolve = (ref: string) => ref.slice(2).split('/').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], doc);
  t.same(refs.filter((r) => resolve(r) === undefined), [], `${refs.length} references`);
  const channels = Object.keys(doc.channels as object);
  const operations = Object.values(doc.operations as Record<string, { action: string; channel: { $ref: string } }>);
  const operated = new Set(operations.map((o) => o.channel.$ref.split('/').at(-1)));
  t.same([...operated].sort(), [...channels].sort());
  t.ok(operations.some((o) => o.action === 'receive' && o.channel.$ref === '#/channels/basketSnapshot'), 'the cart reading back its own snapshot is an operation too');
});

t.test('the ACL in docs/store-protocol.md is the one mosquittoAcl makes', async (t) => {
  const doc = readFileSync(fileURLToPath(new URL('../../docs/store-protocol.md', import.meta.url)), 'utf8');
  const block = /confines each cart to its own topics by pattern:\n\n```\n([\s\S]*?)```/.exec(doc);
  t.ok(block, 'the ACL block is found');
  const rules = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  t.same(rules(block![1]!), rules(mosquittoAcl('S1', 'store-S1')));
});

t.test('the ACL gives each cart its own topics only, and the store service the rest', async (t) => {
  const acl = mosquittoAcl('S1', 'store-S1');
  t.match(acl, /^user store-S1$/m);
  t.match(acl, /^topic read store\/S1\/cart\/\+\/events$/m);
  t.match(acl, /^topic write store\/S1\/cart\/\+\/command$/m);
  t.match(acl, /^pattern write store\/S1\/cart\/%u\/events$/m);
  t.match(acl, /^pattern read store\/S1\/cart\/%u\/command$/m);
  t.match(acl, /^pattern read store\/S1\/time$/m);
  const cartLines = acl.split('\n').filter((l) => l.startsWith('pattern'));
  t.ok(cartLines.every((l) => l.includes('/cart/%u/') || / store\/S1\/(time|catalog)$/.test(l)), 'no cart pattern reaches another cart');
  t.notOk(cartLines.some((l) => /^pattern write store\/S1\/cart\/%u\/(command|catalog)$/.test(l)), 'a cart cannot write its own commands or catalogs');
  t.notOk(cartLines.some((l) => /^pattern write store\/S1\/(time|catalog)$/.test(l)), 'nor the store\'s broadcasts');
});
