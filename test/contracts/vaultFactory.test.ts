import { parseEther, parseEventLogs, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCairnVaultAccount } from '../../src/chain/createCairnVaultAccount.ts';
import { createVault } from '../../src/chain/createVault.ts';
import { deployVaultFactory } from '../../src/chain/deployVaultFactory.ts';
import { cairnVaultAbi, cairnVaultFactoryAbi } from '../../src/chain/generated/index.ts';
import { getVaultAddress } from '../../src/chain/getVaultAddress.ts';
import { groupKeyToCoordinates } from '../../src/chain/groupKey.ts';
import { startAnvil, type AnvilNode } from '../helpers/anvil.ts';
import { createFrostGroup } from '../helpers/frostSigner.ts';

let node: AnvilNode;
let factory: Address;
let clients: { publicClient: AnvilNode['publicClient']; walletClient: ReturnType<AnvilNode['walletClient']> };

beforeAll(async () => {
  node = await startAnvil();
  clients = { publicClient: node.publicClient, walletClient: node.walletClient(3) };
  ({ address: factory } = await deployVaultFactory(clients));
});
afterAll(() => node?.stop());

describe('CairnVaultFactory on anvil', () => {
  it('deploys each group vault at the address computed offline from the key, once', async () => {
    const group = createFrostGroup({ min: 2, max: 3 });
    const { x, y } = groupKeyToCoordinates(group.groupKey);
    const predicted = getVaultAddress({ factory, groupKey: group.groupKey });
    expect(await node.publicClient.readContract({ address: factory, abi: cairnVaultFactoryAbi, functionName: 'vaultAddress', args: [x, y] })).toBe(predicted);
    expect(await node.publicClient.getCode({ address: predicted })).toBeUndefined();

    const created = await createVault({ ...clients, factory, groupKey: group.groupKey });
    expect(created.address).toBe(predicted);
    const receipt = await node.publicClient.getTransactionReceipt({ hash: created.transactionHash! });
    const [event] = parseEventLogs({ abi: cairnVaultFactoryAbi, logs: receipt.logs, eventName: 'VaultCreated' });
    expect(event?.args).toEqual({ vault: predicted, groupKeyX: x, groupKeyY: y });
    expect(await node.publicClient.readContract({ address: predicted, abi: cairnVaultAbi, functionName: 'groupKeyX' })).toBe(x);

    // Every other guardian gets the same vault and sends nothing; the factory itself is idempotent.
    expect(await createVault({ ...clients, factory, groupKey: group.groupKey })).toEqual({ address: predicted, transactionHash: undefined });
    const again = await clients.walletClient.writeContract({ address: factory, abi: cairnVaultFactoryAbi, functionName: 'createVault', args: [x, y] });
    const againReceipt = await node.publicClient.waitForTransactionReceipt({ hash: again });
    expect(againReceipt.status).toBe('success');
    expect(parseEventLogs({ abi: cairnVaultFactoryAbi, logs: againReceipt.logs })).toEqual([]);

    // Another key, another vault.
    const other = createFrostGroup({ min: 2, max: 3 });
    expect(getVaultAddress({ factory, groupKey: other.groupKey })).not.toBe(predicted);
  });

  it('a factory-made vault executes FROST-signed calls like any other', async () => {
    const group = createFrostGroup({ min: 3, max: 5 });
    const { address: vault } = await createVault({ ...clients, factory, groupKey: group.groupKey });
    await node.publicClient.waitForTransactionReceipt({ hash: await clients.walletClient.sendTransaction({ to: vault, value: parseEther('1') }) });
    const account = createCairnVaultAccount({ ...clients, vault, signer: group });
    const to: Address = '0x00000000000000000000000000000000000beef1';
    await account.sendEth({ to, value: parseEther('0.25') });
    expect(await node.publicClient.getBalance({ address: to })).toBe(parseEther('0.25'));
  });
});
