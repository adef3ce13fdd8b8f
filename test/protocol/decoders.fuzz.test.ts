/** Every protocol-layer decoder, fed arbitrary or mutated bytes, throws only CairnError. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mutations, onlyCairnErrors } from '../helpers/fuzz.ts';
import { randomBytes } from '@noble/hashes/utils.js';
import { CairnError, type SigningRequest } from '../../src/core/index.ts';
import { createDeviceIdentity } from '../../src/device/deviceIdentity.ts';
import {
  decodeApproval,
  decodeBlame,
  decodeCreation,
  decodeDenial,
  decodeEnvelope,
  decodeEnvelopeBatch,
  decodeRequestBody,
  decodeRequestClosed,
  decodeSubmissionFailed,
  encodeApproval,
  encodeBlame,
  encodeCreation,
  encodeDenial,
  encodeEnvelopeBatches,
  encodeRequestBody,
  encodeRequestClosed,
  encodeSubmissionFailed,
  openDirectEnvelope,
  sealDirectEnvelope,
  sealEnvelope,
  verifyEnvelope,
  createSessionKeyPair,
  directMessageKey,
} from '../../src/protocol/index.ts';

const alice = createDeviceIdentity();
const bob = createDeviceIdentity();
const session = randomBytes(32);
const [aliceSession, bobSession] = [createSessionKeyPair(), createSessionKeyPair()];
const keyAt = (mine: 'alice' | 'bob') =>
  directMessageKey({
    session,
    from: alice.publicKey,
    to: bob.publicKey,
    fromSessionKey: aliceSession.publicKey,
    toSessionKey: bobSession.publicKey,
    mySecret: (mine === 'alice' ? aliceSession : bobSession).secret,
    peerSessionKey: (mine === 'alice' ? bobSession : aliceSession).publicKey,
  });
const valid: Record<string, [(b: Uint8Array) => unknown, Uint8Array]> = {
  envelope: [decodeEnvelope, sealEnvelope(alice, { session, protocol: 'dkg', round: 1 }, randomBytes(50))],
  direct: [decodeEnvelope, sealDirectEnvelope(alice, { session, protocol: 'dkg', round: 2, to: bob.publicKey }, keyAt('alice'), randomBytes(50))],
  batch: [decodeEnvelopeBatch, encodeEnvelopeBatches([randomBytes(30), randomBytes(10)])[0]!],
  blame: [
    decodeBlame,
    encodeBlame({ session, protocol: 'frost-sign', requestId: randomBytes(32), culprits: [bob.publicKey], code: 'ABORTED', reason: 'late' }),
  ],
  request: [
    decodeRequestBody,
    encodeRequestBody({
      epoch: 3,
      request: {
        type: 'vault-execute',
        chainId: 1n,
        vault: `0x${'11'.repeat(20)}`,
        to: `0x${'22'.repeat(20)}`,
        value: 5n,
        data: randomBytes(10),
        nonce: 0n,
        minGas: 21_000n,
        validUntil: 1_800_000_000,
      },
    }),
  ],
  approval: [decodeApproval, encodeApproval('ab'.repeat(32))],
  denial: [decodeDenial, encodeDenial('ab'.repeat(32), 'over the daily limit')],
  submissionFailed: [decodeSubmissionFailed, encodeSubmissionFailed('ab'.repeat(32), 'the call reverted')],
  requestClosed: [decodeRequestClosed, encodeRequestClosed('ab'.repeat(32), 'retried')],
  creation: [decodeCreation, encodeCreation({ walletId: 'cd'.repeat(32), threshold: 2, guardians: 3, inviteHashes: ['ef'.repeat(32)] })],
};

describe('protocol decoders', () => {
  for (const [name, [decode, bytes]] of Object.entries(valid)) {
    it(`${name}: valid bytes decode; arbitrary and mutated bytes throw only CairnError`, () => {
      decode(bytes);
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (b) => onlyCairnErrors(() => decode(b))),
        { numRuns: 300 },
      );
      fc.assert(
        fc.property(mutations(bytes), (b) => onlyCairnErrors(() => decode(b))),
        { numRuns: 300 },
      );
    });
  }

  it('an envelope verifies only unmodified; a direct body opens only with the session key and its header', () => {
    const env = decodeEnvelope(valid.direct![1]);
    expect(verifyEnvelope(env)).toBe(true);
    expect(keyAt('bob')).toEqual(keyAt('alice')); // both ends derive the same key
    expect(openDirectEnvelope(env, keyAt('bob'))).toHaveLength(50);
    // Another session's keys (e.g. a later device-key theft gives none of these) open nothing.
    const stranger = createSessionKeyPair();
    const wrongKey = directMessageKey({
      session,
      from: alice.publicKey,
      to: bob.publicKey,
      fromSessionKey: aliceSession.publicKey,
      toSessionKey: stranger.publicKey,
      mySecret: stranger.secret,
      peerSessionKey: aliceSession.publicKey,
    });
    expect(() => openDirectEnvelope(env, wrongKey)).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }));
    fc.assert(
      fc.property(mutations(valid.envelope![1]), (b) => {
        try {
          expect(verifyEnvelope(decodeEnvelope(b))).toBe(false);
        } catch (err) {
          expect(err).toBeInstanceOf(CairnError);
        }
      }),
      { numRuns: 200 },
    );
    const moved = { ...env, headerBytes: env.headerBytes.slice(), round: 3 };
    // The header ends round ‖ from (33) ‖ hasTo (1) ‖ to (33): same ciphertext, round 2 → 3 in the header.
    const roundAt = moved.headerBytes.length - 33 - 1 - 33 - 1;
    expect(moved.headerBytes[roundAt]).toBe(2);
    moved.headerBytes[roundAt] = 3;
    expect(() => openDirectEnvelope(moved, keyAt('bob'))).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED', culprits: [alice.publicKey] }));
  });

  it('request bodies round-trip', () => {
    const addr = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => `0x${Buffer.from(b).toString('hex')}` as const);
    const u256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n });
    const req: fc.Arbitrary<SigningRequest> = fc.oneof(
      fc.record({
        type: fc.constant('vault-execute' as const),
        chainId: u256,
        vault: addr,
        to: addr,
        value: u256,
        data: fc.uint8Array({ maxLength: 100 }),
        nonce: u256,
        minGas: u256,
        validUntil: fc.integer({ min: 1, max: 2 ** 48 - 1 }),
      }),
      fc.record({
        type: fc.constant('vault-user-operation' as const),
        chainId: u256,
        entryPoint: addr,
        vault: addr,
        nonce: u256,
        initCode: fc.uint8Array({ maxLength: 120 }),
        to: addr,
        value: u256,
        data: fc.uint8Array({ maxLength: 100 }),
        callGasLimit: u256,
        verificationGasLimit: u256,
        preVerificationGas: u256,
        maxFeePerGas: u256,
        maxPriorityFeePerGas: u256,
        paymasterAndData: fc.uint8Array({ maxLength: 120 }),
        validUntil: fc.integer({ min: 1, max: 2 ** 48 - 1 }),
      }),
      fc.record({ type: fc.constant('test-message' as const), message: fc.uint8Array({ maxLength: 100 }) }),
      fc.record({ type: fc.constant('eip191-message' as const), message: fc.uint8Array({ maxLength: 100 }) }),
    );
    fc.assert(
      fc.property(req, fc.nat(0xffffffff), (request, epoch) => {
        expect(decodeRequestBody(encodeRequestBody({ epoch, request }))).toEqual({ epoch, request });
      }),
      { numRuns: 200 },
    );
  });
});
