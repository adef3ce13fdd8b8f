/**
 * Reshare (remove guardians, change t; same key and address) as a five-round descriptor over
 * `src/core/lifecycle`. Roles differ per round — the runner's `roles`:
 *
 *   1 broadcast  dealers → everyone        dealer commitments               (reshareDeal)
 *   2 direct     dealers → new holders     shares, encrypted                (reshareReceive → staged, stored)
 *   3 broadcast  new holders → everyone    epoch confirmations              (promote's checks)
 *   4 broadcast  new holders               test-signature commitments (new shares, all new holders)
 *   5 broadcast  new holders               test-signature shares → aggregate → promotion in storage
 *
 * A dealer that is also a new holder delivers its own share to itself (never on the wire). A
 * guardian that leaves finishes after round 3, once every new holder confirmed; its old share is
 * the app's to delete. Staging, discarding and the test signature follow `refresh.ts` (invariant 4).
 */
import {
  CairnError, decodeSigningNonces, encodeSigningNonces, frostAggregate, frostCommit, frostSignShare, frostSigningSession, frostVerify,
  identifierOf, promote, reshareDeal, reshareReceive,
  type Identifier, type KeyPackage, type PublicPackage, type SigningSession, type StagedEpoch,
} from '../../core/index.ts';
import { reshareContext, type ReshareParams } from '../../core/lifecycle/reshareParams.ts';
import { hexToBytesStrict, toHex } from '../../device/byteCodec.ts';
import type { ProtocolDescriptor, RoundRoles } from '../descriptor.ts';
import type { EpochStore } from '../epochStore.ts';
import type { NonceStore } from '../nonceStore.ts';

export type ReshareRunParams = {
  /** This device's key (hex). */
  self: string;
  /** Its current key package (dealers), absent for a device that holds no share yet. */
  current?: KeyPackage;
  previous: PublicPackage;
  /** Old holders who deal (≥ t of them). */
  dealers: readonly string[];
  newHolders: readonly string[];
  newThreshold: number;
  requestId: Uint8Array;
  epochs: EpochStore;
  nonces: NonceStore;
};

/** `current` is the promoted key package, or undefined for a guardian that left. */
export type ReshareRunResult = { current?: KeyPackage };

const TEST_MESSAGE = new TextEncoder().encode('cairn/reshare-test-signature/v1');

export const reshareDescriptor: ProtocolDescriptor<ReshareRunParams, ReshareRunResult> = {
  protocol: 'reshare',
  rounds: ['broadcast', 'direct', 'broadcast', 'broadcast', 'broadcast'],
  roundLabels: ['dealer commitments', 'reshare shares', 'confirmations', 'test-signature commitments', 'test-signature shares'],
  setup(p) {
    const bytes = (keys: readonly string[]) => keys.map((k) => hexToBytesStrict(k, 'guardian', 33));
    const params: ReshareParams = { previous: p.previous, dealers: bytes(p.dealers), newDeviceKeys: bytes(p.newHolders), newThreshold: p.newThreshold, requestId: p.requestId };
    const { session } = reshareContext(params);
    const participants = [...new Set([...p.dealers, ...p.newHolders])];
    const everyone = participants;
    const roles: RoundRoles[] = [
      { senders: p.dealers, recipients: everyone },
      { senders: p.dealers, recipients: p.newHolders },
      { senders: p.newHolders, recipients: everyone },
      { senders: p.newHolders, recipients: p.newHolders },
      { senders: p.newHolders, recipients: p.newHolders },
    ];
    const me = identifierOf(hexToBytesStrict(p.self, 'self', 33));
    const isDealer = p.dealers.includes(p.self);
    const isHolder = p.newHolders.includes(p.self);
    if (isDealer && !p.current) throw new CairnError('BAD_PARAMETERS', 'A dealer needs its current key package');
    let deal: ReturnType<typeof reshareDeal> | undefined;
    let round1 = new Map<Identifier, Uint8Array>();
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
      participants,
      roles,
      requestId: p.requestId,
      party: {
        async start() {
          if (!isDealer) return {};
          deal = reshareDeal(params, p.current!);
          return { broadcast: deal.broadcast };
        },
        async receive(round, packages) {
          switch (round) {
            case 1: {
              round1 = new Map(packages);
              if (deal) round1.set(me, deal.broadcast);
              const direct = deal ? new Map([...deal.outgoing].filter(([to]) => to !== me)) : undefined;
              return { next: direct ? { direct } : {} };
            }
            case 2: {
              if (!isHolder) return { next: {} };
              const round2 = new Map(packages);
              if (deal) round2.set(me, deal.outgoing.get(me)!);
              staged = reshareReceive(params, hexToBytesStrict(p.self, 'self', 33), round1, round2).staged;
              await p.epochs.stage(staged.key);
              isStaged = true;
              return { next: { broadcast: staged.confirmation } };
            }
            case 3: {
              if (!isHolder) return { result: {} }; // every new holder confirmed: this guardian is out
              confirmations = packages;
              promote(p.current, staged!, packages); // pure check of every confirmation
              confirmed = true;
              test = frostSigningSession(staged!.key.public, { signers: bytes(p.newHolders), requestId: session, request: { type: 'test-message', message: TEST_MESSAGE } });
              const { nonces, commitment } = frostCommit(staged!.key, test);
              const encoded = encodeSigningNonces(nonces);
              nonces.nonces.hiding.fill(0);
              nonces.nonces.binding.fill(0);
              await p.nonces.put(nonceName(), encoded);
              noncesStored = true;
              encoded.fill(0);
              commitments.set(me, commitment);
              return { next: { broadcast: commitment } };
            }
            case 4: {
              for (const [id, c] of packages) commitments.set(id, c);
              const stored = await p.nonces.take(nonceName());
              noncesStored = false;
              const nonces = decodeSigningNonces(stored);
              stored.fill(0);
              const share = frostSignShare(staged!.key, nonces, test!, commitments);
              ownShare = [me, share];
              return { next: { broadcast: share } };
            }
            case 5: {
              const shares = new Map(packages);
              shares.set(...ownShare!);
              const signature = frostAggregate(staged!.key.public, test!, commitments, shares);
              if (!frostVerify(staged!.key.public, test!.digest, signature))
                throw new CairnError('BAD_SIGNATURE', 'The test signature with the new shares does not verify');
              const { current } = promote(p.current, staged!, confirmations!);
              await p.epochs.promote(current.public.epoch);
              isStaged = false;
              return { result: { current } };
            }
            default:
              throw new CairnError('WRONG_ROUND', `Reshare has no round ${round}`);
          }
        },
        async abort() {
          if (noncesStored) await p.nonces.discard(nonceName());
          if (isStaged && staged && !confirmed) await p.epochs.discard(staged.key.public.epoch);
          noncesStored = isStaged = false;
        },
      },
    };
  },
};
