/**
 * Every abort path of DKLs23 signing and setup: the right typed error naming the culprit, and — for every failed
 * check involving a counterparty — the pairwise setup destroyed, so signing with it throws until a fresh setup runs.
 * Non-attributable or framing-prone failures (ctx mismatch, drops, bad round-3 values) must not destroy anything.
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { isCairnError, type CairnErrorCode } from '../../../src/core/errors.ts';
import {
  ecdsaSetupRound1,
  ecdsaSetupRound2,
  ecdsaSetupRound3,
  ecdsaSignRound1,
  ecdsaSignRound2,
  type SignRound1Message,
  type SignRound2Message,
} from '../../../src/core/ecdsa/index.ts';
import { encodePoint, mulG } from '../../../src/core/ecdsa/encoding.ts';
import { dkgKeys } from '../../helpers/dkgKeys.ts';
import { setupPair, signInProcess, type SetupTable, type Tamper } from './inProcess.ts';
import { cachedSetups } from './setupCache.ts';

const { ids, keys } = dkgKeys(2, 3);
const [A, B] = [ids[0]!, ids[1]!];
const signers = [A, B];
const digest = () => randomBytes(32);

function expectCairn(fn: () => unknown, code: CairnErrorCode, culprits: string[]): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(isCairnError(caught), String(caught)).toBe(true);
  if (!isCairnError(caught)) return;
  expect(caught.code).toBe(code);
  expect([...caught.culprits].sort()).toEqual([...culprits].sort());
}

/** Fresh (ready) copies of real setups for A, B, C. */
const fresh = (): SetupTable => cachedSetups(ids);

/** Tamper with what `from` sends to `to` only. */
function on<M>(from: string, to: string, f: (m: M) => M | undefined) {
  return (fr: string, t: string, m: M) => (fr === from && t === to ? f(m) : m);
}
const flip = (b: Uint8Array, i: number) => {
  const c = b.slice();
  c[i] = c[i]! ^ 1;
  return c;
};

/** A banning tamper: A must abort naming B, A's setup with B is destroyed, and signing A+B again throws. */
function expectBan(tamper: Tamper, code: CairnErrorCode = 'BAD_PROOF') {
  const setups = fresh();
  expectCairn(() => signInProcess({ keys, setups, signers, digest: digest(), tamper }), code, [B]);
  expect(setups[A]![B]!.status).toBe('destroyed');
  expect(setups[A]![B]!.asSender.delta.every((x) => x === 0)).toBe(true); // correlations wiped
  expectCairn(() => signInProcess({ keys, setups, signers, digest: digest() }), 'ABORTED', [B]);
  // A's other pair is untouched: A and C still sign.
  signInProcess({ keys, setups, signers: [A, ids[2]!], digest: digest() });
}

/** A non-banning failure: the error names B (or nobody) and every setup stays ready. */
function expectNoBan(tamper: Tamper, code: CairnErrorCode, culprits: string[]) {
  const setups = fresh();
  expectCairn(() => signInProcess({ keys, setups, signers, digest: digest(), tamper }), code, culprits);
  expect(setups[A]![B]!.status).toBe('ready');
  expect(setups[B]![A]!.status).toBe('ready');
  signInProcess({ keys, setups, signers, digest: digest() });
}

describe('banning aborts (selective-abort signals and cheating proofs)', () => {
  it('corrupted OT-extension message (one bit of u) → A bans B', () =>
    expectBan({ round1: on<SignRound1Message>(B, A, (m) => ({ ...m, ote: { ...m.ote, u: flip(m.ote.u, 1234) } })) }));
  it('wrong consistency-check value t̂ → A bans B', () =>
    expectBan({ round1: on<SignRound1Message>(B, A, (m) => ({ ...m, ote: { ...m.ote, tHat: flip(m.ote.tHat, 99) } })) }));
  it('wrong consistency-check value x̂ → A bans B', () =>
    expectBan({ round1: on<SignRound1Message>(B, A, (m) => ({ ...m, ote: { ...m.ote, xHat: flip(m.ote.xHat, 3) } })) }));
  it('tampered OTE nonce (another instance sid) → A bans B', () =>
    expectBan({ round1: on<SignRound1Message>(B, A, (m) => ({ ...m, oteNonce: flip(m.oteNonce, 0) })) }));
  it('tampered VOLE nonce (B as Alice: another VOLE sid) → A bans B', () =>
    expectBan({ round1: on<SignRound1Message>(B, A, (m) => ({ ...m, voleNonce: flip(m.voleNonce, 0) })) }));
  it('wrong commitment opening (another R) → A bans B', () =>
    expectBan({ round2: on<SignRound2Message>(B, A, (m) => ({ ...m, R: encodePoint(mulG(12345n)) })) }));
  it('wrong commitment opening (salt) → A bans B', () => expectBan({ round2: on<SignRound2Message>(B, A, (m) => ({ ...m, salt: flip(m.salt, 0) })) }));
  it('tampered VOLE ã → A bans B', () =>
    expectBan({ round2: on<SignRound2Message>(B, A, (m) => ({ ...m, vole: { ...m.vole, aTilde: flip(m.vole.aTilde, 32 * 40 + 31) } })) }));
  it('tampered VOLE η → A bans B', () => expectBan({ round2: on<SignRound2Message>(B, A, (m) => ({ ...m, vole: { ...m.vole, eta: flip(m.vole.eta, 31) } })) }));
  it('tampered VOLE μ → A bans B', () => expectBan({ round2: on<SignRound2Message>(B, A, (m) => ({ ...m, vole: { ...m.vole, mu: flip(m.vole.mu, 5) } })) }));
  it('tampered Γ^u → A bans B', () => expectBan({ round2: on<SignRound2Message>(B, A, (m) => ({ ...m, gammaU: encodePoint(mulG(777n)) })) }));
  it('tampered Γ^v → A bans B', () => expectBan({ round2: on<SignRound2Message>(B, A, (m) => ({ ...m, gammaV: encodePoint(mulG(778n)) })) }));
  it('a wrong pk_j (sk_j + δ) fails the Γ^v check → A bans B', () =>
    expectBan({ round2: on<SignRound2Message>(B, A, (m) => ({ ...m, pk: encodePoint(mulG(5n)) })) }));

  it('after a ban, a fresh setup (new base OTs) restores signing', () => {
    const setups = fresh();
    const tamper = { round2: on<SignRound2Message>(B, A, (m) => ({ ...m, vole: { ...m.vole, mu: flip(m.vole.mu, 0) } })) };
    expectCairn(() => signInProcess({ keys, setups, signers, digest: digest(), tamper }), 'BAD_PROOF', [B]);
    expectCairn(() => signInProcess({ keys, setups, signers, digest: digest() }), 'ABORTED', [B]);
    const [sa, sb] = setupPair(A, B, randomBytes(32));
    setups[A]![B] = sa;
    setups[B]![A] = sb;
    signInProcess({ keys, setups, signers, digest: digest() });
  }, 120_000);

  it('a ban aborts a concurrent session with the same peer at its next round', () => {
    const setups = fresh();
    const sessionId = randomBytes(32);
    const s1 = signers.map((s) => ecdsaSignRound1({ key: keys[s]!, setups: setups[s]!, signers, digest: digest(), sessionId }));
    void s1;
    const a1 = ecdsaSignRound1({ key: keys[A]!, setups: setups[A]!, signers, digest: new Uint8Array(32), sessionId });
    const b1 = ecdsaSignRound1({ key: keys[B]!, setups: setups[B]!, signers, digest: new Uint8Array(32), sessionId });
    // Another session between A and B is banned meanwhile.
    const tamper = { round1: on<SignRound1Message>(B, A, (m) => ({ ...m, ote: { ...m.ote, u: flip(m.ote.u, 0) } })) };
    expectCairn(() => signInProcess({ keys, setups, signers, digest: digest(), tamper }), 'BAD_PROOF', [B]);
    expectCairn(() => ecdsaSignRound2(a1.state, { [B]: b1.outgoing[A]! }), 'ABORTED', [B]);
  });
});

describe('non-banning aborts', () => {
  it('mismatched context (another digest or session) → WRONG_SESSION naming B, nothing destroyed', () =>
    expectNoBan({ round1: on<SignRound1Message>(B, A, (m) => ({ ...m, ctx: flip(m.ctx, 0) })) }, 'WRONG_SESSION', [B]));
  it('a message addressed to someone else → WRONG_SESSION naming the sender, nothing destroyed', () =>
    expectNoBan({ round1: on<SignRound1Message>(B, A, (m) => ({ ...m, to: ids[2]! })) }, 'WRONG_SESSION', [B]));
  it('a party that drops in round 1 → MISSING_PACKAGE naming it', () =>
    expectNoBan({ round1: on<SignRound1Message>(B, A, () => undefined) }, 'MISSING_PACKAGE', [B]));
  it('a party that drops in round 2 → MISSING_PACKAGE naming it', () =>
    expectNoBan({ round2: on<SignRound2Message>(B, A, () => undefined) }, 'MISSING_PACKAGE', [B]));
  it('a party that drops in round 3 → MISSING_PACKAGE naming it', () =>
    expectNoBan({ round3: on<{ from: string; u: Uint8Array; w: Uint8Array }>(B, A, () => undefined) }, 'MISSING_PACKAGE', [B]));
  it('wrong-length vectors → MALFORMED naming the sender (no generic exception)', () => {
    expectNoBan({ round1: on<SignRound1Message>(B, A, (m) => ({ ...m, ote: { ...m.ote, u: m.ote.u.subarray(1) } })) }, 'MALFORMED', [B]);
    expectNoBan({ round2: on<SignRound2Message>(B, A, (m) => ({ ...m, vole: { ...m.vole, aTilde: new Uint8Array(10) } })) }, 'MALFORMED', [B]);
    expectNoBan({ round2: on<SignRound2Message>(B, A, (m) => ({ ...m, R: new Uint8Array(33) })) }, 'MALFORMED', [B]);
    expectNoBan({ round3: on<{ from: string; u: Uint8Array; w: Uint8Array }>(B, A, (m) => ({ ...m, u: new Uint8Array(31) })) }, 'MALFORMED', [B]);
  });
  it('tampered ψ or (u_j, w_j) → the signature fails to verify: BAD_SIGNATURE, no ban', () => {
    expectNoBan({ round2: on<SignRound2Message>(B, A, (m) => ({ ...m, psi: flip(m.psi, 31) })) }, 'BAD_SIGNATURE', []);
    expectNoBan({ round3: on<{ from: string; u: Uint8Array; w: Uint8Array }>(B, A, (m) => ({ ...m, w: flip(m.w, 31) })) }, 'BAD_SIGNATURE', []);
  });
});

describe('non-attributable failures', () => {
  it('mismatched zero-sharing seeds → Σpk ≠ pk: INCONSISTENT_COMMITMENTS, nobody blamed, nothing destroyed', () => {
    const setups = fresh();
    setups[A]![B]!.zeroSeed[0] = setups[A]![B]!.zeroSeed[0]! ^ 1;
    expectCairn(() => signInProcess({ keys, setups, signers, digest: digest() }), 'INCONSISTENT_COMMITMENTS', []);
    expect(setups[A]![B]!.status).toBe('ready');
  });
});

describe('session and input rules', () => {
  it('round states are single-use', () => {
    const setups = fresh();
    const sessionId = randomBytes(32);
    const d = digest();
    const a1 = ecdsaSignRound1({ key: keys[A]!, setups: setups[A]!, signers, digest: d, sessionId });
    const b1 = ecdsaSignRound1({ key: keys[B]!, setups: setups[B]!, signers, digest: d, sessionId });
    ecdsaSignRound2(a1.state, { [B]: b1.outgoing[A]! });
    expectCairn(() => ecdsaSignRound2(a1.state, { [B]: b1.outgoing[A]! }), 'STATE_CONSUMED', []);
  });
  it('a replayed round-1 message from another session is rejected without a ban', () => {
    const setups = fresh();
    const d = digest();
    const old = ecdsaSignRound1({ key: keys[B]!, setups: setups[B]!, signers, digest: d, sessionId: randomBytes(32) });
    const a1 = ecdsaSignRound1({ key: keys[A]!, setups: setups[A]!, signers, digest: d, sessionId: randomBytes(32) });
    expectCairn(() => ecdsaSignRound2(a1.state, { [B]: old.outgoing[A]! }), 'WRONG_SESSION', [B]);
    expect(setups[A]![B]!.status).toBe('ready');
  });
  it('rejects non-32-byte digests, wrong signer counts, duplicates and strangers', () => {
    const setups = fresh();
    const base = { key: keys[A]!, setups: setups[A]!, signers, digest: digest(), sessionId: randomBytes(32) };
    expectCairn(() => ecdsaSignRound1({ ...base, digest: new Uint8Array(33) }), 'BAD_PARAMETERS', []);
    expectCairn(() => ecdsaSignRound1({ ...base, signers: ids }), 'BAD_PARAMETERS', []);
    expectCairn(() => ecdsaSignRound1({ ...base, signers: [A, A] }), 'BAD_PARAMETERS', []);
    const stranger = dkgKeys(2, 3, 'stranger').ids[0]!;
    expectCairn(() => ecdsaSignRound1({ ...base, signers: [A, stranger] }), 'UNKNOWN_SENDER', [stranger]);
  });
});

describe('setup aborts', () => {
  const ctx = new Uint8Array(32);
  it('a corrupted base-OT receiver message → MALFORMED naming the sender', () => {
    const a1 = ecdsaSetupRound1({ self: A, peer: B, context: ctx });
    const b1 = ecdsaSetupRound1({ self: B, peer: A, context: ctx });
    const bad = { ...b1.message, otReceiver: b1.message.otReceiver.slice() };
    bad.otReceiver.fill(0xff, 1, 33);
    expectCairn(() => ecdsaSetupRound2(a1.state, bad), 'MALFORMED', [B]);
  });
  it('a setup under another context → WRONG_SESSION before any OT work', () => {
    const a1 = ecdsaSetupRound1({ self: A, peer: B, context: ctx });
    const b1 = ecdsaSetupRound1({ self: B, peer: A, context: randomBytes(32) });
    expectCairn(() => ecdsaSetupRound2(a1.state, b1.message), 'WRONG_SESSION', [B]);
  });
  it('a zero-seed opening that does not match its commitment → BAD_PROOF naming the sender', () => {
    const a1 = ecdsaSetupRound1({ self: A, peer: B, context: ctx });
    const b1 = ecdsaSetupRound1({ self: B, peer: A, context: ctx });
    const a2 = ecdsaSetupRound2(a1.state, b1.message);
    const b2 = ecdsaSetupRound2(b1.state, a1.message);
    expectCairn(() => ecdsaSetupRound3(a2.state, { ...b2.message, zeroSeed: flip(b2.message.zeroSeed, 0) }), 'BAD_PROOF', [B]);
    const badB = b2.message.otSender.slice();
    badB[33 * 9] = 0x07; // not a compressed-point prefix
    expectCairn(() => ecdsaSetupRound3(a2.state, { ...b2.message, otSender: badB }), 'MALFORMED', [B]);
    // Neither failure consumed the state: the honest message still completes the setup.
    expect(ecdsaSetupRound3(a2.state, b2.message).status).toBe('ready');
  }, 60_000);
});
