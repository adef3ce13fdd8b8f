import { secp256k1 } from '@noble/curves/secp256k1.js';
import fc from 'fast-check';
import { bytesToHex, hashTypedData, hexToBytes, parseEventLogs, type Abi, type Address, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCairnError } from '../../src/core/errors.ts';
import { advanceEpoch } from '../../src/chain/advanceEpoch.ts';
import { toContractSignature, type ContractSignature } from '../../src/chain/contractSignature.ts';
import { deployRegistry } from '../../src/chain/deployRegistry.ts';
import { cairnRegistryAbi } from '../../src/chain/generated/index.ts';
import { getWalletId, groupKeyToCoordinates } from '../../src/chain/groupKey.ts';
import { guardianSetHash } from '../../src/chain/guardianSetHash.ts';
import { registerWallet } from '../../src/chain/registerWallet.ts';
import { getAdvanceEpochDigest, getRegisterDigest, registryDomain, registryTypes } from '../../src/chain/registryDigests.ts';
import { startAnvil, type AnvilNode } from '../helpers/anvil.ts';
import { createFrostGroup, type TestFrostGroup } from '../helpers/frostSigner.ts';

let node: AnvilNode;
let registry: Address;
let clients: { publicClient: AnvilNode['publicClient']; walletClient: ReturnType<AnvilNode['walletClient']> };
let group: TestFrostGroup;
let walletId: Hex;

const deviceKeys = (count: number) => Array.from({ length: count }, () => secp256k1.getPublicKey(secp256k1.utils.randomSecretKey()));
const sign = async (g: TestFrostGroup, digest: Hex) => toContractSignature(await g.signDigest(hexToBytes(digest)));
const getWallet = () => node.publicClient.readContract({ address: registry, abi: cairnRegistryAbi, functionName: 'getWallet', args: [walletId] });

/** Simulates a registry call that must revert; returns the custom error's name and arguments. */
async function revertOf(
  call:
    | { functionName: 'register'; args: readonly [bigint, bigint, number, Hex, ContractSignature] }
    | { functionName: 'advanceEpoch'; args: readonly [Hex, bigint, Hex, number, ContractSignature] },
) {
  const err = await node.publicClient
    // Typed as a plain Abi: the union of two call shapes is beyond viem's inference; decoding is unaffected.
    .simulateContract({
      address: registry,
      abi: cairnRegistryAbi as Abi,
      account: clients.walletClient.account,
      functionName: call.functionName,
      args: call.args,
    })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(err, `${call.functionName} should revert`).toBeDefined();
  const data = (err as { cause?: { data?: { errorName?: string; args?: readonly unknown[] } } }).cause?.data;
  return { name: data?.errorName, args: data?.args };
}

beforeAll(async () => {
  node = await startAnvil();
  clients = { publicClient: node.publicClient, walletClient: node.walletClient(2) };
  ({ address: registry } = await deployRegistry(clients));
  group = createFrostGroup({ min: 2, max: 3 });
  walletId = getWalletId(group.groupKey);
});
afterAll(() => node?.stop());

describe('CairnRegistry on anvil', () => {
  it('register → advanceEpoch twice: events and state', async () => {
    const set0 = guardianSetHash(deviceKeys(3));
    const reg = await registerWallet({ ...clients, registry, signer: group, threshold: 2, guardianSetHash: set0 });
    expect(reg.walletId).toBe(walletId);
    const { x, y } = groupKeyToCoordinates(group.groupKey);
    const [registered] = parseEventLogs({ abi: cairnRegistryAbi, logs: reg.receipt.logs, eventName: 'WalletRegistered' });
    expect(registered?.args).toEqual({ walletId, groupKeyX: x, groupKeyY: y, threshold: 2, guardianSetHash: set0 });
    expect(await getWallet()).toEqual({ groupKeyX: x, groupKeyY: y, guardianSetHash: set0, epoch: 0n, threshold: 2 });

    const set1 = guardianSetHash(deviceKeys(5));
    const first = await advanceEpoch({ ...clients, registry, signer: group, threshold: 3, guardianSetHash: set1 });
    expect(first.epoch).toBe(1n);
    const set2 = guardianSetHash(deviceKeys(4));
    const second = await advanceEpoch({ ...clients, registry, signer: group, threshold: 3, guardianSetHash: set2 });
    expect(second.epoch).toBe(2n);
    const events = [first, second].flatMap((r) =>
      parseEventLogs({ abi: cairnRegistryAbi, logs: r.receipt.logs, eventName: 'EpochAdvanced' }).map((e) => e.args),
    );
    expect(events).toEqual([
      { walletId, epoch: 1n, threshold: 3, guardianSetHash: set1 },
      { walletId, epoch: 2n, threshold: 3, guardianSetHash: set2 },
    ]);
    expect(await getWallet()).toEqual({ groupKeyX: x, groupKeyY: y, guardianSetHash: set2, epoch: 2n, threshold: 3 });
  });

  it('rejects a replayed change and stale or future epochs (StaleEpoch)', async () => {
    const { epoch } = await getWallet();
    expect(epoch).toBe(2n);
    const set = guardianSetHash(deviceKeys(3));
    const digestFor = (e: bigint) => getAdvanceEpochDigest({ chainId: node.chain.id, registry, walletId, epoch: e, threshold: 2, guardianSetHash: set });
    // Replay: the exact change that moved 0 → 1, re-signed identically, is refused at epoch 2.
    for (const e of [0n, 1n, 3n]) {
      const sig = await sign(group, digestFor(e));
      expect(await revertOf({ functionName: 'advanceEpoch', args: [walletId, e, set, 2, sig] })).toEqual({
        name: 'StaleEpoch',
        args: [walletId, 2n, e],
      });
    }
  });

  it('rejects digests for another chain id or another registry, bad signatures and other keys (BadSignature)', async () => {
    const { epoch } = await getWallet();
    const set = guardianSetHash(deviceKeys(3));
    const base = { chainId: node.chain.id, registry, walletId, epoch, threshold: 2, guardianSetHash: set };
    const good = await sign(group, getAdvanceEpochDigest(base));
    const stranger = createFrostGroup({ min: 2, max: 3 });
    for (const sig of [
      await sign(group, getAdvanceEpochDigest({ ...base, chainId: 1 })),
      await sign(group, getAdvanceEpochDigest({ ...base, registry: bytesToHex(secp256k1.utils.randomSecretKey().slice(0, 20)) })),
      { ...good, z: good.z ^ 4n },
      await sign(stranger, getAdvanceEpochDigest(base)),
    ])
      expect(await revertOf({ functionName: 'advanceEpoch', args: [walletId, epoch, set, 2, sig] })).toMatchObject({ name: 'BadSignature' });
    // A good signature bound to other values (threshold 2 signed, 3 submitted) is refused too …
    expect(await revertOf({ functionName: 'advanceEpoch', args: [walletId, epoch, set, 3, good] })).toMatchObject({ name: 'BadSignature' });
    expect((await getWallet()).epoch).toBe(epoch);
    // … and nothing above changed state: the good signature still applies, exactly once.
    await node.publicClient.waitForTransactionReceipt({
      hash: await clients.walletClient.writeContract({
        address: registry,
        abi: cairnRegistryAbi,
        functionName: 'advanceEpoch',
        args: [walletId, epoch, set, 2, good],
      }),
    });
    expect(await getWallet()).toMatchObject({ epoch: epoch + 1n, threshold: 2, guardianSetHash: set });
    expect(await revertOf({ functionName: 'advanceEpoch', args: [walletId, epoch, set, 2, good] })).toMatchObject({ name: 'StaleEpoch' });
  });

  it('rejects registering twice, a registration not signed by the key, bad keys and thresholds, unknown wallets', async () => {
    const set = guardianSetHash(deviceKeys(3));
    const { x, y } = groupKeyToCoordinates(group.groupKey);
    const digest = getRegisterDigest({ chainId: node.chain.id, registry, groupKeyX: x, groupKeyY: y, threshold: 2, guardianSetHash: set });
    expect(await revertOf({ functionName: 'register', args: [x, y, 2, set, await sign(group, digest)] })).toEqual({
      name: 'WalletExists',
      args: [walletId],
    });
    const victim = createFrostGroup({ min: 2, max: 3 });
    const v = groupKeyToCoordinates(victim.groupKey);
    const victimDigest = getRegisterDigest({ chainId: node.chain.id, registry, groupKeyX: v.x, groupKeyY: v.y, threshold: 2, guardianSetHash: set });
    const attacker = createFrostGroup({ min: 2, max: 3 });
    expect(await revertOf({ functionName: 'register', args: [v.x, v.y, 2, set, await sign(attacker, victimDigest)] })).toMatchObject({
      name: 'BadSignature',
    });
    const victimSig = await sign(victim, victimDigest);
    expect(await revertOf({ functionName: 'register', args: [0n, v.y, 2, set, victimSig] })).toMatchObject({ name: 'InvalidGroupKey' });
    expect(await revertOf({ functionName: 'register', args: [v.x, v.y + 1n, 2, set, victimSig] })).toMatchObject({ name: 'InvalidGroupKey' });
    expect(await revertOf({ functionName: 'register', args: [v.x, v.y, 0, set, victimSig] })).toMatchObject({ name: 'InvalidThreshold' });
    expect(await revertOf({ functionName: 'register', args: [v.x, v.y, 3, set, victimSig] })).toMatchObject({ name: 'BadSignature' });
    const unknown = getWalletId(victim.groupKey);
    expect(await revertOf({ functionName: 'advanceEpoch', args: [unknown, 0n, set, 2, victimSig] })).toEqual({
      name: 'UnknownWallet',
      args: [unknown],
    });
    const record = await node.publicClient.readContract({ address: registry, abi: cairnRegistryAbi, functionName: 'getWallet', args: [unknown] });
    expect(record).toEqual({ groupKeyX: 0n, groupKeyY: 0n, guardianSetHash: `0x${'00'.repeat(32)}`, epoch: 0n, threshold: 0 });
    // The victim's own signature registers it.
    await registerWallet({ ...clients, registry, signer: victim, threshold: 2, guardianSetHash: set });
    expect(await node.publicClient.readContract({ address: registry, abi: cairnRegistryAbi, functionName: 'isRegistered', args: [unknown] })).toBe(true);
  });

  it('the client refuses to submit a signature that does not verify (no paid revert)', async () => {
    const liar = { groupKey: group.groupKey, signDigest: (d: Uint8Array) => createFrostGroup({ min: 2, max: 3 }).signDigest(d) };
    const err = await advanceEpoch({ ...clients, registry, signer: liar, threshold: 2, guardianSetHash: guardianSetHash(deviceKeys(3)) }).catch((e) => e);
    expect(isCairnError(err, 'BAD_SIGNATURE')).toBe(true);
    const unregistered = createFrostGroup({ min: 2, max: 3 });
    const notFound = await advanceEpoch({ ...clients, registry, signer: unregistered, threshold: 2, guardianSetHash: guardianSetHash(deviceKeys(3)) }).catch(
      (e) => e,
    );
    expect(isCairnError(notFound, 'NOT_FOUND')).toBe(true);
  });

  it('TypeScript digests (core signingDigest and EIP-712 typed data) equal the contract views; wallet ids match', async () => {
    const u256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n });
    const b32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bytesToHex(b));
    await fc.assert(
      fc.asyncProperty(
        u256,
        u256,
        fc.integer({ min: 0, max: 65535 }),
        b32,
        b32,
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        async (px, py, threshold, setHash, id, epoch) => {
          const read = node.publicClient.readContract;
          const domain = registryDomain(node.chain.id, registry);
          const reg = await read({ address: registry, abi: cairnRegistryAbi, functionName: 'registerDigest', args: [px, py, threshold, setHash] });
          expect(reg).toBe(getRegisterDigest({ chainId: node.chain.id, registry, groupKeyX: px, groupKeyY: py, threshold, guardianSetHash: setHash }));
          expect(
            hashTypedData({
              domain,
              types: registryTypes,
              primaryType: 'CairnRegister',
              message: { groupKeyX: px, groupKeyY: py, threshold, guardianSetHash: setHash },
            }),
          ).toBe(reg);
          const adv = await read({ address: registry, abi: cairnRegistryAbi, functionName: 'advanceEpochDigest', args: [id, epoch, threshold, setHash] });
          expect(adv).toBe(getAdvanceEpochDigest({ chainId: node.chain.id, registry, walletId: id, epoch, threshold, guardianSetHash: setHash }));
          expect(
            hashTypedData({
              domain,
              types: registryTypes,
              primaryType: 'CairnAdvanceEpoch',
              message: { walletId: id, epoch, threshold, guardianSetHash: setHash },
            }),
          ).toBe(adv);
        },
      ),
      { numRuns: 20 },
    );
    const { x, y } = groupKeyToCoordinates(group.groupKey);
    expect(await node.publicClient.readContract({ address: registry, abi: cairnRegistryAbi, functionName: 'walletIdOf', args: [x, y] })).toBe(walletId);
  });

  it('guardian-set hash is independent of order and refuses duplicates', () => {
    const keys = deviceKeys(4);
    expect(guardianSetHash(keys)).toBe(guardianSetHash([...keys].reverse()));
    expect(guardianSetHash(keys)).not.toBe(guardianSetHash(keys.slice(1)));
    expect(() => guardianSetHash([...keys, keys[0]!])).toThrow(/twice/);
  });
});
