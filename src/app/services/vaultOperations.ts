/**
 * The vault on chain as the app uses it: an ERC-4337 account (its address follows from the group key
 * and the chain's vault factory) whose user operations the guardians co-sign and a bundler carries.
 * It pays its own gas from its ETH; the first operation also deploys it. No unlocked account.
 */
import type { Address } from 'viem';
import { CairnError } from '../../core/errors.ts';
import { userOperationSubmitter, type CallSubmitter } from '../../chain/callSubmitter.ts';
import { createCairnBundlerClient } from '../../chain/createCairnBundlerClient.ts';
import { getVaultAddress } from '../../chain/getVaultAddress.ts';
import { guardianSetHash } from '../../chain/guardianSetHash.ts';
import { toCairnVaultSmartAccount } from '../../chain/toCairnVaultSmartAccount.ts';
import type { CairnChainConfig } from '../../chain/chainConfig.ts';
import { openChain, type ChainAccess } from './chain.ts';
import type { WalletSession } from './walletSession.ts';

/**
 * How long the guardians' signature on a user operation stays good: a request waits for people (a
 * guardian's time lock may hold its approval for hours), and a week bounds how long an approval
 * can be kept for later.
 */
const USER_OP_VALIDITY_SECONDS = 7 * 24 * 60 * 60;

export type VaultOperations = {
  chain: ChainAccess;
  vault: Address;
  submitter: CallSubmitter;
  /** The EntryPoint's next user-operation nonce for the vault (key 0). */
  nextNonce: () => Promise<bigint>;
};

/** The vault's address for this chain config and group key, deployed or not. */
export function vaultAddressOf(config: CairnChainConfig, groupKey: Uint8Array): Address {
  if (!config.vaultFactory) throw new CairnError('BAD_PARAMETERS', 'This chain has no Cairn vault factory: set one in Settings.');
  return getVaultAddress({ factory: config.vaultFactory, groupKey });
}

/** The vault as a user-operation sender; `onRequest` learns each log request id the guardians sign. */
export async function openVaultOperations(session: WalletSession, config: CairnChainConfig, onRequest?: (requestId: string) => void): Promise<VaultOperations> {
  if (!config.bundlerUrl) throw new CairnError('BAD_PARAMETERS', 'No ERC-4337 bundler is set: add its URL in Settings.');
  if (!config.vaultFactory) throw new CairnError('BAD_PARAMETERS', 'This chain has no Cairn vault factory: set one in Settings.');
  const chain = openChain(config);
  const signer = session.signer(onRequest);
  const account = await toCairnVaultSmartAccount({
    client: chain.publicClient,
    factory: config.vaultFactory,
    signer,
    validUntil: () => Math.floor(Date.now() / 1000) + USER_OP_VALIDITY_SECONDS,
  });
  const bundlerClient = createCairnBundlerClient({ client: chain.publicClient, bundlerUrl: config.bundlerUrl });
  return { chain, vault: account.address, submitter: userOperationSubmitter({ bundlerClient, account }), nextNonce: () => account.getNonce() };
}

/**
 * The arguments `registerWallet` / `advanceEpoch` take for this wallet's current lineup, carried by
 * the vault's own user operation; every signing request they make is noted in `requestIds` (for
 * the receipts).
 */
export function registryCallArgs(session: WalletSession, ops: VaultOperations, registry: Address, requestIds: string[]) {
  const pub = session.publicPackage();
  if (!pub) throw new CairnError('NOT_FOUND', 'The wallet has no key yet');
  return {
    publicClient: ops.chain.publicClient,
    submitter: ops.submitter,
    registry,
    signer: session.signer((id) => requestIds.push(id)),
    threshold: pub.threshold,
    guardianSetHash: guardianSetHash(pub.roster.deviceKeys),
  };
}
