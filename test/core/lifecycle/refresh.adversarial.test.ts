/**
 * A malicious or vanishing refresh participant: every bad contribution is refused with a typed
 * error naming it, honest state is unchanged, nobody promotes, and the current epoch still signs.
 */
import { describe, expect, it } from 'vitest';
import { secp256k1_FROST } from '@noble/curves/secp256k1.js';
import type { FrostPublic, FrostSecret } from '@noble/curves/abstract/frost.js';
import { frostCommit, frostSigningSession, groupKeyOf, promote, refreshPart1, refreshPart2, refreshPart3, type Identifier } from '../../../src/core/index.ts';
import { Fn, Point, randomScalar } from '../../../src/core/curve.ts';
import { decodeRefreshRound1, decodeRefreshRound2, encodeRefreshRound1, encodeRefreshRound2 } from '../../../src/core/lifecycle/refreshPackages.ts';
import { runDkg, type Wallet } from '../../helpers/coreDkg.ts';
import { expectCairn, expectCairnError, promoteAll, promoted, runRefresh, sessionOf, signsWith, type Message } from './helpers.ts';

const stillSigns = (w: Wallet) => expect(signsWith(w, w.ids.slice(0, w.pub.threshold))).toBe(true);

describe('refresh: parameters and lengths (invariant 5)', () => {
  it('a refresh that names another t is refused (BAD_PARAMETERS), whether lower or higher', () => {
    const w = runDkg(3, 5);
    for (const threshold of [2, 4]) expectCairn(() => runRefresh(w, { threshold }), 'BAD_PARAMETERS');
  });

  it('fewer than t participants, or a stranger, is refused', () => {
    const w = runDkg(3, 5);
    expectCairn(() => runRefresh(w, { participants: w.ids.slice(0, 2) }), 'BAD_PARAMETERS');
    const other = runDkg(2, 2);
    const current = w.keys.get(w.ids[0]!)!;
    expectCairn(
      () => refreshPart1({ current, participants: [...w.deviceKeys, other.deviceKeys[0]!], threshold: 3, requestId: new Uint8Array(1) }),
      'UNKNOWN_SENDER',
      [other.ids[0]!],
    );
  });

  it.each([
    ['longer (raises t)', 1],
    ['shorter (lowers t)', -1],
  ])('a commitment vector %s than t−1 → BAD_COMMITMENT_LENGTH naming the sender', (_, delta) => {
    const w = runDkg(3, 4);
    const liar = w.ids[1]!;
    const s = runRefresh(w, {
      tamper: (m) => {
        if (m.stage !== 'refresh-round1' || m.from !== liar) return m.bytes;
        const c = decodeRefreshRound1(m.bytes, sessionOf(m.bytes), m.from);
        const forged = delta > 0 ? [...c, Point.BASE.multiply(randomScalar())] : c.slice(0, -1);
        return encodeRefreshRound1(sessionOf(m.bytes), m.from, forged);
      },
    });
    for (const id of w.ids.filter((id) => id !== liar)) expectCairnError(s.aborted.get(id), 'BAD_COMMITMENT_LENGTH', [liar]);
    expect(promoteAll(w, s).wallet).toBeUndefined();
    stillSigns(w);
  });
});

describe('refresh: forget-and-forgive and equivocation', () => {
  it('valid shares to some, invalid to others → the victims abort naming the culprit, nobody promotes, the old epoch signs', () => {
    const w = runDkg(3, 5);
    const [liar, victim] = [w.ids[0]!, w.ids[3]!];
    const s = runRefresh(w, {
      tamper: (m) => {
        if (m.stage !== 'refresh-round2' || m.from !== liar || m.to !== victim) return m.bytes;
        const body = decodeRefreshRound2(m.bytes, sessionOf(m.bytes), m.from);
        return encodeRefreshRound2(sessionOf(m.bytes), m.from, { ...body, share: Fn.add(body.share, 1n) });
      },
    });
    expectCairnError(s.aborted.get(victim), 'BAD_SHARE', [liar]);
    expect(s.staged.size).toBe(4); // everyone else, liar included, staged …
    const p = promoteAll(w, s);
    expect(p.results.size).toBe(0); // … but nobody promotes: the victim never confirms
    for (const err of p.failed.values()) expectCairnError(err, 'MISSING_PACKAGE', [victim]);
    stillSigns(w);
  });

  it('different commitments to different holders → caught by the echo, the equivocator named', () => {
    const w = runDkg(3, 4);
    const liar = w.ids[2]!;
    const s = runRefresh(w, {
      tamper: (m) => {
        if (m.stage !== 'refresh-round1' || m.from !== liar || m.to !== w.ids[0]) return m.bytes;
        const c = decodeRefreshRound1(m.bytes, sessionOf(m.bytes), m.from);
        return encodeRefreshRound1(sessionOf(m.bytes), m.from, [c[0]!.add(Point.BASE), ...c.slice(1)]);
      },
    });
    expect([...s.staged.keys()]).toEqual([]);
    for (const err of s.aborted.values()) {
      expectCairnError(err, 'INCONSISTENT_COMMITMENTS');
      expect((err as { culprits: string[] }).culprits).toContain(liar);
    }
    stillSigns(w);
  });

  it('a holder that confirms another public package → INCONSISTENT_COMMITMENTS naming it; nobody promotes', () => {
    const w = runDkg(2, 3);
    const s = runRefresh(w);
    const liar = w.ids[1]!;
    const p = promoteAll(w, s, (m) => {
      if (m.from !== liar) return m.bytes;
      const forged = m.bytes.slice();
      forged[66] = forged[66]! ^ 1; // first byte of the confirmed hash (after the 66-byte header)
      return forged;
    });
    for (const id of w.ids.filter((id) => id !== liar)) expectCairnError(p.failed.get(id), 'INCONSISTENT_COMMITMENTS', [liar]);
    expect(p.wallet).toBeUndefined();
    stillSigns(w);
  });
});

describe('refresh: a holder that vanishes at any message', () => {
  it.each(['refresh-round1', 'refresh-round2', 'confirmation'])('silent at %s → MISSING_PACKAGE naming it, old epoch intact', (stage) => {
    const w = runDkg(3, 4);
    const gone = w.ids[1]!;
    const drop = (m: Message) => (m.stage === stage && m.from === gone ? undefined : m.bytes);
    const s = runRefresh(w, { tamper: stage === 'confirmation' ? undefined : drop });
    const p = promoteAll(w, s, stage === 'confirmation' ? drop : undefined);
    const errors = [...s.aborted.values(), ...p.failed.values()].filter((e) => (e as { culprits: string[] }).culprits?.includes(gone));
    expect(errors.length).toBeGreaterThanOrEqual(w.ids.length - 1);
    for (const e of errors) expectCairnError(e, 'MISSING_PACKAGE', [gone]);
    expect(p.wallet).toBeUndefined();
    for (const id of w.ids) expect(w.keys.get(id)!.public.epoch).toBe(0);
    stillSigns(w);
  });
});

describe('refresh: replay and state', () => {
  it('a package from another refresh of the same epoch, or from the previous epoch, → WRONG_SESSION', () => {
    const w = runDkg(2, 3);
    const earlier = refreshPart1({ current: w.keys.get(w.ids[1]!)!, participants: w.deviceKeys, threshold: 2, requestId: new Uint8Array([1]) });
    const replayInto = (target: Wallet, requestId: Uint8Array) => {
      const me = target.keys.get(target.ids.find((id) => id !== w.ids[1])!)!;
      const r1 = refreshPart1({ current: me, participants: target.deviceKeys, threshold: 2, requestId });
      const others = target.ids.filter((id) => id !== me.identifier);
      const inbox = new Map<Identifier, Uint8Array>(
        others.map((id) => [id, refreshPart1({ current: target.keys.get(id)!, participants: target.deviceKeys, threshold: 2, requestId }).broadcast]),
      );
      inbox.set(w.ids[1]!, earlier.broadcast);
      expectCairn(() => refreshPart2(r1.state, inbox), 'WRONG_SESSION', [w.ids[1]!]);
      expect(r1.state.consumed).toBe(false);
    };
    replayInto(w, new Uint8Array([2])); // same epoch, another request
    const w1 = promoted(w, runRefresh(w, { requestId: new Uint8Array([1]) }));
    replayInto(w1, new Uint8Array([1])); // next epoch, even with the same request id
  });

  it('a failed step changes no state: the same state finishes with honest packages; a used state is refused', () => {
    const w = runDkg(2, 3);
    const params = (id: Identifier) => ({ current: w.keys.get(id)!, participants: w.deviceKeys, threshold: 2, requestId: new Uint8Array([3]) });
    const r1 = w.ids.map((id) => refreshPart1(params(id)));
    const inbox1 = (i: number) => new Map(r1.flatMap((r, k) => (k === i ? [] : [[w.ids[k]!, r.broadcast] as const])));
    expectCairn(() => refreshPart2(r1[0]!.state, new Map([...inbox1(0)].slice(1))), 'MISSING_PACKAGE', [w.ids[1]!]);
    const r2 = r1.map((r, i) => refreshPart2(r.state, inbox1(i)));
    expectCairn(() => refreshPart2(r1[0]!.state, inbox1(0)), 'STATE_CONSUMED');
    const inbox2 = new Map(r2.slice(1).map((r, k) => [w.ids[k + 1]!, r.outgoing.get(w.ids[0]!)!]));
    const session = sessionOf(inbox2.get(w.ids[1]!)!);
    const body = decodeRefreshRound2(inbox2.get(w.ids[1]!)!, session, w.ids[1]!);
    const bad = new Map(inbox2).set(w.ids[1]!, encodeRefreshRound2(session, w.ids[1]!, { ...body, share: Fn.add(body.share, 1n) }));
    expectCairn(() => refreshPart3(r2[0]!.state, bad), 'BAD_SHARE', [w.ids[1]!]);
    expect(r2[0]!.state.consumed).toBe(false);
    expect(refreshPart3(r2[0]!.state, inbox2).staged.key.public.epoch).toBe(1);
    expectCairn(() => refreshPart3(r2[0]!.state, inbox2), 'STATE_CONSUMED');
  });

  it('a package from a stranger, or this device’s own package fed back, → UNKNOWN_SENDER naming the sender', () => {
    const w = runDkg(2, 3);
    const params = (id: Identifier) => ({ current: w.keys.get(id)!, participants: w.deviceKeys, threshold: 2, requestId: new Uint8Array([4]) });
    const r1 = w.ids.map((id) => refreshPart1(params(id)));
    const inbox = new Map(r1.slice(1).map((r, k) => [w.ids[k + 1]!, r.broadcast]));
    const stranger = runDkg(2, 2).ids[0]!;
    expectCairn(() => refreshPart2(r1[0]!.state, new Map(inbox).set(stranger, r1[1]!.broadcast)), 'UNKNOWN_SENDER', [stranger]);
    expectCairn(() => refreshPart2(r1[0]!.state, new Map(inbox).set(w.ids[0]!, r1[0]!.broadcast)), 'UNKNOWN_SENDER', [w.ids[0]!]);
    expect(r1[0]!.state.consumed).toBe(false);
  });

  it('confirmations replayed from another refresh → WRONG_SESSION naming the sender', () => {
    const w = runDkg(2, 3);
    const a = runRefresh(w, { requestId: new Uint8Array([1]) });
    const b = runRefresh(w, { requestId: new Uint8Array([2]) });
    const [me, other] = [w.ids[0]!, w.ids[1]!];
    const confirmations = new Map([...b.staged].filter(([id]) => id !== me).map(([id, s]) => [id, s.confirmation]));
    confirmations.set(other, a.staged.get(other)!.confirmation);
    expectCairn(() => promote(w.keys.get(me), b.staged.get(me)!, confirmations), 'WRONG_SESSION', [other]);
  });
});

describe('refresh: epochs never mix (invariant 4)', () => {
  it('an old-epoch share is refused by a new-epoch signing session and vice versa (WRONG_EPOCH)', () => {
    const w = runDkg(2, 3);
    const w1 = promoted(w, runRefresh(w));
    const request = { type: 'test-message' as const, message: new Uint8Array([1]) };
    const newSession = frostSigningSession(w1.pub, { signers: w1.ids.slice(0, 2).map(w1.deviceOf), requestId: new Uint8Array([1]), request });
    const oldSession = frostSigningSession(w.pub, { signers: w.ids.slice(0, 2).map(w.deviceOf), requestId: new Uint8Array([1]), request });
    expect(newSession.session).not.toEqual(oldSession.session);
    expectCairn(() => frostCommit(w.keys.get(w.ids[0]!)!, newSession), 'WRONG_EPOCH');
    expectCairn(() => frostCommit(w1.keys.get(w.ids[0]!)!, oldSession), 'WRONG_EPOCH');
  });

  it('even bypassing the session checks, an old share with new shares gives no valid signature (its holder is named)', () => {
    const w = runDkg(3, 4);
    const w1 = promoted(w, runRefresh(w));
    const signers = w.ids.slice(0, 3);
    const pub: FrostPublic = {
      signers: { min: 3, max: 4 },
      commitments: w1.pub.commitments.map((c) => c.slice()),
      verifyingShares: Object.fromEntries(Object.entries(w1.pub.verifyingShares).map(([k, v]) => [k, v.slice()])),
    } as FrostPublic;
    const secrets = signers.map((id, k) => ({ identifier: id, signingShare: (k === 0 ? w : w1).keys.get(id)!.signingShare.slice() }) as FrostSecret);
    const msg = new Uint8Array(32).fill(7);
    const r1 = secrets.map((s) => secp256k1_FROST.commit(s));
    const list = r1.map((r) => r.commitments);
    const shares = Object.fromEntries(secrets.map((s, k) => [s.identifier, secp256k1_FROST.signShare(s, pub, r1[k]!.nonces, list, msg)]));
    let cheaters: string[] = [];
    try {
      const sig = secp256k1_FROST.aggregate(pub, list, msg, shares);
      expect(secp256k1_FROST.verify(sig, msg, groupKeyOf(w1.pub))).toBe(false);
    } catch (err) {
      cheaters = (err as { cheaters?: string[] }).cheaters ?? [];
    }
    expect(cheaters).toEqual([signers[0]]);
  });
});
