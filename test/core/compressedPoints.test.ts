/**
 * Nonce commitments and DKG round-1 points travel compressed (33 B) and are decoded by the core's
 * own square root (src/core/pointDecode.ts via ByteReader.point). Whatever a guardian puts in
 * those 33 bytes — an x on no point, x ≥ p, another prefix, zeros — the package is MALFORMED
 * naming that guardian, never a bare Error and never a point.
 */
import { describe, expect, it } from 'vitest';
import { Fn, Point, randomScalar } from '../../src/core/curve.ts';
import { decodeDkgRound1, encodeDkgRound1 } from '../../src/core/dkg/dkgPackages.ts';
import { decodeCommitmentPoints, encodeCommitment } from '../../src/core/frost/frostPackages.ts';
import { expectCulprits } from '../helpers/expectCairnError.ts';

const session = new Uint8Array(32).fill(5);
const from = Fn.toBytes(12345n).reduce((h, b) => h + b.toString(16).padStart(2, '0'), '');
const P = Point.Fp.ORDER;

function withX(prefix: number, x: bigint): Uint8Array {
  const bytes = new Uint8Array(33);
  bytes[0] = prefix;
  for (let i = 0; i < 32; i++) bytes[32 - i] = Number((x >> BigInt(8 * i)) & 0xffn);
  return bytes;
}

/** The smallest x ≥ 1 for which x³ + 7 is not a square (no point has it). */
function xOnNoPoint(): bigint {
  for (let x = 1n; ; x++) {
    try {
      Point.fromBytes(withX(2, x));
    } catch {
      return x;
    }
  }
}

/** 33-byte strings that encode no point; every one must be refused. */
function badEncodings(p: Point): Uint8Array[] {
  const good = p.toBytes(true);
  const hybridPrefix = good.slice();
  hybridPrefix[0] = 0x04;
  const zeroPrefix = good.slice();
  zeroPrefix[0] = 0x00;
  const onNoPoint = xOnNoPoint();
  // x + p is the same x mod p; only fits in 32 bytes when x < 2^256 − p.
  return [hybridPrefix, zeroPrefix, new Uint8Array(33), withX(2, onNoPoint), withX(3, onNoPoint), withX(2, P), withX(3, P + 1n), withX(2, (1n << 256n) - 1n)];
}

const expectMalformed = (fn: () => unknown) => expectCulprits(fn, 'MALFORMED', [from]);

describe('compressed point decoding in packages', () => {
  it('a nonce commitment with an invalid hiding or binding point → MALFORMED naming the sender', () => {
    const D = Point.BASE.multiply(randomScalar());
    const E = Point.BASE.multiply(randomScalar());
    const good = encodeCommitment(session, { identifier: from, hiding: D, binding: E });
    const decoded = decodeCommitmentPoints(good, session, from);
    expect(decoded.hiding.equals(D) && decoded.binding.equals(E)).toBe(true);
    expect(decoded.bindingBytes).toEqual(E.toBytes(true));
    for (const bad of badEncodings(E)) {
      for (const at of [good.length - 66, good.length - 33]) {
        const bytes = good.slice();
        bytes.set(bad, at);
        expectMalformed(() => decodeCommitmentPoints(bytes, session, from));
      }
    }
  });

  it('a DKG round-1 package with an invalid commitment entry or proof R → MALFORMED naming the sender', () => {
    const C = [1, 2, 3].map(() => Point.BASE.multiply(randomScalar()));
    const R = Point.BASE.multiply(randomScalar());
    const good = encodeDkgRound1(session, from, { commitment: C, proof: { R, mu: 7n } });
    const body = decodeDkgRound1(good, session, from);
    expect(body.commitment.every((c, i) => c.equals(C[i]!)) && body.proof.R.equals(R)).toBe(true);
    const rAt = good.length - 32 - 33;
    for (const bad of badEncodings(R)) {
      for (const at of [rAt, rAt - 33]) {
        const bytes = good.slice();
        bytes.set(bad, at);
        expectMalformed(() => decodeDkgRound1(bytes, session, from));
      }
    }
  });
});
