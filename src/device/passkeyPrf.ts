/**
 * WebAuthn PRF: the browser half of the unlock key (see `unlockKey.ts` for the derivation).
 *
 * One passkey per device (a passkey synced to another authenticator loses its PRF, and each
 * device has its own share anyway). No server: the challenge is local randomness, because the
 * passkey is used only as a PRF oracle gated by user verification, not to log in anywhere.
 * The PRF salt is random per device and stored in the (non-secret) unlock config.
 */
import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import { randomBytes } from '@noble/hashes/utils.js';
import { CairnError } from '../core/errors.ts';
import { base64urlEncode } from './byteCodec.ts';
import { unlockKeyFromPrf, type UnlockMethod } from './unlockKey.ts';

export type RegisterPasskeyParameters = {
  /** Shown by the browser's passkey dialog. */
  userName: string;
  rpName?: string;
};

export type RegisterPasskeyReturnType =
  /** PRF works: the method to store and the unlock key derived from it. */
  | { prf: true; method: Extract<UnlockMethod, { kind: 'passkey-prf' }>; key: Uint8Array }
  /** The authenticator made a passkey but has no PRF: fall back to a passphrase. */
  | { prf: false };

type PrfResults = { prf?: { enabled?: boolean; results?: { first?: ArrayBuffer | Uint8Array } } };

function prfFirst(ext: unknown): Uint8Array | undefined {
  const first = (ext as PrfResults | undefined)?.prf?.results?.first;
  if (!first) return undefined;
  return first instanceof Uint8Array ? first.slice() : new Uint8Array(first);
}

/**
 * Creates this device's passkey with the PRF extension (user verification required). PRF output
 * usually arrives with the registration already; when an authenticator only reports
 * `prf.enabled`, one authentication fetches it.
 */
export async function registerDevicePasskey({ userName, rpName = 'Cairn' }: RegisterPasskeyParameters): Promise<RegisterPasskeyReturnType> {
  const prfSalt = randomBytes(32);
  const response = await startRegistration({
    optionsJSON: {
      rp: { name: rpName, id: location.hostname },
      user: { id: base64urlEncode(randomBytes(16)), name: userName, displayName: userName },
      challenge: base64urlEncode(randomBytes(32)),
      pubKeyCredParams: [
        { type: 'public-key', alg: -7 },
        { type: 'public-key', alg: -257 },
      ],
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
      attestation: 'none',
      timeout: 120_000,
      // The salt must be bytes (not base64url): simplewebauthn passes extensions through as-is.
      extensions: { prf: { eval: { first: prfSalt } } } as never,
    },
  });
  const ext = response.clientExtensionResults as PrfResults;
  const credentialId = response.id;
  let output = prfFirst(ext);
  if (!output && ext.prf?.enabled) output = await evaluatePasskeyPrf(credentialId, prfSalt);
  if (!output) return { prf: false };
  const key = unlockKeyFromPrf(output, credentialId);
  output.fill(0);
  return { prf: true, method: { kind: 'passkey-prf', credentialId, prfSalt }, key };
}

/** Asks the device's passkey for its PRF output under `prfSalt` (prompts for user verification). */
export async function evaluatePasskeyPrf(credentialId: string, prfSalt: Uint8Array): Promise<Uint8Array> {
  const response = await startAuthentication({
    optionsJSON: {
      challenge: base64urlEncode(randomBytes(32)),
      rpId: location.hostname,
      allowCredentials: [{ id: credentialId, type: 'public-key' }],
      userVerification: 'required',
      timeout: 120_000,
      extensions: { prf: { eval: { first: prfSalt } } } as never,
    },
  });
  const output = prfFirst(response.clientExtensionResults);
  if (!output) throw new CairnError('UNSUPPORTED', 'This passkey gave no PRF output; use the passphrase instead');
  return output;
}

/** The unlock key from the stored passkey method (one user-verification prompt). */
export async function unlockKeyFromPasskey(method: Extract<UnlockMethod, { kind: 'passkey-prf' }>): Promise<Uint8Array> {
  const output = await evaluatePasskeyPrf(method.credentialId, method.prfSalt);
  const key = unlockKeyFromPrf(output, method.credentialId);
  output.fill(0);
  return key;
}
