/** Helpers shared by the signing rounds: session ids, addressing/shape checks, setup status checks. */
import { CairnError } from '../errors.ts';
import { hashTagged, hexToBytes32 } from './encoding.ts';
import { assertSetupReady } from './pairwiseSetup.ts';
import type { SignSession } from './signTypes.ts';

/**
 * sid of the OTE/VOLE instance with `bob` as receiver and `alice` as sender, pairwise and role-bound (TOB-SILA-5).
 * Bob's fresh `nonce` (sent in round 1) makes the PRG pads unique even if a coordinator repeats a sessionId: reusing
 * pads under one sid would reveal β ⊕ β′ to Alice.
 */
export function instanceSid(session: SignSession, bob: string, alice: string, setupId: Uint8Array, nonce: Uint8Array): Uint8Array {
  return hashTagged('ote-sid', session.sigid, hexToBytes32(bob), hexToBytes32(alice), setupId, nonce);
}

/**
 * sid of the VOLE (row oracle, θ, μ) on top of the OTE instance `oteSid`, bound to Alice's fresh round-1 nonce.
 * Bob alone chooses the OTE sid, so if Alice answered twice under one session id, Bob could replay his nonce with
 * β flipped: her rows would swap roles (Q′ = Q ⊕ Δ), her masks would cancel in ã⁽¹⁾ + ã⁽²⁾ and reveal sk_i. With
 * Alice's own nonce in the oracle, each answer is masked by fresh, independent values (README "One-shot sessions").
 */
export function voleSid(oteSid: Uint8Array, aliceNonce: Uint8Array): Uint8Array {
  return hashTagged('vole-sid', oteSid, aliceNonce);
}

/** H_com(sigid ‖ from ‖ to ‖ R ‖ salt). */
export function commitR(sigid: Uint8Array, from: string, to: string, R: Uint8Array, salt: Uint8Array): Uint8Array {
  return hashTagged('com', sigid, hexToBytes32(from), hexToBytes32(to), R, salt);
}

/** Every peer's setup must still be ready: a ban in a concurrent session aborts this one too. */
export function assertAllSetupsReady(session: SignSession): void {
  for (const peer of session.peers) assertSetupReady(session.setups.get(peer), session.self, peer);
}

/**
 * Returns each peer's message, checking presence and addressing. Missing → MISSING_PACKAGE naming the silent peers;
 * misaddressed → WRONG_SESSION. Neither bans anyone.
 */
export function collect<M extends { from: string; to?: string }>(
  session: SignSession,
  incoming: Readonly<Record<string, M>> | ReadonlyMap<string, M>,
  round: number,
): Map<string, M> {
  const get = (p: string): M | undefined => (incoming instanceof Map ? incoming.get(p) : (incoming as Readonly<Record<string, M>>)[p]);
  const missing = session.peers.filter((p) => !get(p));
  if (missing.length) throw new CairnError('MISSING_PACKAGE', `no round-${round} message from ${missing.length} signer(s)`, { culprits: missing });
  const out = new Map<string, M>();
  for (const p of session.peers) {
    const m = get(p)!;
    // Rounds 1–2 are point-to-point and must name me as recipient; round 3 is the same message to everyone.
    if (m.from !== p || (round !== 3 && m.to !== session.self))
      throw new CairnError('WRONG_SESSION', `round-${round} message is addressed to or from someone else`, { culprits: [p] });
    out.set(p, m);
  }
  return out;
}

export const isBytes = (b: unknown, len: number): b is Uint8Array => b instanceof Uint8Array && b.length === len;

export function checkState(state: { kind: string; consumed: boolean }, kind: string): void {
  if (!state || state.kind !== kind) throw new CairnError('WRONG_ROUND', `expected a ${kind} state`);
  if (state.consumed) throw new CairnError('STATE_CONSUMED', `${kind} state already used`);
}
