/**
 * The sealed ECDSA ledger (src/device/ecdsaLedger.ts): used-session claims are atomic across two stores (tabs) on one
 * storage; deleting the ledger, or putting back an older setup record, is detected and refused. Setup start times
 * (the per-peer rate limit) are kept in it, merged across tabs; a version-1 ledger (before them) still opens.
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { isCairnError } from '../../src/core/errors.ts';
import {
  checkEcdsaSetups,
  claimEcdsaSession,
  decodeEcdsaLedger,
  encodeEcdsaLedger,
  forgetEcdsaSetup,
  readEcdsaLedger,
  recordEcdsaSetupRun,
  storeEcdsaSetup,
} from '../../src/device/ecdsaLedger.ts';
import { ByteWriter } from '../../src/device/byteCodec.ts';
import { openShareStore, type ShareStore } from '../../src/device/shareStore.ts';
import { createMemoryBackend, type StorageBackend } from '../../src/device/storageBackend.ts';
import { recordNames } from '../../src/device/walletRecords.ts';

const walletId = 'w1';
const peer = '02' + 'ab'.repeat(32);
const ledgerKey = 'rec/' + recordNames.ecdsaLedger(walletId);
const setupKey = 'rec/' + recordNames.ecdsaSetup(walletId, peer);

/** A backend whose every call yields to other callers first (as IndexedDB does), so interleavings happen. */
function slowBackend(inner: StorageBackend): StorageBackend {
  const later = () => new Promise((r) => setTimeout(r, Math.floor(Math.random() * 3)));
  return {
    get: async (k) => (await later(), inner.get(k)),
    set: async (k, v) => (await later(), inner.set(k, v)),
    del: async (k) => (await later(), inner.del(k)),
    keys: async () => (await later(), inner.keys()),
    compareAndSet: async (k, e, v) => (await later(), inner.compareAndSet(k, e, v)),
  };
}

async function tabs(n: number) {
  const raw = createMemoryBackend();
  const key = randomBytes(32);
  const stores: ShareStore[] = [];
  for (let i = 0; i < n; i++) {
    const s = openShareStore({ backend: slowBackend(raw), autoLockMs: Infinity });
    if (i === 0) await s.initialize({ kind: 'passphrase', scrypt: { N: 2 ** 10, r: 8, p: 1 }, salt: randomBytes(16) }, key.slice());
    else await s.unlock(key.slice());
    stores.push(s);
  }
  return { raw, stores };
}

async function expectRolledBack(p: Promise<unknown>) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isCairnError(err) && err.code).toBe('ROLLED_BACK');
}

describe('ECDSA ledger', () => {
  it('a session is claimed once: again in the same tab, in another tab, and by concurrent tabs', async () => {
    const { stores } = await tabs(4);
    await storeEcdsaSetup(stores[0]!, walletId, peer, Uint8Array.of(1, 2, 3));
    const s1 = randomBytes(32);
    expect(await claimEcdsaSession(stores[0]!, walletId, s1)).toBe(true);
    expect(await claimEcdsaSession(stores[0]!, walletId, s1)).toBe(false);
    expect(await claimEcdsaSession(stores[1]!, walletId, s1)).toBe(false);
    for (let round = 0; round < 10; round++) {
      const s = randomBytes(32);
      const wins = await Promise.all(stores.map((st) => claimEcdsaSession(st, walletId, s)));
      expect(wins.filter(Boolean)).toHaveLength(1);
    }
    expect((await readEcdsaLedger(stores[2]!, walletId))!.sessions).toHaveLength(11);
  });

  it('deleting the ledger (with its used-session marks) is detected: claims and held setups are refused', async () => {
    const { raw, stores } = await tabs(1);
    const [store] = stores as [ShareStore];
    await storeEcdsaSetup(store, walletId, peer, Uint8Array.of(1, 2, 3));
    const s = randomBytes(32);
    expect(await claimEcdsaSession(store, walletId, s)).toBe(true);
    expect((await checkEcdsaSetups(store, walletId)).map((x) => x.ok)).toEqual([true]);
    raw.raw.delete(ledgerKey); // no unlock key needed to delete
    await expectRolledBack(claimEcdsaSession(store, walletId, s));
    expect((await checkEcdsaSetups(store, walletId)).map((x) => x.ok)).toEqual([false]);
  });

  it('an older setup record put back is refused; an edited ledger counts as deleted', async () => {
    const { raw, stores } = await tabs(1);
    const [store] = stores as [ShareStore];
    await storeEcdsaSetup(store, walletId, peer, Uint8Array.of(1, 1, 1));
    const older = raw.raw.get(setupKey)!.slice();
    await storeEcdsaSetup(store, walletId, peer, Uint8Array.of(2, 2, 2));
    expect((await checkEcdsaSetups(store, walletId)).map((x) => x.ok)).toEqual([true]);
    raw.raw.set(setupKey, older); // sealed under the right name: it opens, but it is not the setup the ledger holds
    expect((await checkEcdsaSetups(store, walletId)).map((x) => x.ok)).toEqual([false]);

    // An edited ledger does not open: treated as deleted, so claims and every setup are refused (not stuck).
    await storeEcdsaSetup(store, walletId, peer, Uint8Array.of(2, 2, 2));
    const sealed = raw.raw.get(ledgerKey)!;
    sealed[sealed.length - 1]! ^= 1;
    await expectRolledBack(claimEcdsaSession(store, walletId, randomBytes(32)));
    expect((await checkEcdsaSetups(store, walletId)).map((x) => x.ok)).toEqual([false]);
    await storeEcdsaSetup(store, walletId, peer, Uint8Array.of(3)); // a fresh setup starts a new ledger
    expect((await checkEcdsaSetups(store, walletId)).map((x) => x.ok)).toEqual([true]);
  });

  it('a setup record that does not open with this key is refused, not fatal', async () => {
    const { raw, stores } = await tabs(1);
    const [store] = stores as [ShareStore];
    await storeEcdsaSetup(store, walletId, peer, Uint8Array.of(1));
    raw.raw.get(setupKey)![20]! ^= 1;
    expect((await checkEcdsaSetups(store, walletId)).map((x) => x.ok)).toEqual([false]);
  });

  it('a forgotten setup leaves the ledger; a record without a ledger entry is refused', async () => {
    const { raw, stores } = await tabs(1);
    const [store] = stores as [ShareStore];
    await storeEcdsaSetup(store, walletId, peer, Uint8Array.of(7));
    const sealed = raw.raw.get(setupKey)!.slice();
    await forgetEcdsaSetup(store, walletId, peer);
    expect((await readEcdsaLedger(store, walletId))!.setups.size).toBe(0);
    expect(await checkEcdsaSetups(store, walletId)).toEqual([]);
    raw.raw.set(setupKey, sealed); // the discarded setup put back
    expect((await checkEcdsaSetups(store, walletId)).map((x) => x.ok)).toEqual([false]);
  });

  it('keeps the latest setup start times per peer, merged across tabs, and still opens a version-1 ledger', async () => {
    const { stores } = await tabs(2);
    const [a, b] = stores as [ShareStore, ShareStore];
    const other = '03' + 'cd'.repeat(32);
    for (const t of [1000, 2000, 3000]) await recordEcdsaSetupRun(a, walletId, peer, t, 4);
    await Promise.all([recordEcdsaSetupRun(a, walletId, peer, 4000, 4), recordEcdsaSetupRun(b, walletId, peer, 5000, 4)]);
    await recordEcdsaSetupRun(b, walletId, other, 7000, 4);
    const l = (await readEcdsaLedger(a, walletId))!;
    expect(l.setupRuns.get(peer)).toEqual([2000, 3000, 4000, 5000]); // both tabs' runs, the oldest dropped
    expect(l.setupRuns.get(other)).toEqual([7000]);
    expect(decodeEcdsaLedger(encodeEcdsaLedger(l)).setupRuns).toEqual(l.setupRuns);

    // Version 1 (written before the start times existed): same fields, no run list.
    const v1 = new ByteWriter().u8(1).u64(3).u16(0).u16(1).bytes(new Uint8Array(33).fill(2)).u32(0).finish();
    const old = decodeEcdsaLedger(v1);
    expect(old.counter).toBe(3);
    expect(old.banned.size).toBe(1);
    expect(old.setupRuns.size).toBe(0);
    expect(() => decodeEcdsaLedger(Uint8Array.of(3, ...v1.subarray(1)))).toThrow();
  });
});
