// Store signatures: Ed25519 (Node's crypto) over the RFC 8785 canonical JSON
// of a message without its `sig` field. Canonical JSON makes the signed bytes
// independent of how the sender ordered keys or spaced its output, so a store
// written in another language can sign the same way, and the payload stays
// plain JSON that the schemas can describe.
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * RFC 8785 (JCS) for the JSON this protocol carries: object keys sorted by
 * UTF-16 code units, no whitespace, strings and numbers as ECMAScript
 * serialises them (which is what JCS specifies).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}

function signedBytes(message: Record<string, unknown>): Buffer {
  const { sig: _sig, ...rest } = message;
  return Buffer.from(canonicalJson(rest), 'utf8');
}

/** The message with its `sig` added: what the store sends. */
export function signMessage<M extends object>(message: M, privateKey: KeyObject): M & { sig: string } {
  const sig = sign(null, signedBytes(message as Record<string, unknown>), privateKey).toString('base64');
  return { ...message, sig };
}

/** True when `sig` is the store's signature over the rest of the message. */
export function verifyMessage(message: Record<string, unknown>, publicKey: KeyObject): boolean {
  if (typeof message.sig !== 'string') return false;
  try {
    return verify(null, signedBytes(message), publicKey, Buffer.from(message.sig, 'base64'));
  } catch {
    return false;
  }
}

/** Reads the store's public key from PEM; throws with the reason when it is not an Ed25519 key. */
export function parseStorePublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the store key is ${key.asymmetricKeyType ?? 'unknown'}, not ed25519`);
  return key;
}
