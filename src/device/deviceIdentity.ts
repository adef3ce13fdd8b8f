/**
 * The device identity: one secp256k1 key pair per device, generated on first run. Its compressed
 * public key (33 bytes, lowercase hex) is the guardian's identity in rosters; the core derives the
 * FROST identifier from it, and every log entry and protocol envelope is signed with it.
 *
 * Signature choice: **BIP-340 Schnorr** (noble `schnorr`) over a domain-separated, key-prefixed
 * SHA-256 digest:
 *
 *     digest = SHA-256( "cairn/device-sig/v1" ‖ u16(len(domain)) ‖ domain ‖ pubkey33 ‖ message )
 *
 * - The domain string keeps a signature made for one purpose (a log entry) from being replayed as
 *   another (an envelope).
 * - BIP-340 verifies against the x-only key, which forgets the parity byte. Prefixing the full
 *   33-byte key binds the parity, so a signature by `P` never verifies under `-P` (same x): one
 *   device, one identity string.
 * - Schnorr is non-malleable and its signatures are fixed 64 bytes, which keeps wire formats simple.
 *
 * The secret key never leaves this module's objects except to be sealed by the share store;
 * `toJSON` redacts it so it can't slip into logs.
 */
import { secp256k1, schnorr } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { CairnError, rethrowAs } from '../core/errors.ts';
import { ByteWriter, hexToBytesStrict, toHex, utf8 } from './byteCodec.ts';

export type DeviceIdentity = {
  /** Compressed secp256k1 public key, 33 bytes as lowercase hex: the guardian's identity. */
  readonly publicKey: string;
  /** 32-byte secret key. Plaintext only in memory while the store is unlocked. */
  readonly secretKey: Uint8Array;
  toJSON(): { publicKey: string; secretKey: '<redacted>' };
};

export const DEVICE_SIGNATURE_BYTES = 64;
export const DEVICE_PUBLIC_KEY_BYTES = 33;

/** Generates a fresh device identity (noble's CSPRNG, or an injected `rng` for tests). */
export function createDeviceIdentity(rng?: (n: number) => Uint8Array): DeviceIdentity {
  const secretKey = rng ? secp256k1.utils.randomSecretKey(rng(48)) : secp256k1.utils.randomSecretKey();
  return deviceIdentityFromSecretKey(secretKey);
}

/** Rebuilds an identity from a stored secret key (validates the scalar). */
export function deviceIdentityFromSecretKey(secretKey: Uint8Array): DeviceIdentity {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32 || !secp256k1.utils.isValidSecretKey(secretKey)) {
    throw new CairnError('MALFORMED', 'Device secret key is not a valid secp256k1 scalar');
  }
  const sk = secretKey.slice();
  const publicKey = toHex(secp256k1.getPublicKey(sk, true));
  return Object.freeze({
    publicKey,
    secretKey: sk,
    toJSON: () => ({ publicKey, secretKey: '<redacted>' as const }),
  });
}

/** Parses and validates a device public key (33-byte compressed point, lowercase hex). */
export function parseDevicePublicKey(publicKey: string, field = 'device public key'): Uint8Array {
  const bytes = hexToBytesStrict(publicKey, field, DEVICE_PUBLIC_KEY_BYTES);
  rethrowAs(() => secp256k1.Point.fromBytes(bytes).assertValidity(), 'MALFORMED', `${field} is not a curve point`);
  return bytes;
}

function signatureDigest(publicKey33: Uint8Array, domain: string, message: Uint8Array): Uint8Array {
  const d = utf8(domain);
  const pre = new ByteWriter().bytes(utf8('cairn/device-sig/v1')).var16(d).bytes(publicKey33).bytes(message).finish();
  return sha256(pre);
}

/** Signs `message` for `domain` with the device key: a 64-byte BIP-340 signature. */
export function signWithDevice(identity: DeviceIdentity, domain: string, message: Uint8Array): Uint8Array {
  const pub = hexToBytesStrict(identity.publicKey, 'identity.publicKey', DEVICE_PUBLIC_KEY_BYTES);
  return schnorr.sign(signatureDigest(pub, domain, message), identity.secretKey);
}

/**
 * Verifies a device signature. Returns false (never throws) for a malformed key or signature, so
 * readers can treat every bad input alike and report it.
 */
export function verifyDeviceSignature(publicKey: string, domain: string, message: Uint8Array, sig: Uint8Array): boolean {
  try {
    const pub = parseDevicePublicKey(publicKey);
    if (!(sig instanceof Uint8Array) || sig.length !== DEVICE_SIGNATURE_BYTES) return false;
    return schnorr.verify(sig, signatureDigest(pub, domain, message), pub.subarray(1));
  } catch {
    return false;
  }
}

/**
 * A 32-byte symmetric key shared with `peerPublicKey` (static-static ECDH): HKDF-SHA256 over the
 * shared point's x-coordinate, salted with both public keys in sorted order (so both sides derive
 * the same key) and `context` as HKDF info. The protocol layer should put session, direction and
 * purpose into `context` to get one key per (session, sender → recipient).
 */
export function deviceEcdh(identity: DeviceIdentity, peerPublicKey: string, context: Uint8Array = new Uint8Array()): Uint8Array {
  const peer = parseDevicePublicKey(peerPublicKey, 'peer public key');
  const mine = hexToBytesStrict(identity.publicKey, 'identity.publicKey', DEVICE_PUBLIC_KEY_BYTES);
  const shared = secp256k1.getSharedSecret(identity.secretKey, peer, true);
  const x = shared.slice(1);
  shared.fill(0);
  const [a, b] = identity.publicKey < peerPublicKey ? [mine, peer] : [peer, mine];
  const salt = new ByteWriter().bytes(utf8('cairn/device-ecdh/v1')).bytes(a).bytes(b).finish();
  const key = hkdf(sha256, x, salt, context, 32);
  x.fill(0);
  return key;
}
