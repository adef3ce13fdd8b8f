/**
 * First-run setup and unlock of this device's share store, for the app's screens (and the e2e
 * harness): a passkey with PRF when the authenticator has one, a passphrase otherwise (browser only).
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { CairnError } from '../core/errors.ts';
import { registerDevicePasskey, unlockKeyFromPasskey } from './passkeyPrf.ts';
import type { ShareStore } from './shareStore.ts';
import { DEFAULT_SCRYPT, unlockKeyFromPassphrase, type ScryptParams, type UnlockMethod } from './unlockKey.ts';

export type SetUpDeviceUnlockParameters = {
  store: ShareStore;
  /** Shown in the browser's passkey dialog. */
  userName: string;
  /** Used only when the passkey has no PRF (or when `preferPassphrase`). */
  passphrase?: string;
  preferPassphrase?: boolean;
  scrypt?: ScryptParams;
};

/**
 * Sets up the unlock method once per device. Tries a passkey with PRF first; if the authenticator
 * has no PRF, uses `passphrase`, or fails with `UNSUPPORTED` asking for one (the UI then shows the
 * passphrase field and calls again with `preferPassphrase`, so no second passkey is created).
 */
export async function setUpDeviceUnlock(p: SetUpDeviceUnlockParameters): Promise<UnlockMethod['kind']> {
  if (await p.store.isInitialized()) throw new CairnError('BAD_PARAMETERS', 'This browser already has a Cairn device; unlock it instead.');
  if (!p.preferPassphrase) {
    const reg = await registerDevicePasskey({ userName: p.userName });
    if (reg.prf) {
      await p.store.initialize(reg.method, reg.key);
      return 'passkey-prf';
    }
  }
  if (!p.passphrase) throw new CairnError('UNSUPPORTED', "This browser's passkeys can't protect the share here: choose a passphrase");
  const salt = randomBytes(16);
  const scrypt = p.scrypt ?? DEFAULT_SCRYPT;
  await p.store.initialize({ kind: 'passphrase', scrypt, salt }, await unlockKeyFromPassphrase(p.passphrase, salt, scrypt));
  return 'passphrase';
}

/**
 * Unlocks with whatever method the device was set up with (passkey prompt, or the passphrase given).
 * A wrong passphrase or passkey → `WRONG_UNLOCK` ("That passphrase doesn't unlock this device").
 */
export async function unlockDevice({ store, passphrase }: { store: ShareStore; passphrase?: string }): Promise<UnlockMethod['kind']> {
  const config = await store.readUnlockConfig();
  if (!config) throw new CairnError('NOT_FOUND', 'This browser has no Cairn device yet.');
  const m = config.method;
  if (m.kind === 'passkey-prf') {
    await store.unlock(await unlockKeyFromPasskey(m));
  } else {
    if (!passphrase) throw new CairnError('BAD_PARAMETERS', 'Type your passphrase to unlock.');
    await store.unlock(await unlockKeyFromPassphrase(passphrase, m.salt, m.scrypt));
  }
  return m.kind;
}
