/**
 * Repair/enroll with lying or vanishing helpers: the recovered share is checked before it is
 * accepted, the helper at fault is named from public points only, and nothing changes for anyone.
 */
import { describe, expect, it } from 'vitest';
import { identifierOf, repairPart1, repairPart2, type Identifier, type RepairParams } from '../../../src/core/index.ts';
import { Fn, Point, randomScalar } from '../../../src/core/curve.ts';
import { decodeRepairDelta, decodeRepairSigma, encodeRepairDelta, encodeRepairSigma } from '../../../src/core/lifecycle/repairPackages.ts';
import { runDkg, type Wallet } from '../../helpers/coreDkg.ts';
import { expectCairn, expectCairnError, promoteAll, randomDeviceKeys, runEnroll, runRepairFlow, sessionOf, signsWith } from './helpers.ts';

const stillSigns = (w: Wallet) => expect(signsWith(w, w.ids.slice(0, w.pub.threshold))).toBe(true);

/** 3-of-5; guardian ids[4] lost its share; helpers = the first three. */
function setup() {
  const w = runDkg(3, 5);
  const lost = w.ids[4]!;
  const helpers = [...w.ids.slice(0, 3)].sort();
  const params: RepairParams = { public: w.pub, helpers: helpers.map(w.deviceOf), target: w.deviceOf(lost), mode: 'repair', requestId: new Uint8Array([0x50]) };
  return { w, lost, helpers, liar: helpers[1]!, params };
}

describe('repair: a lying helper is named and the share is refused', () => {
  it('a helper that sends a wrong σ → BAD_SHARE naming it', () => {
    const { w, lost, liar } = setup();
    const run = runRepairFlow(w, {
      mode: 'repair',
      target: w.deviceOf(lost),
      tamper: (m) => {
        if (m.stage !== 'repair-sigma' || m.from !== liar) return m.bytes;
        const body = decodeRepairSigma(m.bytes, sessionOf(m.bytes), m.from);
        return encodeRepairSigma(sessionOf(m.bytes), m.from, { ...body, sigma: Fn.add(body.sigma, 1n) });
      },
    });
    expect(run.result).toBeUndefined();
    expectCairnError(run.aborted.get(lost), 'BAD_SHARE', [liar]);
    stillSigns(w);
  });

  it('a helper whose deltas do not add up to its Lagrange part (consistent commitments) → BAD_SHARE naming it', () => {
    const { w, lost, liar, params } = setup();
    // The liar runs the protocol consistently, but on a wrong share.
    const evil = repairPart1(params, { ...w.keys.get(liar)!, signingShare: Fn.toBytes(randomScalar()) });
    const toLiar = new Map<Identifier, Uint8Array>();
    const run = runRepairFlow(w, {
      mode: 'repair',
      target: w.deviceOf(lost),
      tamper: (m) => {
        if (m.to === liar && m.stage === 'repair-delta') toLiar.set(m.from, m.bytes);
        if (m.from !== liar) return m.bytes;
        return m.stage === 'repair-sigma' ? repairPart2(evil.state, toLiar).sigma : evil.outgoing.get(m.to)!;
      },
    });
    expectCairnError(run.aborted.get(lost), 'BAD_SHARE', [liar]);
  });

  it('a delta that does not match its commitment → the receiving helper aborts naming the sender; the target misses that helper', () => {
    const { w, lost, helpers, liar } = setup();
    const victim = helpers[0]!;
    const run = runRepairFlow(w, {
      mode: 'repair',
      target: w.deviceOf(lost),
      tamper: (m) => {
        if (m.stage !== 'repair-delta' || m.from !== liar || m.to !== victim) return m.bytes;
        const body = decodeRepairDelta(m.bytes, sessionOf(m.bytes), m.from, { helpers: 3, withDelta: true });
        return encodeRepairDelta(sessionOf(m.bytes), m.from, { ...body, delta: Fn.add(body.delta!, 1n) });
      },
    });
    expectCairnError(run.aborted.get(victim), 'BAD_SHARE', [liar]);
    expectCairnError(run.aborted.get(lost), 'MISSING_PACKAGE', [victim]);
  });

  it('different delta commitments to the target than to the helpers, plus a bad σ → INCONSISTENT_COMMITMENTS naming the equivocator', () => {
    const { w, lost, liar } = setup();
    const run = runRepairFlow(w, {
      mode: 'repair',
      target: w.deviceOf(lost),
      tamper: (m) => {
        if (m.from !== liar) return m.bytes;
        if (m.stage === 'repair-commitments') {
          const body = decodeRepairDelta(m.bytes, sessionOf(m.bytes), m.from, { helpers: 3, withDelta: false });
          const [a, b, c] = body.commitments as [Point, Point, Point];
          return encodeRepairDelta(sessionOf(m.bytes), m.from, { ...body, commitments: [a.add(Point.BASE), b.subtract(Point.BASE), c] });
        }
        if (m.stage === 'repair-sigma') {
          const body = decodeRepairSigma(m.bytes, sessionOf(m.bytes), m.from);
          return encodeRepairSigma(sessionOf(m.bytes), m.from, { ...body, sigma: Fn.add(body.sigma, 1n) });
        }
        return m.bytes;
      },
    });
    const err = expectCairnError(run.aborted.get(lost), 'INCONSISTENT_COMMITMENTS');
    expect(err.culprits).toContain(liar);
  });

  it('the target never receives a delta, only public points', () => {
    const { w, params, liar } = setup();
    const { outgoing } = repairPart1(params, w.keys.get(liar)!);
    const toTarget = outgoing.get(identifierOf(params.target))!;
    const toHelper = outgoing.get(params.helpers.map(identifierOf).find((id) => id !== liar)!)!;
    expect(toHelper.length - toTarget.length).toBe(32 + 0); // exactly the one scalar less
    expect(() => decodeRepairDelta(toTarget, sessionOf(toTarget), liar, { helpers: 3, withDelta: true })).toThrow();
  });
});

describe('repair: parameters, vanishing helpers, replay', () => {
  it('repair of a stranger, enroll of a guardian, a helper repairing itself, too few helpers → BAD_PARAMETERS', () => {
    const { w, params, liar } = setup();
    const key = w.keys.get(liar)!;
    const stranger = randomDeviceKeys(1)[0]!;
    expectCairn(() => repairPart1({ ...params, target: stranger }, key), 'BAD_PARAMETERS');
    expectCairn(() => repairPart1({ ...params, mode: 'enroll' }, key), 'BAD_PARAMETERS');
    expectCairn(() => repairPart1({ ...params, target: w.deviceOf(liar) }, key), 'BAD_PARAMETERS');
    expectCairn(() => repairPart1({ ...params, helpers: params.helpers.slice(0, 2) }, key), 'BAD_PARAMETERS');
  });

  it.each(['repair-delta', 'repair-commitments', 'repair-sigma'])('a helper silent at %s → MISSING_PACKAGE naming it', (stage) => {
    const { w, lost, liar } = setup();
    const run = runRepairFlow(w, { mode: 'repair', target: w.deviceOf(lost), tamper: (m) => (m.stage === stage && m.from === liar ? undefined : m.bytes) });
    expect(run.result).toBeUndefined();
    const named = [...run.aborted.values()].filter((e) => (e as { culprits: string[] }).culprits.includes(liar));
    expect(named.length).toBeGreaterThan(0);
    for (const e of named) expectCairnError(e, 'MISSING_PACKAGE', [liar]);
    stillSigns(w);
  });

  it('a delta from another repair request → WRONG_SESSION naming the sender', () => {
    const { w, lost, liar, params } = setup();
    const old = repairPart1({ ...params, requestId: new Uint8Array([1]) }, w.keys.get(liar)!);
    const run = runRepairFlow(w, { mode: 'repair', target: w.deviceOf(lost), tamper: (m) => (m.from === liar ? old.outgoing.get(m.to)! : m.bytes) });
    for (const [id, err] of run.aborted) if (id !== lost) expectCairnError(err, 'WRONG_SESSION', [liar]);
  });
});

describe('repair: state', () => {
  it('a helper whose step 2 fails keeps its state and finishes with honest deltas; a used state is refused', () => {
    const { w, params, helpers } = setup();
    const r1 = helpers.map((id) => repairPart1(params, w.keys.get(id)!));
    const me = helpers[0]!;
    const inbox = new Map(r1.slice(1).map((r, k) => [helpers[k + 1]!, r.outgoing.get(me)!]));
    const from = helpers[1]!;
    const body = decodeRepairDelta(inbox.get(from)!, sessionOf(inbox.get(from)!), from, { helpers: 3, withDelta: true });
    const bad = new Map(inbox).set(from, encodeRepairDelta(sessionOf(inbox.get(from)!), from, { ...body, delta: Fn.add(body.delta!, 1n) }));
    expectCairn(() => repairPart2(r1[0]!.state, bad), 'BAD_SHARE', [from]);
    expect(r1[0]!.state.consumed).toBe(false);
    expect(() => repairPart2(r1[0]!.state, inbox)).not.toThrow();
    expectCairn(() => repairPart2(r1[0]!.state, inbox), 'STATE_CONSUMED');
  });
});

describe('enroll: nobody promotes unless the new device and every holder confirm', () => {
  it('a lying helper makes the enrollee abort (helper named); the others cannot promote; the old epoch signs', () => {
    const w = runDkg(2, 3);
    const liar: Identifier = [...w.ids.slice(0, 2)].sort()[0]!; // runEnroll's helpers: the first t
    const s = runEnroll(w, {
      tamper: (m) => {
        if (m.stage !== 'repair-sigma' || m.from !== liar) return m.bytes;
        const body = decodeRepairSigma(m.bytes, sessionOf(m.bytes), m.from);
        return encodeRepairSigma(sessionOf(m.bytes), m.from, { ...body, sigma: Fn.add(body.sigma, 1n) });
      },
    });
    const newcomer = identifierOf(s.newDevice);
    expectCairnError(s.aborted.get(newcomer), 'BAD_SHARE', [liar]);
    const p = promoteAll(w, s);
    expect(p.results.size).toBe(0);
    for (const err of p.failed.values()) expectCairnError(err, 'MISSING_PACKAGE', [newcomer]);
    stillSigns(w);
  });

  it('an existing holder silent at confirmation → nobody promotes (MISSING_PACKAGE naming it)', () => {
    const w = runDkg(2, 3);
    const s = runEnroll(w);
    const gone = w.ids[2]!;
    const p = promoteAll(w, s, (m) => (m.from === gone ? undefined : m.bytes));
    for (const [id, err] of p.failed) if (id !== gone) expectCairnError(err, 'MISSING_PACKAGE', [gone]);
    expect(p.wallet).toBeUndefined();
    stillSigns(w);
  });
});
