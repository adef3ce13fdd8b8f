import { useState } from 'react';
import { CairnError } from '../../core/errors.ts';
import { setUpDeviceUnlock, unlockDevice } from '../../device/deviceUnlock.ts';
import { deviceStore } from '../services/device.ts';

/**
 * Makes sure this browser's device is set up and unlocked before an action: first run → a passkey
 * (or, when the passkey has no PRF, a passphrase the person chooses); later → unlock.
 */
export function useDeviceReady() {
  const [needsPassphrase, setNeedsPassphrase] = useState(false);
  async function ensure(label: string, passphrase?: string): Promise<boolean> {
    const store = deviceStore();
    if (!(await store.isInitialized())) {
      try {
        // A passphrase is only given after a passkey without PRF: then it is the method, with no second passkey.
        await setUpDeviceUnlock({ store, userName: label || 'Cairn guardian', passphrase, preferPassphrase: passphrase !== undefined });
      } catch (err) {
        if (!(err instanceof CairnError && err.code === 'UNSUPPORTED')) throw err;
        setNeedsPassphrase(true);
        return false;
      }
      return true;
    }
    if (store.isLocked()) await unlockDevice({ store, passphrase });
    return true;
  }
  return { ensure, needsPassphrase };
}
