/**
 * One `Y.Doc` per wallet. In the browser it persists to IndexedDB through y-indexeddb, so the
 * request log survives reloads and offline periods; in Node (unit tests) it lives in memory.
 * The IndexedDB name is a hash of the wallet id (names of databases are visible to anyone with
 * devtools; the wallet id needn't be).
 */
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8 } from '../device/byteCodec.ts';

export type WalletDoc = {
  readonly doc: Y.Doc;
  /** Resolves once the stored state is loaded (immediately without persistence). */
  readonly whenLoaded: Promise<void>;
  /** Stops persistence and destroys the doc (the stored state stays on disk). */
  destroy(): Promise<void>;
};

export type OpenWalletDocParameters = {
  walletId: string;
  /** Default: persist when IndexedDB exists. */
  persist?: boolean;
};

export function walletDocStorageName(walletId: string): string {
  return `cairn-wallet-${toHex(sha256(utf8(`cairn/wallet-doc/v1${walletId}`))).slice(0, 32)}`;
}

export function openWalletDoc({ walletId, persist = typeof indexedDB !== 'undefined' }: OpenWalletDocParameters): WalletDoc {
  // gc stays on: deleted items are dropped, which is fine because the log never deletes.
  const doc = new Y.Doc();
  const persistence = persist ? new IndexeddbPersistence(walletDocStorageName(walletId), doc) : null;
  return {
    doc,
    whenLoaded: persistence ? persistence.whenSynced.then(() => undefined) : Promise.resolve(),
    async destroy() {
      if (persistence) await persistence.destroy();
      doc.destroy();
    },
  };
}

/** Deletes a wallet's stored log from this browser (a device leaving a wallet it is not a guardian of). Close the doc first. */
export function deleteWalletDocStorage(walletId: string): Promise<void> {
  if (typeof indexedDB === 'undefined') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(walletDocStorageName(walletId));
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
    req.onblocked = () => resolve(); // deleted once the last open connection closes
  });
}
