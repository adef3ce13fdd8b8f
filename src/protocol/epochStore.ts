/**
 * Where a lifecycle protocol keeps the next epoch (invariant 4, docs/invariants.md): staged beside the current
 * one, promoted only after every holder confirmed it and the test signature passed, discarded on
 * any abort. Injected like the nonce store; the share store implementation uses `walletRecords`
 * (whose promotion is crash-safe: write current, then delete staged).
 */
import { encodeKeyPackage, encodePublicPackage, type KeyPackage } from '../core/index.ts';
import type { ShareStore } from '../device/shareStore.ts';
import { discardStagedEpoch, promoteStagedEpoch, stageEpoch } from '../device/walletRecords.ts';

export interface EpochStore {
  stage(key: KeyPackage): Promise<void>;
  promote(epoch: number): Promise<void>;
  discard(epoch: number): Promise<void>;
}

export function shareStoreEpochs(store: ShareStore, walletId: string): EpochStore {
  return {
    stage: (key) => stageEpoch(store, walletId, { epoch: key.public.epoch, keyPackage: encodeKeyPackage(key), publicPackage: encodePublicPackage(key.public) }),
    promote: async (epoch) => void (await promoteStagedEpoch(store, walletId, epoch)),
    discard: (epoch) => discardStagedEpoch(store, walletId, epoch),
  };
}
