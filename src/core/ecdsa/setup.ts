/**
 * Pairwise DKLs23 setup, run by each pair of guardians after the DKG (and again after any refresh, reshare, repair
 * promotion or abort). Three steps per party, two messages each way:
 *
 *   round 1: zero-seed commitment + base-OT receiver message (for the direction where I will be the OTE sender)
 *   round 2: zero-seed opening   + base-OT sender message   (for the direction where I will be the OTE receiver)
 *   round 3: verify the opening, finish my base OTs → PairwiseSetup
 *
 * Sans-I/O: each function takes the previous state and the peer's message; states are single-use.
 */
import { CairnError } from '../errors.ts';
import { baseOtReceiverFinish, baseOtReceiverStart, baseOtSenderRespond, type BaseOtReceiverSecret } from './baseOt.ts';
import { ctEqual, defaultRng, hashTagged, hexToBytes32, identifierToScalar, type Rng } from './encoding.ts';
import type { PairwiseSetup } from './pairwiseSetup.ts';
import { deriveGadget } from './vole.ts';
import { combineZeroSeeds, zeroSeedCommit, zeroSeedOpens } from './zeroShare.ts';

export type SetupRound1Message = {
  from: string;
  to: string;
  /** H(context ‖ pair): compared first so a configuration mismatch aborts without blaming anyone's OTs. */
  contextHash: Uint8Array;
  zeroCommitment: Uint8Array;
  otReceiver: Uint8Array;
};
export type SetupRound2Message = { from: string; to: string; zeroSeed: Uint8Array; zeroSalt: Uint8Array; otSender: Uint8Array };

export type SetupRound1State = {
  readonly kind: 'dkls23-setup-1';
  consumed: boolean;
  readonly self: string;
  readonly peer: string;
  readonly context: Uint8Array;
  readonly otSecret: BaseOtReceiverSecret;
  readonly seed: Uint8Array;
  readonly salt: Uint8Array;
};
export type SetupRound2State = Omit<SetupRound1State, 'kind'> & {
  readonly kind: 'dkls23-setup-2';
  readonly peerCommitment: Uint8Array;
  readonly keys0: Uint8Array;
  readonly keys1: Uint8Array;
};

/** Id of the direction where `alice` is the OTE sender and `bob` the OTE receiver. */
export function directionSetupId(context: Uint8Array, alice: string, bob: string): Uint8Array {
  return hashTagged('setup-id', context, hexToBytes32(alice), hexToBytes32(bob));
}

function checkIds(self: string, peer: string): void {
  if (identifierToScalar(self) === undefined || identifierToScalar(peer) === undefined || self === peer)
    throw new CairnError('BAD_PARAMETERS', 'setup needs two distinct canonical identifiers');
}

function checkAddressing(m: { from: unknown; to: unknown }, self: string, peer: string): void {
  if (m.from !== peer || m.to !== self) throw new CairnError('WRONG_SESSION', 'setup message is addressed to or from someone else', { culprits: [peer] });
}

const isBytes = (b: unknown, len: number): b is Uint8Array => b instanceof Uint8Array && b.length === len;

export function ecdsaSetupRound1(p: { self: string; peer: string; context: Uint8Array; rng?: Rng }): {
  state: SetupRound1State;
  message: SetupRound1Message;
} {
  const { self, peer, context } = p;
  const rng = p.rng ?? defaultRng;
  checkIds(self, peer);
  if (!(context instanceof Uint8Array)) throw new CairnError('BAD_PARAMETERS', 'setup context must be bytes');
  const { secret, message: otReceiver } = baseOtReceiverStart(directionSetupId(context, self, peer), rng);
  const seed = rng(32).slice();
  const salt = rng(32).slice();
  const sid = setupPairId(context, self, peer);
  return {
    state: { kind: 'dkls23-setup-1', consumed: false, self, peer, context: context.slice(), otSecret: secret, seed, salt },
    message: { from: self, to: peer, contextHash: sid, zeroCommitment: zeroSeedCommit(sid, self, peer, seed, salt), otReceiver },
  };
}

/** Pair-level id for the zero-seed commitments (unordered pair). */
function setupPairId(context: Uint8Array, a: string, b: string): Uint8Array {
  const [x, y] = a < b ? [a, b] : [b, a];
  return hashTagged('setup-pair', context, hexToBytes32(x), hexToBytes32(y));
}

export function ecdsaSetupRound2(
  state: SetupRound1State,
  incoming: SetupRound1Message,
  rng: Rng = defaultRng,
): { state: SetupRound2State; message: SetupRound2Message } {
  if (state.kind !== 'dkls23-setup-1') throw new CairnError('WRONG_ROUND', 'expected a setup round-1 state');
  if (state.consumed) throw new CairnError('STATE_CONSUMED', 'setup round-1 state already used');
  const { self, peer, context } = state;
  if (!incoming) throw new CairnError('MISSING_PACKAGE', 'no setup round-1 message from the peer', { culprits: [peer] });
  checkAddressing(incoming, self, peer);
  if (!isBytes(incoming.contextHash, 32) || !ctEqual(incoming.contextHash, setupPairId(context, self, peer)))
    throw new CairnError('WRONG_SESSION', 'the peer runs the setup under another context', { culprits: [peer] });
  if (!isBytes(incoming.zeroCommitment, 32)) throw new CairnError('MALFORMED', 'setup round-1 commitment has the wrong length', { culprits: [peer] });
  const sent = baseOtSenderRespond(directionSetupId(context, peer, self), incoming.otReceiver, rng);
  if (!sent) throw new CairnError('MALFORMED', 'setup round-1 base-OT message is invalid', { culprits: [peer] });
  state.consumed = true;
  return {
    state: {
      ...state,
      kind: 'dkls23-setup-2',
      consumed: false,
      peerCommitment: incoming.zeroCommitment.slice(),
      keys0: sent.keys0,
      keys1: sent.keys1,
    },
    message: { from: self, to: peer, zeroSeed: state.seed, zeroSalt: state.salt, otSender: sent.message },
  };
}

export function ecdsaSetupRound3(state: SetupRound2State, incoming: SetupRound2Message): PairwiseSetup {
  if (state.kind !== 'dkls23-setup-2') throw new CairnError('WRONG_ROUND', 'expected a setup round-2 state');
  if (state.consumed) throw new CairnError('STATE_CONSUMED', 'setup round-2 state already used');
  const { self, peer, context } = state;
  if (!incoming) throw new CairnError('MISSING_PACKAGE', 'no setup round-2 message from the peer', { culprits: [peer] });
  checkAddressing(incoming, self, peer);
  if (!isBytes(incoming.zeroSeed, 32) || !isBytes(incoming.zeroSalt, 32))
    throw new CairnError('MALFORMED', 'setup round-2 seed opening has the wrong length', { culprits: [peer] });
  const pairId = setupPairId(context, self, peer);
  if (!zeroSeedOpens(state.peerCommitment, pairId, peer, self, incoming.zeroSeed, incoming.zeroSalt))
    throw new CairnError('BAD_PROOF', 'zero-sharing seed does not open its commitment', { culprits: [peer] });
  const asSenderId = directionSetupId(context, self, peer);
  const keys = baseOtReceiverFinish(asSenderId, state.otSecret, incoming.otSender);
  if (!keys) throw new CairnError('MALFORMED', 'setup round-2 base-OT message is invalid', { culprits: [peer] });
  state.consumed = true;
  const asReceiverId = directionSetupId(context, peer, self);
  return {
    kind: 'dkls23-pairwise-setup',
    self,
    peer,
    context,
    asSender: { setupId: asSenderId, delta: state.otSecret.choices, seeds: keys, gadget: deriveGadget(asSenderId) },
    asReceiver: { setupId: asReceiverId, seeds0: state.keys0, seeds1: state.keys1, gadget: deriveGadget(asReceiverId) },
    zeroSeed: combineZeroSeeds(state.seed, incoming.zeroSeed),
    status: 'ready',
  };
}
