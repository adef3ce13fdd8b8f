/**
 * What the first screen needs to know before anything heavy loads: does this browser already hold
 * a Cairn wallet (then skip the welcome)? Reads the share store's plaintext wallet metadata
 * (`meta/app-wallet`, see services/walletInfo.ts) with idb-keyval alone, to keep the entry small.
 */
import { createIdbBackend } from '../device/storageBackend.ts';

export async function hasWalletOnThisDevice(): Promise<boolean> {
  try {
    const raw = await createIdbBackend().get('meta/app-wallet');
    return raw !== undefined && raw.length > 0;
  } catch {
    return false;
  }
}
