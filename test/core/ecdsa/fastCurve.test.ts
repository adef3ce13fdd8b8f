/**
 * The fast curve pieces of the base OTs against noble: RFC 9380 hash-to-curve (src/core/ecdsa/hashToCurve.ts)
 * against `secp256k1_hasher.hashToCurve` on many messages and the RFC's own test vectors, the compressed-point decoder
 * against `Point.fromBytes` on valid and invalid encodings, the fixed-base comb `mulBase` against
 * `Point.BASE.multiply`, the batched encoder against `toBytes(true)`, and the gadget derivation (which now hashes its
 * shared prefix once) against hashing every entry from scratch.
 */
import { secp256k1, secp256k1_hasher } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { decodePoint, encodePoints, hashTagged, u32 } from '../../../src/core/ecdsa/encoding.ts';
import { mulBase } from '../../../src/core/ecdsa/glvMultiply.ts';
import { decodeCompressed, hashToCurve } from '../../../src/core/ecdsa/hashToCurve.ts';
import { XI } from '../../../src/core/ecdsa/params.ts';
import { deriveGadget } from '../../../src/core/ecdsa/vole.ts';

const Point = secp256k1.Point;
const n = Point.Fn.ORDER;
const p = Point.Fp.ORDER;
const rand = (len: number): Uint8Array => crypto.getRandomValues(new Uint8Array(len));
const randomScalar = (): bigint => {
  for (;;) {
    const k = Point.Fn.create(BigInt('0x' + Buffer.from(rand(48)).toString('hex')));
    if (k !== 0n) return k;
  }
};
const te = new TextEncoder();
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('hashToCurve (RFC 9380 secp256k1_XMD:SHA-256_SSWU_RO_)', () => {
  it('matches the RFC 9380 Appendix J.8.1 vectors', () => {
    const DST = 'QUUX-V01-CS02-with-secp256k1_XMD:SHA-256_SSWU_RO_';
    const vectors: [string, string, string][] = [
      ['', 'c1cae290e291aee617ebaef1be6d73861479c48b841eaba9b7b5852ddfeb1346', '64fa678e07ae116126f08b022a94af6de15985c996c3a91b64c406a960e51067'],
      ['abc', '3377e01eab42db296b512293120c6cee72b6ecf9f9205760bd9ff11fb3cb2c4b', '7f95890f33efebd1044d382a01b1bee0900fb6116f94688d487c6c7b9c8371f6'],
    ];
    for (const [msg, x, y] of vectors) {
      const a = hashToCurve(te.encode(msg), DST).toAffine();
      expect([a.x.toString(16).padStart(64, '0'), a.y.toString(16).padStart(64, '0')]).toEqual([x, y]);
    }
  });

  it("equals noble's hashToCurve on 500 random messages and DSTs", () => {
    for (let i = 0; i < 500; i++) {
      const msg = rand(i % 97);
      const dst = `cairn-test-${i % 5}`;
      const ours = hashToCurve(msg, dst);
      const noble = secp256k1_hasher.hashToCurve(msg, { DST: dst }) as unknown as InstanceType<typeof Point>;
      expect(ours.equals(noble)).toBe(true);
      ours.assertValidity();
    }
  });
});

describe('decodeCompressed / decodePoint', () => {
  it("decodes 300 random points like noble's fromBytes", () => {
    for (let i = 0; i < 300; i++) {
      const P = Point.BASE.multiply(randomScalar());
      const b = P.toBytes(true);
      expect(decodeCompressed(b)?.equals(P)).toBe(true);
      expect(decodePoint(b)?.equals(P)).toBe(true);
    }
  });

  it('refuses what noble refuses: x off the curve, x ≥ p, bad prefix, bad length, identity', () => {
    let offCurve = 0;
    for (let i = 0; i < 200; i++) {
      const b = rand(33);
      b[0] = 2 | (b[0]! & 1);
      let nobleOk = true;
      try {
        Point.fromBytes(b).assertValidity();
      } catch {
        nobleOk = false;
      }
      expect(decodeCompressed(b) !== undefined).toBe(nobleOk);
      if (!nobleOk) offCurve++;
    }
    expect(offCurve).toBeGreaterThan(50);
    const big = new Uint8Array(33);
    big[0] = 2;
    big.set(Buffer.from((p + 1n).toString(16).padStart(64, '0'), 'hex'), 1); // x = p + 1 ≡ 1
    expect(decodeCompressed(big)).toBeUndefined();
    const good = Point.BASE.toBytes(true);
    for (const prefix of [0, 1, 4, 5, 6, 7]) expect(decodeCompressed(Uint8Array.of(prefix, ...good.subarray(1)))).toBeUndefined();
    expect(decodeCompressed(good.subarray(0, 32))).toBeUndefined();
    expect(decodeCompressed(Point.BASE.toBytes(false))).toBeUndefined();
    expect(decodeCompressed(new Uint8Array(33))).toBeUndefined();
    expect(decodeCompressed(Uint8Array.of(0, ...good.subarray(1)).subarray(1))).toBeUndefined();
  });

  it('reads a subarray at an offset', () => {
    const b = Point.BASE.multiply(7n).toBytes(true);
    const buf = new Uint8Array(40);
    buf.set(b, 5);
    expect(decodeCompressed(buf.subarray(5, 38))?.equals(Point.BASE.multiply(7n))).toBe(true);
  });
});

describe('mulBase (fixed-base comb)', () => {
  it("equals noble's BASE.multiply on edge and 300 random scalars", () => {
    const edges = [
      1n,
      2n,
      31n,
      32n,
      33n,
      63n,
      64n,
      65n,
      n - 1n,
      n - 2n,
      n - 32n,
      n - 33n,
      1n << 255n,
      (1n << 252n) - 1n,
      0x8208208208208208208208208208208208208208208208208208208208208208n,
    ];
    for (let i = 0; i < 300; i++) edges.push(randomScalar());
    for (const k of edges) expect(mulBase(k).equals(Point.BASE.multiply(k))).toBe(true);
  });

  it('refuses 0, n and non-bigints', () => {
    expect(() => mulBase(0n)).toThrow(RangeError);
    expect(() => mulBase(n)).toThrow(RangeError);
    expect(() => mulBase(-1n)).toThrow(RangeError);
  });
});

describe('encodePoints', () => {
  it('gives the same bytes as toBytes(true), one inversion for all', () => {
    const pts = Array.from({ length: 50 }, () => Point.BASE.multiply(randomScalar()).add(Point.BASE.multiply(randomScalar())));
    expect(encodePoints(pts).map(hex)).toEqual(pts.map((q) => hex(q.toBytes(true))));
    expect(() => encodePoints([Point.BASE, Point.ZERO])).toThrow();
  });
});

describe('deriveGadget (shared SHA-256 prefix)', () => {
  it('equals hashing every entry from scratch: hashTagged(vole-gadget, setupId, j, σ), 48 bytes mod n', () => {
    const setupId = rand(32);
    const g = deriveGadget(setupId);
    expect(g.length).toBe(XI);
    for (const j of [0, 1, 2, 127, 128, 700, XI - 1]) {
      const buf = new Uint8Array(48);
      buf.set(hashTagged('vole-gadget', setupId, u32(j), u32(0)), 0);
      buf.set(hashTagged('vole-gadget', setupId, u32(j), u32(1)).subarray(0, 16), 32);
      expect(g[j]).toBe(BigInt('0x' + hex(buf)) % n);
    }
  });
});
