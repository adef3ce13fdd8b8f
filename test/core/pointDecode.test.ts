/**
 * The core's point decompression (src/core/pointDecode.ts) against noble's Point.fromBytes: the
 * same point for every valid encoding (both y parities), and a refusal exactly where noble refuses
 * (x not on the curve, x ≥ p, wrong prefix or length).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Fn, Point } from '../../src/core/curve.ts';
import { decompressPoint } from '../../src/core/pointDecode.ts';

const P = Point.Fp.ORDER;
const nobleDecode = (bytes: Uint8Array): Point | undefined => {
  try {
    return Point.fromBytes(bytes);
  } catch {
    return undefined;
  }
};
/** prefix ‖ x as 32 big-endian bytes (x may be ≥ p, which noble's Fp.toBytes would refuse). */
function withX(prefix: number, x: bigint): Uint8Array {
  const bytes = new Uint8Array(33);
  bytes[0] = prefix;
  for (let i = 0; i < 32; i++) bytes[32 - i] = Number((x >> BigInt(8 * i)) & 0xffn);
  return bytes;
}

function expectSameAsNoble(bytes: Uint8Array): void {
  const ours = decompressPoint(bytes);
  const theirs = nobleDecode(bytes);
  if (!theirs) return void expect(ours).toBeUndefined();
  expect(ours).toBeDefined();
  expect(ours!.equals(theirs)).toBe(true);
  expect(ours!.toBytes(true)).toEqual(bytes);
}

describe('decompressPoint', () => {
  it('decodes every valid encoding to noble’s point, both parities (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: Fn.ORDER - 1n }), (k) => {
        const p = Point.BASE.multiply(k);
        expectSameAsNoble(p.toBytes(true));
        expectSameAsNoble(p.negate().toBytes(true));
      }),
      { numRuns: 60 },
    );
    for (const p of [Point.BASE, Point.BASE.negate(), Point.BASE.multiply(Fn.ORDER - 1n)]) expectSameAsNoble(p.toBytes(true));
  });

  it('refuses exactly where noble refuses: arbitrary x (half are on no point), both prefixes (property)', () => {
    let refused = 0;
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), fc.constantFrom(2, 3), (x, prefix) => {
        const bytes = withX(prefix, x);
        expectSameAsNoble(bytes);
        if (!decompressPoint(bytes)) refused++;
      }),
      { numRuns: 200 },
    );
    expect(refused).toBeGreaterThan(20); // the property did meet x-coordinates on no point
  });

  it('refuses x ≥ p, other prefixes and other lengths', () => {
    for (const x of [P, P + 1n, (1n << 256n) - 1n, P - 1n, 0n, 1n]) for (const prefix of [2, 3]) expectSameAsNoble(withX(prefix, x));
    expect(decompressPoint(withX(2, P))).toBeUndefined();
    const good = Point.BASE.multiply(77n).toBytes(true);
    for (const prefix of [0, 1, 4, 5, 6, 7, 0xff]) expect(decompressPoint(Uint8Array.of(prefix, ...good.subarray(1)))).toBeUndefined();
    expect(decompressPoint(good.subarray(0, 32))).toBeUndefined();
    expect(decompressPoint(Uint8Array.of(...good, 0))).toBeUndefined();
    expect(decompressPoint(Point.BASE.multiply(77n).toBytes(false))).toBeUndefined();
  });
});
