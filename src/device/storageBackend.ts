/**
 * Where sealed records rest. An injectable key-value interface so unit tests use memory and the
 * browser uses IndexedDB (idb-keyval on a dedicated `cairn`/`records` store). Each `set` is one
 * IndexedDB transaction writing one value: a record is either fully old or fully new after a crash.
 */
import { createStore, del, get, keys, promisifyRequest, set } from 'idb-keyval';

export interface StorageBackend {
  get(key: string): Promise<Uint8Array | undefined>;
  set(key: string, value: Uint8Array): Promise<void>;
  del(key: string): Promise<void>;
  keys(): Promise<string[]>;
  /**
   * Atomic check-and-write: writes `value` only if the stored bytes equal `expected` (`undefined`: absent), in one
   * step no other tab or caller can interleave with (one IndexedDB transaction). True if it wrote.
   */
  compareAndSet(key: string, expected: Uint8Array | undefined, value: Uint8Array): Promise<boolean>;
}

const sameBytes = (a: unknown, b: Uint8Array | undefined): boolean =>
  b === undefined ? a === undefined : a instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);

/** In-memory backend (tests, or a throwaway session). `raw` exposes what "disk" holds. */
export function createMemoryBackend(): StorageBackend & { readonly raw: Map<string, Uint8Array> } {
  const raw = new Map<string, Uint8Array>();
  return {
    raw,
    async get(key) {
      const v = raw.get(key);
      return v === undefined ? undefined : v.slice();
    },
    async set(key, value) {
      raw.set(key, value.slice());
    },
    async del(key) {
      raw.delete(key);
    },
    async keys() {
      return [...raw.keys()];
    },
    async compareAndSet(key, expected, value) {
      // No await between the read and the write: atomic on JS's single thread.
      if (!sameBytes(raw.get(key), expected)) return false;
      raw.set(key, value.slice());
      return true;
    },
  };
}

export const IDB_DATABASE = 'cairn';
export const IDB_STORE = 'records';

/** IndexedDB backend on idb-keyval's `createStore('cairn', 'records')` (browser only). */
export function createIdbBackend(dbName = IDB_DATABASE, storeName = IDB_STORE): StorageBackend {
  const store = createStore(dbName, storeName);
  return {
    async get(key) {
      const v: unknown = await get(key, store);
      if (v === undefined) return undefined;
      // Structured clone keeps Uint8Array; anything else was not written by us.
      return v instanceof Uint8Array ? v : new Uint8Array(0);
    },
    set: (key, value) => set(key, value, store),
    del: (key) => del(key, store),
    async keys() {
      return (await keys(store)).filter((k): k is string => typeof k === 'string');
    },
    compareAndSet(key, expected, value) {
      // One readwrite transaction holds the read and the write: IndexedDB serialises overlapping readwrite
      // transactions on a store, across tabs too, so no other writer can slip in between.
      return store(
        'readwrite',
        (s) =>
          new Promise<boolean>((resolve, reject) => {
            const req = s.get(key);
            req.onerror = () => reject(req.error);
            req.onsuccess = () => {
              // Still inside the request's success event: the transaction is active, the put joins it.
              if (!sameBytes(req.result, expected)) return resolve(false);
              s.put(value, key);
              promisifyRequest(s.transaction).then(() => resolve(true), reject);
            };
          }),
      );
    },
  };
}
