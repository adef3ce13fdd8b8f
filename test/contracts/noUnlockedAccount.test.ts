/**
 * Like a real chain: the app's RPC is a front that has no unlocked account (scripts/rpcFront.mjs).
 * Through it, the vault registers the wallet and advances its epoch in its own user operations (the
 * first one also deploys it), pays through the bundler, and a plain account that signs locally
 * (like the threshold-ECDSA address) can send a group-signed epoch advance too.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, createPublicClient, createWalletClient, http, parseEther, type Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceEpoch } from '../../src/chain/advanceEpoch.ts';
import { accountSubmitter, userOperationSubmitter } from '../../src/chain/callSubmitter.ts';
import { createCairnBundlerClient } from '../../src/chain/createCairnBundlerClient.ts';
import { deployRegistry } from '../../src/chain/deployRegistry.ts';
import { cairnRegistryAbi } from '../../src/chain/generated/index.ts';
import { getWalletId } from '../../src/chain/groupKey.ts';
import { registerWallet } from '../../src/chain/registerWallet.ts';
import { toCairnVaultSmartAccount } from '../../src/chain/toCairnVaultSmartAccount.ts';
import { startRpcFront } from '../../scripts/rpcFront.mjs';
import { spawnBundler } from '../../scripts/bundler.mjs';
import { deployAa, type AaSetup } from '../helpers/accountAbstraction.ts';
import { startAnvil, type AnvilNode } from '../helpers/anvil.ts';
import { createFrostGroup } from '../helpers/frostSigner.ts';

let node: AnvilNode;
let aa: AaSetup;
let registry: Address;
let front: Awaited<ReturnType<typeof startRpcFront>>;
let bundler: Awaited<ReturnType<typeof spawnBundler>>;

const SET_A = `0x${'a1'.repeat(32)}` as const;
const SET_B = `0x${'b2'.repeat(32)}` as const;

beforeAll(async () => {
  node = await startAnvil();
  aa = await deployAa(node);
  ({ address: registry } = await deployRegistry({ publicClient: node.publicClient, walletClient: node.walletClient() }));
  front = await startRpcFront({ target: node.rpcUrl });
  bundler = await spawnBundler({ rpcUrl: node.rpcUrl });
}, 120_000);
afterAll(async () => {
  await bundler?.stop();
  await front?.stop();
  await node?.stop();
});

describe('no unlocked account anywhere', () => {
  it('the front refuses eth_accounts, eth_sendTransaction and anvil_* like a public RPC', async () => {
    const client = createWalletClient({ chain: node.chain, transport: http(front.url, { retryCount: 0 }) });
    expect(await client.getAddresses()).toEqual([]);
    await expect(client.sendTransaction({ account: node.accounts[0]!, to: node.accounts[1]!, value: 1n })).rejects.toThrow(/does not exist|not available/);
    await expect(client.request({ method: 'anvil_setBalance', params: [node.accounts[1]!, '0x1'] } as never)).rejects.toThrow(/not available/);
    expect(front.refused).toEqual(['eth_sendTransaction', 'anvil_setBalance']);
  });

  it('the vault registers the wallet and advances its epoch in its own user operations; a locally signing account can too', async () => {
    const publicClient = createPublicClient({ chain: node.chain, transport: http(front.url, { retryCount: 0 }), pollingInterval: 50 });
    const bundlerClient = createCairnBundlerClient({ client: publicClient, bundlerUrl: bundler.url });
    const group = createFrostGroup({ min: 2, max: 3 });
    const account = await toCairnVaultSmartAccount({ client: publicClient, factory: aa.factory, signer: group });
    // The devnet faucet (anvil directly) funds the vault's address before it exists.
    await node.publicClient.waitForTransactionReceipt({ hash: await node.walletClient(0).sendTransaction({ to: account.address, value: parseEther('1') }) });
    const submitter = userOperationSubmitter({ bundlerClient, account });

    await registerWallet({ publicClient, submitter, registry, signer: group, threshold: 2, guardianSetHash: SET_A });
    expect(await account.isDeployed()).toBe(true); // the registration's operation deployed the vault
    const walletId = getWalletId(group.groupKey);
    const read = () => publicClient.readContract({ address: registry, abi: cairnRegistryAbi, functionName: 'getWallet', args: [walletId] });
    expect((await read()).epoch).toBe(0n);

    const { epoch } = await advanceEpoch({ publicClient, submitter, registry, signer: group, threshold: 2, guardianSetHash: SET_B });
    expect(epoch).toBe(1n);
    expect(await read()).toMatchObject({ epoch: 1n, guardianSetHash: SET_B, threshold: 2 });

    // Any sender with the group signature: an account that signs locally (eth_sendRawTransaction).
    const plain = privateKeyToAccount(generatePrivateKey());
    await node.publicClient.waitForTransactionReceipt({ hash: await node.walletClient(0).sendTransaction({ to: plain.address, value: parseEther('1') }) });
    const walletClient = createWalletClient({ chain: node.chain, transport: http(front.url, { retryCount: 0 }), account: plain });
    await advanceEpoch({
      publicClient,
      submitter: accountSubmitter({ publicClient, walletClient }),
      registry,
      signer: group,
      threshold: 3,
      guardianSetHash: SET_A,
    });
    expect(await read()).toMatchObject({ epoch: 2n, threshold: 3 });

    // And a payment through the bundler, recipient balance checked.
    const to: Address = bytesToHex(secp256k1.utils.randomSecretKey().slice(0, 20));
    await submitter.submit({ to, data: '0x', value: 12345n });
    expect(await publicClient.getBalance({ address: to })).toBe(12345n);
    expect(front.refused).toEqual(['eth_sendTransaction', 'anvil_setBalance']); // nothing else was refused on the way
  }, 60_000);
});
