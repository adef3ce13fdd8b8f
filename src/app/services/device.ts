/**
 * This device: its sealed share store on IndexedDB, how it unlocks (passkey PRF, or a passphrase
 * where PRF is missing) and its identity key. One store per page, made on first use.
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { CairnError } from '../../core/errors.ts';
import { registerDevicePasskey, unlockKeyFromPasskey } from '../../device/passkeyPrf.ts';
import { openShareStore, type ShareStore } from '../../device/shareStore.ts';
import { createIdbBackend } from '../../device/storageBackend.ts';
import { checkUnlockKey, DEFAULT_SCRYPT, unlockKeyFromPassphrase } from '../../device/unlockKey.ts';
import { createDeviceIdentity, type DeviceIdentity } from '../../device/deviceIdentity.ts';
import { loadDeviceIdentity, saveDeviceIdentity } from '../../device/walletRecords.ts';

let store: ShareStore | null = null;

export function deviceStore(): ShareStore {
  store ??= openShareStore({ backend: createIdbBackend() });
  return store;
}

export type UnlockKind = 'passkey-prf' | 'passphrase';

/**
 * First run. Tries a passkey with PRF; if the authenticator has no PRF, returns `needsPassphrase`
 * unless a passphrase was given (then that becomes the unlock method).
 */
export async function setUpUnlock(label: string, passphrase?: string): Promise<{ kind: UnlockKind } | { needsPassphrase: true }> {
  const s = deviceStore();
  if (await s.isInitialized()) throw new CairnError('BAD_PARAMETERS', 'This browser already has a Cairn device; unlock it instead.');
  if (passphrase) {
    const salt = randomBytes(16);
    const key = await unlockKeyFromPassphrase(passphrase, salt, DEFAULT_SCRYPT);
    await s.initialize({ kind: 'passphrase', scrypt: DEFAULT_SCRYPT, salt }, key);
    return { kind: 'passphrase' };
  }
  const reg = await registerDevicePasskey({ userName: label || 'Cairn guardian' });
  if (!reg.prf) return { needsPassphrase: true };
  await s.initialize(reg.method, reg.key);
  return { kind: 'passkey-prf' };
}

export async function unlockKind(): Promise<UnlockKind | undefined> {
  return (await deviceStore().readUnlockConfig())?.method.kind;
}

/** Unlocks with the stored method (passkey prompt, or the passphrase given). */
export async function unlockDevice(passphrase?: string): Promise<void> {
  const s = deviceStore();
  const config = await s.readUnlockConfig();
  if (!config) throw new CairnError('NOT_FOUND', 'This browser has no Cairn device yet.');
  const m = config.method;
  if (m.kind === 'passkey-prf') return s.unlock(await unlockKeyFromPasskey(m));
  if (!passphrase) throw new CairnError('BAD_PARAMETERS', 'Type your passphrase to unlock.');
  return s.unlock(await unlockKeyFromPassphrase(passphrase, m.salt, m.scrypt));
}

/**
 * Asks the holder to confirm with the passkey before a co-signature (a user-verification prompt;
 * re-checks the key). With a passphrase device, being unlocked is the confirmation.
 */
export async function confirmWithPasskey(): Promise<void> {
  const s = deviceStore();
  const config = await s.readUnlockConfig();
  if (config?.method.kind !== 'passkey-prf') return;
  // Checked against the verifier, not re-unlocked: re-unlocking would lock (and close) the wallet first.
  const key = await unlockKeyFromPasskey(config.method);
  try {
    checkUnlockKey(config, key);
  } finally {
    key.fill(0);
  }
}

/** The device identity, created on first use (the store must be unlocked). */
export async function deviceIdentity(): Promise<DeviceIdentity> {
  const s = deviceStore();
  const existing = await loadDeviceIdentity(s);
  if (existing) return existing;
  const fresh = createDeviceIdentity();
  await saveDeviceIdentity(s, fresh);
  return fresh;
}
