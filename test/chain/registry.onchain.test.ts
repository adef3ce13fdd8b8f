/**
 * Lifecycle meets the real registry (anvil): a core-DKG wallet registers, then a refresh and a
 * reshare each advance the on-chain epoch with a signature made by the *staged* shares before
 * promotion (the test signature of invariant 4). Core and registry epochs stay in step, the
 * guardian-set hash and threshold on chain are the new epoch's, and a replayed change is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Address } from 'viem';
import { advanceEpochRequest, groupKeyOf, guardianSetHashOf, registryWalletId, type SigningRequest } from '../../src/core/index.ts';
import { Point } from '../../src/core/curve.ts';
import { waitForSuccess } from '../../src/chain/clients.ts';
import { toContractSignature, type ContractSignature } from '../../src/chain/contractSignature.ts';
import { deployRegistry } from '../../src/chain/deployRegistry.ts';
import { cairnRegistryAbi } from '../../src/chain/generated/index.ts';
import { startAnvil, type AnvilNode } from '../helpers/anvil.ts';
import { runDkg, type Wallet } from '../helpers/coreDkg.ts';
import { signWith } from '../helpers/coreSign.ts';
import { promoted, randomDeviceKeys, runRefresh, runReshare, type Staging } from '../core/lifecycle/helpers.ts';

let node: AnvilNode;
let registry: Address;
let clients: { publicClient: AnvilNode['publicClient']; walletClient: ReturnType<AnvilNode['walletClient']> };

beforeAll(async () => {
  node = await startAnvil();
  clients = { publicClient: node.publicClient, walletClient: node.walletClient(3) };
  ({ address: registry } = await deployRegistry(clients));
});
afterAll(() => node?.stop());

const signAs = (w: Wallet, request: SigningRequest): ContractSignature => toContractSignature(signWith(w, w.ids.slice(0, w.pub.threshold), request).signature);

/** The staged shares as a wallet of the next epoch (nobody has promoted yet). */
function stagedWallet(w: Wallet, s: Staging): Wallet {
  const keys = new Map([...s.staged].map(([id, st]) => [id, st.key]));
  const pub = [...s.staged.values()][0]!.key.public;
  return { walletId: w.walletId, deviceKeys: [...pub.roster.deviceKeys], ids: [...pub.roster.identifiers], keys, pub, deviceOf: s.deviceOf };
}

async function advance(w: Wallet, s: Staging): Promise<{ next: Wallet; sig: ContractSignature }> {
  const staged = stagedWallet(w, s);
  const request = advanceEpochRequest({ chainId: BigInt(await clients.publicClient.getChainId()), registry, previous: w.pub, next: staged.pub });
  const sig = signAs(staged, request);
  const hash = await clients.walletClient.writeContract({
    address: registry,
    abi: cairnRegistryAbi,
    functionName: 'advanceEpoch',
    args: [request.walletId, request.epoch, request.guardianSetHash, request.threshold, sig],
  });
  await waitForSuccess(clients.publicClient, hash);
  return { next: promoted(w, s), sig };
}

describe('lifecycle on the registry', () => {
  it('register, refresh, reshare: on-chain epoch, threshold and guardian set follow the promoted epochs', async () => {
    const w0 = runDkg(2, 3);
    const { x, y } = Point.fromBytes(groupKeyOf(w0.pub)).toAffine();
    const chainId = BigInt(await clients.publicClient.getChainId());
    const set0 = guardianSetHashOf(w0.deviceKeys);
    const regSig = signAs(w0, { type: 'registry-register', chainId, registry, groupKeyX: x, groupKeyY: y, threshold: 2, guardianSetHash: set0 });
    await waitForSuccess(
      clients.publicClient,
      await clients.walletClient.writeContract({ address: registry, abi: cairnRegistryAbi, functionName: 'register', args: [x, y, 2, set0, regSig] }),
    );
    const walletId = registryWalletId(groupKeyOf(w0.pub));
    const onChain = () => clients.publicClient.readContract({ address: registry, abi: cairnRegistryAbi, functionName: 'getWallet', args: [walletId] });

    const { next: w1, sig: firstSig } = await advance(w0, runRefresh(w0));
    expect(await onChain()).toMatchObject({ epoch: 1n, threshold: 2, guardianSetHash: set0 });
    expect(w1.pub.epoch).toBe(1);

    const { next: w2 } = await advance(w1, runReshare(w1, { newDeviceKeys: [...w1.deviceKeys, ...randomDeviceKeys(1)], newThreshold: 3 }));
    expect(await onChain()).toMatchObject({ epoch: 2n, threshold: 3, guardianSetHash: guardianSetHashOf(w2.deviceKeys) });
    expect(w2.pub.epoch).toBe(2);

    // The first change, replayed, is stale.
    const request = advanceEpochRequest({ chainId, registry, previous: w0.pub, next: w1.pub });
    await expect(
      clients.publicClient.simulateContract({
        address: registry,
        abi: cairnRegistryAbi,
        account: clients.walletClient.account,
        functionName: 'advanceEpoch',
        args: [request.walletId, request.epoch, request.guardianSetHash, request.threshold, firstSig],
      }),
    ).rejects.toThrow(/StaleEpoch/);
  });
});
