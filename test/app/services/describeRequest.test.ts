/**
 * A hostile dapp and the selectors ERC-20 and ERC-721 share: `approve(address,uint256)` and
 * `transferFrom(address,address,uint256)` decode the same, so an NFT approval or transfer reads as a token
 * amount ("spend 1 units of the token"). When the contract doesn't answer like an ERC-20 (its symbol and
 * decimals can't be read), the description says what the call does if it is an NFT collection.
 */
import { describe, expect, it, vi } from 'vitest';
import { encodeFunctionData, erc721Abi, getAddress, type Address } from 'viem';
import type { SigningRequest } from '../../../src/core/index.ts';

const NFT: Address = '0x4444444444444444444444444444444444444444';
const TOKEN: Address = '0x5555555555555555555555555555555555555555';
const THIEF: Address = '0x6666666666666666666666666666666666666666';
const VAULT: Address = '0x9999999999999999999999999999999999999999';

vi.mock('../../../src/app/services/settings.ts', () => ({
  loadSettings: () => ({ chain: { rpcUrl: 'http://localhost', chainId: 31337, registry: undefined, token: undefined }, signalingUrls: [], ice: {} }),
}));
vi.mock('../../../src/app/services/chain.ts', () => ({
  openChain: () => ({}),
  readErc20Info: async (_c: unknown, a: Address) => {
    if (getAddress(a) === getAddress(TOKEN)) return { symbol: 'TKN', decimals: 0 };
    throw new Error('no decimals()');
  },
}));
const { describeRequest } = await import('../../../src/app/services/describeRequest.ts');
const { loadTokenInfo, knownTokenInfo } = await import('../../../src/app/services/tokenInfo.ts');

const call = (to: Address, data: `0x${string}`): SigningRequest => ({
  type: 'vault-execute',
  chainId: 31337n,
  vault: VAULT,
  to,
  value: 0n,
  data: Uint8Array.from(Buffer.from(data.slice(2), 'hex')),
  nonce: 0n,
  minGas: 100_000n,
  validUntil: 2_000_000_000,
});

describe('describeRequest: ERC-20 and ERC-721 share selectors', () => {
  it('says what an approve or transferFrom does to an NFT when the contract is not a readable token', async () => {
    loadTokenInfo(NFT);
    loadTokenInfo(TOKEN);
    await vi.waitFor(() => expect(knownTokenInfo(NFT) === null && knownTokenInfo(TOKEN)).toBeTruthy());
    const approve = (to: Address) => call(to, encodeFunctionData({ abi: erc721Abi, functionName: 'approve', args: [THIEF, 1n] }));
    const move = (to: Address) => call(to, encodeFunctionData({ abi: erc721Abi, functionName: 'transferFrom', args: [VAULT, THIEF, 1n] }));
    for (const d of [describeRequest(approve(NFT)), describeRequest(move(NFT))]) {
      expect(d.warnings.join(' ')).toContain(`If ${getAddress(NFT)} is an NFT collection`);
      expect(d.warnings.join(' ')).toContain('item #1');
      expect(d.tokens).toEqual([NFT]);
    }
    // A token that answers like one: no NFT words.
    for (const d of [describeRequest(approve(TOKEN)), describeRequest(move(TOKEN))]) expect(d.warnings.join(' ')).not.toContain('NFT');
  });
});
