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
 * guardian that leaves finishes after round 3; it deletes its old share only once the new epoch is
 * committed (`epochCommit.ts`), never on the run's word alone.
 *
 * Acting dealers: a lost dealer L whose paper backup was restored on device D (`actors`) deals
 * through D: the runner's roles name D as the sender of L's round-1/2 packages, and this
 * descriptor files them under L's identifier before the core sees them, so the core's checks
 * (constant term = λ_L·VerifyingShare_L, Feldman) hold D to L's share. Errors naming L are turned
 * into errors naming D. D deals with `restored` (L's key package); whether it also holds a share
 * afterwards is up to `newHolders`. Staging, confirmation, the test signature and promotion are `stagedPromotion.ts`
 * (invariant 4), shared with `refresh.ts`.
 */
import { CairnError, identifierOf, reshareDeal, reshareReceive, type Identifier, type KeyPackage, type PublicPackage } from '../../core/index.ts';
import { reshareContext, type ReshareParams } from '../../core/lifecycle/reshareParams.ts';
import { hexToBytesStrict } from '../../device/byteCodec.ts';
import type { ProtocolDescriptor, RoundRoles } from '../descriptor.ts';
import type { EpochStore } from '../epochStore.ts';
import type { NonceStore } from '../nonceStore.ts';
import { createStagedPromotion, type PromotionResult } from './stagedPromotion.ts';

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
  /** Lost dealers and the devices that deal in their place (each with a verified restored backup). */
  actors?: readonly { lost: string; device: string }[];
  /** When this device acts for a lost dealer: that dealer's restored key package. */
  restored?: KeyPackage;
};

/** `tested`: this device's tested staged epoch (a new holder); undefined for a guardian that leaves. */
export type ReshareRunResult = { tested?: PromotionResult };

const TEST_MESSAGE = new TextEncoder().encode('cairn/reshare-test-signature/v1');

export const reshareDescriptor: ProtocolDescriptor<ReshareRunParams, ReshareRunResult> = {
  protocol: 'reshare',
  rounds: ['broadcast', 'direct', 'broadcast', 'broadcast', 'broadcast'],
  roundLabels: ['dealer commitments', 'reshare shares', 'confirmations', 'test-signature commitments', 'test-signature shares'],
  setup(p) {
    const bytes = (keys: readonly string[]) => keys.map((k) => hexToBytesStrict(k, 'guardian', 33));
    const params: ReshareParams = {
      previous: p.previous,
      dealers: bytes(p.dealers),
      newDeviceKeys: bytes(p.newHolders),
      newThreshold: p.newThreshold,
      requestId: p.requestId,
    };
    const { session } = reshareContext(params);
    const actors = p.actors ?? [];
    const deviceFor = new Map(actors.map((x) => [x.lost, x.device]));
    const dealerSenders = p.dealers.map((k) => deviceFor.get(k) ?? k);
    if (new Set(dealerSenders).size !== dealerSenders.length) throw new CairnError('BAD_PARAMETERS', 'One device can deal only once');
    for (const x of actors) if (!p.dealers.includes(x.lost)) throw new CairnError('BAD_PARAMETERS', 'An acting device for someone who does not deal');
    // Identifier of a sending device → identifier of the dealer it sends for (itself, or a lost L).
    const dealerIdOf = new Map(actors.map((x) => [idOf(x.device), idOf(x.lost)]));
    const deviceKeyOfDealer = new Map(actors.map((x) => [idOf(x.lost), x.device]));
    const asDealers = (packages: ReadonlyMap<Identifier, Uint8Array>) => new Map([...packages].map(([id, v]) => [dealerIdOf.get(id) ?? id, v]));
    const participants = [...new Set([...dealerSenders, ...p.newHolders])];
    const everyone = participants;
    const roles: RoundRoles[] = [
      { senders: dealerSenders, recipients: everyone },
      { senders: dealerSenders, recipients: p.newHolders },
      { senders: p.newHolders, recipients: everyone },
      { senders: p.newHolders, recipients: p.newHolders },
      { senders: p.newHolders, recipients: p.newHolders },
    ];
    const me = identifierOf(hexToBytesStrict(p.self, 'self', 33));
    const actingFor = actors.find((x) => x.device === p.self)?.lost;
    const isDealer = dealerSenders.includes(p.self);
    const isHolder = p.newHolders.includes(p.self);
    const dealingKey = actingFor ? p.restored : p.current;
    if (isDealer && !dealingKey) throw new CairnError('BAD_PARAMETERS', 'A dealer needs its current key package');
    if (actingFor && dealingKey!.identifier !== idOf(actingFor))
      throw new CairnError('BAD_PARAMETERS', 'The restored backup is not the one this device deals for');
    const myDealerId = actingFor ? idOf(actingFor) : me;
    let deal: ReturnType<typeof reshareDeal> | undefined;
    let round1 = new Map<Identifier, Uint8Array>();
    const promotion = createStagedPromotion({
      current: p.current,
      holders: bytes(p.newHolders),
      session,
      testMessage: TEST_MESSAGE,
      epochs: p.epochs,
      nonces: p.nonces,
    });
    return {
      session,
      participants,
      roles,
      requestId: p.requestId,
      party: {
        async start() {
          if (!isDealer) return {};
          deal = reshareDeal(params, dealingKey!);
          return { broadcast: deal.broadcast };
        },
        async receive(round, packages) {
          try {
            return await step(round, packages);
          } catch (err) {
            // The core names lost dealers by identifier; the device that dealt for them is the culprit.
            if (!(err instanceof CairnError) || !err.culprits.some((c) => deviceKeyOfDealer.has(c))) throw err;
            throw new CairnError(err.code, err.shortMessage, {
              culprits: err.culprits.map((c) => deviceKeyOfDealer.get(c) ?? c),
              details: err.details,
              cause: err,
            });
          }
        },
        abort: () => promotion.abort(),
      },
    };

    async function step(round: number, packages: ReadonlyMap<Identifier, Uint8Array>) {
      switch (round) {
        case 1: {
          round1 = asDealers(packages);
          if (deal) round1.set(myDealerId, deal.broadcast);
          const direct = deal ? new Map([...deal.outgoing].filter(([to]) => to !== me)) : undefined;
          return { next: direct ? { direct } : {} };
        }
        case 2: {
          if (!isHolder) return { next: {} };
          const round2 = asDealers(packages);
          if (deal) round2.set(myDealerId, deal.outgoing.get(me)!);
          const { staged } = reshareReceive(params, hexToBytesStrict(p.self, 'self', 33), round1, round2);
          return { next: { broadcast: await promotion.stage(staged) } };
        }
        case 3:
          if (!isHolder) return { result: {} }; // it keeps its share until the new epoch is committed (epochCommit.ts)
          return { next: { broadcast: await promotion.confirm(packages) } };
        case 4:
          return { next: { broadcast: await promotion.sign(packages) } };
        case 5:
          return { result: { tested: await promotion.finish(packages) } };
        default:
          throw new CairnError('WRONG_ROUND', `Reshare has no round ${round}`);
      }
    }
  },
};

function idOf(deviceKey: string): Identifier {
  return identifierOf(hexToBytesStrict(deviceKey, 'guardian', 33));
}
