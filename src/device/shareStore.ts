/**
 * The share store: every secret of this device, each as one sealed record (invariant 2, docs/invariants.md).
 *
 * - Records are sealed with the unlock key (`sealedRecord.ts`), bound to their name. The backend
 *   only ever sees `rec/<name>` → sealed bytes, plus `meta/unlock` (how to unlock: method, salts,
 *   verifier) and `meta/device-public-key` — nothing secret in plaintext.
 * - Values are opaque bytes: the core encodes packages; the store doesn't interpret them.
 * - While unlocked, the 32-byte key and decrypted values live in memory. `lock()` — called by the
 *   user, or by the inactivity timer (`autoLockMs`, reset by every use) — overwrites the key and
 *   every cached plaintext with zeros and forgets them. Values handed out are copies, so a caller
 *   holding one must wipe it itself.
 * - Each write is a single `backend.set` of one sealed value: atomic per record; `updateRecord` is an
 *   atomic check-and-write across tabs (one IndexedDB transaction). Multi-record
 *   operations (epoch promotion) are ordered so that a crash between steps is harmless; see
 *   `walletRecords.ts`.
 */
import { CairnError } from '../core/errors.ts';
import { openRecord, sealRecord } from './sealedRecord.ts';
import type { StorageBackend } from './storageBackend.ts';
import { checkUnlockKey, createUnlockConfig, decodeUnlockConfig, encodeUnlockConfig, type UnlockConfig, type UnlockMethod } from './unlockKey.ts';

export type Timers = {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

export type OpenShareStoreParameters = {
  backend: StorageBackend;
  /** Lock after this long without use (ms). Default 5 minutes. `Infinity` disables the timer. */
  autoLockMs?: number;
  /** Injectable timers (tests); defaults to the global ones. */
  timers?: Timers;
};

export interface ShareStore {
  /** True once an unlock method has been set up on this device. */
  isInitialized(): Promise<boolean>;
  readUnlockConfig(): Promise<UnlockConfig | undefined>;
  /**
   * First run: stores the unlock method and its verifier, and leaves the store unlocked.
   * The store takes ownership of `key` (here and in `unlock`): it zeroes those bytes on lock.
   */
  initialize(method: UnlockMethod, key: Uint8Array): Promise<void>;
  /** Checks `key` against the verifier (`WRONG_UNLOCK` if it doesn't fit), then unlocks. */
  unlock(key: Uint8Array): Promise<void>;
  lock(): void;
  isLocked(): boolean;
  onLock(cb: () => void): () => void;
  putRecord(name: string, value: Uint8Array): Promise<void>;
  getRecord(name: string): Promise<Uint8Array | undefined>;
  deleteRecord(name: string): Promise<void>;
  /**
   * Atomic read-modify-write of one record, safe against other tabs on the same storage (`compareAndSet`): `change`
   * gets the stored plaintext (read from storage, never a cache another tab may have outdated) and returns the new
   * value, or `undefined` to leave it as is. Retried if another writer got in between. Returns the value stored
   * afterwards. `change` may run more than once: it must be pure.
   */
  updateRecord(name: string, change: (current: Uint8Array | undefined) => Uint8Array | undefined): Promise<Uint8Array | undefined>;
  /** Names of stored records starting with `prefix` (names are not secret). */
  listRecords(prefix?: string): Promise<string[]>;
  /** Plaintext metadata (not secret, readable while locked). */
  putMeta(name: string, value: Uint8Array): Promise<void>;
  getMeta(name: string): Promise<Uint8Array | undefined>;
}

const REC = 'rec/';
const META = 'meta/';
const UNLOCK_META = 'unlock';
const DEFAULT_AUTO_LOCK_MS = 5 * 60_000;

export function openShareStore({ backend, autoLockMs = DEFAULT_AUTO_LOCK_MS, timers = globalTimers() }: OpenShareStoreParameters): ShareStore {
  let key: Uint8Array | null = null;
  const cache = new Map<string, Uint8Array>();
  const lockListeners = new Set<() => void>();
  let timer: unknown;

  function armTimer(): void {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    if (key && Number.isFinite(autoLockMs)) timer = timers.setTimeout(lock, autoLockMs);
  }

  function requireKey(): Uint8Array {
    if (!key) throw new CairnError('LOCKED', 'The device is locked; unlock it with your passkey or passphrase');
    armTimer(); // every use counts as activity
    return key;
  }

  function lock(): void {
    const wasUnlocked = key !== null;
    if (key) key.fill(0);
    key = null;
    for (const v of cache.values()) v.fill(0);
    cache.clear();
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    if (wasUnlocked) for (const cb of [...lockListeners]) cb();
  }

  async function readUnlockConfig(): Promise<UnlockConfig | undefined> {
    const raw = await backend.get(META + UNLOCK_META);
    return raw === undefined ? undefined : decodeUnlockConfig(raw);
  }

  /** Takes ownership of `k`: it is zeroed on lock. */
  function setKey(k: Uint8Array): void {
    lock();
    key = k;
    armTimer();
  }

  return {
    async isInitialized() {
      return (await backend.get(META + UNLOCK_META)) !== undefined;
    },
    readUnlockConfig,
    async initialize(method, k) {
      if (await backend.get(META + UNLOCK_META)) {
        throw new CairnError('BAD_PARAMETERS', 'This device already has an unlock method; unlock it instead');
      }
      await backend.set(META + UNLOCK_META, encodeUnlockConfig(createUnlockConfig(method, k)));
      setKey(k);
    },
    async unlock(k) {
      const config = await readUnlockConfig();
      if (!config) throw new CairnError('NOT_FOUND', 'This device has no unlock method yet');
      try {
        checkUnlockKey(config, k);
      } catch (err) {
        k.fill(0);
        throw err;
      }
      setKey(k);
    },
    lock,
    isLocked: () => key === null,
    onLock(cb) {
      lockListeners.add(cb);
      return () => lockListeners.delete(cb);
    },
    async putRecord(name, value) {
      const k = requireKey();
      const sealed = sealRecord(k, name, value);
      await backend.set(REC + name, sealed);
      const old = cache.get(name);
      if (old) old.fill(0);
      if (key) cache.set(name, value.slice()); // still unlocked after the await
    },
    async getRecord(name) {
      requireKey();
      const hit = cache.get(name);
      if (hit) return hit.slice();
      const sealed = await backend.get(REC + name);
      if (sealed === undefined) return undefined;
      const plain = openRecord(requireKey(), name, sealed); // re-check: it may have locked meanwhile
      cache.set(name, plain.slice());
      return plain;
    },
    async updateRecord(name, change) {
      for (let attempt = 0; attempt < 64; attempt++) {
        requireKey();
        const sealed = await backend.get(REC + name);
        const current = sealed === undefined ? undefined : openRecord(requireKey(), name, sealed);
        const next = change(current?.slice());
        if (next === undefined) return current;
        if (await backend.compareAndSet(REC + name, sealed, sealRecord(requireKey(), name, next))) {
          const old = cache.get(name);
          if (old) old.fill(0);
          if (key) cache.set(name, next.slice());
          current?.fill(0);
          return next.slice();
        }
        current?.fill(0); // another writer got in first: read again
      }
      throw new CairnError('ABORTED', `Record "${name}" keeps changing under this update; try again`);
    },
    async deleteRecord(name) {
      requireKey();
      await backend.del(REC + name);
      const old = cache.get(name);
      if (old) old.fill(0);
      cache.delete(name);
    },
    async listRecords(prefix = '') {
      const all = await backend.keys();
      return all
        .filter((k) => k.startsWith(REC + prefix))
        .map((k) => k.slice(REC.length))
        .sort();
    },
    async putMeta(name, value) {
      if (name === UNLOCK_META) throw new CairnError('BAD_PARAMETERS', 'meta/unlock is managed by the store');
      await backend.set(META + name, value);
    },
    getMeta: (name) => backend.get(META + name),
  };
}

function globalTimers(): Timers {
  return {
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  };
}
