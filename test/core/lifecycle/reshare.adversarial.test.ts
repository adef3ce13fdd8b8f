/**
 * A malicious or vanishing reshare dealer or new holder: typed errors naming the culprit, nobody
 * promotes unless every new holder confirmed the same public package, the old epoch still signs.
 */
import { describe, expect, it } from 'vitest';
import { identifierOf, reshareDeal, type Identifier, type ReshareParams } from '../../../src/core/index.ts';
import { Fn, Point, randomScalar } from '../../../src/core/curve.ts';
import { commitPolynomial, evaluatePolynomial, lagrangeCoefficient, randomPolynomial } from '../../../src/core/polynomial.ts';
import { identifierToScalar } from '../../../src/core/identifier.ts';
import { decodeReshareRound1, decodeReshareRound2, encodeReshareRound1, encodeReshareRound2 } from '../../../src/core/lifecycle/resharePackages.ts';
import { runDkg, type Wallet } from '../../helpers/coreDkg.ts';
import { expectCairn, expectCairnError, promoteAll, randomDeviceKeys, runReshare, sessionOf, signsWith, type Message, type Tamper } from './helpers.ts';

const stillSigns = (w: Wallet) => expect(signsWith(w, w.ids.slice(0, w.pub.threshold))).toBe(true);

/** 3-of-4 → 3-of-5 (two old holders kept), dealers = first three old holders. */
function setup() {
  const w = runDkg(3, 4);
  const dealers = [...w.ids.slice(0, 3)].sort();
  const newDeviceKeys = [w.deviceOf(w.ids[0]!), w.deviceOf(w.ids[3]!), ...randomDeviceKeys(3)];
  const run = (tamper?: Tamper) => runReshare(w, { dealers, newDeviceKeys, newThreshold: 3, tamper });
  return { w, dealers, liar: dealers[1]!, newIds: newDeviceKeys.map(identifierOf).sort(), run };
}

describe('reshare: what every new holder checks', () => {
  it.each([
    ['t′+1', 1],
    ['t′−1', -1],
  ])('a dealer committing to %s coefficients → BAD_COMMITMENT_LENGTH naming it', (_, delta) => {
    const { w, liar, run } = setup();
    const s = run((m) => {
      if (m.stage !== 'reshare-round1' || m.from !== liar) return m.bytes;
      const c = decodeReshareRound1(m.bytes, sessionOf(m.bytes), m.from);
      return encodeReshareRound1(sessionOf(m.bytes), m.from, delta > 0 ? [...c, Point.BASE] : c.slice(0, -1));
    });
    expect([...s.staged.keys()].filter((id) => id !== liar)).toEqual([]); // only the liar itself (if it is a new holder)
    expect(s.aborted.size).toBe(s.holders.filter((id) => id !== liar).length);
    for (const err of s.aborted.values()) expectCairnError(err, 'BAD_COMMITMENT_LENGTH', [liar]);
    stillSigns(w);
  });

  it('a dealer that shares something other than its Lagrange part (constant term ≠ λ·verifying share) is named', () => {
    const { w, liar, run } = setup();
    // A self-consistent dealing of a random secret: every share matches the commitments, only the constant term is wrong.
    const coefficients = randomPolynomial(randomScalar(), 3);
    const s = run((m) => {
      if (m.from !== liar) return m.bytes;
      if (m.stage === 'reshare-round1') return encodeReshareRound1(sessionOf(m.bytes), m.from, commitPolynomial(coefficients));
      return encodeReshareRound2(sessionOf(m.bytes), m.from, m.to, evaluatePolynomial(coefficients, identifierToScalar(m.to)));
    });
    expect([...s.staged.keys()].filter((id) => id !== liar)).toEqual([]); // only the liar itself (if it is a new holder)
    expect(s.aborted.size).toBe(s.holders.filter((id) => id !== liar).length);
    for (const err of s.aborted.values()) expectCairnError(err, 'INCONSISTENT_COMMITMENTS', [liar]);
    stillSigns(w);
  });

  it('dealers whose top coefficients cancel (a silently lower t′) → INCONSISTENT_COMMITMENTS, nobody stages', () => {
    const { w, dealers, run } = setup();
    const polys = new Map(dealers.map((id) => [id, randomPolynomial(Fn.mul(lagrangeCoefficient(id, dealers), Fn.fromBytes(w.keys.get(id)!.signingShare)), 3)]));
    const last = polys.get(dealers[2]!)!;
    last[2] = Fn.neg(Fn.add(polys.get(dealers[0]!)![2]!, polys.get(dealers[1]!)![2]!));
    const s = run((m) => {
      const poly = polys.get(m.from)!;
      if (m.stage === 'reshare-round1') return encodeReshareRound1(sessionOf(m.bytes), m.from, commitPolynomial(poly));
      return encodeReshareRound2(sessionOf(m.bytes), m.from, m.to, evaluatePolynomial(poly, identifierToScalar(m.to)));
    });
    // (A dealer's packages to itself bypass the hook, so only the holders that aren't dealers are tested.)
    const outsiders = s.holders.filter((id) => !dealers.includes(id));
    for (const id of outsiders) expectCairnError(s.aborted.get(id), 'INCONSISTENT_COMMITMENTS');
  });

  it('invalid new threshold, too few dealers, a dealer from outside → BAD_PARAMETERS / UNKNOWN_SENDER', () => {
    const { w } = setup();
    const base: ReshareParams = {
      previous: w.pub,
      dealers: w.deviceKeys.slice(0, 3),
      newDeviceKeys: randomDeviceKeys(3),
      newThreshold: 2,
      requestId: new Uint8Array(1),
    };
    const key = w.keys.get(w.ids[0]!)!;
    expectCairn(() => reshareDeal({ ...base, newThreshold: 4 }, key), 'BAD_PARAMETERS');
    expectCairn(() => reshareDeal({ ...base, newThreshold: 1 }, key), 'BAD_PARAMETERS');
    expectCairn(() => reshareDeal({ ...base, dealers: w.deviceKeys.slice(0, 2) }, key), 'BAD_PARAMETERS');
    const stranger = randomDeviceKeys(1)[0]!;
    expectCairn(() => reshareDeal({ ...base, dealers: [...w.deviceKeys.slice(0, 3), stranger] }, key), 'UNKNOWN_SENDER');
  });
});

describe('reshare: forget-and-forgive', () => {
  it('valid shares to some new holders, invalid to others → victims abort naming the dealer, nobody promotes, the old epoch signs', () => {
    const { w, liar, run } = setup();
    let victims: Identifier[] = [];
    const s = run((m) => {
      if (m.stage !== 'reshare-round2' || m.from !== liar) return m.bytes;
      if (victims.length >= 2 && !victims.includes(m.to)) return m.bytes;
      if (!victims.includes(m.to)) victims = [...victims, m.to];
      const body = decodeReshareRound2(m.bytes, sessionOf(m.bytes), m.from);
      return encodeReshareRound2(sessionOf(m.bytes), m.from, body.recipient, Fn.add(body.share, 1n));
    });
    expect(victims.length).toBe(2);
    for (const v of victims) expectCairnError(s.aborted.get(v), 'BAD_SHARE', [liar]);
    expect(s.staged.size).toBe(3);
    const p = promoteAll(w, s);
    expect(p.results.size).toBe(0);
    for (const err of p.failed.values()) expectCairnError(err, 'MISSING_PACKAGE', victims);
    for (const key of w.keys.values()) expect(key.public.epoch).toBe(0);
    stillSigns(w);
  });

  it('a dealer that shows different (self-consistent) dealings to different holders → confirmations name it; nobody promotes', () => {
    const { w, dealers, liar, newIds, run } = setup();
    const part = Fn.mul(lagrangeCoefficient(liar, dealers), Fn.fromBytes(w.keys.get(liar)!.signingShare));
    // A second polynomial with the same (correct) constant term λ·s: valid for its recipients, but another public package.
    const other = randomPolynomial(part, 3);
    const victims = newIds.filter((id) => id !== liar).slice(0, 2); // two holders see one dealing, the rest another
    const fooled = (to: Identifier) => victims.includes(to);
    const s = run((m: Message) => {
      if (m.from !== liar || !fooled(m.to)) return m.bytes;
      if (m.stage === 'reshare-round1') return encodeReshareRound1(sessionOf(m.bytes), m.from, commitPolynomial(other));
      return encodeReshareRound2(sessionOf(m.bytes), m.from, m.to, evaluatePolynomial(other, identifierToScalar(m.to)));
    });
    expect(s.aborted.size).toBe(0); // every holder's own checks pass …
    const p = promoteAll(w, s);
    expect(p.results.size).toBe(0); // … but the confirmations disagree
    for (const err of p.failed.values()) {
      expectCairnError(err, 'INCONSISTENT_COMMITMENTS');
      expect((err as { culprits: string[] }).culprits).toContain(liar);
    }
    stillSigns(w);
  });
});

describe('reshare: a party that vanishes at any message', () => {
  it.each(['reshare-round1', 'reshare-round2'])('a dealer silent at %s → MISSING_PACKAGE naming it at every new holder', (stage) => {
    const { w, liar, run } = setup();
    const s = run((m) => (m.stage === stage && m.from === liar ? undefined : m.bytes));
    // A dealer who is also a new holder still has its own package; everyone else misses it.
    for (const [id, err] of s.aborted) if (id !== liar) expectCairnError(err, 'MISSING_PACKAGE', [liar]);
    expect(promoteAll(w, s).wallet).toBeUndefined();
    stillSigns(w);
  });

  it('a new holder silent at confirmation → nobody promotes (MISSING_PACKAGE naming it)', () => {
    const { w, run } = setup();
    const s = run();
    const gone = s.holders[4]!;
    const p = promoteAll(w, s, (m) => (m.from === gone ? undefined : m.bytes));
    for (const [id, err] of p.failed) if (id !== gone) expectCairnError(err, 'MISSING_PACKAGE', [gone]);
    expect(p.results.size).toBe(1); // only the silent one saw everyone else's confirmation
    expect(p.wallet).toBeUndefined();
    stillSigns(w);
  });
});

describe('reshare: replay', () => {
  it('packages from another reshare request → WRONG_SESSION naming the sender', () => {
    const { w, dealers } = setup();
    const newDeviceKeys = randomDeviceKeys(3);
    const params = (requestId: number): ReshareParams => ({
      previous: w.pub,
      dealers: dealers.map(w.deviceOf),
      newDeviceKeys,
      newThreshold: 2,
      requestId: new Uint8Array([requestId]),
    });
    const old = reshareDeal(params(1), w.keys.get(dealers[0]!)!);
    const s = runReshare(w, {
      dealers,
      newDeviceKeys,
      newThreshold: 2,
      requestId: new Uint8Array([2]),
      tamper: (m) => (m.from === dealers[0] ? (m.stage === 'reshare-round1' ? old.broadcast : old.outgoing.get(m.to)!) : m.bytes),
    });
    for (const err of s.aborted.values()) expectCairnError(err, 'WRONG_SESSION', [dealers[0]!]);
    expect(s.aborted.size).toBe(3);
  });
});
