/**
 * Determinism and decoder robustness. With a seeded test-only DRBG per signer and a fixed session id, signing is a
 * pure function of its inputs (byte-identical signatures); another seed changes R. Random garbage in any round-2
 * field yields a CairnError naming the sender, never a generic exception.
 */
import { chacha20 } from '@noble/ciphers/chacha.js';
import { randomBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { ecdsaSignRound1, ecdsaSignRound2, ecdsaSignRound3, type SignRound2Message } from '../../../src/core/ecdsa/index.ts';
import { isCairnError } from '../../../src/core/errors.ts';
import { dkgKeys } from '../../helpers/dkgKeys.ts';
import { signInProcess } from './inProcess.ts';
import { cachedSetups } from './setupCache.ts';

/** Test-only DRBG: ChaCha20 keystream of a 32-byte seed. Never for real keys. */
function seededRng(seed: Uint8Array) {
  let counter = 0;
  return (len: number) => {
    const nonce = new Uint8Array(12);
    new DataView(nonce.buffer).setUint32(0, counter++);
    return chacha20(seed, nonce, new Uint8Array(len));
  };
}

const { ids, keys } = dkgKeys(2, 3);
const signers = [ids[0]!, ids[1]!];

it('same seeds and session id → identical signature; another seed → another R', () => {
  const digest = randomBytes(32);
  const sessionId = randomBytes(32);
  const seeds = Object.fromEntries(signers.map((s) => [s, randomBytes(32)]));
  const run = (salt = 0) => {
    const rngs = Object.fromEntries(signers.map((s) => [s, seededRng(seeds[s]!.map((b, i) => (i === 0 ? b ^ salt : b)))]));
    return signInProcess({ keys, setups: cachedSetups(ids), signers, digest, sessionId, rngs });
  };
  const a = run();
  const b = run();
  expect(b.compact).toEqual(a.compact);
  expect(run(1).r).not.toBe(a.r);
});

it('fuzz: garbage in round-2 fields is a CairnError naming the sender', () => {
  const setups = cachedSetups(ids);
  const [A, B] = signers as [string, string];
  const field = fc.constantFrom<keyof SignRound2Message>('R', 'salt', 'gammaU', 'gammaV', 'psi', 'pk');
  fc.assert(
    fc.property(field, fc.uint8Array({ minLength: 0, maxLength: 40 }), (name, junk) => {
      const digest = randomBytes(32);
      const sessionId = randomBytes(32);
      const a1 = ecdsaSignRound1({ key: keys[A]!, setups: setups[A]!, signers, digest, sessionId });
      const b1 = ecdsaSignRound1({ key: keys[B]!, setups: setups[B]!, signers, digest, sessionId });
      const a2 = ecdsaSignRound2(a1.state, { [B]: b1.outgoing[A]! });
      const b2 = ecdsaSignRound2(b1.state, { [A]: a1.outgoing[B]! });
      void a2;
      const bad = { ...b2.outgoing[A]!, [name]: junk };
      try {
        ecdsaSignRound3(a2.state, { [B]: bad });
      } catch (e) {
        expect(isCairnError(e), String(e)).toBe(true);
        if (isCairnError(e)) expect(e.culprits).toEqual([B]);
        // a banning verdict must have destroyed the setup; re-arm for the next run
        if (setups[A]![B]!.status === 'destroyed') Object.assign(setups, cachedSetups(ids));
        return;
      }
      // Garbage that still decodes as valid (e.g. a random point) must have been caught; reaching here is a bug.
      throw new Error(`round 3 accepted a garbage ${String(name)}`);
    }),
    { numRuns: 15 },
  );
}, 120_000);
