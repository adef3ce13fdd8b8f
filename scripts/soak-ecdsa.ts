/**
 * Soak test for DKLs23 signing: `npm run soak:ecdsa [count]` (default 10,000). Real DKG keys (2-of-3 and 3-of-5),
 * one real pairwise setup per pair, then `count` signatures by random signer subsets, each checked with noble's
 * verify and public-key recovery. Prints the number of invalid signatures (must be 0) and aborts (must be 0).
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { dkgKeys } from '../test/helpers/dkgKeys.ts';
import { setupAll, signInProcess } from '../test/core/ecdsa/inProcess.ts';

const count = Number(process.argv[2] ?? 10_000);
const N = secp256k1.Point.Fn.ORDER;
const groups = [dkgKeys(2, 3, 'soak'), dkgKeys(3, 5, 'soak')];
const t0 = performance.now();
const setups = setupAll(groups[1]!.ids, randomBytes(32)); // same ids in both groups: setups are key-independent
console.log(`setup of ${(groups[1]!.ids.length * (groups[1]!.ids.length - 1)) / 2} pairs: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
let invalid = 0;
let aborted = 0;
const start = performance.now();
for (let i = 0; i < count; i++) {
  const g = groups[i % 4 === 3 ? 1 : 0]!;
  const t = g === groups[0] ? 2 : 3;
  const pool = [...g.ids];
  const signers: string[] = [];
  while (signers.length < t) signers.push(pool.splice(randomBytes(1)[0]! % pool.length, 1)[0]!);
  const digest = randomBytes(32);
  try {
    const sig = signInProcess({ keys: g.keys, setups, signers, digest });
    const ok =
      sig.s <= N >> 1n &&
      secp256k1.verify(sig.compact, digest, g.groupKey, { prehash: false, lowS: true }) &&
      new secp256k1.Signature(sig.r, sig.s, sig.yParity).recoverPublicKey(digest).equals(secp256k1.Point.fromBytes(g.groupKey));
    if (!ok) invalid++;
  } catch (err) {
    aborted++;
    console.error(`signature ${i}:`, err);
  }
  if ((i + 1) % 500 === 0)
    console.log(`${i + 1}/${count}  invalid=${invalid} aborted=${aborted}  ${((performance.now() - start) / (i + 1)).toFixed(1)} ms/sig`);
}
console.log(`done: ${count} signatures, invalid=${invalid}, aborted=${aborted}, ${((performance.now() - start) / 1000).toFixed(0)} s`);
process.exit(invalid || aborted ? 1 : 0);
