/**
 * A signed `execute` cannot be burned or kept for later (SWC-126): the group signs a gas floor and a
 * deadline. The target needs ~700k gas but catches its own out-of-gas, so a call with too little gas
 * would *succeed* without its effect; the vault must revert instead (nonce unspent).
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, encodeFunctionData, parseEther, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCairnVaultAccount, type CairnVaultAccount, type SignedVaultCall } from '../../src/chain/createCairnVaultAccount.ts';
import { deployVault } from '../../src/chain/deployVault.ts';
import { cairnVaultAbi, gasHungryTargetAbi, gasHungryTargetBytecode } from '../../src/chain/generated/index.ts';
import { startAnvil, type AnvilNode } from '../helpers/anvil.ts';
import { createFrostGroup } from '../helpers/frostSigner.ts';

let node: AnvilNode;
let account: CairnVaultAccount;
let vault: Address;
let target: Address;
const data = encodeFunctionData({ abi: gasHungryTargetAbi, functionName: 'work' });

const done = () => node.publicClient.readContract({ address: target, abi: gasHungryTargetAbi, functionName: 'done' });

/** Sends execute with an explicit transaction gas limit (no estimate), as a griefing submitter would. */
async function submit(signed: SignedVaultCall, gas: bigint, to = target, callData = data, value = 0n) {
  const hash = await node.walletClient(2).writeContract({
    address: vault,
    abi: cairnVaultAbi,
    functionName: 'execute',
    args: [to, value, callData, signed.minGas, signed.validUntil, signed],
    gas,
  });
  return (await node.publicClient.waitForTransactionReceipt({ hash })).status;
}

beforeAll(async () => {
  node = await startAnvil();
  const clients = { publicClient: node.publicClient, walletClient: node.walletClient(1) };
  const group = createFrostGroup({ min: 2, max: 3 });
  ({ address: vault } = await deployVault({ ...clients, groupKey: group.groupKey }));
  await node.publicClient.waitForTransactionReceipt({ hash: await clients.walletClient.sendTransaction({ to: vault, value: parseEther('1') }) });
  account = createCairnVaultAccount({ ...clients, vault, signer: group });
  const hash = await clients.walletClient.deployContract({ abi: gasHungryTargetAbi, bytecode: gasHungryTargetBytecode });
  target = (await node.publicClient.waitForTransactionReceipt({ hash })).contractAddress!;
});
afterAll(() => node?.stop());

describe('CairnVault.execute: signed gas floor and deadline', () => {
  it('without a floor, a low gas limit spends the signature with no effect (the attack this prevents)', async () => {
    const nonce = await account.getNonce();
    const unguarded = await account.signCall({ to: target, data }, { minGas: 0n });
    expect(await submit(unguarded, 400_000n)).toBe('success');
    expect(await done()).toBe(0n); // the call "succeeded" without its effect
    expect(await account.getNonce()).toBe(nonce + 1n); // and the approval is used up
  });

  it('with the floor the group signed, too little gas makes execute revert and the nonce stays unspent', async () => {
    const nonce = await account.getNonce();
    const signed = await account.signCall({ to: target, data }); // floor = the chain's estimate of the call
    expect(signed.minGas).toBeGreaterThan(650_000n);
    for (const gas of [400_000n, signed.minGas]) {
      expect(await submit(signed, gas)).toBe('reverted');
      expect(await account.getNonce()).toBe(nonce);
      expect(await done()).toBe(0n);
    }
    const err = await node.publicClient
      .simulateContract({
        address: vault,
        abi: cairnVaultAbi,
        functionName: 'execute',
        args: [target, 0n, data, signed.minGas, signed.validUntil, signed],
        gas: 700_000n,
        account: node.walletClient(2).account,
      })
      .catch((e: { cause?: { data?: { errorName?: string } } }) => e.cause?.data?.errorName);
    expect(err).toBe('InsufficientGas');
    // The same signature with enough gas has its effect.
    expect(await submit(signed, 1_200_000n)).toBe('success');
    expect(await done()).toBe(1n);
    expect(await account.getNonce()).toBe(nonce + 1n);
  });

  it('refuses an execution past its signed deadline, and the deadline cannot be moved', async () => {
    const to: Address = bytesToHex(secp256k1.utils.randomSecretKey().slice(0, 20));
    const latest = Number((await node.publicClient.getBlock()).timestamp);
    const expired = await account.signCall({ to, value: 1n }, { validUntil: latest });
    await node.testClient.increaseTime({ seconds: 10 });
    await node.testClient.mine({ blocks: 1 });
    const attempt = (s: SignedVaultCall) =>
      node.publicClient
        .simulateContract({
          address: vault,
          abi: cairnVaultAbi,
          functionName: 'execute',
          args: [to, 1n, '0x', s.minGas, s.validUntil, s],
          account: node.walletClient(2).account,
        })
        .then(
          () => 'ok',
          (e: { cause?: { data?: { errorName?: string } } }) => e.cause?.data?.errorName,
        );
    expect(await attempt(expired)).toBe('Expired');
    expect(await attempt({ ...expired, validUntil: latest + 3600 })).toBe('BadSignature');
    const fresh = await account.signCall({ to, value: 1n });
    expect(await attempt(fresh)).toBe('ok');
  });
});
