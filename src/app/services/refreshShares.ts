/**
 * Refresh (new shares for every guardian) and reshare (other guardians or another t) keep the key
 * and the addresses; then the registry's epoch is advanced on chain (with the new t and guardian set) with a FROST signature by the refreshed group, so the audit trail shows it.
 * The ceremony is the facade's (`guardian.refresh()`): a proposal that t guardians approve on their
 * Guardians page before anything runs; then the others take part by themselves and co-sign the epoch
 * advance once they hold the new epoch (approvalCheck).
 */
import { advanceEpoch } from '../../chain/advanceEpoch.ts';
import { guardianSetHash } from '../../chain/guardianSetHash.ts';
import { CairnError } from '../../core/errors.ts';
import type { ActingDealer } from '../../protocol/epochAnnouncement.ts';
import { toHex } from '../../device/byteCodec.ts';
import { openVaultOperations } from './vaultOperations.ts';
import { loadSettings } from './settings.ts';
import type { WalletSession } from './walletSession.ts';

export async function refreshShares(session: WalletSession, onStep: (step: string) => void): Promise<{ epoch: number; chainEpoch?: bigint }> {
  onStep('Waiting for the other guardians to approve (they see it on their Guardians page); then the new shares are made…');
  await session.guardian.refresh();
  return recordEpochOnChain(session, onStep);
}

/**
 * Reshare: the kept guardians get new shares of the same key with threshold `t`; the others' shares are deleted.
 * `actors`: lost guardians whose paper backup a joined device restored — that device deals in their place.
 */
export async function reshareGuardians(session: WalletSession, keep: string[], t: number, onStep: (step: string) => void, lost: string[] = [], actors: ActingDealer[] = []): Promise<{ epoch: number; chainEpoch?: bigint }> {
  if (keep.length < 2 || t < 2 || t > keep.length) throw new CairnError('BAD_PARAMETERS', 'Keep at least 2 guardians, and ask for 2 to all of them to approve.');
  if (!keep.includes(session.identity.publicKey)) throw new CairnError('BAD_PARAMETERS', 'Keep this device: start the change from a guardian that stays.');
  onStep('Waiting for the other guardians to approve (they see it on their Guardians page); then the guardians who stay get new shares…');
  // A lost device can't deal its part: only the holders who can still take part deal then.
  const holders = session.publicPackage()?.roster.deviceKeys.map(toHex) ?? [];
  await session.guardian.reshare(keep, t, lost.length ? holders.filter((k) => !lost.includes(k)) : undefined, actors);
  return recordEpochOnChain(session, onStep);
}

async function recordEpochOnChain(session: WalletSession, onStep: (step: string) => void): Promise<{ epoch: number; chainEpoch?: bigint }> {
  const pub = session.publicPackage();
  if (!pub) throw new CairnError('NOT_FOUND', 'The wallet has no key');
  const config = loadSettings().chain;
  if (!config?.registry || !session.walletInfo().registered) return { epoch: pub.epoch };
  onStep('Recording the new epoch on chain (the guardians co-sign)…');
  // The registry's signature is the authority; the vault's own user operation carries it (and pays).
  const requestIds: string[] = [];
  const ops = await openVaultOperations(session, config, (id) => requestIds.push(id));
  const { epoch, transactionHash } = await advanceEpoch({
    publicClient: ops.chain.publicClient, submitter: ops.submitter, registry: config.registry, signer: session.signer((id) => requestIds.push(id)),
    threshold: pub.threshold, guardianSetHash: guardianSetHash(pub.roster.deviceKeys),
  });
  for (const requestId of requestIds) session.appendJson('receipt', { requestId, txHash: transactionHash });
  return { epoch: pub.epoch, chainEpoch: epoch };
}
