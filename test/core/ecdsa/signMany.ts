/** Shared body of the signing suites: many signatures from random signer subsets, checked two independent ways. */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { bytesToHex, getAddress, numberToHex, recoverAddress } from 'viem';
import { publicKeyToAddress } from 'viem/accounts';
import { expect } from 'vitest';
import { dkgKeys } from '../../helpers/dkgKeys.ts';
import { signInProcess } from './inProcess.ts';
import { cachedSetups } from './setupCache.ts';

const N = secp256k1.Point.Fn.ORDER;

/** Picks `t` distinct members of `pool` uniformly (crypto randomness; test-only). */
function pick(pool: readonly string[], t: number): string[] {
  const a = [...pool];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomBytes(1)[0]! % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, t);
}

/**
 * Runs a real (t, n) DKG, then `count` signatures by random t-subsets of the first `poolSize` guardians. Every
 * signature must verify with noble (low-s enforced) and with Node's OpenSSL, and recover, with viem, to the group
 * key's Ethereum address.
 */
export async function signMany(t: number, n: number, count: number, poolSize = n): Promise<void> {
  const { ids, keys, groupKey } = dkgKeys(t, n);
  const pool = ids.slice(0, poolSize);
  const setups = cachedSetups(pool);
  const address = publicKeyToAddress(bytesToHex(secp256k1.Point.fromBytes(groupKey).toBytes(false)));
  // An independent verifier: Node's OpenSSL, over the SHA-256 preimage of the digest.
  const [x, y] = [1, 33].map((o) =>
    Buffer.from(
      secp256k1.Point.fromBytes(groupKey)
        .toBytes(false)
        .subarray(o, o + 32),
    ).toString('base64url'),
  );
  const opensslKey = createPublicKey({ key: { kty: 'EC', crv: 'secp256k1', x, y }, format: 'jwk' });
  for (let i = 0; i < count; i++) {
    const message = randomBytes(48);
    const digest = sha256(message);
    const signers = pick(pool, t);
    const sig = signInProcess({ keys, setups, signers, digest });
    expect(sig.s <= N >> 1n).toBe(true);
    expect(secp256k1.verify(sig.compact, digest, groupKey, { prehash: false, lowS: true })).toBe(true);
    expect(nodeVerify('sha256', message, { key: opensslKey, dsaEncoding: 'ieee-p1363' }, sig.compact)).toBe(true);
    const recovered = await recoverAddress({
      hash: bytesToHex(digest),
      signature: { r: numberToHex(sig.r, { size: 32 }), s: numberToHex(sig.s, { size: 32 }), yParity: sig.yParity },
    });
    expect(getAddress(recovered)).toBe(getAddress(address));
  }
}
