/**
 * This device: its sealed share store on IndexedDB, how it unlocks (set-up and unlock themselves are
 * `device/deviceUnlock.ts`), and its identity key. One store per page, made on first use.
 */
import { unlockKeyFromPasskey } from '../../device/passkeyPrf.ts';
import { openShareStore, type ShareStore } from '../../device/shareStore.ts';
import { createIdbBackend } from '../../device/storageBackend.ts';
import { checkUnlockKey, type UnlockMethod } from '../../device/unlockKey.ts';
import { createDeviceIdentity, type DeviceIdentity } from '../../device/deviceIdentity.ts';
import { loadDeviceIdentity, saveDeviceIdentity } from '../../device/walletRecords.ts';

let store: ShareStore | null = null;

export function deviceStore(): ShareStore {
  store ??= openShareStore({ backend: createIdbBackend() });
  return store;
}

export type UnlockKind = UnlockMethod['kind'];

export async function unlockKind(): Promise<UnlockKind | undefined> {
  return (await deviceStore().readUnlockConfig())?.method.kind;
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
