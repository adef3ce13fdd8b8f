/**
 * End-to-end encryption of point-to-point envelope bodies (DKG round-2 shares, refresh shares,
 * repair deltas). Key: `deviceEcdh` between the two device keys with the direction (sender →
 * recipient) as HKDF context, so each direction has its own key. AEAD: XChaCha20-Poly1305 with a
 * fresh random 24-byte nonce per message (random nonces are safe at this size) and the envelope
 * header as associated data, so a ciphertext moved into another session, round or envelope fails.
 *
 *     body = nonce (24) ‖ ciphertext+tag
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { CairnError } from '../core/index.ts';
import { ByteWriter, utf8 } from '../device/byteCodec.ts';
import { deviceEcdh, parseDevicePublicKey, type DeviceIdentity } from '../device/deviceIdentity.ts';
import { encodeEnvelopeHeader, sealEnvelope, type Envelope, type EnvelopeHeader } from './envelope.ts';

const NONCE_BYTES = 24;
const TAG_BYTES = 16;

function directionKey(identity: DeviceIdentity, from: string, to: string): Uint8Array {
  const peer = from === identity.publicKey ? to : from;
  const context = new ByteWriter().bytes(utf8('cairn/envelope-p2p/v1')).bytes(parseDevicePublicKey(from)).bytes(parseDevicePublicKey(to)).finish();
  return deviceEcdh(identity, peer, context);
}

/** Encrypts `plaintext` to `header.to` and returns the signed envelope bytes. */
export function sealDirectEnvelope(
  identity: DeviceIdentity,
  header: Omit<EnvelopeHeader, 'v' | 'from' | 'to'> & { to: string },
  plaintext: Uint8Array,
  rng: (n: number) => Uint8Array = randomBytes,
): Uint8Array {
  const full: EnvelopeHeader = { ...header, v: 1, from: identity.publicKey };
  const ad = encodeEnvelopeHeader(full);
  const key = directionKey(identity, identity.publicKey, header.to);
  const nonce = rng(NONCE_BYTES);
  const ct = xchacha20poly1305(key, nonce, ad).encrypt(plaintext);
  key.fill(0);
  return sealEnvelope(identity, header, new ByteWriter().bytes(nonce).bytes(ct).finish());
}

/**
 * Decrypts a verified point-to-point envelope addressed to this device. A body that doesn't open is
 * the sender's fault (it signed it): `DECRYPTION_FAILED` naming `env.from`.
 */
export function openDirectEnvelope(identity: DeviceIdentity, env: Envelope): Uint8Array {
  if (env.to !== identity.publicKey) throw new CairnError('BAD_PARAMETERS', 'This envelope is addressed to another device');
  if (env.body.length < NONCE_BYTES + TAG_BYTES) throw new CairnError('DECRYPTION_FAILED', 'Encrypted body is too short', { culprits: [env.from] });
  const key = directionKey(identity, env.from, identity.publicKey);
  try {
    return xchacha20poly1305(key, env.body.subarray(0, NONCE_BYTES), env.headerBytes).decrypt(env.body.subarray(NONCE_BYTES));
  } catch (cause) {
    throw new CairnError('DECRYPTION_FAILED', 'Encrypted body does not open', { culprits: [env.from], cause });
  } finally {
    key.fill(0);
  }
}
