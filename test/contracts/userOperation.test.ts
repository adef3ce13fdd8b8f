/**
 * The vault as an ERC-4337 v0.8 account on a real anvil, with the real EntryPoint (canonical address)
 * and a real alto bundler: payments through viem's BundlerClient, the deposit paying the bundler, and
 * every way a user operation must fail (bad signature without a revert, replay, another chain, vault
 * or EntryPoint, past its deadline).
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import fc from 'fast-check';
import { bytesToHex, parseEther, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { entryPoint08Abi, getUserOperationHash, toPackedUserOperation, type UserOperation } from 'viem/account-abstraction';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cairnVaultAbi } from '../../src/chain/generated/index.ts';
import { signWithGroup } from '../../src/chain/signWithGroup.ts';
import { getVaultUserOpDigest } from '../../src/chain/vaultDigests.ts';
import { encodeUserOpSignature, toCairnVaultSmartAccount, type CairnVaultSmartAccount } from '../../src/chain/toCairnVaultSmartAccount.ts';
import { signingDigest, userOperationHash } from '../../src/core/index.ts';
import { DEV_BUNDLER_EXECUTOR_KEY } from '../../scripts/bundler.mjs';
import { deployAa, startBundler, type AaSetup, type TestBundler } from '../helpers/accountAbstraction.ts';
import { startAnvil, type AnvilNode } from '../helpers/anvil.ts';
import { createFrostGroup, type TestFrostGroup } from '../helpers/frostSigner.ts';

let node: AnvilNode;
let aa: AaSetup;
let bundler: TestBundler;
let group: TestFrostGroup;
let account: CairnVaultSmartAccount;
let vault: Address;

const randomAddress = (): Address => bytesToHex(secp256k1.utils.randomSecretKey().slice(0, 20));
const balance = (address: Address, blockNumber?: bigint) => node.publicClient.getBalance({ address, ...(blockNumber !== undefined ? { blockNumber } : {}) });
const deposit = (address: Address) =>
  node.publicClient.readContract({ address: aa.entryPoint, abi: entryPoint08Abi, functionName: 'balanceOf', args: [address] });
const now = async () => Number((await node.publicClient.getBlock()).timestamp);

type Op = UserOperation<'0.8'>;

/** A transfer operation with fixed gas fields (for handleOps sent straight to the EntryPoint). */
async function unsignedOp(to: Address, value: bigint): Promise<Op> {
  return {
    sender: vault,
    nonce: await account.getNonce(),
    callData: await account.encodeCalls([{ to, value }]),
    callGasLimit: 100_000n,
    verificationGasLimit: 150_000n,
    preVerificationGas: 60_000n,
    maxFeePerGas: 3_000_000_000n,
    maxPriorityFeePerGas: 1_000_000_000n,
    signature: '0x',
  };
}

/** Signs `op` as the group would, but for whatever chain / vault / EntryPoint / deadline the test says. */
async function signAs(op: Op, to: Address, value: bigint, o: { chainId?: number; vault?: Address; entryPoint?: Address; validUntil?: number } = {}) {
  const validUntil = o.validUntil ?? (await now()) + 3600;
  const { rx, ry, z } = await signWithGroup({
    signer: group,
    request: {
      kind: 'vault.userOperation',
      chainId: o.chainId ?? node.chain.id,
      entryPoint: o.entryPoint ?? aa.entryPoint,
      vault: o.vault ?? vault,
      nonce: op.nonce,
      initCode: '0x',
      to,
      value,
      data: '0x',
      callGasLimit: op.callGasLimit,
      verificationGasLimit: op.verificationGasLimit,
      preVerificationGas: op.preVerificationGas,
      maxFeePerGas: op.maxFeePerGas,
      maxPriorityFeePerGas: op.maxPriorityFeePerGas,
      paymasterAndData: '0x',
      validUntil,
    },
  });
  return { ...op, signature: encodeUserOpSignature({ validUntil, rx, ry, z }) };
}

/** handleOps straight to the EntryPoint from dev account 3; resolves to the FailedOp reason, or 'ok'. */
async function handleOps(op: Op): Promise<string> {
  const wallet = node.walletClient(3);
  try {
    await node.publicClient.simulateContract({
      address: aa.entryPoint,
      abi: entryPoint08Abi,
      functionName: 'handleOps',
      args: [[toPackedUserOperation(op)], wallet.account.address],
      account: wallet.account,
    });
  } catch (err) {
    const data = (err as { cause?: { data?: { errorName?: string; args?: readonly unknown[] } } }).cause?.data;
    return data?.errorName === 'FailedOp' ? String(data.args?.[1]) : `${data?.errorName ?? String(err)}`;
  }
  const hash = await wallet.writeContract({
    address: aa.entryPoint,
    abi: entryPoint08Abi,
    functionName: 'handleOps',
    args: [[toPackedUserOperation(op)], wallet.account.address],
  });
  expect((await node.publicClient.waitForTransactionReceipt({ hash })).status).toBe('success');
  return 'ok';
}

/** validateUserOp called as the EntryPoint would (eth_call from its address). */
function validate(op: Op, missing = 0n, from: Address = aa.entryPoint) {
  const userOpHash = getUserOperationHash({ chainId: node.chain.id, entryPointAddress: aa.entryPoint, entryPointVersion: '0.8', userOperation: op });
  return node.publicClient
    .simulateContract({
      address: vault,
      abi: cairnVaultAbi,
      functionName: 'validateUserOp',
      args: [toPackedUserOperation(op), userOpHash, missing],
      account: from,
    })
    .then((r) => r.result);
}

beforeAll(async () => {
  node = await startAnvil();
  aa = await deployAa(node);
  bundler = await startBundler(node);
  group = createFrostGroup({ min: 2, max: 3 });
  account = await toCairnVaultSmartAccount({ client: node.publicClient, factory: aa.factory, signer: group });
  vault = account.address;
  await node.publicClient.waitForTransactionReceipt({ hash: await node.walletClient(0).sendTransaction({ to: vault, value: parseEther('10') }) });
}, 120_000);
afterAll(async () => {
  await bundler?.stop();
  await node?.stop();
});

describe('CairnVault as an ERC-4337 account (EntryPoint v0.8, alto)', () => {
  it('pays through the bundler: the first operation deploys the vault, the deposit pays the bundler', async () => {
    expect(await account.isDeployed()).toBe(false);
    const to = randomAddress();
    const first = await bundler.bundlerClient.sendUserOperation({ account, calls: [{ to, value: parseEther('0.1') }] });
    const r1 = await bundler.bundlerClient.waitForUserOperationReceipt({ hash: first, timeout: 30_000 });
    expect(r1.success).toBe(true);
    expect(await account.isDeployed()).toBe(true);
    expect(await balance(to)).toBe(parseEther('0.1'));

    const executor = privateKeyToAccount(DEV_BUNDLER_EXECUTOR_KEY).address;
    const vaultBefore = await balance(vault);
    const depositBefore = await deposit(vault);
    const second = await bundler.bundlerClient.sendUserOperation({ account, calls: [{ to, value: parseEther('0.2') }] });
    const r2 = await bundler.bundlerClient.waitForUserOperationReceipt({ hash: second, timeout: 30_000 });
    expect(r2.success).toBe(true);
    expect(await balance(to)).toBe(parseEther('0.3'));
    // The vault paid value + the prefund; the EntryPoint paid the bundler actualGasCost from the deposit.
    const spentBeyondValue = vaultBefore - (await balance(vault)) - parseEther('0.2');
    expect(spentBeyondValue).toBe((await deposit(vault)) - depositBefore + r2.actualGasCost);
    expect(r2.actualGasCost).toBeGreaterThan(0n);
    const block = r2.receipt.blockNumber;
    const executorDelta = (await balance(executor, block)) - (await balance(executor, block - 1n));
    expect(executorDelta).toBe(r2.actualGasCost - r2.receipt.gasUsed * r2.receipt.effectiveGasPrice);
  }, 60_000);

  it('the core rebuilds the EntryPoint userOpHash and the vault digest exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
        fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
        fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
        fc.uint8Array({ maxLength: 70 }),
        fc.uint8Array({ maxLength: 60 }),
        fc.integer({ min: 1, max: 2 ** 48 - 1 }),
        async (nonce, gasA, gasB, data, paymasterTail, validUntil) => {
          const to = randomAddress();
          const paymaster = paymasterTail.length
            ? { paymaster: randomAddress(), paymasterVerificationGasLimit: gasA, paymasterPostOpGasLimit: gasB, paymasterData: bytesToHex(paymasterTail) }
            : {};
          const op: Op = {
            sender: vault,
            nonce,
            callData: await account.encodeCalls([{ to, value: gasA, data: bytesToHex(data) }]),
            callGasLimit: gasA,
            verificationGasLimit: gasB,
            preVerificationGas: gasA ^ gasB,
            maxFeePerGas: gasB,
            maxPriorityFeePerGas: gasA,
            signature: '0x',
            ...paymaster,
          };
          const packed = toPackedUserOperation(op);
          const onChain = await node.publicClient.readContract({ address: aa.entryPoint, abi: entryPoint08Abi, functionName: 'getUserOpHash', args: [packed] });
          const request = {
            type: 'vault-user-operation' as const,
            chainId: BigInt(node.chain.id),
            entryPoint: aa.entryPoint,
            vault,
            nonce,
            initCode: new Uint8Array(),
            to,
            value: gasA,
            data,
            callGasLimit: gasA,
            verificationGasLimit: gasB,
            preVerificationGas: gasA ^ gasB,
            maxFeePerGas: gasB,
            maxPriorityFeePerGas: gasA,
            paymasterAndData: Uint8Array.from(Buffer.from(packed.paymasterAndData.slice(2), 'hex')),
            validUntil,
          };
          expect(bytesToHex(userOperationHash(request))).toBe(onChain);
          expect(getUserOperationHash({ chainId: node.chain.id, entryPointAddress: aa.entryPoint, entryPointVersion: '0.8', userOperation: op })).toBe(onChain);
          const digest = await node.publicClient.readContract({
            address: vault,
            abi: cairnVaultAbi,
            functionName: 'userOpDigest',
            args: [onChain, validUntil],
          });
          expect(bytesToHex(signingDigest(request))).toBe(digest);
          expect(getVaultUserOpDigest({ chainId: node.chain.id, vault, userOpHash: onChain, validUntil })).toBe(digest); // viem's side agrees
        },
      ),
      { numRuns: 15 },
    );
  });

  it('validateUserOp: the deadline for a good signature, SIG_VALIDATION_FAILED (no revert) for a bad one, only from the EntryPoint', async () => {
    const to = randomAddress();
    const op = await unsignedOp(to, 1n);
    const signed = await signAs(op, to, 1n, { validUntil: 0x123456789a });
    expect(await validate(signed)).toBe(0x123456789an << 160n);
    const sig = signed.signature;
    const flip = (at: number) => `${sig.slice(0, at)}${sig[at] === '1' ? '2' : '1'}${sig.slice(at + 1)}` as Hex;
    expect(await validate({ ...signed, signature: flip(sig.length - 1) })).toBe(1n); // z changed
    expect(await validate({ ...signed, signature: flip(4) })).toBe(1n); // validUntil changed
    expect(await validate({ ...signed, signature: sig.slice(0, -2) as Hex })).toBe(1n); // 101 bytes
    expect(await validate({ ...signed, signature: '0x' })).toBe(1n);
    expect(await validate({ ...signed, callGasLimit: op.callGasLimit + 1n })).toBe(1n); // any signed field changed
    expect(await validate({ ...signed, signature: await account.getStubSignature() })).toBe(1n); // the stub fails too
    const noDeadline = await signAs(op, to, 1n, { validUntil: 2 ** 48 - 1 });
    expect(await validate(noDeadline)).toBe(BigInt(2 ** 48 - 1) << 160n);
    await expect(validate(signed, 0n, randomAddress())).rejects.toThrow(/NotEntryPoint/);
  });

  it('a replayed operation, or one signed for another chain, vault or EntryPoint, or past its deadline, is refused', async () => {
    const to = randomAddress();
    const op = await unsignedOp(to, 5n);
    const good = await signAs(op, to, 5n);
    expect(await handleOps(await signAs(op, to, 5n, { chainId: node.chain.id + 1 }))).toMatch(/^AA24 signature error/);
    expect(await handleOps(await signAs(op, to, 5n, { vault: randomAddress() }))).toMatch(/^AA24 signature error/);
    expect(await handleOps(await signAs(op, to, 5n, { entryPoint: randomAddress() }))).toMatch(/^AA24 signature error/);
    expect(await handleOps(await signAs(op, to, 5n, { validUntil: (await now()) - 1 }))).toMatch(/^AA22 expired or not due/);
    expect(await balance(to)).toBe(0n);
    expect(await handleOps(good)).toBe('ok');
    expect(await balance(to)).toBe(5n);
    expect(await handleOps(good)).toMatch(/^AA25 invalid account nonce/); // replay
    expect(await balance(to)).toBe(5n);
  });

  it('the bundler refuses an operation whose signature is wrong', async () => {
    const to = randomAddress();
    const op = await unsignedOp(to, 7n);
    const signed = await signAs(op, to, 7n, { chainId: node.chain.id + 1 });
    await expect(bundler.bundlerClient.sendUserOperation({ ...signed, entryPointAddress: aa.entryPoint } as never)).rejects.toThrow(/signature/i);
    expect(await balance(to)).toBe(0n);
  });
});
