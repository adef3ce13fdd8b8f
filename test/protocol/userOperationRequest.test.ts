/**
 * The vault's user-operation request on the wire (request log) and in the core: canonical, bounded,
 * and never signable without a deadline or with an init code the EntryPoint would hash differently.
 */
import { describe, expect, it } from 'vitest';
import { signingDigest, type SigningRequest } from '../../src/core/index.ts';
import { decodeRequestBody, encodeRequestBody } from '../../src/protocol/signingRequestCodec.ts';
import { expectCulprits } from '../helpers/expectCairnError.ts';

type UserOp = Extract<SigningRequest, { type: 'vault-user-operation' }>;
const op: UserOp = {
  type: 'vault-user-operation',
  chainId: 1n,
  entryPoint: '0x4337084d9e255ff0702461cf8895ce9e3b5ff108',
  vault: `0x${'11'.repeat(20)}`,
  nonce: 5n,
  initCode: new Uint8Array(),
  to: `0x${'22'.repeat(20)}`,
  value: 7n,
  data: Uint8Array.of(1, 2, 3),
  callGasLimit: 1n,
  verificationGasLimit: 2n,
  preVerificationGas: 3n,
  maxFeePerGas: 4n,
  maxPriorityFeePerGas: 5n,
  paymasterAndData: new Uint8Array(),
  validUntil: 1_900_000_000,
};

describe('vault-user-operation requests', () => {
  it('round-trip through the log codec', () => {
    expect(decodeRequestBody(encodeRequestBody({ epoch: 2, request: op }))).toEqual({ epoch: 2, request: op });
  });

  it('refuse a missing or out-of-range deadline, when encoding and when decoding', () => {
    expectCulprits(() => encodeRequestBody({ epoch: 0, request: { ...op, validUntil: 0 } }), 'BAD_PARAMETERS', []);
    expectCulprits(() => encodeRequestBody({ epoch: 0, request: { ...op, validUntil: 2 ** 48 } }), 'BAD_PARAMETERS', []);
    expectCulprits(() => signingDigest({ ...op, validUntil: 0 }), 'BAD_PARAMETERS', []);
    const bytes = encodeRequestBody({ epoch: 0, request: op });
    const zeroDeadline = bytes.slice();
    zeroDeadline.fill(0, bytes.length - 8); // validUntil is the last field (u64)
    expectCulprits(() => decodeRequestBody(zeroDeadline), 'MALFORMED', []);
  });

  it('bound the init code and paymaster data', () => {
    expectCulprits(() => encodeRequestBody({ epoch: 0, request: { ...op, initCode: new Uint8Array(1025) } }), 'BAD_PARAMETERS', []);
    expectCulprits(() => encodeRequestBody({ epoch: 0, request: { ...op, paymasterAndData: new Uint8Array(1025) } }), 'BAD_PARAMETERS', []);
  });

  it('refuse an EIP-7702 init code (the EntryPoint would hash something else than the guardians saw)', () => {
    const marker = new Uint8Array(40);
    marker.set([0x77, 0x02]);
    expectCulprits(() => signingDigest({ ...op, initCode: marker }), 'BAD_PARAMETERS', []);
  });

  it('every field changes the digest', () => {
    const base = signingDigest(op);
    const variants: Partial<UserOp>[] = [
      { chainId: 2n },
      { entryPoint: `0x${'33'.repeat(20)}` },
      { vault: `0x${'44'.repeat(20)}` },
      { nonce: 6n },
      { initCode: Uint8Array.of(9) },
      { to: `0x${'55'.repeat(20)}` },
      { value: 8n },
      { data: Uint8Array.of(1, 2) },
      { callGasLimit: 9n },
      { verificationGasLimit: 9n },
      { preVerificationGas: 9n },
      { maxFeePerGas: 9n },
      { maxPriorityFeePerGas: 9n },
      { paymasterAndData: Uint8Array.of(1) },
      { validUntil: 1_900_000_001 },
    ];
    for (const v of variants) expect(signingDigest({ ...op, ...v })).not.toEqual(base);
  });
});
