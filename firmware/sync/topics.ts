// The topic tree shared by a store and its carts, and who may publish where.
// One table says it, so that the link, the store simulator, the AsyncAPI file
// and the broker's ACL cannot disagree.
//
//   store/{storeId}/time                      store → carts  signed wall-clock beacon
//   store/{storeId}/catalog                   store → carts  signed catalog, full or delta
//   store/{storeId}/cart/{cartId}/status      cart → store   retained birth / last will
//   store/{storeId}/cart/{cartId}/events      cart → store   the cart's sequenced messages, from the outbox
//   store/{storeId}/cart/{cartId}/snapshot    cart → store   retained basket as of a sequence number
//   store/{storeId}/cart/{cartId}/telemetry   cart → store   health of the cart and its devices
//   store/{storeId}/cart/{cartId}/catalog/request  cart → store  "send me the full catalog"
//   store/{storeId}/cart/{cartId}/command     store → cart   signed command
//   store/{storeId}/cart/{cartId}/catalog     store → cart   signed catalog for this cart alone

export type CartLeaf = 'status' | 'events' | 'snapshot' | 'telemetry' | 'catalog/request' | 'command' | 'catalog';
export type StoreLeaf = 'time' | 'catalog';

/** Leaves the cart publishes; the rest of CartLeaf it only receives. */
export const cartPublishes: readonly CartLeaf[] = ['status', 'events', 'snapshot', 'telemetry', 'catalog/request'];
export const cartReceives: readonly CartLeaf[] = ['command', 'catalog'];
export const storeBroadcasts: readonly StoreLeaf[] = ['time', 'catalog'];

export function cartTopic(storeId: string, cartId: string, leaf: CartLeaf): string {
  return `store/${storeId}/cart/${cartId}/${leaf}`;
}

export function storeTopic(storeId: string, leaf: StoreLeaf): string {
  return `store/${storeId}/${leaf}`;
}

/** What an inbound topic means to this cart; null for a topic it has no business receiving. */
export type InboundKind = 'command' | 'catalog' | 'time' | 'snapshot';

export function inboundKind(storeId: string, cartId: string, topic: string): InboundKind | null {
  if (topic === cartTopic(storeId, cartId, 'command')) return 'command';
  if (topic === cartTopic(storeId, cartId, 'catalog') || topic === storeTopic(storeId, 'catalog')) return 'catalog';
  if (topic === storeTopic(storeId, 'time')) return 'time';
  if (topic === cartTopic(storeId, cartId, 'snapshot')) return 'snapshot';
  return null;
}

/** Splits a cart topic as the store sees it: `store/{storeId}/cart/{cartId}/{leaf}`. */
export function parseCartTopic(topic: string): { storeId: string; cartId: string; leaf: string } | null {
  const m = /^store\/([^/]+)\/cart\/([^/]+)\/(.+)$/.exec(topic);
  return m ? { storeId: m[1]!, cartId: m[2]!, leaf: m[3]! } : null;
}

/**
 * A mosquitto ACL for one store's broker. Carts authenticate with a client
 * certificate whose CN is the cart id; with `use_identity_as_username true`
 * and `use_username_as_clientid true` the broker makes that name both the
 * username (%u) and the client id, so a cart cannot claim another's topics.
 * The store service's certificate CN is `storeUser`.
 */
export function mosquittoAcl(storeId: string, storeUser: string): string {
  const lines = [
    `# Store service of ${storeId}: reads every cart, commands them, broadcasts time and catalogs.`,
    `user ${storeUser}`,
    ...cartPublishes.map((leaf) => `topic read ${cartTopic(storeId, '+', leaf)}`),
    ...cartReceives.map((leaf) => `topic write ${cartTopic(storeId, '+', leaf)}`),
    ...storeBroadcasts.map((leaf) => `topic write ${storeTopic(storeId, leaf)}`),
    '',
    '# Every cart (%u = the CN of its certificate = its cart id = its client id): its own topics only.',
    ...cartPublishes.map((leaf) => `pattern write ${cartTopic(storeId, '%u', leaf)}`),
    ...cartReceives.map((leaf) => `pattern read ${cartTopic(storeId, '%u', leaf)}`),
    ...storeBroadcasts.map((leaf) => `pattern read ${storeTopic(storeId, leaf)}`),
    '# A cart that lost its database reads back its own last snapshot.',
    `pattern read ${cartTopic(storeId, '%u', 'snapshot')}`,
  ];
  return lines.join('\n') + '\n';
}
