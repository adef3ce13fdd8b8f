/**
 * The long-lived pairwise state two guardians need for DKLs23 signing, independent of the key shares (so it survives
 * refresh/reshare/repair; re-run the setup for proactive security and always after an abort).
 *
 * A setup is *destroyed* after any failed check involving the peer: the pass/fail of an OTE check leaks bits of Δ, so a
 * reused setup lets a cheater extract it bit by bit, then the key share ([ToB23], GHSA-7f6p-phw2-8253, guide §2.5).
 * Signing with a destroyed setup throws until a fresh setup is run. The object is shared by reference, so destroying
 * it also aborts every concurrent session with that peer at its next round.
 */
import { CairnError } from '../errors.ts';
import type { OteReceiverSeeds, OteSenderSeeds } from './otExtension.ts';

export type PairwiseSetup = {
  readonly kind: 'dkls23-pairwise-setup';
  /** My identifier (canonical hex). */
  readonly self: string;
  /** The counterparty's identifier. */
  readonly peer: string;
  /** Caller-chosen context the setup is bound to (e.g. wallet id ‖ epoch). */
  readonly context: Uint8Array;
  /** Direction where I am the OTE sender (VOLE Alice) and the peer is Bob. */
  readonly asSender: OteSenderSeeds & { readonly setupId: Uint8Array; readonly gadget: readonly bigint[] };
  /** Direction where I am the OTE receiver (VOLE Bob) and the peer is Alice. */
  readonly asReceiver: OteReceiverSeeds & { readonly setupId: Uint8Array; readonly gadget: readonly bigint[] };
  /** Zero-sharing seed s_ij shared with the peer. */
  readonly zeroSeed: Uint8Array;
  /** 'destroyed' after a failed check: never sign with it again. */
  status: 'ready' | 'destroyed';
  destroyedReason?: string;
};

/** Wipes the secret material and marks the setup destroyed (idempotent). */
export function destroyPairwiseSetup(setup: PairwiseSetup, reason: string): void {
  if (setup.status === 'destroyed') return;
  setup.status = 'destroyed';
  setup.destroyedReason = reason;
  setup.asSender.delta.fill(0);
  setup.asSender.seeds.fill(0);
  setup.asReceiver.seeds0.fill(0);
  setup.asReceiver.seeds1.fill(0);
  setup.zeroSeed.fill(0);
}

/** Throws unless the setup is usable for signing with `peer`. */
export function assertSetupReady(setup: PairwiseSetup | undefined, self: string, peer: string): PairwiseSetup {
  if (setup?.kind !== 'dkls23-pairwise-setup' || setup.self !== self || setup.peer !== peer)
    throw new CairnError('BAD_PARAMETERS', 'no pairwise ECDSA setup for this signer', { culprits: [peer] });
  if (setup.status !== 'ready')
    throw new CairnError('ABORTED', 'the pairwise ECDSA setup with this signer was destroyed after a failed check; run a fresh setup', {
      culprits: [peer],
      details: setup.destroyedReason ? [setup.destroyedReason] : [],
    });
  return setup;
}
