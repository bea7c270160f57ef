// When to try the broker again, and what a refused connection means.
//
// Full jitter: after the n-th failure in a row the cart waits a uniformly
// random time in [0, min(max, min * 2^n)]. A store's carts lose the link
// together (an access point reboots) and fail together while it is down; by
// the time it returns their windows have grown and their next attempts are
// spread across the whole window, so the broker sees a trickle of connects,
// not all of them in one second (see test/sync/reconnect.test.ts).

export interface BackoffOptions {
  minBackoffMs: number;
  maxBackoffMs: number;
}

/**
 * `failures`: attempts that failed in a row (0 for the first retry after a
 * lost link). `needsPerson`: the broker refused the cart for a reason that
 * retrying will not fix, so it waits the longest window.
 */
export function reconnectDelayMs(failures: number, o: BackoffOptions, random: () => number, needsPerson = false): number {
  const window = needsPerson ? o.maxBackoffMs : Math.min(o.maxBackoffMs, o.minBackoffMs * 2 ** Math.min(failures, 30));
  return Math.round(random() * window);
}

export interface Refusal {
  /** A person has to change something (certificate, ACL, config); retrying at once will not help. */
  needsPerson: boolean;
  meaning: string;
}

// CONNACK return codes of MQTT 3.1.1 (1-5) and reason codes of MQTT 5 (0x80 and up).
const refusals: Record<number, Refusal> = {
  1: { needsPerson: true, meaning: 'the broker does not speak this MQTT version (mqtt.protocolVersion)' },
  2: { needsPerson: true, meaning: 'the broker rejects this client id (the cart id)' },
  3: { needsPerson: false, meaning: 'the broker is unavailable' },
  4: { needsPerson: true, meaning: 'bad user name or password' },
  5: { needsPerson: true, meaning: 'not authorised: the certificate or the ACL does not admit this cart' },
  0x80: { needsPerson: false, meaning: 'unspecified error' },
  0x81: { needsPerson: true, meaning: 'the broker found the CONNECT malformed' },
  0x82: { needsPerson: true, meaning: 'protocol error' },
  0x83: { needsPerson: false, meaning: 'implementation specific error' },
  0x84: { needsPerson: true, meaning: 'the broker does not speak this MQTT version (mqtt.protocolVersion)' },
  0x85: { needsPerson: true, meaning: 'the broker rejects this client id (the cart id)' },
  0x86: { needsPerson: true, meaning: 'bad user name or password' },
  0x87: { needsPerson: true, meaning: 'not authorised: the certificate or the ACL does not admit this cart' },
  0x88: { needsPerson: false, meaning: 'the broker is unavailable' },
  0x89: { needsPerson: false, meaning: 'the broker is busy' },
  0x8a: { needsPerson: true, meaning: 'this cart is banned by the broker' },
  0x8c: { needsPerson: true, meaning: 'bad authentication method' },
  0x97: { needsPerson: false, meaning: 'quota exceeded' },
  0x9c: { needsPerson: true, meaning: 'the broker says to use another server' },
  0x9d: { needsPerson: true, meaning: 'the broker has moved' },
  0x9f: { needsPerson: false, meaning: 'connection rate exceeded' },
};

export function connackRefusal(code: number): Refusal {
  return refusals[code] ?? { needsPerson: false, meaning: `refused with code ${code}` };
}
