/**
 * ERC-4337 v0.8 gas side by side: the Cairn vault's user operation against EntryPoint v0.8's own
 * SimpleAccount (ECDSA, from @account-abstraction/contracts), on the same anvil, measured the same
 * way: `handleOps` with one operation, sent straight to the EntryPoint (the figure is that
 * transaction's gasUsed), steady state (deployed account, nonce ≠ 0, existing recipient), the
 * account's EntryPoint deposit already covering the prefund, fixed gas fields and a beneficiary that
 * exists. Calldata is made zero-byte-free (vault address and FROST signature re-drawn) so the figure
 * is the same in every run.
 */
import { encodeFunctionData, hexToBytes, keccak256, parseEther, toHex, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { entryPoint08Abi, getUserOperationHash, toPackedUserOperation, type UserOperation } from 'viem/account-abstraction';
import { deployVaultFactory } from '../src/chain/deployVaultFactory.ts';
import { cairnTestTokenAbi } from '../src/chain/generated/index.ts';
import { deployTestToken } from '../src/chain/deployTestToken.ts';
import { encodeUserOpSignature, toCairnVaultSmartAccount } from '../src/chain/toCairnVaultSmartAccount.ts';
import { signingDigest, userOperationHash } from '../src/core/index.ts';
import { toCoreSigningRequest } from '../src/chain/toCoreSigningRequest.ts';
import type { FrostSigningRequest } from '../src/chain/frostDigestSigner.ts';
import { toContractSignature } from '../src/chain/contractSignature.ts';
import { ensureEntryPoint, ensureSimpleAccountFactory, simpleAccountAbi, simpleAccountFactoryAbi } from '../scripts/entryPoint.mjs';
import type { AnvilNode } from '../test/helpers/anvil.ts';
import { createFrostGroup, type TestFrostGroup } from '../test/helpers/frostSigner.ts';

const RECIPIENT: Address = '0xc0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff';
const GAS = {
  callGasLimit: 100_000n,
  verificationGasLimit: 150_000n,
  preVerificationGas: 60_000n,
  maxFeePerGas: 0x77777777n,
  maxPriorityFeePerGas: 0x11111111n,
};
const VALID_UNTIL = 0x7fffffffffff; // no zero byte in its 6 bytes
const noZeroByte = (hex: Hex) => hexToBytes(hex).every((b) => b !== 0);

type Op = UserOperation<'0.8'>;

export async function measureUserOps(node: AnvilNode): Promise<Record<string, number>> {
  const clients = { publicClient: node.publicClient, walletClient: node.walletClient() };
  const entryPoint = await ensureEntryPoint(clients);
  const { address: factory } = await deployVaultFactory(clients);
  const { address: token } = await deployTestToken(clients);
  const wallet = node.walletClient();
  const send = async (hash: Promise<Hex>) => {
    const receipt = await node.publicClient.waitForTransactionReceipt({ hash: await hash });
    if (receipt.status !== 'success') throw new Error('bench transaction reverted');
    return receipt;
  };
  /** Funds `account` and its EntryPoint deposit, so no operation below pays a prefund. */
  const fund = async (account: Address) => {
    await send(wallet.sendTransaction({ to: account, value: parseEther('10') }));
    await send(wallet.writeContract({ address: entryPoint, abi: entryPoint08Abi, functionName: 'depositTo', args: [account], value: parseEther('1') }));
    await send(wallet.writeContract({ address: token, abi: cairnTestTokenAbi, functionName: 'mint', args: [account, 10n ** 21n] }));
  };
  /** handleOps([op]) from the dev account, which is also the (existing) beneficiary; returns gasUsed. */
  const handleOps = async (op: Op) =>
    (
      await send(
        wallet.writeContract({
          address: entryPoint,
          abi: entryPoint08Abi,
          functionName: 'handleOps',
          args: [[toPackedUserOperation(op)], wallet.account.address],
        }),
      )
    ).gasUsed;
  const nonceOf = (sender: Address) =>
    node.publicClient.readContract({ address: entryPoint, abi: entryPoint08Abi, functionName: 'getNonce', args: [sender, 0n] });
  const erc20 = encodeFunctionData({ abi: cairnTestTokenAbi, functionName: 'transfer', args: [RECIPIENT, 1000n] });

  // --- the Cairn vault: deployed through its factory, then operations signed by a 2-of-3 FROST group
  let group: TestFrostGroup;
  let vault: Address;
  do {
    group = createFrostGroup({ min: 2, max: 3 });
    vault = (await toCairnVaultSmartAccount({ client: node.publicClient, factory, signer: group })).address;
  } while (!noZeroByte(vault));
  const account = await toCairnVaultSmartAccount({ client: node.publicClient, factory, signer: group });
  await send(wallet.sendTransaction({ to: factory, data: (await account.getFactoryArgs()).factoryData! }));
  await fund(vault);
  const vaultOp = async (to: Address, value: bigint, data: Hex): Promise<Op> => {
    const op: Op = { sender: vault, nonce: await nonceOf(vault), callData: await account.encodeCalls([{ to, value, data }]), signature: '0x', ...GAS };
    const request: FrostSigningRequest = {
      kind: 'vault.userOperation',
      chainId: node.chain.id,
      entryPoint,
      vault,
      nonce: op.nonce,
      initCode: '0x',
      to,
      value,
      data,
      paymasterAndData: '0x',
      validUntil: VALID_UNTIL,
      ...GAS,
    };
    const digest = signingDigest(toCoreSigningRequest(request, group.groupKey));
    for (;;) {
      const sig = toContractSignature(await group.signDigest(digest, request));
      const signature = encodeUserOpSignature({ validUntil: VALID_UNTIL, ...sig });
      if (noZeroByte(signature)) return { ...op, signature };
    }
  };
  await handleOps(await vaultOp(RECIPIENT, 1000n, '0x')); // recipient created, nonce 0 → 1
  const vaultEth = await handleOps(await vaultOp(RECIPIENT, 1000n, '0x'));
  await handleOps(await vaultOp(token, 0n, erc20)); // recipient now holds tokens
  const vaultErc20 = await handleOps(await vaultOp(token, 0n, erc20));

  // --- EntryPoint v0.8's SimpleAccount, fixed owner key (ECDSA is deterministic: same calldata every run)
  const simpleFactory = await ensureSimpleAccountFactory(clients);
  const owner = privateKeyToAccount(keccak256(toHex('cairn-bench-simple-account-owner')));
  const simple = (await node.publicClient.readContract({
    address: simpleFactory,
    abi: simpleAccountFactoryAbi,
    functionName: 'getAddress',
    args: [owner.address, 0n],
  })) as Address;
  await fund(simple);
  // v0.8's factory only answers the EntryPoint's SenderCreator: the first operation deploys the account.
  const deployArgs = {
    factory: simpleFactory,
    factoryData: encodeFunctionData({ abi: simpleAccountFactoryAbi, functionName: 'createAccount', args: [owner.address, 0n] }),
    verificationGasLimit: 500_000n,
  };
  const simpleOp = async (to: Address, value: bigint, data: Hex, deploy = false): Promise<Op> => {
    const op: Op = {
      sender: simple,
      nonce: await nonceOf(simple),
      callData: encodeFunctionData({ abi: simpleAccountAbi, functionName: 'execute', args: [to, value, data] }),
      signature: '0x',
      ...GAS,
      ...(deploy ? deployArgs : {}),
    };
    const hash = getUserOperationHash({ chainId: node.chain.id, entryPointAddress: entryPoint, entryPointVersion: '0.8', userOperation: op });
    return { ...op, signature: await owner.sign({ hash }) }; // v0.8 SimpleAccount: ECDSA over the EIP-712 userOpHash
  };
  await handleOps(await simpleOp(RECIPIENT, 1000n, '0x', true));
  const simpleEth = await handleOps(await simpleOp(RECIPIENT, 1000n, '0x'));

  // Sanity: the core's userOpHash is the EntryPoint's (the bench signs through it).
  const sample = await vaultOp(RECIPIENT, 1n, '0x');
  const onChain = await node.publicClient.readContract({
    address: entryPoint,
    abi: entryPoint08Abi,
    functionName: 'getUserOpHash',
    args: [toPackedUserOperation(sample)],
  });
  const core = userOperationHash({
    chainId: BigInt(node.chain.id),
    entryPoint,
    vault,
    nonce: sample.nonce,
    initCode: new Uint8Array(),
    to: RECIPIENT,
    value: 1n,
    data: new Uint8Array(),
    paymasterAndData: new Uint8Array(),
    ...GAS,
  });
  if (toHex(core) !== onChain) throw new Error(`core userOpHash ${toHex(core)} ≠ EntryPoint ${onChain}`);

  return {
    'gas.vault.userOp.ethTransfer': Number(vaultEth),
    'gas.vault.userOp.erc20Transfer': Number(vaultErc20),
    'gas.simpleAccount.userOp.ethTransfer': Number(simpleEth),
  };
}
