/**
 * Sending a signed plain-address transaction whose broadcast fails: the request is reported failed for
 * everyone, and the log records the transaction's hash anyway (known before the broadcast), so a later
 * retry can look it up on chain — a lost answer from the node must not leave a payment that might have
 * gone through without a trace (docs/threat-model.md).
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it, vi } from 'vitest';
import { bytesToHex, keccak256, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { signingDigest, type SigningRequest } from '../../../src/core/index.ts';
import type { WalletSession } from '../../../src/app/services/walletSession.ts';

const key = secp256k1.utils.randomSecretKey();
const EOA = privateKeyToAccount(bytesToHex(key)).address;
const BOB: Address = '0x2222222222222222222222222222222222222222';
let broadcast: Hex | undefined;

vi.mock('../../../src/app/services/settings.ts', () => ({
  loadSettings: () => ({ chain: { rpcUrl: 'http://localhost', chainId: 31337, registry: undefined, token: undefined }, signalingUrls: [], ice: {} }),
}));
vi.mock('../../../src/app/services/chain.ts', () => ({
  openChain: () => ({
    publicClient: {
      getTransactionCount: async () => 3,
      estimateFeesPerGas: async () => ({ maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n }),
      estimateGas: async () => 21_000n,
      sendRawTransaction: async ({ serializedTransaction }: { serializedTransaction: Hex }) => {
        broadcast = serializedTransaction;
        throw new TypeError('Failed to fetch'); // the node took it, but its answer is lost
      },
    },
  }),
}));
const { sendEoaTransaction } = await import('../../../src/app/services/sendFromEoa.ts');

describe('sendEoaTransaction when the broadcast fails', () => {
  it('reports the failure to everyone and records the signed transaction’s hash all the same', async () => {
    const reports: [string, string][] = [];
    const entries: [string, unknown][] = [];
    const session = {
      walletInfo: () => ({ eoa: EOA }),
      appendJson: (kind: string, body: unknown) => entries.push([kind, body]),
      guardian: {
        reportSubmissionFailed: (id: string, reason: string) => reports.push([id, reason]),
        // t guardians sign the request's digest with the plain address's key (one key stands in for them here).
        requestSignature: async (request: SigningRequest) => {
          const sig = secp256k1.sign(signingDigest(request), key, { prehash: false, format: 'recovered' });
          const signature = new Uint8Array([...sig.subarray(1), sig[0]!]);
          return { requestId: 'r1', signature: Promise.resolve({ signature }) };
        },
      },
    } as unknown as WalletSession;
    await expect(sendEoaTransaction(session, { to: BOB, value: 1n, data: '0x' }, () => undefined)).rejects.toMatchObject({
      code: 'ABORTED',
      message: expect.stringMatching(/couldn't be reached/),
    });
    expect(reports).toEqual([['r1', expect.stringMatching(/^The guardians signed it, but sending it failed: the network node/)]]);
    expect(broadcast).toBeDefined();
    expect(entries).toEqual([['receipt', { requestId: 'r1', txHash: keccak256(broadcast!) }]]);
  });
});
