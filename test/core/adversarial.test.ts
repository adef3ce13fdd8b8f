/**
 * The malicious guardian: every bad contribution gets a typed CairnError naming the sender, and the
 * honest guardian's state is unchanged (it can still finish with honest packages).
 */
import { describe, expect, it } from 'vitest';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import {
  CairnError,
  dkgPart1,
  dkgPart2,
  dkgPart3,
  frostAggregate,
  frostCommit,
  frostSignShare,
  frostSigningSession,
  identifierOf,
  type DkgParams,
  type Identifier,
} from '../../src/core/index.ts';
import { Fn, Point, randomScalar } from '../../src/core/curve.ts';
import { encodeDkgRound1, decodeDkgRound1, decodeDkgRound2, encodeDkgRound2 } from '../../src/core/dkg/dkgPackages.ts';
import { proveKnowledge } from '../../src/core/dkg/proofOfKnowledge.ts';
import { encodeSignatureShare, decodeSignatureShare } from '../../src/core/frost/frostPackages.ts';
import { randomDeviceKeys, runDkg } from '../helpers/coreDkg.ts';

function expectCairn(fn: () => unknown, code: CairnError['code'], culprits?: Identifier[]) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CairnError);
    expect((err as CairnError).code).toBe(code);
    if (culprits) expect([...(err as CairnError).culprits].sort()).toEqual([...culprits].sort());
    return err as CairnError;
  }
  throw new Error(`expected CairnError ${code}, nothing was thrown`);
}

/** A 3-of-4 DKG stopped after round 1, so tests can tamper with what guardian 0 receives. */
function dkgAfterRound1(t = 3, n = 4, requestId = new Uint8Array([1]), walletId = new Uint8Array(32).fill(9)) {
  const deviceKeys = randomDeviceKeys(n);
  const ids = deviceKeys.map(identifierOf);
  const params = (self: Uint8Array): DkgParams => ({ walletId, deviceKeys, self, threshold: t, requestId });
  const r1 = deviceKeys.map((k) => dkgPart1(params(k)));
  const to = (i: number) => new Map(r1.flatMap((q, j) => (j === i ? [] : [[ids[j]!, q.broadcast] as const])));
  return { deviceKeys, ids, r1, to, params, t, walletId };
}

function dkgAfterRound2() {
  const d = dkgAfterRound1();
  const r2 = d.r1.map((p, i) => dkgPart2(p.state, d.to(i)));
  const to = (i: number) => new Map(r2.flatMap((q, j) => (j === i ? [] : [[d.ids[j]!, q.outgoing.get(d.ids[i]!)!] as const])));
  return { ...d, r2, to2: to };
}

describe('DKG round 1 checks (at round 2)', () => {
  it('bad proof of knowledge → BAD_PROOF_OF_KNOWLEDGE naming the sender; state untouched', () => {
    const d = dkgAfterRound1();
    const bad = d.to(0);
    const body = decodeDkgRound1(bad.get(d.ids[1]!)!, d.r1[0]!.state.ctx.session, d.ids[1]!);
    body.proof.mu = Fn.add(body.proof.mu, 1n);
    bad.set(d.ids[1]!, encodeDkgRound1(d.r1[0]!.state.ctx.session, d.ids[1]!, body));
    expectCairn(() => dkgPart2(d.r1[0]!.state, bad), 'BAD_PROOF_OF_KNOWLEDGE', [d.ids[1]!]);
    expect(d.r1[0]!.state.consumed).toBe(false);
    expect(() => dkgPart2(d.r1[0]!.state, d.to(0))).not.toThrow();
  });

  it.each([
    ['too long', 1],
    ['too short', -1],
  ])('commitment vector %s → BAD_COMMITMENT_LENGTH naming the sender', (_, delta) => {
    const d = dkgAfterRound1();
    const session = d.r1[0]!.state.ctx.session;
    const a0 = randomScalar();
    const coeffs = [a0, ...Array.from({ length: d.t - 1 + delta }, () => randomScalar())];
    const forged = encodeDkgRound1(session, d.ids[2]!, {
      commitment: coeffs.map((c) => Point.BASE.multiply(c)),
      proof: proveKnowledge(session, d.ids[2]!, a0), // a valid proof: only the length is wrong
    });
    const bad = d.to(0);
    bad.set(d.ids[2]!, forged);
    expectCairn(() => dkgPart2(d.r1[0]!.state, bad), 'BAD_COMMITMENT_LENGTH', [d.ids[2]!]);
    expect(d.r1[0]!.state.consumed).toBe(false);
  });

  it('a round-1 package from another session (other request) → WRONG_SESSION', () => {
    const d = dkgAfterRound1();
    const other = dkgPart1({ ...d.params(d.deviceKeys[1]!), requestId: new Uint8Array([2]) });
    const bad = d.to(0);
    bad.set(d.ids[1]!, other.broadcast);
    expectCairn(() => dkgPart2(d.r1[0]!.state, bad), 'WRONG_SESSION', [d.ids[1]!]);
  });

  it('a stranger, a missing guardian, or a package claiming another sender is refused', () => {
    const d = dkgAfterRound1();
    const stranger = identifierOf(randomDeviceKeys(1)[0]!);
    const withStranger = d.to(0);
    withStranger.set(stranger, d.r1[1]!.broadcast);
    expectCairn(() => dkgPart2(d.r1[0]!.state, withStranger), 'UNKNOWN_SENDER', [stranger]);
    const missing = d.to(0);
    missing.delete(d.ids[3]!);
    expectCairn(() => dkgPart2(d.r1[0]!.state, missing), 'MISSING_PACKAGE', [d.ids[3]!]);
    const swapped = d.to(0);
    swapped.set(d.ids[2]!, d.r1[3]!.broadcast); // 3's package relayed as if from 2
    expectCairn(() => dkgPart2(d.r1[0]!.state, swapped), 'UNKNOWN_SENDER', [d.ids[2]!]);
  });

  it('round 2 cannot run twice on one state', () => {
    const d = dkgAfterRound1();
    dkgPart2(d.r1[0]!.state, d.to(0));
    expectCairn(() => dkgPart2(d.r1[0]!.state, d.to(0)), 'STATE_CONSUMED');
  });
});

describe('DKG round 2 checks (at round 3)', () => {
  it('an inconsistent share to one guardian → BAD_SHARE naming the sender at that guardian only', () => {
    const d = dkgAfterRound2();
    const session = d.r1[0]!.state.ctx.session;
    const bad = d.to2(0);
    const body = decodeDkgRound2(bad.get(d.ids[1]!)!, session, d.ids[1]!);
    bad.set(d.ids[1]!, encodeDkgRound2(session, d.ids[1]!, { ...body, share: Fn.add(body.share, 1n) }));
    expectCairn(() => dkgPart3(d.r2[0]!.state, bad), 'BAD_SHARE', [d.ids[1]!]);
    expect(d.r2[0]!.state.consumed).toBe(false);
    // the honest guardian still finishes with the honest package; the others are unaffected
    expect(() => dkgPart3(d.r2[0]!.state, d.to2(0))).not.toThrow();
    for (const i of [1, 2, 3]) expect(() => dkgPart3(d.r2[i]!.state, d.to2(i))).not.toThrow();
  });

  it('round-2 packages replayed from another session → WRONG_SESSION', () => {
    const d = dkgAfterRound2();
    const e = (() => {
      // the same guardians, another DKG (new request): its round-2 packages replayed into ours
      const r1 = d.deviceKeys.map((k) => dkgPart1({ ...d.params(k), requestId: new Uint8Array([5]) }));
      const r2 = r1.map((p, i) => dkgPart2(p.state, new Map(r1.flatMap((q, j) => (j === i ? [] : [[d.ids[j]!, q.broadcast] as const])))));
      return r2;
    })();
    const replayed = d.to2(0);
    replayed.set(d.ids[2]!, e[2]!.outgoing.get(d.ids[0]!)!);
    expectCairn(() => dkgPart3(d.r2[0]!.state, replayed), 'WRONG_SESSION', [d.ids[2]!]);
  });

  it('a share addressed to another guardian → refused naming the sender', () => {
    const d = dkgAfterRound2();
    const misrouted = d.to2(0);
    misrouted.set(d.ids[1]!, d.r2[1]!.outgoing.get(d.ids[2]!)!);
    expectCairn(() => dkgPart3(d.r2[0]!.state, misrouted), 'WRONG_SESSION', [d.ids[1]!]);
  });

  it('equivocation: different round-1 commitments to different guardians → INCONSISTENT_COMMITMENTS', () => {
    const d = dkgAfterRound1();
    // guardian 3 sends guardian 0 a second, different (but individually valid) round-1 package
    const session = d.r1[0]!.state.ctx.session;
    const a0 = randomScalar();
    const coeffs = [a0, randomScalar(), randomScalar()];
    const alternative = encodeDkgRound1(session, d.ids[3]!, {
      commitment: coeffs.map((c) => Point.BASE.multiply(c)),
      proof: proveKnowledge(session, d.ids[3]!, a0),
    });
    const view0 = d.to(0);
    view0.set(d.ids[3]!, alternative);
    const r2 = d.r1.map((p, i) => dkgPart2(p.state, i === 0 ? view0 : d.to(i)));
    const to = (i: number) => new Map(r2.flatMap((q, j) => (j === i ? [] : [[d.ids[j]!, q.outgoing.get(d.ids[i]!)!] as const])));
    const err = expectCairn(() => dkgPart3(r2[1]!.state, to(1)), 'INCONSISTENT_COMMITMENTS');
    expect(err.culprits).toContain(d.ids[3]!);
  });
});

describe('FROST signing checks', () => {
  const w = runDkg(2, 3);
  const request = { type: 'test-message' as const, message: new Uint8Array([1, 2, 3]) };
  const signers = w.ids.slice(0, 2);
  const session = (requestId = new Uint8Array([3])) => frostSigningSession(w.pub, { signers: signers.map(w.deviceOf), requestId, request });

  function round1(s = session()) {
    const keys = signers.map((id) => w.keys.get(id)!);
    const r1 = keys.map((k) => frostCommit(k, s));
    return { s, keys, r1, commitments: new Map(keys.map((k, i) => [k.identifier, r1[i]!.commitment])) };
  }

  it('a commitment from another session → WRONG_SESSION naming its sender; nonces stay usable', () => {
    const a = round1();
    const b = round1(session(new Uint8Array([4])));
    const mixed = new Map(a.commitments);
    mixed.set(signers[1]!, b.commitments.get(signers[1]!)!);
    expectCairn(() => frostSignShare(a.keys[0]!, a.r1[0]!.nonces, a.s, mixed), 'WRONG_SESSION', [signers[1]!]);
    expect(a.r1[0]!.nonces.consumed).toBe(false);
    expect(() => frostSignShare(a.keys[0]!, a.r1[0]!.nonces, a.s, a.commitments)).not.toThrow();
  });

  it('a reused nonce → NONCE_REUSED (and noble zeroed the nonce bytes)', () => {
    const a = round1();
    frostSignShare(a.keys[0]!, a.r1[0]!.nonces, a.s, a.commitments);
    expect(a.r1[0]!.nonces.nonces.hiding.every((b) => b === 0)).toBe(true);
    expectCairn(() => frostSignShare(a.keys[0]!, a.r1[0]!.nonces, a.s, a.commitments), 'NONCE_REUSED');
    expect(JSON.stringify(a.r1[0]!.nonces)).toBe('"<redacted nonces>"');
  });

  it('a commitment list that replaces this device’s own commitment is refused', () => {
    const a = round1();
    const other = round1();
    const swapped = new Map(a.commitments);
    swapped.set(signers[0]!, other.commitments.get(signers[0]!)!);
    expectCairn(() => frostSignShare(a.keys[0]!, a.r1[0]!.nonces, a.s, swapped), 'INCONSISTENT_COMMITMENTS');
  });

  it('a corrupted signature share → BAD_SIGNATURE_SHARE naming exactly the bad signer', () => {
    const a = round1();
    const shares = new Map(a.keys.map((k, i) => [k.identifier, frostSignShare(k, a.r1[i]!.nonces, a.s, a.commitments)]));
    const z = decodeSignatureShare(shares.get(signers[1]!)!, a.s.session, signers[1]!);
    z[31] = z[31]! ^ 1;
    shares.set(signers[1]!, encodeSignatureShare(a.s.session, signers[1]!, z));
    expectCairn(() => frostAggregate(w.pub, a.s, a.commitments, shares), 'BAD_SIGNATURE_SHARE', [signers[1]!]);
  });

  it('shares of another epoch cannot join a session', () => {
    const key = w.keys.get(signers[0]!)!;
    const later = { ...key, public: { ...key.public, epoch: 1 } };
    expectCairn(() => frostCommit(later, session()), 'WRONG_EPOCH');
  });

  it('a signer outside the wallet cannot be chosen', () => {
    const stranger = secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true);
    expectCairn(() => frostSigningSession(w.pub, { signers: [w.deviceOf(signers[0]!), stranger], requestId: new Uint8Array(1), request }), 'UNKNOWN_SENDER', [
      identifierOf(stranger),
    ]);
  });
});
