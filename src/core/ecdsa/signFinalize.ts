/**
 * DKLs23 signing, output (Protocol 3.6 step 10). s = Σw / Σu, verified under the group key; normalised to low-s
 * with the recovery id (yParity) adjusted. A signature that fails to verify is a failed signature, not a ban
 * ([P] Protocol 3.6: the proof covers such deviations); retry with a fresh session.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { CairnError } from '../errors.ts';
import { decodeScalar, Fn, mod, N, scalarToBytes } from './encoding.ts';
import { checkState, collect, isBytes } from './signCommon.ts';
import type { EcdsaSignature, SignRound3Message, SignRound3State } from './signTypes.ts';

export function ecdsaSignFinalize(
  state: SignRound3State,
  incoming: Readonly<Record<string, SignRound3Message>> | ReadonlyMap<string, SignRound3Message>,
): EcdsaSignature {
  checkState(state, 'dkls23-sign-3');
  const { session } = state;
  const msgs = collect(session, incoming, 3);
  let uSum = state.u;
  let wSum = state.w;
  for (const [peer, m] of msgs) {
    const u = isBytes(m.u, 32) ? decodeScalar(m.u) : undefined;
    const w = isBytes(m.w, 32) ? decodeScalar(m.w) : undefined;
    if (u === undefined || w === undefined) throw new CairnError('MALFORMED', 'round-3 message has the wrong shape', { culprits: [peer] });
    uSum += u;
    wSum += w;
  }
  state.consumed = true;
  uSum = mod(uSum);
  if (uSum === 0n) throw new CairnError('BAD_SIGNATURE', 'Σu = 0: signing failed; retry with a fresh session');
  let s = mod(mod(wSum) * Fn.inv(uSum));
  const { x, y } = state.R.toAffine();
  const r = mod(x);
  if (x >= N) throw new CairnError('ABORTED', 'x(R) ≥ n cannot be encoded for Ethereum; retry with a fresh session');
  let yParity = Number(y & 1n) as 0 | 1;
  if (s > N >> 1n) {
    s = N - s;
    yParity = (yParity ^ 1) as 0 | 1;
  }
  if (s === 0n) throw new CairnError('BAD_SIGNATURE', 's = 0: signing failed; retry with a fresh session');
  const compact = new Uint8Array(64);
  compact.set(scalarToBytes(r), 0);
  compact.set(scalarToBytes(s), 32);
  if (!secp256k1.verify(compact, session.digest, session.key.pkBytes, { prehash: false, lowS: true }))
    throw new CairnError('BAD_SIGNATURE', 'the combined signature does not verify (a signer deviated in round 3); retry with a fresh session');
  return { r, s, yParity, compact };
}
