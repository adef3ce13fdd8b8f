/**
 * Refresh (new shares for every guardian) and reshare (other guardians or another t) keep the key
 * and the addresses; then the registry's epoch is advanced on chain (with the new t and guardian set)
 * by the new holders (`epochOnChain.ts`), so the audit trail shows it.
 * The ceremony is the facade's (`guardian.refresh()`): a proposal that t guardians approve on their
 * Guardians page before anything runs; then the others take part by themselves and co-sign the epoch
 * advance once they hold the new epoch (approvalCheck).
 */
import { CairnError } from '../../core/errors.ts';
import type { ActingDealer } from '../../protocol/epochAnnouncement.ts';
import { toHex } from '../../device/byteCodec.ts';
import { readRegistryEpoch, waitForRegistryEpoch } from './registryCommit.ts';
import { loadSettings } from './settings.ts';
import type { WalletSession } from './walletSession.ts';

const RECORD_WAIT_MS = 180_000;

export async function refreshShares(session: WalletSession, onStep: (step: string) => void): Promise<{ epoch: number; chainEpoch?: bigint }> {
  onStep('Waiting for the other guardians to approve (they see it on their Guardians page); then the new shares are made…');
  await session.guardian.refresh();
  return recordEpochOnChain(session, onStep);
}

/**
 * Reshare: the kept guardians get new shares of the same key with threshold `t`; the others' shares are deleted.
 * `actors`: lost guardians whose paper backup a joined device restored — that device deals in their place.
 */
export async function reshareGuardians(
  session: WalletSession,
  keep: string[],
  t: number,
  onStep: (step: string) => void,
  lost: string[] = [],
  actors: ActingDealer[] = [],
): Promise<{ epoch: number; chainEpoch?: bigint }> {
  if (keep.length < 2 || t < 2 || t > keep.length)
    throw new CairnError('BAD_PARAMETERS', 'Keep at least 2 guardians, and ask for 2 to all of them to approve.');
  if (!keep.includes(session.identity.publicKey)) throw new CairnError('BAD_PARAMETERS', 'Keep this device: start the change from a guardian that stays.');
  onStep('Waiting for the other guardians to approve (they see it on their Guardians page); then the guardians who stay get new shares…');
  // A lost device can't deal its part: only the holders who can still take part deal then.
  const holders = session.publicPackage()?.roster.deviceKeys.map(toHex) ?? [];
  await session.guardian.reshare(keep, t, lost.length ? holders.filter((k) => !lost.includes(k)) : undefined, actors);
  return recordEpochOnChain(session, onStep);
}

/** Waits (a while) until the registry on chain shows this device's new epoch (`epochOnChain.ts` records it). */
async function recordEpochOnChain(session: WalletSession, onStep: (step: string) => void): Promise<{ epoch: number; chainEpoch?: bigint }> {
  const pub = session.publicPackage();
  if (!pub) throw new CairnError('NOT_FOUND', 'The wallet has no key');
  if (!loadSettings().chain?.registry || !session.walletInfo().registered) return { epoch: pub.epoch };
  onStep('Recording the new shares on chain (the guardians co-sign)…');
  const shown = await waitForRegistryEpoch(
    () => session.walletInfo(),
    pub.epoch,
    () => false,
    RECORD_WAIT_MS,
  ).then(
    () => true,
    () => false,
  );
  return { epoch: pub.epoch, chainEpoch: shown ? await readRegistryEpoch(session.walletInfo()) : undefined };
}
