/**
 * The policy on the approval path: the decoded request (vault `vault-execute` or an EOA
 * transaction) is evaluated against this guardian's rules; a blocked request names the rule and,
 * when waiting helps, when it would pass. Through a real signing coordinator (memory hub), a
 * blocked approval appends nothing, and it goes through once the device clock passes `retryAt`.
 */
import { describe, expect, it } from 'vitest';
import { encodeFunctionData, erc20Abi, type Address } from 'viem';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { SigningRequest } from '../../../src/core/index.ts';
import type { GuardianPolicy, SpendRecord } from '../../../src/device/policy/index.ts';
import { UNKNOWN_CALL_REASON, UNKNOWN_MESSAGE_REASON, vaultPolicyHook, type PolicyHookParameters } from '../../../src/app/services/policyHook.ts';
import { typedDataFromJson } from '../../../src/app/services/typedDataRequest.ts';
import { permit } from '../../helpers/permit.ts';
import { guardianIdOf, policiesInLog, publishPolicy, spendHistoryFromLog } from '../../../src/app/services/policyLog.ts';
import { holdText } from '../../../src/app/services/policyService.ts';
import { ALICE, BOB, DAY, HOUR, MALLORY, MON_NOON, USDC, eth, makePolicy, spent, usdc } from '../../device/policy/fixtures.ts';
import * as Y from 'yjs';
import { randomBytes } from '@noble/hashes/utils.js';
import { createMemoryHub, createWalletAmong, makeDevice, ManualClock, type Device } from '../../protocol/helpers.ts';
import { createGuardian, type GuardianEvent } from '../../../src/protocol/guardian.ts';
import type { PolicyHook } from '../../../src/protocol/signingCoordinator.ts';
import type { MemoryHub } from '../../../src/net/memoryHub.ts';
import { createDeviceIdentity } from '../../../src/device/deviceIdentity.ts';
import { openShareStore } from '../../../src/device/shareStore.ts';
import { createMemoryBackend } from '../../../src/device/storageBackend.ts';

const VAULT: Address = '0x9999999999999999999999999999999999999999';
const vaultSend = (to: Address, value: bigint, data: Uint8Array = new Uint8Array()): SigningRequest => ({
  type: 'vault-execute',
  chainId: 31337n,
  vault: VAULT,
  to,
  value,
  data,
  nonce: 0n,
  minGas: 50_000n,
  validUntil: 2 ** 40,
});
const eoaSend = (to: Address, value: bigint, data: Uint8Array = new Uint8Array()): SigningRequest => ({
  type: 'eoa-transaction',
  chainId: 31337n,
  nonce: 0n,
  to,
  value,
  data,
  gas: 21_000n,
  maxFeePerGas: 2n,
  maxPriorityFeePerGas: 1n,
});
const hex = (s: string) => Uint8Array.from(Buffer.from(s.slice(2), 'hex'));

function hooks(policy: GuardianPolicy, history: SpendRecord[], now: number, createdAt = now - HOUR) {
  const p: PolicyHookParameters = {
    policy: () => policy,
    history: () => history,
    now: () => now,
    token: (a) => (a.toLowerCase() === USDC.address.toLowerCase() ? USDC : undefined),
  };
  const hook = vaultPolicyHook(p, () => createdAt);
  return {
    vault: (r: SigningRequest, id = 'r1') => hook(r, { requestId: id }),
    // The same hook, given a plain-address transaction (the one policy engine on every path).
    eoa: (tx: { to: Address; value: bigint; data?: Uint8Array }, id = 'r1') => hook(eoaSend(tx.to, tx.value, tx.data), { requestId: id }),
  };
}

describe('policy hook: vault and EOA requests alike', () => {
  const limit = makePolicy({ dailyLimits: [{ asset: 'ETH', max: eth(1) }] });
  const history = [spent({ amount: eth(0.6), signedAt: MON_NOON - 3 * HOUR })];

  it('daily limit: blocked with the rule and when it can pass', () => {
    const h = hooks(limit, history, MON_NOON);
    for (const verdict of [h.vault(vaultSend(BOB, eth(0.5))), h.eoa({ to: BOB, value: eth(0.5) })]) {
      expect(verdict).toEqual({
        allow: false,
        rule: 'dailyLimit',
        retryAt: MON_NOON - 3 * HOUR + DAY,
        reason: 'Over your daily limit of 1 ETH: 0.6 ETH already sent in the last 24 hours',
      });
    }
    expect(h.vault(vaultSend(BOB, eth(0.4)))).toEqual({ allow: true });
    expect(h.eoa({ to: BOB, value: eth(0.4) })).toEqual({ allow: true });
    // An amount over the limit on its own: no time helps.
    const big = h.eoa({ to: BOB, value: eth(2) });
    expect(big).toMatchObject({ allow: false, rule: 'dailyLimit' });
    expect(big).not.toHaveProperty('retryAt');
  });

  it('a hold in plain words: the rule, and when it can go through', () => {
    const h = hooks(limit, history, MON_NOON).vault(vaultSend(BOB, eth(0.5)));
    if (h.allow) throw new Error('expected a hold');
    const text = holdText(h, MON_NOON);
    expect(text).toMatch(/^Held by your daily limit of 1 ETH: 0.6 ETH already sent in the last 24 hours — it can go through (today|tomorrow) at /);
    const big = hooks(limit, history, MON_NOON).vault(vaultSend(BOB, eth(2)));
    if (big.allow) throw new Error('expected a hold');
    expect(holdText(big, MON_NOON)).toBe(
      'Held by your daily limit: 2 ETH is more than your daily limit of 1 ETH. Waiting will not change this; the other guardians can still approve it.',
    );
  });

  it('time lock counts from creation; ERC-20 transfers are decoded to the real recipient', () => {
    const policy = makePolicy({ timeLocks: [{ asset: 'ETH', above: eth(0.1), delayHours: 6 }], denyList: [MALLORY] });
    const h = hooks(policy, [], MON_NOON, MON_NOON - HOUR);
    for (const v of [h.vault(vaultSend(ALICE, eth(1))), h.eoa({ to: ALICE, value: eth(1) })])
      expect(v).toMatchObject({ allow: false, rule: 'timeLock', retryAt: MON_NOON + 5 * HOUR });
    const transfer = hex(encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [MALLORY, usdc(5)] }));
    for (const v of [h.vault(vaultSend(USDC.address, 0n, transfer)), h.eoa({ to: USDC.address, value: 0n, data: transfer })])
      expect(v).toMatchObject({ allow: false, rule: 'denyList' });
    expect(hooks(policy, [], MON_NOON + 5 * HOUR, MON_NOON - HOUR).vault(vaultSend(ALICE, eth(1)))).toEqual({ allow: true });
    // Non-spending requests (registration, messages) are not the spending policy's business.
    expect(h.vault({ type: 'test-message', message: utf8ToBytes('x') })).toEqual({ allow: true });
  });

  it('contract calls and typed data go through the same engine: a Permit counts like an approval, unreadable call data is held unless opted in', () => {
    const policy = makePolicy({ dailyLimits: [{ asset: USDC, max: usdc(100) }] });
    const h = hooks(policy, [], MON_NOON);
    const permitOf = (value: bigint, from: 'vault' | 'eoa'): SigningRequest => {
      const { bytes } = typedDataFromJson(
        JSON.stringify({ ...permit, domain: { ...permit.domain, verifyingContract: USDC.address }, message: { ...permit.message, value: value.toString() } }),
      );
      return from === 'vault' ? { type: 'vault-typed-data', chainId: 31337n, vault: VAULT, typedData: bytes } : { type: 'eoa-typed-data', typedData: bytes };
    };
    for (const from of ['vault', 'eoa'] as const) {
      expect(h.vault(permitOf(usdc(500), from))).toMatchObject({ allow: false, rule: 'dailyLimit', reason: expect.stringContaining('USDC') });
      expect(h.vault(permitOf(usdc(50), from))).toEqual({ allow: true });
    }
    // An ERC-20 approve as a contract call counts the same way.
    const approve = hex(encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [MALLORY, usdc(500)] }));
    expect(h.vault(vaultSend(USDC.address, 0n, approve))).toMatchObject({ allow: false, rule: 'dailyLimit' });
    // Typed data that spends nothing the engine knows passes (it is shown field by field).
    const vote = typedDataFromJson(
      JSON.stringify({ types: { Vote: [{ name: 'choice', type: 'uint8' }] }, primaryType: 'Vote', domain: { name: 'dao' }, message: { choice: 1 } }),
    );
    expect(h.vault({ type: 'eoa-typed-data', typedData: vote.bytes })).toEqual({ allow: true });
    // Call data no known ABI reads: held as unknown data, with or without rules, unless the person opted in.
    const unknown = vaultSend(BOB, 0n, hex('0xdeadbeef00'));
    for (const p of [policy, undefined]) {
      const params: PolicyHookParameters = { policy: () => p, history: () => [], now: () => MON_NOON };
      expect(vaultPolicyHook(params, () => MON_NOON)(unknown, { requestId: 'u' })).toMatchObject({
        allow: false,
        rule: 'unknownData',
        reason: UNKNOWN_CALL_REASON,
      });
      expect(
        vaultPolicyHook(
          params,
          () => MON_NOON,
          () => true,
        )(unknown, { requestId: 'u' }),
      ).toEqual({ allow: true });
      expect(vaultPolicyHook(params, () => MON_NOON)(eoaSend(BOB, 0n, hex('0xdeadbeef00')), { requestId: 'u' })).toMatchObject({ rule: 'unknownData' });
    }
  });

  it('a hostile guardian: a plain-address message that is not text (a 32-byte hash signed the EIP-191 way) is unknown data', () => {
    // Contracts that check toEthSignedMessageHash(hash) (a Safe owner's eth_sign, mint and relayer permits)
    // take such a signature as an authorisation: a bare hash by another door, held like the vault's.
    const params: PolicyHookParameters = { policy: () => undefined, history: () => [], now: () => MON_NOON };
    const hook = (message: Uint8Array, optedIn = false) =>
      vaultPolicyHook(
        params,
        () => MON_NOON,
        () => optedIn,
      )({ type: 'eoa-message', message }, { requestId: 'm' });
    for (const message of [hex(`0x${'ab'.repeat(32)}`), Uint8Array.of(0x41, 0x00, 0x42), Uint8Array.of(0xc3, 0x28)])
      expect(hook(message)).toMatchObject({ allow: false, rule: 'unknownData', reason: UNKNOWN_MESSAGE_REASON });
    expect(hook(hex(`0x${'ab'.repeat(32)}`), true)).toEqual({ allow: true });
    expect(hook(utf8ToBytes('Sign in to example.org\nNonce: 42 ☕'))).toEqual({ allow: true });
  });

  it('on the approval path: a blocked approval appends nothing, and passes once the device clock reaches retryAt', async () => {
    const hub = createMemoryHub({ delayMs: () => 1, seed: 3 });
    const clock = new ManualClock();
    const a = await makeDevice(hub, clock, 'a');
    const b = await makeDevice(hub, clock, 'b');
    // c's device runs this guardian's policy from the log on its coordinator's hook.
    const entries = () => c.guardian.log()!.entries();
    const params: PolicyHookParameters = {
      policy: () => policiesInLog(entries()).get(c.identity.publicKey),
      history: () => spendHistoryFromLog(entries(), c.identity.publicKey),
      now: clock.now,
    };
    const hook = vaultPolicyHook(params, (id) => entries().find((e) => e.id === id)!.at);
    const c: Device = await deviceWithPolicy(hub, clock, 'c', (r, m) => hook(r, m));
    await createWalletAmong([a, b, c] as Device[], 2);
    await Promise.all([a, b, c].map((d) => d.guardian.whenReady()));

    publishPolicy(c.guardian.log()!, c.identity.publicKey, {
      dailyLimits: [],
      allowList: null,
      denyList: [],
      timeLocks: [{ asset: 'ETH', above: eth(0.5), delayHours: 2 }],
      workingHours: null,
    });
    await hub.settle();
    // Everyone sees c's rules.
    expect(policiesInLog(a.guardian.log()!.entries()).get(c.identity.publicKey)?.guardian).toBe(guardianIdOf(c.identity.publicKey));

    const { requestId } = await a.guardian.requestSignature(vaultSend(BOB, eth(1)));
    await hub.settle();
    await expect(c.guardian.approve(requestId)).rejects.toMatchObject({ code: 'POLICY_DENIED', shortMessage: expect.stringContaining('wait 2 h') });
    const approvals = () =>
      c.guardian
        .log()!
        .entries()
        .filter((e) => e.kind === 'approval' && e.author === c.identity.publicKey).length;
    expect(approvals()).toBe(0);
    clock.advance(2 * HOUR);
    await c.guardian.approve(requestId);
    expect(approvals()).toBe(1);
    expect(spendHistoryFromLog(c.guardian.log()!.entries(), c.identity.publicKey)).toMatchObject([{ requestId, amount: eth(1), to: BOB }]);
  });

  it('every path through one engine: a plain-address payment over the daily limit is held; an unknown 32-byte hash is held without the opt-in', async () => {
    const hub = createMemoryHub({ delayMs: () => 1, seed: 4 });
    const clock = new ManualClock();
    const a = await makeDevice(hub, clock, 'a');
    const b = await makeDevice(hub, clock, 'b');
    const entries = () => c.guardian.log()!.entries();
    const params: PolicyHookParameters = {
      policy: () => policiesInLog(entries()).get(c.identity.publicKey),
      history: () => spendHistoryFromLog(entries(), c.identity.publicKey),
      now: clock.now,
    };
    const optedIn = new Set<string>();
    const hook = vaultPolicyHook(
      params,
      (id) => entries().find((e) => e.id === id)!.at,
      (id) => optedIn.has(id),
    );
    const c: Device = await deviceWithPolicy(hub, clock, 'c', (r, m) => hook(r, m));
    await createWalletAmong([a, b, c] as Device[], 3); // 3 of 3: nothing here gathers enough approvals to sign
    await Promise.all([a, b, c].map((d) => d.guardian.whenReady()));
    publishPolicy(c.guardian.log()!, c.identity.publicKey, {
      dailyLimits: [{ asset: 'ETH', max: eth(1) }],
      allowList: null,
      denyList: [],
      timeLocks: [],
      workingHours: null,
    });
    await hub.settle();
    const approvals = () => entries().filter((e) => e.kind === 'approval' && e.author === c.identity.publicKey).length;

    const first = await a.guardian.requestSignature(eoaSend(BOB, eth(0.6)));
    await hub.settle();
    await c.guardian.approve(first.requestId);
    expect(spendHistoryFromLog(entries(), c.identity.publicKey)).toMatchObject([{ requestId: first.requestId, kind: 'eoa', amount: eth(0.6) }]);
    const second = await a.guardian.requestSignature(eoaSend(ALICE, eth(0.5)));
    await hub.settle();
    await expect(c.guardian.approve(second.requestId)).rejects.toMatchObject({ code: 'POLICY_DENIED', shortMessage: expect.stringContaining('daily limit') });
    expect(approvals()).toBe(1);

    const permit = await a.guardian.requestSignature({ type: 'vault-message', chainId: 31337n, vault: VAULT, hash: `0x${'ab'.repeat(32)}` });
    await hub.settle();
    await expect(c.guardian.approve(permit.requestId)).rejects.toMatchObject({ code: 'POLICY_DENIED', shortMessage: expect.stringContaining("can't read") });
    expect(approvals()).toBe(1);
    optedIn.add(permit.requestId); // the person read the "sign unknown data" warning for this one request
    await c.guardian.approve(permit.requestId);
    expect(approvals()).toBe(2);
  });
});

/** A protocol-test device whose coordinator calls `policy` before approving. */
async function deviceWithPolicy(hub: MemoryHub, clock: ManualClock, name: string, policy: PolicyHook): Promise<Device> {
  const identity = createDeviceIdentity();
  const backend = createMemoryBackend();
  const store = openShareStore({ backend, autoLockMs: Infinity });
  await store.initialize({ kind: 'passphrase', scrypt: { N: 2, r: 1, p: 1 }, salt: randomBytes(16) }, randomBytes(32));
  const d = { name, identity, store, backend, events: [] as GuardianEvent[] } as Device;
  d.guardian = createGuardian({
    identity,
    store,
    clock,
    roundTimeoutMs: 10_000,
    signalingUrls: ['ws://localhost:4544'],
    policy,
    connect: async () => {
      const doc = new Y.Doc();
      d.peer = hub.join(doc, name);
      return { doc, close: async () => d.peer?.leave() };
    },
  });
  return d;
}
