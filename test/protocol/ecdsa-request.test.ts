/**
 * EOA requests on the wire and their digests: the log codec round-trips every field, and the core's fixed-shape
 * RLP digest equals viem's keccak256(serializeTransaction(eip1559)) for arbitrary field values (property test), so
 * guardians recompute exactly what the chain verifies.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesToHex, keccak256, serializeTransaction, hashMessage } from 'viem';
import { signingDigest, signingPath, type SigningRequest } from '../../src/core/index.ts';
import { decodeRequestBody, encodeRequestBody } from '../../src/protocol/signingRequestCodec.ts';
import { eoaTransactionRequest } from '../../src/chain/guardianEoaAccount.ts';

const u = (bits: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => bytesToHex(b));

describe('eoa requests', () => {
  it('EIP-1559: core digest = viem digest; codec round-trips; path is ecdsa', () => {
    fc.assert(
      fc.property(
        fc.record({
          chainId: fc.integer({ min: 1, max: 2 ** 31 }),
          nonce: fc.integer({ min: 0, max: 2 ** 40 }),
          to: address,
          value: u(256),
          data: fc.uint8Array({ maxLength: 300 }),
          gas: u(64),
          maxFeePerGas: u(128),
          maxPriorityFeePerGas: u(128),
        }),
        (t) => {
          const tx = {
            type: 'eip1559' as const,
            chainId: t.chainId,
            nonce: t.nonce,
            to: t.to,
            value: t.value,
            data: bytesToHex(t.data),
            gas: t.gas,
            maxFeePerGas: t.maxFeePerGas + t.maxPriorityFeePerGas,
            maxPriorityFeePerGas: t.maxPriorityFeePerGas,
          };
          const request = eoaTransactionRequest(tx);
          expect(signingPath(request)).toBe('ecdsa');
          expect(bytesToHex(signingDigest(request))).toBe(keccak256(serializeTransaction(tx)));
          const back = decodeRequestBody(encodeRequestBody({ epoch: 3, request }));
          expect(back).toEqual({ epoch: 3, request });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('EIP-191 message: same digest as viem hashMessage; vault requests stay on FROST', () => {
    const request: SigningRequest = { type: 'eoa-message', message: new TextEncoder().encode('gm') };
    expect(bytesToHex(signingDigest(request))).toBe(hashMessage('gm'));
    expect(decodeRequestBody(encodeRequestBody({ epoch: 0, request })).request).toEqual(request);
    expect(signingPath({ type: 'eip191-message', message: new Uint8Array(1) })).toBe('frost');
  });

  it('refuses what it cannot represent', () => {
    expect(() =>
      eoaTransactionRequest({ type: 'legacy', chainId: 1, nonce: 0, to: '0x00000000000000000000000000000000000000a1', gas: 1n, gasPrice: 1n }),
    ).toThrow(/EIP-1559/);
    expect(() => eoaTransactionRequest({ type: 'eip1559', chainId: 1, nonce: 0, gas: 1n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n })).toThrow(/needs/);
  });
});
