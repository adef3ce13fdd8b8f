/**
 * DKLs23 signing, round 3 (Protocol 3.6 steps 7–9; guide §4). On round-2 messages from every peer j:
 *
 * - decode and check shapes (non-banning);
 * - the opening of com_ji, the Bob-side VOLE check (μ), and the two Γ checks
 *     χ_ij·R_j − Γ^u_ji = d^u_ij·G,   χ_ij·pk_j − Γ^v_ji = d^v_ij·G;
 *   any failure destroys the pairwise setup with j (ban) and names j;
 * - Σ pk_k = pk (not attributable: abort), R = Σ R_k ≠ O, r = x(R) mod n ≠ 0;
 * - u_i = k_i·(φ_i + Σ ψ_ji) + Σ (c^u_ij + d^u_ij), v_i likewise with sk_i, w_i = z·φ_i + r·v_i.
 */
import { CairnError } from '../errors.ts';
import { ctEqual, decodePoint, decodeScalar, mod, mulG, mulSecret, N, scalarToBytes, type Point } from './encoding.ts';
import { destroyPairwiseSetup } from './pairwiseSetup.ts';
import { assertAllSetupsReady, checkState, collect, commitR, isBytes } from './signCommon.ts';
import type { SignRound2Message, SignRound2State, SignRound3Message, SignRound3State } from './signTypes.ts';
import { checkVoleShape, voleBob } from './vole.ts';

type Decoded = { R: Point; Rbytes: Uint8Array; gammaU: Point; gammaV: Point; psi: bigint; pk: Point };

export function ecdsaSignRound3(
  state: SignRound2State,
  incoming: Readonly<Record<string, SignRound2Message>> | ReadonlyMap<string, SignRound2Message>,
): { state: SignRound3State; outgoing: SignRound3Message } {
  checkState(state, 'dkls23-sign-2');
  const { session } = state;
  const { self, peers, setups, sigid } = session;
  assertAllSetupsReady(session);
  const msgs = collect(session, incoming, 2);

  const dec = new Map<string, Decoded>();
  for (const [peer, m] of msgs) {
    const R = isBytes(m.R, 33) ? decodePoint(m.R) : undefined;
    const gammaU = isBytes(m.gammaU, 33) ? decodePoint(m.gammaU) : undefined;
    const gammaV = isBytes(m.gammaV, 33) ? decodePoint(m.gammaV) : undefined;
    const pk = isBytes(m.pk, 33) ? decodePoint(m.pk) : undefined;
    const psi = isBytes(m.psi, 32) ? decodeScalar(m.psi) : undefined;
    if (!R || !gammaU || !gammaV || !pk || psi === undefined || !isBytes(m.salt, 32) || !m.vole || !checkVoleShape(m.vole))
      throw new CairnError('MALFORMED', 'round-2 message has the wrong shape or invalid points', { culprits: [peer] });
    dec.set(peer, { R, Rbytes: m.R, gammaU, gammaV, psi, pk });
  }

  // Attributable checks. Each failure is a selective-abort signal or a cheating proof: destroy the setup.
  const d = new Map<string, readonly [bigint, bigint]>();
  const failures: { peer: string; why: string }[] = [];
  for (const peer of peers) {
    const m = msgs.get(peer)!;
    const x = dec.get(peer)!;
    if (!ctEqual(state.commitments.get(peer)!, commitR(sigid, peer, self, x.Rbytes, m.salt))) {
      failures.push({ peer, why: 'R does not open its round-1 commitment' });
      continue;
    }
    const bob = state.bob.get(peer)!;
    const setup = setups.get(peer)!;
    const res = voleBob({
      sid: state.bobVoleSids.get(peer)!,
      gadget: setup.asReceiver.gadget,
      T: bob.T,
      beta: bob.beta,
      message: m.vole,
      oteHash: bob.oteHash,
    });
    if (!res.ok) {
      failures.push({ peer, why: res.malformed ? 'VOLE message is not canonical' : 'VOLE correlation check (μ) failed' });
      continue;
    }
    const [du, dv] = res.d as [bigint, bigint];
    if (!mulSecret(x.R, bob.chi).subtract(x.gammaU).equals(mulG(du))) {
      failures.push({ peer, why: 'Γ^u check failed (VOLE input is not the nonce behind R_j)' });
      continue;
    }
    if (!mulSecret(x.pk, bob.chi).subtract(x.gammaV).equals(mulG(dv))) {
      failures.push({ peer, why: 'Γ^v check failed (VOLE input is not the key share behind pk_j)' });
      continue;
    }
    d.set(peer, [du, dv]);
  }
  if (failures.length) {
    for (const f of failures) destroyPairwiseSetup(setups.get(f.peer)!, f.why);
    state.consumed = true;
    throw new CairnError('BAD_PROOF', 'a signer failed a round-2 check; pairwise setup destroyed', {
      culprits: failures.map((f) => f.peer),
      details: failures.map((f) => f.why),
    });
  }

  let pkSum = state.pkShare;
  let R = state.R;
  let psiSum = 0n;
  for (const x of dec.values()) {
    pkSum = pkSum.add(x.pk);
    R = R.add(x.R);
    psiSum += x.psi;
  }
  if (!pkSum.equals(session.key.pk)) {
    state.consumed = true;
    throw new CairnError('INCONSISTENT_COMMITMENTS', "the signers' key shares do not sum to the group key (not attributable)");
  }
  if (R.is0()) {
    state.consumed = true;
    throw new CairnError('ABORTED', 'the combined nonce is the identity');
  }
  const r = mod(R.toAffine().x);
  if (r === 0n) {
    state.consumed = true;
    throw new CairnError('ABORTED', 'the combined nonce has r = 0');
  }
  const mask = mod(state.phi + psiSum);
  let u = state.k * mask;
  let v = state.sk * mask;
  for (const peer of peers) {
    const [cu, cv] = state.c.get(peer)!;
    const [du, dv] = d.get(peer)!;
    u += cu + du;
    v += cv + dv;
  }
  u = u % N;
  const w = mod(session.z * state.phi + r * (v % N));
  state.consumed = true;
  for (const b of state.bob.values()) {
    b.T.fill(0);
    b.beta.fill(0);
  }
  return {
    state: { kind: 'dkls23-sign-3', consumed: false, session, R, u, w },
    outgoing: { from: self, u: scalarToBytes(u), w: scalarToBytes(w) },
  };
}
