/**
 * Refresh: new shares for every guardian (same key, same addresses), then the registry's epoch is
 * advanced on chain with a FROST signature by the refreshed group, so the audit trail shows it.
 * The ceremony is the facade's (`guardian.refresh()`); the other guardians take part by themselves
 * and co-sign the epoch advance once they hold the new epoch (approvalCheck).
 */
import { advanceEpoch } from '../../chain/advanceEpoch.ts';
import { guardianSetHash } from '../../chain/guardianSetHash.ts';
import { CairnError } from '../../core/errors.ts';
import { openChain } from './chain.ts';
import { loadSettings } from './settings.ts';
import type { WalletSession } from './walletSession.ts';

export async function refreshShares(session: WalletSession, onStep: (step: string) => void): Promise<{ epoch: number; chainEpoch?: bigint }> {
  onStep('Making new shares with the other guardians…');
  await session.guardian.refresh();
  const pub = session.publicPackage();
  if (!pub) throw new CairnError('NOT_FOUND', 'The wallet has no key');
  const config = loadSettings().chain;
  if (!config?.registry || !session.walletInfo().registered) return { epoch: pub.epoch };
  onStep('Recording the new epoch on chain (the guardians co-sign)…');
  const clients = await openChain(config).feePayer();
  let requestId = '';
  const { epoch, transactionHash } = await advanceEpoch({ ...clients, registry: config.registry, signer: session.signer((id) => (requestId = id)), threshold: pub.threshold, guardianSetHash: guardianSetHash(pub.roster.deviceKeys) });
  if (requestId) session.appendJson('receipt', { requestId, txHash: transactionHash });
  return { epoch: pub.epoch, chainEpoch: epoch };
}
