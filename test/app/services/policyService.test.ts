/**
 * The coordinator's gate on this device (`spendPolicyGate`). On the asker's own device, asking is the
 * opt-in for data no known ABI reads — but only for that: its person's spending rules still hold its
 * approval. A call with undecodable data that sends ETH is a payment phrased as a contract call; it
 * must not skip the asker's own daily limit (e.g. on a stolen, unlocked phone).
 */
import { describe, expect, it, vi } from 'vitest';
import type { SigningRequest } from '../../../src/core/index.ts';
import type { GuardianPolicy } from '../../../src/device/policy/index.ts';
import type { WalletSession } from '../../../src/app/services/walletSession.ts';
import { BOB, eth, makePolicy } from '../../device/policy/fixtures.ts';

const SELF = '02'.padEnd(66, '1');
const OTHER = '03'.padEnd(66, '2');
let policy: GuardianPolicy | undefined;

vi.mock('../../../src/app/services/policyLog.ts', () => ({
  policiesInLog: () => new Map(policy ? [[SELF, policy]] : []),
  spendHistoryFromLog: () => [],
  publishPolicy: () => undefined,
}));
vi.mock('../../../src/app/services/policyState.ts', () => ({
  loadPolicyState: async () => ({ seen: new Map(), held: new Set() }),
  savePolicyState: async () => undefined,
}));

const { spendPolicyGate } = await import('../../../src/app/services/policyService.ts');

function fakeSession(): WalletSession {
  const log = { subscribe: () => () => undefined, entries: () => [] };
  return {
    identity: { publicKey: SELF },
    guardian: { log: () => log },
    walletInfo: () => ({ walletId: 'w' }),
    store: {},
    appendJson: () => undefined,
  } as unknown as WalletSession;
}

const call = (value: bigint, data: Uint8Array): SigningRequest => ({
  type: 'eoa-transaction',
  chainId: 31337n,
  nonce: 0n,
  to: BOB,
  value,
  data,
  gas: 50_000n,
  maxFeePerGas: 2n,
  maxPriorityFeePerGas: 1n,
});
const UNKNOWN = Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0);

describe('spendPolicyGate: the asker’s opt-in for unknown data', () => {
  it('still applies the asker’s own spending rules to a call this device can’t read', () => {
    policy = makePolicy({ guardian: SELF, dailyLimits: [{ asset: 'ETH', max: eth(1) }] });
    const session = fakeSession();
    // Without data: the daily limit holds its own approval.
    expect(spendPolicyGate(session, call(eth(5), new Uint8Array()), { requestId: 'a', requester: SELF }, { allow: true }).allow).toBe(false);
    // The same 5 ETH with undecodable data: asking is the opt-in for the data, not for the limit.
    const verdict = spendPolicyGate(session, call(eth(5), UNKNOWN), { requestId: 'b', requester: SELF }, { allow: true });
    expect(verdict.allow).toBe(false);
    expect(verdict.allow ? '' : verdict.reason).toMatch(/daily limit/);
    // Within the limit, its own unknown call passes (the person typed it here); another's is held.
    expect(spendPolicyGate(session, call(eth(0.5), UNKNOWN), { requestId: 'c', requester: SELF }, { allow: true })).toEqual({ allow: true });
    expect(spendPolicyGate(session, call(eth(0.5), UNKNOWN), { requestId: 'd', requester: OTHER }, { allow: true }).allow).toBe(false);
  });
});
