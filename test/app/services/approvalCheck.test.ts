/**
 * This device's check before it co-signs (`approvalCheck`), played by a hostile guardian: typed data
 * (and a bare hash) for the vault is wrapped in the vault's own EIP-712 domain — chain id and vault
 * address — which the request carries but the approvers are not shown. A request naming another
 * chain or another vault (the same key's vault elsewhere) is refused, whatever the typed data says.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Address } from 'viem';
import type { SigningRequest } from '../../../src/core/index.ts';
import { hexToBytesStrict } from '../../../src/device/byteCodec.ts';
import type { WalletSession } from '../../../src/app/services/walletSession.ts';
import { typedDataFromJson } from '../../../src/app/services/typedDataRequest.ts';
import { permit } from '../../helpers/permit.ts';

const CHAIN_ID = 31337;
vi.mock('../../../src/app/services/settings.ts', () => ({
  loadSettings: () => ({ chain: { rpcUrl: 'http://localhost', chainId: 31337, registry: undefined, token: undefined }, signalingUrls: [], ice: {} }),
}));
const { approvalCheck } = await import('../../../src/app/services/approvalCheck.ts');

const MEMBER = '02'.padEnd(66, '1');
const OUR_VAULT: Address = '0x9999999999999999999999999999999999999999';
const OTHER_VAULT: Address = '0x8888888888888888888888888888888888888888';
const session = {
  publicPackage: () => ({ roster: { deviceKeys: [hexToBytesStrict(MEMBER, 'key', 33)] }, threshold: 1, epoch: 0 }),
  walletInfo: () => ({ vault: OUR_VAULT }),
} as unknown as WalletSession;

const typedData = typedDataFromJson(JSON.stringify(permit)).bytes;
const typed = (chainId: number, vault: Address): SigningRequest => ({ type: 'vault-typed-data', chainId: BigInt(chainId), vault, typedData });
const hash = (chainId: number, vault: Address): SigningRequest => ({ type: 'vault-message', chainId: BigInt(chainId), vault, hash: `0x${'ab'.repeat(32)}` });

describe('approvalCheck: the vault’s signatures are for this wallet’s vault on this chain', () => {
  it('refuses typed data or a hash for another chain or another vault', () => {
    for (const make of [typed, hash]) {
      expect(approvalCheck(session, make(CHAIN_ID, OUR_VAULT), MEMBER)).toEqual({ allow: true });
      expect(approvalCheck(session, make(10, OUR_VAULT), MEMBER)).toMatchObject({ allow: false, reason: expect.stringMatching(/chain/) });
      expect(approvalCheck(session, make(CHAIN_ID, OTHER_VAULT), MEMBER)).toMatchObject({ allow: false, reason: expect.stringMatching(/vault/) });
    }
  });
  it('refuses a payment signed for another chain: the plain address (an EOA) and the vault’s address exist there too', () => {
    const tx = (chainId: number): SigningRequest => ({
      type: 'eoa-transaction',
      chainId: BigInt(chainId),
      nonce: 0n,
      to: OTHER_VAULT,
      value: 1n,
      data: new Uint8Array(),
      gas: 21_000n,
      maxFeePerGas: 2n,
      maxPriorityFeePerGas: 1n,
    });
    const exec = (chainId: number): SigningRequest => ({
      type: 'vault-execute',
      chainId: BigInt(chainId),
      vault: OUR_VAULT,
      to: OTHER_VAULT,
      value: 1n,
      data: new Uint8Array(),
      nonce: 0n,
      minGas: 50_000n,
      validUntil: 2 ** 40,
    });
    for (const make of [tx, exec]) {
      expect(approvalCheck(session, make(CHAIN_ID), MEMBER)).toEqual({ allow: true });
      expect(approvalCheck(session, make(1), MEMBER)).toMatchObject({ allow: false, reason: expect.stringMatching(/chain/) });
    }
  });
});
