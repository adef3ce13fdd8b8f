/**
 * A device that is not a guardian of its wallet (its invite was used by another device, a reshare
 * left it out or removed it) leaves the wallet and forgets it: the room connection is closed, and
 * everything this browser kept of the wallet — its sealed records (room secret, joining and creation
 * records), the wallet's plaintext info and its stored log — is deleted. A device that still holds a
 * share is refused: forgetting would lose that share.
 */
import { CairnError } from '../../core/errors.ts';
import { getCurrentEpoch } from '../../device/walletRecords.ts';
import { deleteWalletDocStorage } from '../../net/walletDoc.ts';
import { forgetWalletInfo } from './walletInfo.ts';
import type { WalletSession } from './walletSession.ts';

export async function leaveWallet(session: WalletSession): Promise<void> {
  const { store } = session;
  const { walletId } = session.walletInfo();
  if (walletId && (await getCurrentEpoch(store, walletId))) {
    throw new CairnError('BAD_PARAMETERS', 'This device still holds a share of the wallet, so it cannot just leave. Ask the other guardians to remove it.');
  }
  await session.destroy();
  if (walletId) {
    for (const name of await store.listRecords(`wallet/${walletId}/`)) await store.deleteRecord(name);
    await deleteWalletDocStorage(walletId);
  }
  await store.putMeta('last-wallet', new Uint8Array());
  await forgetWalletInfo(store);
}
