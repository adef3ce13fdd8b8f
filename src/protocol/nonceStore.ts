/**
 * Where a signer keeps its FROST nonces between the commitment and the share round (invariant
 * 3, docs/invariants.md). Injected, so unit tests use the share store over the in-memory backend and the
 * browser the same store over IndexedDB: records are sealed either way.
 * Contract: `put` completes before the commitment leaves; `take` deletes from storage before it
 * returns, so the share can only be computed — and sent — after the nonces are gone from disk.
 */
import type { ShareStore } from '../device/shareStore.ts';
import { putNonces, recordNames, takeNonces } from '../device/walletRecords.ts';

export interface NonceStore {
  put(session: string, nonces: Uint8Array): Promise<void>;
  /** Removes the nonces from storage, then returns them; throws NONCE_REUSED if absent. */
  take(session: string): Promise<Uint8Array>;
  /** Drops unused nonces of an aborted session (no error if absent). */
  discard(session: string): Promise<void>;
}

/** Nonce records of one wallet in the share store (`wallet/<id>/nonce/<session>`). */
export function shareStoreNonces(store: ShareStore, walletId: string): NonceStore {
  return {
    put: (session, nonces) => putNonces(store, walletId, session, nonces),
    take: (session) => takeNonces(store, walletId, session),
    discard: (session) => store.deleteRecord(recordNames.nonce(walletId, session)),
  };
}
