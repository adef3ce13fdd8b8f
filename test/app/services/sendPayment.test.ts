/**
 * Retrying a vault payment whose sending was reported as failed. The report is the requester's word
 * (and the requester's device may simply have timed out waiting for the bundler, or been lied to by it):
 * the operation may have gone through after all. Its nonce is then used, so a retry would take the next
 * nonce and pay a second time once approved. The retrying device looks the old operation up on chain
 * (the EntryPoint's `UserOperationEvent` for its hash) and refuses to retry one that succeeded; a
 * reverted one (or one whose nonce another operation took) is retried.
 */
import { describe, expect, it, vi } from 'vitest';
import { bytesToHex, type Address } from 'viem';
import { entryPoint08Address } from 'viem/account-abstraction';
import { userOperationHash, type SigningRequest } from '../../../src/core/index.ts';
import type { RequestState } from '../../../src/app/services/sessionSnapshot.ts';
import type { WalletSession } from '../../../src/app/services/walletSession.ts';

const VAULT: Address = '0x9999999999999999999999999999999999999999';
const BOB: Address = '0x2222222222222222222222222222222222222222';
const state = { events: [] as { args: { userOpHash: `0x${string}`; success: boolean } }[], submitted: 0, queried: [] as unknown[] };

vi.mock('../../../src/app/services/settings.ts', () => ({
  loadSettings: () => ({ chain: { rpcUrl: 'http://localhost', chainId: 31337, registry: undefined, token: undefined }, signalingUrls: [], ice: {} }),
}));
vi.mock('../../../src/app/services/vaultOperations.ts', () => ({
  openVaultOperations: async () => ({
    vault: VAULT,
    nextNonce: async () => 8n, // the failed operation's nonce (7) is used
    chain: {
      publicClient: {
        getContractEvents: async (q: { args: { userOpHash: string } }) => {
          state.queried.push(q.args.userOpHash);
          return state.events.filter((e) => e.args.userOpHash === q.args.userOpHash);
        },
      },
    },
    submitter: {
      submit: async () => {
        state.submitted++;
        return { transactionHash: `0x${'ee'.repeat(32)}`, receipt: { blockNumber: 1n } };
      },
    },
  }),
}));
const { retryVaultPayment } = await import('../../../src/app/services/sendPayment.ts');

const op: SigningRequest = {
  type: 'vault-user-operation',
  chainId: 31337n,
  entryPoint: entryPoint08Address,
  vault: VAULT,
  nonce: 7n,
  initCode: new Uint8Array(),
  to: BOB,
  value: 10n ** 18n,
  data: new Uint8Array(),
  callGasLimit: 50_000n,
  verificationGasLimit: 100_000n,
  preVerificationGas: 50_000n,
  maxFeePerGas: 2n,
  maxPriorityFeePerGas: 1n,
  paymasterAndData: new Uint8Array(),
  validUntil: 2_000_000_000,
};
const failed = { id: 'ab'.repeat(32), request: op } as unknown as RequestState;
const session = {
  walletInfo: () => ({ vault: VAULT }),
  appendJson: () => undefined,
  guardian: { closeFailed: () => undefined, requests: () => [] },
} as unknown as WalletSession;
const hash = bytesToHex(userOperationHash(op as Extract<SigningRequest, { type: 'vault-user-operation' }>));

describe('retryVaultPayment after a reported failure', () => {
  it('refuses to pay again when the old operation went through after all', async () => {
    state.events = [{ args: { userOpHash: hash, success: true } }];
    await expect(retryVaultPayment(session, failed, () => undefined)).rejects.toMatchObject({
      code: 'BAD_PARAMETERS',
      message: expect.stringMatching(/went through/),
    });
    expect(state.submitted).toBe(0);
    expect(state.queried).toEqual([hash]);
  });

  it('retries one that reverted on chain, or whose nonce another operation took', async () => {
    for (const events of [[{ args: { userOpHash: hash, success: false } }], []]) {
      state.events = events;
      state.submitted = 0;
      await retryVaultPayment(session, failed, () => undefined);
      expect(state.submitted).toBe(1);
    }
  });
});
