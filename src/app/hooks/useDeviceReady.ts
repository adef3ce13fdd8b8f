import { useState } from 'react';
import { deviceStore, setUpUnlock, unlockDevice } from '../services/device.ts';

/**
 * Makes sure this browser's device is set up and unlocked before an action: first run → a passkey
 * (or, when the passkey has no PRF, a passphrase the person chooses); later → unlock.
 */
export function useDeviceReady() {
  const [needsPassphrase, setNeedsPassphrase] = useState(false);
  async function ensure(label: string, passphrase?: string): Promise<boolean> {
    const store = deviceStore();
    if (!(await store.isInitialized())) {
      const r = await setUpUnlock(label, passphrase);
      if ('needsPassphrase' in r) {
        setNeedsPassphrase(true);
        return false;
      }
      return true;
    }
    if (store.isLocked()) await unlockDevice(passphrase);
    return true;
  }
  return { ensure, needsPassphrase };
}
