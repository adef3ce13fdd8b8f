/**
 * Proactive refresh (same key, new shares) as a five-round descriptor over `src/core/lifecycle`:
 *
 *   1 broadcast  zero-constant commitments          (refreshPart1)
 *   2 direct     shares + echo, encrypted           (refreshPart2)
 *   3 broadcast  epoch confirmations                (refreshPart3 → staged; stored *staged* first)
 *   4 broadcast  test-signature nonce commitments   (FROST with the staged shares, all holders)
 *   5 broadcast  test-signature shares              → aggregate, then `promote` (every confirmation
 *                                                     checked) and only then promotion in storage
 *
 * DESIGN invariant 4: the new share sits beside the old one until every holder confirmed the same
 * public package and a signature with the new shares verified; an abort before the confirmations
 * discards the staged epoch, and the current one is never touched until promotion. (An abort after
 * every confirmation keeps the staged epoch: another device may already have promoted it.) Test-signature nonces go through the nonce store like any
 * other FROST nonces (invariant 3).
 */
import {
  CairnError, decodeSigningNonces, encodeSigningNonces, frostAggregate, frostCommit, frostSignShare, frostSigningSession, frostVerify,
  promote, refreshPart1, refreshPart2, refreshPart3,
  type EcdsaRederive, type Identifier, type KeyPackage, type RefreshRound2State, type SigningSession, type StagedEpoch,
} from '../../core/index.ts';
import { hexToBytesStrict, toHex } from '../../device/byteCodec.ts';
import type { ProtocolDescriptor } from '../descriptor.ts';
import type { EpochStore } from '../epochStore.ts';
import type { NonceStore } from '../nonceStore.ts';

export type RefreshRunParams = {
  current: KeyPackage;
  /** Device keys (hex) of the holders taking part (normally the whole roster). */
  participants: readonly string[];
  /** The `epoch-announcement` entry that asked for the refresh. */
  requestId: Uint8Array;
  epochs: EpochStore;
  nonces: NonceStore;
};

export type RefreshRunResult = { current: KeyPackage; rederive: EcdsaRederive; testSignature: Uint8Array };

const TEST_MESSAGE = new TextEncoder().encode('cairn/refresh-test-signature/v1');

export const refreshDescriptor: ProtocolDescriptor<RefreshRunParams, RefreshRunResult> = {
  protocol: 'refresh',
  rounds: ['broadcast', 'direct', 'broadcast', 'broadcast', 'broadcast'],
  roundLabels: ['refresh commitments', 'refresh shares', 'confirmations', 'test-signature commitments', 'test-signature shares'],
  setup(p) {
    const deviceKeys = p.participants.map((k) => hexToBytesStrict(k, 'participant', 33));
    const first = refreshPart1({ current: p.current, participants: deviceKeys, threshold: p.current.public.threshold, requestId: p.requestId });
    const session = first.state.ctx.session;
    let r2: RefreshRound2State | undefined;
    let staged: StagedEpoch | undefined;
    let isStaged = false;
    let confirmed = false;
    let confirmations: ReadonlyMap<Identifier, Uint8Array> | undefined;
    let test: SigningSession | undefined;
    let noncesStored = false;
    const commitments = new Map<Identifier, Uint8Array>();
    let ownShare: [Identifier, Uint8Array] | undefined;
    const nonceName = () => toHex(test!.session);
    return {
      session,
      participants: [...p.participants],
      requestId: p.requestId,
      party: {
        async start() {
          return { broadcast: first.broadcast };
        },
        async receive(round, packages) {
          switch (round) {
            case 1: {
              const { state, outgoing } = refreshPart2(first.state, packages);
              r2 = state;
              return { next: { direct: outgoing } };
            }
            case 2: {
              staged = refreshPart3(r2!, packages).staged;
              await p.epochs.stage(staged.key); // beside the current epoch, before anyone is told
              isStaged = true;
              return { next: { broadcast: staged.confirmation } };
            }
            case 3: {
              confirmations = packages;
              promote(p.current, staged!, packages); // pure check: every holder confirmed the same package
              confirmed = true;
              test = frostSigningSession(staged!.key.public, { signers: deviceKeys, requestId: session, request: { type: 'test-message', message: TEST_MESSAGE } });
              const { nonces, commitment } = frostCommit(staged!.key, test);
              const encoded = encodeSigningNonces(nonces);
              nonces.nonces.hiding.fill(0);
              nonces.nonces.binding.fill(0);
              await p.nonces.put(nonceName(), encoded);
              noncesStored = true;
              encoded.fill(0);
              commitments.set(staged!.key.identifier, commitment);
              return { next: { broadcast: commitment } };
            }
            case 4: {
              for (const [id, c] of packages) commitments.set(id, c);
              const stored = await p.nonces.take(nonceName());
              noncesStored = false;
              const nonces = decodeSigningNonces(stored);
              stored.fill(0);
              const share = frostSignShare(staged!.key, nonces, test!, commitments);
              ownShare = [staged!.key.identifier, share];
              return { next: { broadcast: share } };
            }
            case 5: {
              const shares = new Map(packages);
              shares.set(...ownShare!);
              const signature = frostAggregate(staged!.key.public, test!, commitments, shares);
              if (!frostVerify(staged!.key.public, test!.digest, signature))
                throw new CairnError('BAD_SIGNATURE', 'The test signature with the new shares does not verify');
              const { current, rederive } = promote(p.current, staged!, confirmations!);
              await p.epochs.promote(current.public.epoch);
              isStaged = false;
              return { result: { current, rederive, testSignature: signature } };
            }
            default:
              throw new CairnError('WRONG_ROUND', `Refresh has no round ${round}`);
          }
        },
        async abort() {
          if (noncesStored) await p.nonces.discard(nonceName());
          // Before every holder confirmed, the staged epoch is dropped. After, it is valid on every
          // device (some may already have promoted it): it stays staged for a later promotion.
          if (isStaged && staged && !confirmed) await p.epochs.discard(staged.key.public.epoch);
          noncesStored = isStaged = false;
        },
      },
    };
  },
};
