/**
 * The core computes FROST shares and aggregates itself (frostMath.ts + msmUnsafe) instead of
 * calling noble's signShare / aggregate. These tests hold it to noble's results on real DKG
 * wallets (derived 256-bit identifiers, any signer subset), check the group commitment against the
 * straightforward sum, and check that cheater detection still names every bad signer.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { NonceCommitments } from '@noble/curves/abstract/frost.js';
import {
  CairnError,
  decodeSigningNonces,
  encodeSigningNonces,
  frostAggregate,
  frostCommit,
  frostSignShare,
  frostSigningSession,
  toFrostPublic,
  toFrostSecret,
  type Identifier,
} from '../../src/core/index.ts';
import { Fn, Point, frost } from '../../src/core/curve.ts';
import { ByteWriter, bytesToHex } from '../../src/core/encoding.ts';
import { groupCommitment, sortCommitments } from '../../src/core/frost/frostMath.ts';
import { decodeCommitment, decodeCommitmentPoints, decodeSignatureShare, encodeCommitment, encodeSignatureShare } from '../../src/core/frost/frostPackages.ts';
import { runDkg, type Wallet } from '../helpers/coreDkg.ts';
import { expectCulprits } from '../helpers/expectCairnError.ts';

const request = { type: 'test-message' as const, message: new Uint8Array([4, 5, 6]) };

function round1(w: Wallet, signers: readonly Identifier[], requestId: Uint8Array) {
  const s = frostSigningSession(w.pub, { signers: signers.map(w.deviceOf), requestId, request });
  const keys = s.signers.map((id) => w.keys.get(id)!);
  const r1 = keys.map((k) => frostCommit(k, s));
  return { s, keys, r1, commitments: new Map(keys.map((k, i) => [k.identifier, r1[i]!.commitment])) };
}

describe('core FROST signer and aggregator agree with noble', () => {
  const w = runDkg(3, 5);

  it('every share and the signature equal noble’s, for random signer subsets (property)', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(w.ids, { minLength: 3, maxLength: 5 }), fc.uint8Array({ minLength: 1, maxLength: 4 }), (signers, requestId) => {
        const a = round1(w, signers, requestId);
        const list = [...a.commitments].map(([id, b]) => decodeCommitment(b, a.s.session, id)) as NonceCommitments[];
        const pub = toFrostPublic(w.pub, a.s.signers);
        const shares = new Map<string, Uint8Array>();
        const nobleShares: Record<string, Uint8Array> = {};
        a.keys.forEach((k, i) => {
          const nonces = { hiding: a.r1[i]!.nonces.nonces.hiding.slice(), binding: a.r1[i]!.nonces.nonces.binding.slice() };
          const ours = frostSignShare(k, a.r1[i]!.nonces, a.s, a.commitments);
          const theirs = frost.signShare(toFrostSecret(k), pub, nonces as never, list, a.s.digest);
          expect(bytesToHex(decodeSignatureShare(ours, a.s.session, k.identifier))).toBe(bytesToHex(theirs));
          shares.set(k.identifier, ours);
          nobleShares[k.identifier] = theirs;
        });
        const signature = frostAggregate(w.pub, a.s, a.commitments, shares);
        expect(bytesToHex(signature)).toBe(bytesToHex(frost.aggregate(pub, list, a.s.digest, nobleShares)));
        expect(frost.verify(signature, a.s.digest, w.pub.commitments[0]!)).toBe(true);
      }),
      { numRuns: 8 },
    );
  });

  it('the group commitment equals Σ Dᵢ + ρᵢ·Eᵢ computed term by term', () => {
    const a = round1(w, w.ids.slice(0, 4), new Uint8Array([1]));
    const decoded = [...a.commitments].map(([id, b]) => decodeCommitmentPoints(b, a.s.session, id));
    const group = groupCommitment(w.pub.commitments[0]!, sortCommitments(decoded), a.s.digest);
    const straightforward = decoded.reduce((acc, c) => acc.add(c.hiding).add(c.binding.multiply(group.bindingFactors.get(c.identifier)!)), Point.ZERO);
    expect(group.R.equals(straightforward)).toBe(true);
  });
});

describe('cheater detection names every bad signer', () => {
  const w = runDkg(3, 5);
  const signers = w.ids.slice(0, 4);

  function signedRound(requestId: number) {
    const a = round1(w, signers, new Uint8Array([requestId]));
    const shares = new Map(a.keys.map((k, i) => [k.identifier, frostSignShare(k, a.r1[i]!.nonces, a.s, a.commitments)]));
    const z = (id: Identifier) => Fn.fromBytes(decodeSignatureShare(shares.get(id)!, a.s.session, id));
    const put = (id: Identifier, value: bigint) => shares.set(id, encodeSignatureShare(a.s.session, id, Fn.toBytes(value)));
    return { a, shares, z, put };
  }

  it('two corrupted shares → both signers named', () => {
    const { a, shares, z, put } = signedRound(1);
    const [x, y] = [a.s.signers[1]!, a.s.signers[3]!];
    put(x, Fn.add(z(x), 1n));
    put(y, Fn.sub(z(y), 5n));
    expectCulprits(() => frostAggregate(w.pub, a.s, a.commitments, shares), 'BAD_SIGNATURE_SHARE', [x, y]);
  });

  it('errors that cancel in the sum are still caught by the aggregate check per share', () => {
    // z₁ + δ and z₂ − δ sum to the right z: the aggregate verifies, so the signature is valid and
    // no one is blamed (the shares' sum is all RFC 9591 needs). A share that only makes the sum
    // wrong is caught, and its sender named.
    const { a, shares, z, put } = signedRound(2);
    const [x, y] = [a.s.signers[0]!, a.s.signers[2]!];
    put(x, Fn.add(z(x), 7n));
    put(y, Fn.sub(z(y), 7n));
    const signature = frostAggregate(w.pub, a.s, a.commitments, shares);
    expect(frost.verify(signature, a.s.digest, w.pub.commitments[0]!)).toBe(true);
    put(y, Fn.sub(z(y), 8n));
    expectCulprits(() => frostAggregate(w.pub, a.s, a.commitments, shares), 'BAD_SIGNATURE_SHARE', [x, y]);
  });

  it('swapped shares → both signers named', () => {
    const { a, shares, z, put } = signedRound(3);
    const [x, y] = [a.s.signers[1]!, a.s.signers[2]!];
    const [zx, zy] = [z(x), z(y)];
    put(x, zy);
    put(y, zx);
    // Swapping keeps the sum: the aggregate is still valid. Replace one with a third signer's share.
    expect(frost.verify(frostAggregate(w.pub, a.s, a.commitments, shares), a.s.digest, w.pub.commitments[0]!)).toBe(true);
    put(y, z(a.s.signers[0]!));
    expectCulprits(() => frostAggregate(w.pub, a.s, a.commitments, shares), 'BAD_SIGNATURE_SHARE', [x, y]);
  });
});

describe('the own commitment check', () => {
  const w = runDkg(2, 3);
  const signers = w.ids.slice(0, 2);

  it('stored nonces keep their round-1 commitment and sign; a format-1 record (nonces only) recomputes it', () => {
    const a = round1(w, signers, new Uint8Array([1]));
    const b = round1(w, signers, new Uint8Array([2]));
    const stored = decodeSigningNonces(encodeSigningNonces(a.r1[0]!.nonces));
    expect(stored.commitment).toEqual(a.r1[0]!.nonces.commitment);
    const n = b.r1[0]!.nonces;
    expect(bytesToHex(n.commitment.hiding)).toBe(bytesToHex(Point.BASE.multiply(Fn.fromBytes(n.nonces.hiding)).toBytes(true)));
    expect(bytesToHex(n.commitment.binding)).toBe(bytesToHex(Point.BASE.multiply(Fn.fromBytes(n.nonces.binding)).toBytes(true)));
    const legacy = new ByteWriter().u8(1).bytes(n.session).identifier(n.identifier).bytes(n.nonces.hiding).bytes(n.nonces.binding).finish();
    const fromLegacy = decodeSigningNonces(legacy);
    expect(fromLegacy.commitment).toEqual(n.commitment);
    for (const [r, nonces] of [
      [a, stored],
      [b, fromLegacy],
    ] as const) {
      const shares = new Map(r.keys.map((k, i) => [k.identifier, frostSignShare(k, i === 0 ? nonces : r.r1[i]!.nonces, r.s, r.commitments)]));
      expect(frost.verify(frostAggregate(w.pub, r.s, r.commitments, shares), r.s.digest, w.pub.commitments[0]!)).toBe(true);
    }
  });

  it('a format-2 record whose commitment bytes are no valid point is refused when decoded (MALFORMED)', () => {
    const a = round1(w, signers, new Uint8Array([4]));
    const good = encodeSigningNonces(a.r1[0]!.nonces);
    for (const at of [good.length - 66, good.length - 33]) {
      const bad = good.slice();
      bad[at] = 0x05; // not a compressed-point prefix
      expect(() => decodeSigningNonces(bad)).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
    }
    const identity = good.slice();
    identity.fill(0, good.length - 33);
    expect(() => decodeSigningNonces(identity)).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
  });

  it('a list whose own commitment differs in either point, or has them swapped, is refused; nonces stay unspent', () => {
    const a = round1(w, signers, new Uint8Array([3]));
    const other = round1(w, signers, new Uint8Array([3]));
    const own = a.r1[0]!.nonces;
    const c = decodeCommitmentPoints(a.commitments.get(signers[0]!)!, a.s.session, signers[0]!);
    const o = decodeCommitmentPoints(other.commitments.get(signers[0]!)!, a.s.session, signers[0]!);
    const forgeries = [
      { hiding: o.hiding, binding: c.binding },
      { hiding: c.hiding, binding: o.binding },
      { hiding: c.binding, binding: c.hiding },
    ];
    for (const f of forgeries) {
      const list = new Map(a.commitments);
      list.set(a.keys[0]!.identifier, encodeCommitment(a.s.session, { identifier: a.keys[0]!.identifier, ...f }));
      expectCulprits(() => frostSignShare(a.keys[0]!, own, a.s, list), 'INCONSISTENT_COMMITMENTS', []);
      expect(own.consumed).toBe(false);
    }
    expect(() => frostSignShare(a.keys[0]!, own, a.s, a.commitments)).not.toThrow();
  });
});

describe('the signer set', () => {
  const w = runDkg(3, 4);

  const codeOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return (e as CairnError).code;
    }
    return undefined;
  };

  it('a session naming a stranger, or fewer than t guardians, is refused by signer and aggregator before any nonce is spent', () => {
    const a = round1(w, w.ids.slice(0, 3), new Uint8Array([2]));
    const stranger = runDkg(2, 2).ids[0]!;
    const strangerCommitment = encodeCommitment(a.s.session, { identifier: stranger, hiding: Point.BASE, binding: Point.BASE.double() });
    const withStranger = Object.freeze({ ...a.s, signers: Object.freeze([...a.s.signers.slice(0, 2), stranger]) });
    const list = new Map([...[...a.commitments].slice(0, 2), [stranger, strangerCommitment] as const]);
    const tooFew = Object.freeze({ ...a.s, signers: Object.freeze(a.s.signers.slice(0, 2)) });
    const two = new Map([...a.commitments].slice(0, 2));
    for (const [s, commitments] of [
      [withStranger, list],
      [tooFew, two],
    ] as const) {
      expect(codeOf(() => frostSignShare(a.keys[0]!, a.r1[0]!.nonces, s, commitments))).toBe('BAD_PARAMETERS');
      expect(a.r1[0]!.nonces.consumed).toBe(false);
      expect(codeOf(() => frostAggregate(w.pub, s, commitments, new Map()))).toBe('BAD_PARAMETERS');
    }
  });

  it('a session listing a guardian twice (fewer than t distinct signers) is refused by signer and aggregator', () => {
    const a = round1(w, w.ids.slice(0, 3), new Uint8Array([1]));
    const twice = Object.freeze({ ...a.s, signers: Object.freeze([a.s.signers[0]!, a.s.signers[0]!, a.s.signers[1]!]) });
    const two = new Map([...a.commitments].slice(0, 2));
    const err = (() => {
      try {
        frostSignShare(a.keys[0]!, a.r1[0]!.nonces, twice, two);
      } catch (e) {
        return e as CairnError;
      }
    })();
    expect(err?.code).toBe('BAD_PARAMETERS');
    expect(a.r1[0]!.nonces.consumed).toBe(false);
    expect(() => frostAggregate(w.pub, twice, two, new Map())).toThrow(CairnError);
  });
});
