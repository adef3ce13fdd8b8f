/**
 * Where a lifecycle protocol keeps the next epoch (invariant 4, docs/invariants.md): staged beside the current
 * one, promoted only after every holder confirmed it and the test signature passed, discarded on
 * any abort. Injected like the nonce store; the share store implementation uses `walletRecords`
 * (whose promotion is crash-safe: write current, then delete staged).
 */
import { decodeKeyPackage, encodeKeyPackage, encodePublicPackage, type KeyPackage } from '../core/index.ts';
import type { ShareStore } from '../device/shareStore.ts';
import { discardStagedEpoch, getStagedEpoch, promoteStagedEpoch, recordNames, stageEpoch } from '../device/walletRecords.ts';

export interface EpochStore {
  stage(key: KeyPackage): Promise<void>;
  /** The staged key package of `epoch`, if this device has one (it survives a reload). */
  staged(epoch: number): Promise<KeyPackage | undefined>;
  promote(epoch: number): Promise<void>;
  discard(epoch: number): Promise<void>;
  /** Lifecycle sessions (proposal ids) this device took part in: never answered twice, even after a reload. */
  ran(proposal: string): Promise<boolean>;
  markRan(proposal: string): Promise<void>;
}

export function shareStoreEpochs(store: ShareStore, walletId: string): EpochStore {
  return {
    staged: async (epoch) => {
      const rec = await getStagedEpoch(store, walletId, epoch);
      if (!rec) return undefined;
      try {
        return decodeKeyPackage(rec.keyPackage);
      } finally {
        rec.keyPackage.fill(0);
      }
    },
    ran: async (proposal) => (await store.getRecord(recordNames.lifecycleRan(walletId, proposal))) !== undefined,
    markRan: (proposal) => store.putRecord(recordNames.lifecycleRan(walletId, proposal), new Uint8Array([1])),
    stage: (key) => stageEpoch(store, walletId, { epoch: key.public.epoch, keyPackage: encodeKeyPackage(key), publicPackage: encodePublicPackage(key.public) }),
    promote: async (epoch) => void (await promoteStagedEpoch(store, walletId, epoch)),
    discard: (epoch) => discardStagedEpoch(store, walletId, epoch),
  };
}
