/**
 * The device's unlock key: the 32-byte AES key that seals every record in the share store.
 * This file is the pure part (derivations, the verifier, the stored unlock configuration);
 * `passkeyPrf.ts` talks to WebAuthn.
 *
 * Two ways to get the key, both ending in HKDF-SHA256 so the store never sees raw factor output:
 *  - **Passkey PRF** (preferred): the WebAuthn PRF extension returns 32 bytes, stable per
 *    (credential, salt), that never leave the authenticator without user verification.
 *    key = HKDF-SHA256(ikm = prf, salt = "cairn/unlock/prf/v1", info = credentialId).
 *  - **Passphrase** (fallback where PRF is missing): scrypt, memory-hard.
 *    Default N = 2^17, r = 8, p = 1 (128 MiB, OWASP's recommendation; ≈ 0.8 s in Node/Chromium on
 *    this project's 2-core machine), 16-byte random salt, then
 *    key = HKDF-SHA256(ikm = scrypt, salt = "cairn/unlock/passphrase/v1", info = "").
 *    The parameters are stored with the config, so they can be raised later without breaking old
 *    devices.
 *
 * A **verifier record** (a sealed constant) is written at setup: opening it tells a wrong
 * passphrase/passkey apart from a corrupted record, with a clear message.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { CairnError, isCairnError } from '../core/errors.ts';
import { ByteReader, ByteWriter, utf8 } from './byteCodec.ts';
import { openRecord, sealRecord } from './sealedRecord.ts';

export type ScryptParams = { N: number; r: number; p: number };
export const DEFAULT_SCRYPT: ScryptParams = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });

export type UnlockMethod = { kind: 'passkey-prf'; credentialId: string; prfSalt: Uint8Array } | { kind: 'passphrase'; scrypt: ScryptParams; salt: Uint8Array };

/** What the store keeps in plaintext about how to unlock it (nothing secret). */
export type UnlockConfig = { method: UnlockMethod; verifier: Uint8Array };

const VERIFIER_NAME = 'cairn/unlock-verifier';
const VERIFIER_PLAINTEXT = utf8('cairn unlock verifier v1');
const CONFIG_VERSION = 1;

export const WRONG_PASSPHRASE_MESSAGE = "That passphrase doesn't unlock this device";
export const WRONG_PASSKEY_MESSAGE = "That passkey doesn't unlock this device";

/** Unlock key from a WebAuthn PRF output (32 bytes). */
export function unlockKeyFromPrf(prfOutput: Uint8Array, credentialId: string): Uint8Array {
  if (!(prfOutput instanceof Uint8Array) || prfOutput.length !== 32) {
    throw new CairnError('MALFORMED', 'The passkey returned a PRF output of the wrong size');
  }
  return hkdf(sha256, prfOutput, utf8('cairn/unlock/prf/v1'), utf8(credentialId), 32);
}

/** Unlock key from a passphrase (scrypt, async so the page stays responsive). */
export async function unlockKeyFromPassphrase(passphrase: string, salt: Uint8Array, params: ScryptParams = DEFAULT_SCRYPT): Promise<Uint8Array> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) throw new CairnError('BAD_PARAMETERS', 'The passphrase is empty');
  checkScrypt(params);
  // NFKC so the same passphrase typed on two keyboards gives the same key.
  const stretched = await scryptAsync(passphrase.normalize('NFKC'), salt, { ...params, dkLen: 32 });
  const key = hkdf(sha256, stretched, utf8('cairn/unlock/passphrase/v1'), new Uint8Array(), 32);
  stretched.fill(0);
  return key;
}

function checkScrypt(p: ScryptParams): void {
  const pow2 = Number.isSafeInteger(p.N) && p.N >= 2 && (p.N & (p.N - 1)) === 0;
  if (!pow2 || p.N > 2 ** 20 || !Number.isSafeInteger(p.r) || p.r < 1 || p.r > 32 || !Number.isSafeInteger(p.p) || p.p < 1 || p.p > 16) {
    throw new CairnError('BAD_PARAMETERS', 'Unsupported scrypt parameters');
  }
}

/** Builds the config for a freshly derived key (seals the verifier under it). */
export function createUnlockConfig(method: UnlockMethod, key: Uint8Array): UnlockConfig {
  return { method, verifier: sealRecord(key, VERIFIER_NAME, VERIFIER_PLAINTEXT) };
}

/**
 * Checks `key` against the config's verifier. A wrong key → `CairnError('WRONG_UNLOCK')` with
 * "That passphrase doesn't unlock this device" (or the passkey variant).
 */
export function checkUnlockKey(config: UnlockConfig, key: Uint8Array): void {
  try {
    openRecord(key, VERIFIER_NAME, config.verifier);
  } catch (err) {
    if (isCairnError(err, 'BAD_SIGNATURE')) {
      throw new CairnError('WRONG_UNLOCK', config.method.kind === 'passphrase' ? WRONG_PASSPHRASE_MESSAGE : WRONG_PASSKEY_MESSAGE);
    }
    throw err;
  }
}

export function encodeUnlockConfig(config: UnlockConfig): Uint8Array {
  const w = new ByteWriter().u8(CONFIG_VERSION);
  const m = config.method;
  if (m.kind === 'passkey-prf') {
    w.u8(1).str16(m.credentialId).var16(m.prfSalt);
  } else {
    w.u8(2).u32(m.scrypt.N).u8(m.scrypt.r).u8(m.scrypt.p).var16(m.salt);
  }
  return w.var16(config.verifier).finish();
}

export function decodeUnlockConfig(bytes: Uint8Array): UnlockConfig {
  if (!(bytes instanceof Uint8Array)) throw new CairnError('MALFORMED', 'Unlock config is not bytes');
  const r = new ByteReader(bytes, 'unlock config');
  if (r.u8('version') !== CONFIG_VERSION) throw r.malformed('unknown version');
  const kind = r.u8('method');
  let method: UnlockMethod;
  if (kind === 1) {
    method = { kind: 'passkey-prf', credentialId: r.str16('credentialId', 1024), prfSalt: r.var16('prfSalt', 64) };
  } else if (kind === 2) {
    const scrypt = { N: r.u32('N'), r: r.u8('r'), p: r.u8('p') };
    checkScrypt(scrypt);
    method = { kind: 'passphrase', scrypt, salt: r.var16('salt', 64) };
  } else {
    throw r.malformed('unknown unlock method');
  }
  const verifier = r.var16('verifier', 256);
  r.end();
  return { method, verifier };
}
