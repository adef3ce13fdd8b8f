/**
 * Recording a committed key change in the registry on chain (docs/key-changes.md): after a refresh
 * or reshare, the registry's epoch, threshold and guardian set are advanced with a FROST signature by
 * the group, carried and paid for by the vault's own user operation. Every new holder keeps the
 * registry in step, not just the guardian who proposed the change (whose page may be long closed
 * after a key-change delay): the one with the lowest device key records at once, the others step in
 * if the registry still lags a little later. Leaving guardians delete their shares only once the
 * registry shows the epoch (`registryCommit.ts`).
 */
import { advanceEpoch } from '../../chain/advanceEpoch.ts';
import { toHex } from '../../device/byteCodec.ts';
import { errorText } from './errorText.ts';
import { readRegistryEpoch } from './registryCommit.ts';
import { loadSettings } from './settings.ts';
import { openVaultOperations, registryCallArgs } from './vaultOperations.ts';
import type { WalletSession } from './walletSession.ts';

const STEP_IN_MS = 30_000;
const recording = new WeakMap<WalletSession, Promise<void>>();

/** Advances the registry to this device's epoch (its new shares co-sign); resolves with the registry's epoch. */
async function recordEpochOnChain(session: WalletSession): Promise<bigint | undefined> {
  const pub = session.publicPackage();
  const config = loadSettings().chain;
  if (!pub || !config?.registry || !session.walletInfo().registered) return undefined;
  const onChain = await readRegistryEpoch(session.walletInfo());
  if (onChain === undefined || onChain >= BigInt(pub.epoch)) return onChain;
  const requestIds: string[] = [];
  const ops = await openVaultOperations(session, config, (id) => requestIds.push(id));
  const { epoch, transactionHash } = await advanceEpoch(registryCallArgs(session, ops, config.registry, requestIds));
  for (const requestId of requestIds) session.appendJson('receipt', { requestId, txHash: transactionHash });
  return epoch;
}

/** Called when this device promoted a new epoch: records it on chain now (designated) or later if nobody did. */
export function keepRegistryInStep(session: WalletSession, onError: (message: string) => void): void {
  const pub = session.publicPackage();
  if (!pub || !loadSettings().chain?.registry || !session.walletInfo().registered) return;
  const designated = pub.roster.deviceKeys.map(toHex).sort()[0] === session.identity.publicKey;
  const run = () => {
    if (recording.has(session) || session.publicPackage()?.epoch !== pub.epoch) return;
    const attempt = recordEpochOnChain(session)
      .then(
        () => undefined,
        (err) => onError(`The new shares work, but recording them on chain failed: ${errorText(err)}. The next change records them.`),
      )
      .finally(() => recording.delete(session));
    recording.set(session, attempt);
  };
  if (designated) run();
  else setTimeout(run, STEP_IN_MS);
}
