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
 * the app's to delete. Staging, confirmation, the test signature and promotion are `stagedPromotion.ts`
 * (invariant 4), shared with `refresh.ts`.
 */
import { CairnError, identifierOf, reshareDeal, reshareReceive, type Identifier, type KeyPackage, type PublicPackage } from '../../core/index.ts';
import { reshareContext, type ReshareParams } from '../../core/lifecycle/reshareParams.ts';
import { hexToBytesStrict } from '../../device/byteCodec.ts';
import type { ProtocolDescriptor, RoundRoles } from '../descriptor.ts';
import type { EpochStore } from '../epochStore.ts';
import type { NonceStore } from '../nonceStore.ts';
import { createStagedPromotion } from './stagedPromotion.ts';

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
    const promotion = createStagedPromotion({ current: p.current, holders: bytes(p.newHolders), session, testMessage: TEST_MESSAGE, epochs: p.epochs, nonces: p.nonces });
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
              const { staged } = reshareReceive(params, hexToBytesStrict(p.self, 'self', 33), round1, round2);
              return { next: { broadcast: await promotion.stage(staged) } };
            }
            case 3:
              if (!isHolder) return { result: {} }; // every new holder confirmed: this guardian is out
              return { next: { broadcast: await promotion.confirm(packages) } };
            case 4:
              return { next: { broadcast: await promotion.sign(packages) } };
            case 5:
              return { result: { current: (await promotion.finish(packages)).current } };
            default:
              throw new CairnError('WRONG_ROUND', `Reshare has no round ${round}`);
          }
        },
        abort: () => promotion.abort(),
      },
    };
  },
};
