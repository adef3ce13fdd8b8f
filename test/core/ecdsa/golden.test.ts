/**
 * Unofficial regression vector (no official DKLs23 vectors exist): with seeded test-only DRBGs, a 2-of-2 DKG, one
 * pairwise setup and one signature are byte-for-byte reproducible. The SHA-256 of every message (wire encoding, in
 * protocol order) and the signature are pinned; any change to the protocol, encodings or parameters changes it —
 * update the constant only for an intentional, reviewed change.
 */
import { chacha20 } from '@noble/ciphers/chacha.js';
import type { Key } from '@noble/curves/abstract/frost.js';
import { secp256k1, secp256k1_FROST } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { expect, it } from 'vitest';
import {
  ecdsaSetupRound1,
  ecdsaSetupRound2,
  ecdsaSetupRound3,
  ecdsaSignFinalize,
  ecdsaSignRound1,
  ecdsaSignRound2,
  ecdsaSignRound3,
  encodeSetupRound1,
  encodeSetupRound2,
  encodeSignRound1,
  encodeSignRound2,
  encodeSignRound3,
} from '../../../src/core/ecdsa/index.ts';

const GOLDEN = '8dfab679135569eb626ce7073d669718b8f5a6529935fbfb3328c611c96f8502';

function drbg(label: string) {
  const key = sha256(new TextEncoder().encode(`cairn-dkls23-golden/${label}`));
  let counter = 0;
  return (len: number = 32) => {
    const nonce = new Uint8Array(12);
    new DataView(nonce.buffer).setUint32(0, counter++);
    return chacha20(key, nonce, new Uint8Array(len));
  };
}

it('seeded DKG + setup + signature reproduce the pinned transcript hash', () => {
  const F = secp256k1_FROST;
  const ids = [F.Identifier.derive('golden-a'), F.Identifier.derive('golden-b')] as const;
  const [A, B] = ids;
  const signers = { min: 2, max: 2 };
  const r1 = ids.map((id) => F.DKG.round1(id, signers, undefined, drbg(`dkg-${id}`)));
  const r2 = [F.DKG.round2(r1[0]!.secret, [r1[1]!.public]), F.DKG.round2(r1[1]!.secret, [r1[0]!.public])];
  const keys: Record<string, Key> = {
    [A]: F.DKG.round3(r1[0]!.secret, [r1[1]!.public], [r2[1]![A]!]),
    [B]: F.DKG.round3(r1[1]!.secret, [r1[0]!.public], [r2[0]![B]!]),
  };
  const transcript = sha256.create();
  const context = new Uint8Array(32);
  const a1 = ecdsaSetupRound1({ self: A, peer: B, context, rng: drbg('setup-a') });
  const b1 = ecdsaSetupRound1({ self: B, peer: A, context, rng: drbg('setup-b') });
  transcript.update(encodeSetupRound1(a1.message)).update(encodeSetupRound1(b1.message));
  const a2 = ecdsaSetupRound2(a1.state, b1.message, drbg('setup-a2'));
  const b2 = ecdsaSetupRound2(b1.state, a1.message, drbg('setup-b2'));
  transcript.update(encodeSetupRound2(a2.message)).update(encodeSetupRound2(b2.message));
  const sa = ecdsaSetupRound3(a2.state, b2.message);
  const sb = ecdsaSetupRound3(b2.state, a2.message);

  const digest = sha256(new TextEncoder().encode('golden message'));
  const sessionId = sha256(new TextEncoder().encode('golden session'));
  const s1a = ecdsaSignRound1({ key: keys[A]!, setups: { [B]: sa }, signers: [A, B], digest, sessionId, rng: drbg('sign-a') });
  const s1b = ecdsaSignRound1({ key: keys[B]!, setups: { [A]: sb }, signers: [A, B], digest, sessionId, rng: drbg('sign-b') });
  transcript.update(encodeSignRound1(s1a.outgoing[B]!)).update(encodeSignRound1(s1b.outgoing[A]!));
  const s2a = ecdsaSignRound2(s1a.state, { [B]: s1b.outgoing[A]! });
  const s2b = ecdsaSignRound2(s1b.state, { [A]: s1a.outgoing[B]! });
  transcript.update(encodeSignRound2(s2a.outgoing[B]!)).update(encodeSignRound2(s2b.outgoing[A]!));
  const s3a = ecdsaSignRound3(s2a.state, { [B]: s2b.outgoing[A]! });
  const s3b = ecdsaSignRound3(s2b.state, { [A]: s2a.outgoing[B]! });
  transcript.update(encodeSignRound3(s3a.outgoing)).update(encodeSignRound3(s3b.outgoing));
  const sig = ecdsaSignFinalize(s3a.state, { [B]: s3b.outgoing });
  expect(ecdsaSignFinalize(s3b.state, { [A]: s3a.outgoing }).compact).toEqual(sig.compact);
  expect(secp256k1.verify(sig.compact, digest, keys[A]!.public.commitments[0]!, { prehash: false })).toBe(true);
  transcript.update(sig.compact).update(Uint8Array.of(sig.yParity));
  expect(bytesToHex(transcript.digest())).toBe(GOLDEN);
}, 120_000);
