/**
 * BIP-374 DLEQ proofs: the published CSV vectors (test/vectors/bip374, pinned in its README) run
 * through src/core/secrets/dleq.ts — proof generation byte for byte, verification accept/reject.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { dleqGenerateProof, dleqVerifyProof } from '../../../src/core/secrets/dleq.ts';
import { Point } from '../../../src/core/secrets/group.ts';

const dir = fileURLToPath(new URL('../../vectors/bip374/', import.meta.url));
const rows = (file: string): string[][] =>
  readFileSync(dir + file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(','));
const point = (hex: string) => (hex === 'INFINITY' ? Point.ZERO : Point.fromHex(hex));
const msg = (hex: string) => (hex === '' ? undefined : hexToBytes(hex));

describe('BIP-374 test_vectors_generate_proof.csv', () => {
  const vectors = rows('test_vectors_generate_proof.csv');
  it('has the published rows', () => expect(vectors.length).toBe(11));
  for (const [index, G, a, B, r, m, result, comment] of vectors) {
    it(`#${index} ${comment}`, () => {
      const proof = dleqGenerateProof({ a: bytesToNumberBE(hexToBytes(a!)), B: point(B!), auxRand: hexToBytes(r!), G: point(G!), m: msg(m!) });
      expect(proof === undefined ? 'INVALID' : bytesToHex(proof)).toBe(result === 'INVALID' ? 'INVALID' : result!.toLowerCase());
    });
  }
});

describe('BIP-374 test_vectors_verify_proof.csv', () => {
  const vectors = rows('test_vectors_verify_proof.csv');
  it('has the published rows', () => expect(vectors.length).toBe(15));
  for (const [index, G, A, B, C, proof, m, result, comment] of vectors) {
    it(`#${index} ${comment}`, () => {
      const ok = dleqVerifyProof({ A: point(A!), B: point(B!), C: point(C!), proof: hexToBytes(proof!), G: point(G!), m: msg(m!) });
      expect(ok).toBe(result === 'TRUE');
    });
  }
});

describe('BIP-374 round trip beyond the vectors', () => {
  it('rejects every single-bit flip of a proof and of its message', () => {
    const a = 0x1234567890abcdefn;
    const B = Point.BASE.multiply(777n);
    const m = new Uint8Array(32).fill(7);
    const proof = dleqGenerateProof({ a, B, auxRand: new Uint8Array(32), m })!;
    const A = Point.BASE.multiply(a);
    const C = B.multiply(a);
    expect(dleqVerifyProof({ A, B, C, proof, m })).toBe(true);
    for (let bit = 0; bit < 512; bit += 37) {
      const bad = proof.slice();
      bad[bit >> 3]! ^= 1 << (bit & 7);
      expect(dleqVerifyProof({ A, B, C, proof: bad, m })).toBe(false);
    }
    const m2 = m.slice();
    m2[0]! ^= 1;
    expect(dleqVerifyProof({ A, B, C, proof, m: m2 })).toBe(false);
    expect(dleqVerifyProof({ A, B, C, proof })).toBe(false);
  });

  it('precomputed A and C give the same proof; wrong ones give none', () => {
    const a = 0xfeedn;
    const B = Point.BASE.multiply(99n);
    const auxRand = new Uint8Array(32).fill(1);
    const A = Point.BASE.multiply(a);
    const C = B.multiply(a);
    expect(dleqGenerateProof({ a, B, auxRand, precomputed: { A, C } })).toEqual(dleqGenerateProof({ a, B, auxRand }));
    expect(dleqGenerateProof({ a, B, auxRand, precomputed: { A, C: C.add(Point.BASE) } })).toBeUndefined();
  });
});
