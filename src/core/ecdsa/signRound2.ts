/**
 * DKLs23 signing, round 2 (Protocol 3.6 steps 4–6; guide §4). On round-1 messages from every peer j:
 *
 * 1. compare ctx (mismatch: non-banning abort), check shapes;
 * 2. as OTE sender, run the consistency check on j's extend message — failure destroys the pairwise setup (ban j);
 * 3. derive ζ_i, sk_i = λ_i·x_i + ζ_i, pk_i = sk_i·G;
 * 4. as VOLE Alice with inputs (k_i, sk_i), answer j and send Γ^u = c^u·G, Γ^v = c^v·G, ψ_ij = φ_i − χ_ij, pk_i and
 *    the opening of R_i.
 */
import { CairnError } from '../errors.ts';
import { ctEqual, mod, mulG, scalarToBytes } from './encoding.ts';
import { checkExtendShape, oteReceiveExtend, oteTranscriptHash } from './otExtension.ts';
import { destroyPairwiseSetup } from './pairwiseSetup.ts';
import { assertAllSetupsReady, checkState, collect, instanceSid, isBytes, voleSid } from './signCommon.ts';
import type { SignRound1Message, SignRound1State, SignRound2Message, SignRound2State } from './signTypes.ts';
import { voleAlice } from './vole.ts';
import { zeroShare } from './zeroShare.ts';

export function ecdsaSignRound2(
  state: SignRound1State,
  incoming: Readonly<Record<string, SignRound1Message>> | ReadonlyMap<string, SignRound1Message>,
): { state: SignRound2State; outgoing: Record<string, SignRound2Message> } {
  checkState(state, 'dkls23-sign-1');
  const { session } = state;
  const { self, peers, setups, rng } = session;
  assertAllSetupsReady(session);
  const msgs = collect(session, incoming, 1);

  // Session agreement first: a mismatch means another session or a relay error, never a ban.
  for (const [peer, m] of msgs)
    if (!isBytes(m.ctx, 32) || !ctEqual(m.ctx, session.ctx))
      throw new CairnError('WRONG_SESSION', 'round-1 context differs (other signer set, digest or session)', { culprits: [peer] });
  for (const [peer, m] of msgs)
    if (!isBytes(m.commitment, 32) || !isBytes(m.oteNonce, 32) || !isBytes(m.voleNonce, 32) || !m.ote || !checkExtendShape(m.ote))
      throw new CairnError('MALFORMED', 'round-1 message has the wrong shape', { culprits: [peer] });

  // OTE consistency checks (selective-abort signal: ban on failure).
  const Q = new Map<string, Uint8Array>();
  const sids = new Map<string, Uint8Array>();
  const cheaters: string[] = [];
  for (const peer of peers) {
    const setup = setups.get(peer)!;
    const m = msgs.get(peer)!;
    const sid = instanceSid(session, peer, self, setup.asSender.setupId, m.oteNonce);
    sids.set(peer, sid);
    const { ok, Q: rows } = oteReceiveExtend(setup.asSender, sid, m.ote);
    if (ok) Q.set(peer, rows);
    else cheaters.push(peer);
  }
  if (cheaters.length) {
    for (const peer of cheaters) destroyPairwiseSetup(setups.get(peer)!, 'OT-extension consistency check failed');
    state.consumed = true;
    throw new CairnError('BAD_PROOF', 'OT-extension consistency check failed; pairwise setup destroyed', { culprits: cheaters });
  }

  const seeds = new Map(peers.map((p) => [p, setups.get(p)!.zeroSeed] as const));
  const zeta = zeroShare(self, seeds, session.sigid, session.signersBytes);
  const sk = mod(session.lambda * session.key.x + zeta);
  const pkShare = mulG(sk);
  const pkBytes = pkShare.toBytes(true);
  const Rbytes = state.R.toBytes(true);

  const c = new Map<string, readonly [bigint, bigint]>();
  const outgoing: Record<string, SignRound2Message> = {};
  for (const peer of peers) {
    const setup = setups.get(peer)!;
    const m = msgs.get(peer)!;
    const sid = sids.get(peer)!;
    const { c: cc, message } = voleAlice({
      sid: voleSid(sid, state.aliceNonces.get(peer)!),
      gadget: setup.asSender.gadget,
      Q: Q.get(peer)!,
      delta: setup.asSender.delta,
      a: [state.k, sk],
      oteHash: oteTranscriptHash(sid, m.ote),
      rng,
    });
    Q.get(peer)!.fill(0);
    c.set(peer, [cc[0]!, cc[1]!]);
    outgoing[peer] = {
      from: self,
      to: peer,
      R: Rbytes,
      salt: state.salt,
      vole: message,
      gammaU: mulG(cc[0]!).toBytes(true),
      gammaV: mulG(cc[1]!).toBytes(true),
      psi: scalarToBytes(mod(state.phi - state.bob.get(peer)!.chi)),
      pk: pkBytes,
    };
  }
  state.consumed = true;
  const commitments = new Map([...msgs].map(([p, m]) => [p, m.commitment.slice()] as const));
  const bobVoleSids = new Map([...msgs].map(([p, m]) => [p, voleSid(state.bob.get(p)!.sid, m.voleNonce)] as const));
  return { state: { ...state, kind: 'dkls23-sign-2', consumed: false, sk, pkShare, commitments, bobVoleSids, c }, outgoing };
}
