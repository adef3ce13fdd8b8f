/**
 * DKLs23 signing, round 1 (Protocol 3.6 steps 1–3; guide §4). Party i samples k_i, φ_i, commits to R_i = k_i·G per
 * recipient, and — as Bob of the VOLE instance with each peer j — sends the OTE extend message, learning
 * χ_ij = ⟨g, β⟩. It also sends the context hash so mismatched sessions abort before any check that could ban.
 *
 * The caller passes a 32-byte digest only (the chain layer builds it) and a coordinator-chosen sessionId; it must
 * persist used sigids and refuse repeats (replays then fail every sigid-bound hash).
 */
import type { Key } from '@noble/curves/abstract/frost.js';
import { CairnError } from '../errors.ts';
import { bytesToBig32, concat, defaultRng, hashTagged, hexToBytes32, identifierToScalar, mod, mulG, randomScalar, ZERO_POINT, type Rng } from './encoding.ts';
import { lagrangeAtZero, parseFrostKey } from './frostKey.ts';
import { oteExtend, oteTranscriptHash } from './otExtension.ts';
import { assertSetupReady, type PairwiseSetup } from './pairwiseSetup.ts';
import { XI } from './params.ts';
import { commitR, instanceSid } from './signCommon.ts';
import type { BobInstance, SignRound1Message, SignRound1State, SignSession } from './signTypes.ts';
import { gadgetInner } from './vole.ts';

export type EcdsaSignRound1Parameters = {
  key: Key;
  /** My pairwise setups, by peer identifier (at least every other signer). */
  setups: Readonly<Record<string, PairwiseSetup>> | ReadonlyMap<string, PairwiseSetup>;
  /** Exactly t identifiers, including mine. */
  signers: readonly string[];
  /** The 32-byte message digest (keccak256 / EIP-191 / EIP-712 hash), signed with prehash disabled. */
  digest: Uint8Array;
  /** Coordinator nonce, identical for all signers, fresh per signature (≥ 16 bytes). */
  sessionId: Uint8Array;
  rng?: Rng;
};

/** Signer sets already checked against a (public, immutable) key package: a cache of a public computation. */
const checkedSets = new WeakMap<object, Set<string>>();

export function ecdsaSignRound1(p: EcdsaSignRound1Parameters): {
  state: SignRound1State;
  outgoing: Record<string, SignRound1Message>;
} {
  const rng = p.rng ?? defaultRng;
  const key = parseFrostKey(p.key);
  const self = key.self;
  if (!(p.digest instanceof Uint8Array) || p.digest.length !== 32) throw new CairnError('BAD_PARAMETERS', 'only a 32-byte digest can be signed');
  if (!(p.sessionId instanceof Uint8Array) || p.sessionId.length < 16) throw new CairnError('BAD_PARAMETERS', 'sessionId must be at least 16 bytes');
  const signers = [...new Set(p.signers)].sort();
  if (signers.length !== p.signers.length) throw new CairnError('BAD_PARAMETERS', 'duplicate signer');
  if (signers.length !== key.t) throw new CairnError('BAD_PARAMETERS', `exactly t = ${key.t} signers are needed`);
  if (!signers.includes(self)) throw new CairnError('BAD_PARAMETERS', 'I am not in the signer set');
  for (const s of signers)
    if (identifierToScalar(s) === undefined || !key.verifyingShares.has(s))
      throw new CairnError('UNKNOWN_SENDER', 'signer is not part of this key set', { culprits: [s] });
  const peers = signers.filter((s) => s !== self);
  const setupMap = new Map<string, PairwiseSetup>();
  const get = (peer: string) => (p.setups instanceof Map ? p.setups.get(peer) : (p.setups as Readonly<Record<string, PairwiseSetup>>)[peer]);
  for (const peer of peers) setupMap.set(peer, assertSetupReady(get(peer), self, peer));

  // Σ λ_k·X_k = pk for this signer set (guide §2 precondition); public values, so multiplyUnsafe is fine.
  const checked = checkedSets.get(p.key.public) ?? new Set<string>();
  const setKey = signers.join(',');
  if (!checked.has(setKey)) {
    let sum = ZERO_POINT;
    for (const s of signers) sum = sum.add(key.verifyingShares.get(s)!.multiplyUnsafe(lagrangeAtZero(s, signers)));
    if (!sum.equals(key.pk)) throw new CairnError('INCONSISTENT_COMMITMENTS', 'verifying shares do not reproduce the group key');
    checked.add(setKey);
    checkedSets.set(p.key.public, checked);
  }

  const signersBytes = concat(...signers.map(hexToBytes32));
  const sigid = hashTagged('sigid', key.keyId, signersBytes, p.sessionId, p.digest);
  const session: SignSession = {
    key,
    self,
    signers,
    peers,
    signersBytes,
    sigid,
    ctx: hashTagged('ctx', sigid, signersBytes, p.digest),
    digest: p.digest.slice(),
    z: mod(bytesToBig32(p.digest)),
    lambda: lagrangeAtZero(self, signers),
    setups: setupMap,
    rng,
  };

  const k = randomScalar(rng);
  const phi = randomScalar(rng);
  const R = mulG(k);
  const Rbytes = R.toBytes(true);
  const salt = rng(32).slice();
  const bob = new Map<string, BobInstance>();
  const aliceNonces = new Map<string, Uint8Array>();
  const outgoing: Record<string, SignRound1Message> = {};
  for (const peer of peers) {
    const setup = setupMap.get(peer)!;
    const oteNonce = rng(32).slice();
    const sid = instanceSid(session, self, peer, setup.asReceiver.setupId, oteNonce);
    const beta = rng(XI / 8).slice();
    const { message, T } = oteExtend(setup.asReceiver, sid, beta, rng);
    bob.set(peer, { sid, beta, T, chi: gadgetInner(setup.asReceiver.gadget, beta), oteHash: oteTranscriptHash(sid, message) });
    const voleNonce = rng(32).slice();
    aliceNonces.set(peer, voleNonce);
    outgoing[peer] = { from: self, to: peer, ctx: session.ctx, commitment: commitR(sigid, self, peer, Rbytes, salt), oteNonce, voleNonce, ote: message };
  }
  return { state: { kind: 'dkls23-sign-1', consumed: false, session, k, phi, R, salt, bob, aliceNonces }, outgoing };
}
