/**
 * Proactive refresh (same key, new shares) as a five-round descriptor over `src/core/lifecycle`:
 *
 *   1 broadcast  zero-constant commitments          (refreshPart1)
 *   2 direct     shares + echo, encrypted           (refreshPart2)
 *   3 broadcast  epoch confirmations                (refreshPart3 → staged; stored *staged* first)
 *   4 broadcast  test-signature nonce commitments   (FROST with the staged shares, all holders)
 *   5 broadcast  test-signature shares              → aggregate and `promote`'s checks (every
 *                                                     confirmation); promotion in storage waits for the
 *                                                     commit (`epochCommit.ts`)
 *
 * invariant 4 (docs/invariants.md): the new share sits beside the old one until every holder confirmed the same
 * public package and a signature with the new shares verified; an abort before the confirmations
 * discards the staged epoch, and the current one is never touched until promotion. (An abort after
 * every confirmation keeps the staged epoch: the others may still commit it.) Test-signature nonces go through the nonce store like any
 * other FROST nonces (invariant 3).
 */
import { CairnError, refreshPart1, refreshPart2, refreshPart3, type KeyPackage, type RefreshRound2State } from '../../core/index.ts';
import { hexToBytesStrict } from '../../device/byteCodec.ts';
import type { ProtocolDescriptor } from '../descriptor.ts';
import type { EpochStore } from '../epochStore.ts';
import type { NonceStore } from '../nonceStore.ts';
import { createStagedPromotion, type PromotionResult } from './stagedPromotion.ts';

export type RefreshRunParams = {
  current: KeyPackage;
  /** Device keys (hex) of the holders taking part (normally the whole roster). */
  participants: readonly string[];
  /** The `epoch-announcement` entry that asked for the refresh. */
  requestId: Uint8Array;
  epochs: EpochStore;
  nonces: NonceStore;
};

export type RefreshRunResult = { tested?: PromotionResult };

const TEST_MESSAGE = new TextEncoder().encode('cairn/refresh-test-signature/v1');

export const refreshDescriptor: ProtocolDescriptor<RefreshRunParams, RefreshRunResult> = {
  protocol: 'refresh',
  rounds: ['broadcast', 'direct', 'broadcast', 'broadcast', 'broadcast'],
  roundLabels: ['refresh commitments', 'refresh shares', 'confirmations', 'test-signature commitments', 'test-signature shares'],
  setup(p) {
    const deviceKeys = p.participants.map((k) => hexToBytesStrict(k, 'participant', 33));
    const first = refreshPart1({ current: p.current, participants: deviceKeys, threshold: p.current.public.threshold, requestId: p.requestId });
    const session = first.state.ctx.session;
    const promotion = createStagedPromotion({
      current: p.current,
      holders: deviceKeys,
      session,
      testMessage: TEST_MESSAGE,
      epochs: p.epochs,
      nonces: p.nonces,
    });
    let r2: RefreshRound2State | undefined;
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
            case 2:
              return { next: { broadcast: await promotion.stage(refreshPart3(r2!, packages).staged) } };
            case 3:
              return { next: { broadcast: await promotion.confirm(packages) } };
            case 4:
              return { next: { broadcast: await promotion.sign(packages) } };
            case 5:
              return { result: { tested: await promotion.finish(packages) } };
            default:
              throw new CairnError('WRONG_ROUND', `Refresh has no round ${round}`);
          }
        },
        abort: () => promotion.abort(),
      },
    };
  },
};
