/**
 * Where a signer keeps its FROST nonces between the commitment and the share round (invariant
 * 3, docs/invariants.md). Injected, so unit tests use the share store over the in-memory backend and the
 * browser the same store over IndexedDB: records are sealed either way.
 * Contract: `put` completes before the commitment leaves; `take` deletes from storage before it
 * returns, so the share can only be computed — and sent — after the nonces are gone from disk.
 */
import { decodeSigningNonces, encodeSigningNonces, frostCommit, frostSignShare, type Identifier, type KeyPackage, type SigningSession } from '../core/index.ts';
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

/** Round 1 of a FROST signature: the nonces are sealed in `store` under `name` before the commitment is returned (so sent); the in-memory copies are zeroed. */
export async function commitWithStoredNonces(store: NonceStore, name: string, key: KeyPackage, session: SigningSession): Promise<Uint8Array> {
  const { nonces, commitment } = frostCommit(key, session);
  const encoded = encodeSigningNonces(nonces);
  nonces.nonces.hiding.fill(0);
  nonces.nonces.binding.fill(0);
  await store.put(name, encoded);
  encoded.fill(0);
  return commitment;
}

/** Round 2: the nonces are taken out of `store` (gone from storage from here on), then the share is computed. */
export async function signShareWithStoredNonces(
  store: NonceStore,
  name: string,
  key: KeyPackage,
  session: SigningSession,
  commitments: ReadonlyMap<Identifier, Uint8Array>,
): Promise<Uint8Array> {
  const stored = await store.take(name);
  const nonces = decodeSigningNonces(stored);
  stored.fill(0);
  return frostSignShare(key, nonces, session, commitments);
}
