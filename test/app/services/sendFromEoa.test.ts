/**
 * Retrying a plain-address transaction reported as failed. If the old transaction was mined and
 * succeeded after all (the requester's wait for its receipt failed, or the node lied), its nonce is
 * used, so a retry takes the next nonce and pays a second time once approved. The retrying device
 * reads the receipt the log recorded for it and refuses to retry a successful transaction of this
 * address at that nonce; a reverted one is retried.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Address } from 'viem';
import type { SigningRequest } from '../../../src/core/index.ts';
import type { RequestState } from '../../../src/app/services/sessionSnapshot.ts';
import type { WalletSession } from '../../../src/app/services/walletSession.ts';

const EOA: Address = '0x7777777777777777777777777777777777777777';
const BOB: Address = '0x2222222222222222222222222222222222222222';
const TX = `0x${'cd'.repeat(32)}` as const;
const chain = { status: 'success' as 'success' | 'reverted', from: EOA as Address, nonce: 7 };

vi.mock('../../../src/app/services/settings.ts', () => ({
  loadSettings: () => ({ chain: { rpcUrl: 'http://localhost', chainId: 31337, registry: undefined, token: undefined }, signalingUrls: [], ice: {} }),
}));
vi.mock('../../../src/app/services/chain.ts', () => ({
  readBalances: async () => ({ eth: 0n }),
  readTokenInfo: async () => ({ symbol: 'CTT', decimals: 18 }),
  tokenOf: () => BOB,
  openChain: () => ({
    publicClient: {
      getTransactionCount: async () => 8, // nonce 7 is used
      getTransaction: async () => ({ from: chain.from, nonce: chain.nonce }),
      getTransactionReceipt: async () => ({ status: chain.status }),
      // Reached only when the retry goes ahead and prepares the new transaction.
      estimateFeesPerGas: async () => {
        throw new Error('retrying');
      },
      estimateGas: async () => 21_000n,
    },
  }),
}));
const { retryEoaTransaction } = await import('../../../src/app/services/sendFromEoa.ts');

const tx: SigningRequest = {
  type: 'eoa-transaction',
  chainId: 31337n,
  nonce: 7n,
  to: BOB,
  value: 10n ** 18n,
  data: new Uint8Array(),
  gas: 21_000n,
  maxFeePerGas: 2n,
  maxPriorityFeePerGas: 1n,
};
const failed = { id: 'ab'.repeat(32), request: tx, txHash: TX } as unknown as RequestState;
const session = { walletInfo: () => ({ eoa: EOA }) } as unknown as WalletSession;

describe('retryEoaTransaction after a reported failure', () => {
  it('refuses to pay again when the recorded transaction went through after all', async () => {
    chain.status = 'success';
    await expect(retryEoaTransaction(session, failed, () => undefined)).rejects.toMatchObject({
      code: 'BAD_PARAMETERS',
      message: expect.stringMatching(/went through/),
    });
  });

  it('retries a reverted one, or when the recorded hash is not this address’s transaction at that nonce', async () => {
    for (const [status, from, nonce] of [
      ['reverted', EOA, 7],
      ['success', BOB, 7],
      ['success', EOA, 6],
    ] as const) {
      Object.assign(chain, { status, from, nonce });
      await expect(retryEoaTransaction(session, failed, () => undefined)).rejects.toThrow('retrying');
    }
  });
});

describe('retryEoaTransaction without a recorded transaction', () => {
  it('refuses when the nonce was used and nothing says by what', async () => {
    chain.status = 'success';
    const unknown = { ...failed, txHash: undefined } as unknown as RequestState;
    await expect(retryEoaTransaction(session, unknown, () => undefined)).rejects.toMatchObject({
      code: 'BAD_PARAMETERS',
      message: expect.stringMatching(/can’t tell whether it went through/),
    });
  });
});
