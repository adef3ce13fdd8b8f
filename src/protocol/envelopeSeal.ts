/**
 * End-to-end encryption of point-to-point envelope bodies (DKG round-2 shares, refresh and reshare
 * shares, vault partial decryptions), with forward secrecy.
 *
 * Every participant of a session with direct rounds announces a fresh **session key pair** in a
 * signed *hello* envelope (round 0; see the runner). A direct body is encrypted under
 *
 *     key = HKDF-SHA256( ECDH(sender session secret, recipient session public),
 *                        salt = "cairn/envelope-p2p/v2" ‖ session,
 *                        info = from ‖ to ‖ fromSessionKey ‖ toSessionKey )          (static keys 33 B each)
 *
 * and the session secrets are wiped when the run ends. Static-static ECDH would let anyone who
 * steals a device key later decrypt every share ever sent to it from the (replicated, persisted)
 * log — defeating proactive refresh; with per-session keys, past traffic stays closed.
 * AEAD: XChaCha20-Poly1305, a fresh random 24-byte nonce per message, the envelope header as
 * associated data (a ciphertext moved to another session, round or envelope fails).
 *
 *     body = nonce (24) ‖ ciphertext+tag
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { CairnError } from '../core/index.ts';
import { ByteWriter, hexToBytesStrict, utf8 } from '../device/byteCodec.ts';
import type { DeviceIdentity } from '../device/deviceIdentity.ts';
import { encodeEnvelopeHeader, sealEnvelope, type Envelope, type EnvelopeHeader } from './envelope.ts';

const NONCE_BYTES = 24;
const TAG_BYTES = 16;

export type SessionKeyPair = { readonly secret: Uint8Array; readonly publicKey: Uint8Array };

/** A fresh key pair for one session (the secret lives in memory only, wiped by the runner). */
export function createSessionKeyPair(): SessionKeyPair {
  const secret = secp256k1.utils.randomSecretKey();
  return { secret, publicKey: secp256k1.getPublicKey(secret, true) };
}

/** Parses a hello body (a session public key); throws `MALFORMED` naming `from`. */
export function parseSessionPublicKey(body: Uint8Array, from: string): Uint8Array {
  try {
    if (body.length !== 33) throw new Error('length');
    secp256k1.Point.fromBytes(body).assertValidity();
    return body.slice();
  } catch {
    throw new CairnError('MALFORMED', 'Session key announcement is not a curve point', { culprits: [from] });
  }
}

/** The key of direct messages `from` → `to` in `session` (both sides derive the same). */
export function directMessageKey(p: {
  session: Uint8Array;
  from: string;
  to: string;
  fromSessionKey: Uint8Array;
  toSessionKey: Uint8Array;
  /** This device's session secret (it is `from` or `to`). */
  mySecret: Uint8Array;
  /** The other side's session public key. */
  peerSessionKey: Uint8Array;
}): Uint8Array {
  const shared = secp256k1.getSharedSecret(p.mySecret, p.peerSessionKey, true);
  const x = shared.slice(1);
  shared.fill(0);
  const salt = new ByteWriter().bytes(utf8('cairn/envelope-p2p/v2')).bytes(p.session).finish();
  const info = new ByteWriter()
    .bytes(hexToBytesStrict(p.from, 'from', 33))
    .bytes(hexToBytesStrict(p.to, 'to', 33))
    .bytes(p.fromSessionKey)
    .bytes(p.toSessionKey)
    .finish();
  const key = hkdf(sha256, x, salt, info, 32);
  x.fill(0);
  return key;
}

/** Encrypts `plaintext` under `key` (from `directMessageKey`) and returns the signed envelope bytes. */
export function sealDirectEnvelope(
  identity: DeviceIdentity,
  header: Omit<EnvelopeHeader, 'v' | 'from' | 'to'> & { to: string },
  key: Uint8Array,
  plaintext: Uint8Array,
  rng: (n: number) => Uint8Array = randomBytes,
): Uint8Array {
  const ad = encodeEnvelopeHeader({ ...header, v: 1, from: identity.publicKey });
  const nonce = rng(NONCE_BYTES);
  const ct = xchacha20poly1305(key, nonce, ad).encrypt(plaintext);
  return sealEnvelope(identity, header, new ByteWriter().bytes(nonce).bytes(ct).finish());
}

/** Decrypts a verified direct envelope. A body that doesn't open is its signer's fault: `DECRYPTION_FAILED` naming `env.from`. */
export function openDirectEnvelope(env: Envelope, key: Uint8Array): Uint8Array {
  if (env.body.length < NONCE_BYTES + TAG_BYTES) throw new CairnError('DECRYPTION_FAILED', 'Encrypted body is too short', { culprits: [env.from] });
  try {
    return xchacha20poly1305(key, env.body.subarray(0, NONCE_BYTES), env.headerBytes).decrypt(env.body.subarray(NONCE_BYTES));
  } catch (cause) {
    throw new CairnError('DECRYPTION_FAILED', 'Encrypted body does not open', { culprits: [env.from], cause });
  }
}
