/**
 * The device, net and protocol layers use the core's canonical codec (src/core/encoding.ts):
 * one implementation of every length, range and point check.
 */
import { CairnError } from '../core/errors.ts';

export { ByteReader, ByteWriter, equalBytes, hexToBytesStrict, toHex, utf8 } from '../core/encoding.ts';

// base64url (RFC 4648 §5, no padding): passkey user ids and challenges, and invite links.
const B64URL = /^[A-Za-z0-9_-]*$/;

export function base64urlEncode(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes unpadded base64url; anything else is `MALFORMED`, naming `what`. */
export function base64urlDecode(s: string, what: string): Uint8Array {
  if (!B64URL.test(s) || s.length % 4 === 1) throw new CairnError('MALFORMED', `${what} is not valid base64url`);
  let bin: string;
  try {
    bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  } catch (cause) {
    throw new CairnError('MALFORMED', `${what} is not valid base64url`, { cause });
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
