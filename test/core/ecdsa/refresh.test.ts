/**
 * Pairwise setups do not depend on key shares: after a proactive refresh (every share shifted by a zero-constant
 * polynomial, same group key) the old setups keep signing, and signatures still verify under the unchanged key.
 */
import type { Key } from '@noble/curves/abstract/frost.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { expect, it } from 'vitest';
import { mod, randomScalar, defaultRng, scalarToBytes } from '../../../src/core/ecdsa/encoding.ts';
import { dkgKeys } from '../../helpers/dkgKeys.ts';
import { signInProcess } from './inProcess.ts';
import { cachedSetups } from './setupCache.ts';

const P = secp256k1.Point;

it('a refreshed key set (same group key, new shares) signs with the same pairwise setups', () => {
  const { ids, keys, groupKey } = dkgKeys(2, 3);
  const setups = cachedSetups(ids);
  // δ(x) = a·x: δ(0) = 0, so the group key stays; every share and verifying share moves.
  const a = randomScalar(defaultRng);
  const refreshed: Record<string, Key> = {};
  const pub = keys[ids[0]!]!.public;
  const verifyingShares = Object.fromEntries(
    Object.entries(pub.verifyingShares).map(([id, X]) => [
      id,
      P.fromBytes(X)
        .add(P.BASE.multiply(mod(a * BigInt('0x' + id))))
        .toBytes(true),
    ]),
  );
  const commitments = [pub.commitments[0]!, P.fromBytes(pub.commitments[1]!).add(P.BASE.multiply(a)).toBytes(true)];
  for (const id of ids) {
    const x = BigInt('0x' + Buffer.from(keys[id]!.secret.signingShare).toString('hex'));
    refreshed[id] = {
      public: { signers: pub.signers, commitments, verifyingShares },
      secret: { identifier: id, signingShare: scalarToBytes(mod(x + a * BigInt('0x' + id))) as Uint8Array<ArrayBuffer> },
    };
    expect(refreshed[id]!.secret.signingShare).not.toEqual(keys[id]!.secret.signingShare);
  }
  for (const signers of [
    [ids[0]!, ids[1]!],
    [ids[1]!, ids[2]!],
    [ids[2]!, ids[0]!],
  ]) {
    const digest = randomBytes(32);
    const sig = signInProcess({ keys: refreshed, setups, signers, digest });
    expect(secp256k1.verify(sig.compact, digest, groupKey, { prehash: false })).toBe(true);
  }
});
