// asyncapi.yaml at the root of the repo is generated from here: the channels
// from the topic tree (topics.ts), the payloads from the TypeBox schemas
// (schemas.ts), so the document cannot drift from the code. A test checks
// that the file on disk is what this makes.
//
//   npx tsx firmware/sync/asyncapi.ts asyncapi.yaml
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { TSchema } from '@sinclair/typebox';
import {
  BasketSnapshot, CartEvent, CartStatus, CatalogRequest, CatalogUpdate, Command, Telemetry, TimeBeacon,
} from './schemas.js';
import { cartTopic, storeTopic } from './topics.js';

interface ChannelSpec {
  id: string;
  address: string;
  /** From the cart's side: send = the cart publishes, receive = the cart subscribes. */
  action: 'send' | 'receive';
  qos: 0 | 1;
  retain: boolean;
  message: string;
  schema: TSchema;
  summary: string;
  /** The cart also subscribes to this channel of its own, when and why. */
  readBack?: string;
}

const cart = (leaf: Parameters<typeof cartTopic>[2]) => cartTopic('{storeId}', '{cartId}', leaf);
const store = (leaf: Parameters<typeof storeTopic>[1]) => storeTopic('{storeId}', leaf);

const channelSpecs: ChannelSpec[] = [
  {
    id: 'cartStatus', address: cart('status'), action: 'send', qos: 1, retain: true, message: 'cartStatus', schema: CartStatus,
    summary: 'Birth on every connect (boot counter, connection number, firmware, stream, catalog version) and the last will that marks the cart offline. Retained.',
  },
  {
    id: 'cartEvents', address: cart('events'), action: 'send', qos: 1, retain: false, message: 'cartEvent', schema: CartEvent,
    summary: 'Every basket change and alert, and every command result, from the SQLite outbox in order. Each carries the stream, a consecutive seq and a unique id; the store drops repeats by (stream, seq). The outbox row is deleted only on PUBACK.',
  },
  {
    id: 'basketSnapshot', address: cart('snapshot'), action: 'send', qos: 1, retain: true, message: 'basketSnapshot', schema: BasketSnapshot,
    summary: 'The basket, session and lock as of the seq it names; sent when the outbox has drained and on state.request. Retained, so that a store service can resynchronise.',
    readBack: 'A cart that started from a new database (its old one was damaged) subscribes to its own snapshot before it publishes one, takes back the basket of the retained snapshot of its old stream, then unsubscribes. The ACL lets each cart read its own snapshot.',
  },
  {
    id: 'cartTelemetry', address: cart('telemetry'), action: 'send', qos: 1, retain: false, message: 'telemetry', schema: Telemetry,
    summary: 'Health of the cart and its devices, at an interval and on a change of state. Queued while offline, thinned beyond its bound.',
  },
  {
    id: 'catalogRequest', address: cart('catalog/request'), action: 'send', qos: 1, retain: false, message: 'catalogRequest', schema: CatalogRequest,
    summary: 'The cart cannot apply a delta on the version it holds and asks for a full catalog on its own catalog channel.',
  },
  {
    id: 'cartCommand', address: cart('command'), action: 'receive', qos: 1, retain: false, message: 'command', schema: Command,
    summary: 'A signed command for one cart. Sent with an MQTT 5 message expiry equal to its lifetime. The result comes back on the events channel.',
  },
  {
    id: 'cartCatalog', address: cart('catalog'), action: 'receive', qos: 1, retain: false, message: 'catalogUpdate', schema: CatalogUpdate,
    summary: 'A signed catalog (full or delta) for one cart: the answer to its birth when it is behind, or to a catalog request.',
  },
  {
    id: 'storeCatalog', address: store('catalog'), action: 'receive', qos: 1, retain: false, message: 'catalogUpdate', schema: CatalogUpdate,
    summary: 'A signed catalog (full or delta) for every cart of the store, when the store changes it.',
  },
  {
    id: 'storeTime', address: store('time'), action: 'receive', qos: 0, retain: false, message: 'timeBeacon', schema: TimeBeacon,
    summary: 'The store\'s wall clock, signed, every 30 s and on each cart birth. QoS 0 and not retained: fresh or not at all.',
  },
];

/** Plain JSON: TypeBox keeps its bookkeeping in symbol keys, which JSON leaves out. */
const plain = (schema: TSchema): unknown => JSON.parse(JSON.stringify(schema));

const schemaName = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);

export function asyncApiDocument(): Record<string, unknown> {
  const messages: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const c of channelSpecs) {
    const name = schemaName(c.message);
    schemas[name] = plain(c.schema);
    messages[c.message] = { name: c.message, title: (c.schema.title as string | undefined) ?? name, contentType: 'application/json', payload: { $ref: `#/components/schemas/${name}` } };
    const params = c.address.includes('{cartId}') ? ['storeId', 'cartId'] : ['storeId'];
    channels[c.id] = {
      address: c.address,
      description: c.summary,
      parameters: Object.fromEntries(params.map((p) => [p, { $ref: `#/components/parameters/${p}` }])),
      messages: { [c.message]: { $ref: `#/components/messages/${c.message}` } },
    };
    operations[`${c.action}${c.id.charAt(0).toUpperCase()}${c.id.slice(1)}`] = {
      action: c.action,
      channel: { $ref: `#/channels/${c.id}` },
      summary: c.summary,
      messages: [{ $ref: `#/channels/${c.id}/messages/${c.message}` }],
      bindings: { mqtt: { qos: c.qos, retain: c.retain, bindingVersion: '0.2.0' } },
    };
    if (c.readBack) {
      operations[`readBack${c.id.charAt(0).toUpperCase()}${c.id.slice(1)}`] = {
        action: 'receive',
        channel: { $ref: `#/channels/${c.id}` },
        summary: c.readBack,
        messages: [{ $ref: `#/channels/${c.id}/messages/${c.message}` }],
        bindings: { mqtt: { qos: c.qos, bindingVersion: '0.2.0' } },
      };
    }
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Smart cart store protocol',
      version: '1.0.0',
      description: [
        'MQTT between a store and its smart carts, described from the cart\'s side (send = the cart publishes).',
        'Generated from firmware/sync/schemas.ts and firmware/sync/topics.ts; do not edit by hand.',
        'docs/store-protocol.md explains the guarantees: ordering, exactly-once in effect, signatures, expiry and replay, faults.',
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      storeBroker: {
        host: 'broker.store.local:8883',
        protocol: 'secure-mqtt',
        protocolVersion: '5',
        description: 'The store\'s broker. Client id = cart id; clean start false with a session expiry (mqtt.sessionExpirySec).',
        security: [{ $ref: '#/components/securitySchemes/cartCertificate' }],
      },
    },
    channels,
    operations,
    components: {
      parameters: {
        storeId: { description: 'The store: config cart.storeId ([A-Za-z0-9_-]{1,64}).' },
        cartId: { description: 'The cart: config cart.id, also its MQTT client id and the CN of its certificate ([A-Za-z0-9_-]{1,64}).' },
      },
      messages,
      schemas,
      securitySchemes: {
        cartCertificate: {
          type: 'X509',
          description: 'TLS client certificate per cart (CN = cart id); the broker maps it to username and client id, and its ACL confines the cart to its own topics.',
        },
      },
    },
  };
}

// ---- a small YAML writer for plain JSON data ---------------------------------

const plainKey = /^[A-Za-z_$][A-Za-z0-9_.$-]*$/;

function inline(v: unknown): string | null {
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return String(v);
  // A double-quoted YAML scalar takes JSON's escapes.
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v) && v.length === 0) return '[]';
  if (typeof v === 'object' && Object.keys(v as object).length === 0) return '{}';
  return null;
}

function block(v: unknown, indent: string): string[] {
  if (Array.isArray(v)) {
    return v.flatMap((item) => {
      const s = inline(item);
      if (s !== null) return [`${indent}- ${s}`];
      const inner = block(item, `${indent}  `);
      inner[0] = `${indent}- ${inner[0]!.slice(indent.length + 2)}`;
      return inner;
    });
  }
  return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => {
    const key = plainKey.test(k) ? k : JSON.stringify(k);
    const s = inline(x);
    return s !== null ? [`${indent}${key}: ${s}`] : [`${indent}${key}:`, ...block(x, `${indent}  `)];
  });
}

export function toYaml(v: Record<string, unknown>): string {
  return `# Generated by firmware/sync/asyncapi.ts; do not edit by hand.\n${block(v, '').join('\n')}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: asyncapi.ts OUTPUT.yaml');
  writeFileSync(out, toYaml(asyncApiDocument()));
}
