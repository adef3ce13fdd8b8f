/**
 * The last three rounds every lifecycle descriptor shares (refresh, reshare), invariant 4 (docs/invariants.md):
 * the staged epoch is stored beside the current one and confirmed by every new holder (round 3),
 * a FROST test signature with the new shares is made (rounds 4–5, nonces through the nonce store,
 * invariant 3). The run ends there with the epoch *tested but still staged*: promotion in storage
 * waits for the commit every device can see (`epochCommit.ts`, run by the epoch coordinator), so
 * no device forgets its old share before the new epoch is committed. An abort before every holder
 * confirmed discards the staged epoch; after, it stays staged (the epoch may still be committed).
 */
import {
  CairnError,
  frostAggregate,
  frostSigningSession,
  frostVerify,
  promote,
  type EcdsaRederive,
  type Identifier,
  type KeyPackage,
  type SigningSession,
  type StagedEpoch,
} from '../../core/index.ts';
import { toHex } from '../../device/byteCodec.ts';
import type { EpochStore } from '../epochStore.ts';
import { commitWithStoredNonces, signShareWithStoredNonces, type NonceStore } from '../nonceStore.ts';

export type StagedPromotionParams = {
  /** This device's current key package (absent for a newcomer). */
  current?: KeyPackage;
  /** Device keys of the new holders: they confirm and sign the test message. */
  holders: readonly Uint8Array[];
  /** The lifecycle session id (also the test signature's request id). */
  session: Uint8Array;
  testMessage: Uint8Array;
  epochs: EpochStore;
  nonces: NonceStore;
};

/** A tested staged epoch: `current` is what this device will hold once the epoch is committed. */
export type PromotionResult = { current: KeyPackage; publicHash: Uint8Array; rederive: EcdsaRederive; testSignature: Uint8Array };

export function createStagedPromotion(p: StagedPromotionParams) {
  let staged: StagedEpoch | undefined;
  let isStaged = false;
  let confirmed = false;
  let confirmations: ReadonlyMap<Identifier, Uint8Array> | undefined;
  let test: SigningSession | undefined;
  let noncesStored = false;
  let ownShare: [Identifier, Uint8Array] | undefined;
  const commitments = new Map<Identifier, Uint8Array>();
  const nonceName = () => toHex(test!.session);

  return {
    /** Stores the staged epoch (before anyone is told) and returns this device's confirmation. */
    async stage(next: StagedEpoch): Promise<Uint8Array> {
      staged = next;
      await p.epochs.stage(next.key);
      isStaged = true;
      return next.confirmation;
    },
    /** Checks every holder's confirmation, then commits to the test signature (nonces stored first). */
    async confirm(received: ReadonlyMap<Identifier, Uint8Array>): Promise<Uint8Array> {
      confirmations = received;
      promote(p.current, staged!, received); // pure check: every holder confirmed the same package
      confirmed = true;
      test = frostSigningSession(staged!.key.public, { signers: p.holders, requestId: p.session, request: { type: 'test-message', message: p.testMessage } });
      const commitment = await commitWithStoredNonces(p.nonces, nonceName(), staged!.key, test);
      noncesStored = true;
      commitments.set(staged!.key.identifier, commitment);
      return commitment;
    },
    /** The test-signature share (nonces taken out of storage before it leaves). */
    async sign(received: ReadonlyMap<Identifier, Uint8Array>): Promise<Uint8Array> {
      for (const [id, c] of received) commitments.set(id, c);
      const share = await signShareWithStoredNonces(p.nonces, nonceName(), staged!.key, test!, commitments);
      noncesStored = false; // taken out of storage (if signing throws, abort's discard finds nothing)
      ownShare = [staged!.key.identifier, share];
      return share;
    },
    /** Aggregates and verifies the test signature; the staged epoch stays staged until committed. */
    async finish(received: ReadonlyMap<Identifier, Uint8Array>): Promise<PromotionResult> {
      const shares = new Map(received);
      shares.set(...ownShare!);
      const testSignature = frostAggregate(staged!.key.public, test!, commitments, shares);
      if (!frostVerify(staged!.key.public, test!.digest, testSignature))
        throw new CairnError('BAD_SIGNATURE', 'The test signature with the new shares does not verify');
      const { current, rederive } = promote(p.current, staged!, confirmations!);
      return { current, publicHash: staged!.publicHash, rederive, testSignature };
    },
    async abort(): Promise<void> {
      if (noncesStored) await p.nonces.discard(nonceName());
      if (isStaged && staged && !confirmed) await p.epochs.discard(staged.key.public.epoch);
      noncesStored = isStaged = false;
    },
  };
}
