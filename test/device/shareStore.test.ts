import { describe, expect, it } from 'vitest';
import { randomBytes } from '@noble/hashes/utils.js';
import { openShareStore, type Timers } from '../../src/device/shareStore.ts';
import { createMemoryBackend } from '../../src/device/storageBackend.ts';
import { unlockKeyFromPassphrase, WRONG_PASSPHRASE_MESSAGE, type ScryptParams } from '../../src/device/unlockKey.ts';
import { createDeviceIdentity } from '../../src/device/deviceIdentity.ts';
import {
  discardStagedEpoch,
  getCurrentEpoch,
  getStagedEpoch,
  listStagedEpochs,
  loadDeviceIdentity,
  loadOrCreateDeviceIdentity,
  promoteStagedEpoch,
  putCurrentEpoch,
  putNonces,
  readDevicePublicKey,
  recordNames,
  saveDeviceIdentity,
  stageEpoch,
  takeNonces,
} from '../../src/device/walletRecords.ts';
import { CairnError } from '../../src/core/errors.ts';

// Small scrypt parameters keep the suite fast; the defaults are exercised once below.
const FAST: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };
const enc = (s: string) => new TextEncoder().encode(s);

/** Manual timers: the test decides when time passes. */
function manualTimers() {
  let pending: { fn: () => void; ms: number } | null = null;
  const timers: Timers = {
    setTimeout: (fn, ms) => (pending = { fn, ms }),
    clearTimeout: (h) => {
      if (h === pending) pending = null;
    },
  };
  return { timers, fire: () => pending?.fn(), armed: () => pending?.ms };
}

async function freshStore(passphrase = 'correct horse battery staple', timers?: Timers) {
  const backend = createMemoryBackend();
  const store = openShareStore({ backend, autoLockMs: 60_000, ...(timers ? { timers } : {}) });
  const salt = randomBytes(16);
  const key = await unlockKeyFromPassphrase(passphrase, salt, FAST);
  await store.initialize({ kind: 'passphrase', scrypt: FAST, salt }, key);
  return { backend, store, salt };
}

async function unlockWith(store: Awaited<ReturnType<typeof freshStore>>['store'], passphrase: string) {
  const config = (await store.readUnlockConfig())!;
  if (config.method.kind !== 'passphrase') throw new Error('expected passphrase');
  await store.unlock(await unlockKeyFromPassphrase(passphrase, config.method.salt, config.method.scrypt));
}

describe('share store', () => {
  it('stores only ciphertext: no plaintext record bytes on "disk"', async () => {
    const { backend, store } = await freshStore();
    const secret = enc('KEY-PACKAGE-PLAINTEXT-0123456789');
    await store.putRecord('wallet/w/current', secret);
    for (const v of backend.raw.values()) expect(Buffer.from(v).includes(Buffer.from(secret))).toBe(false);
    expect(await store.getRecord('wallet/w/current')).toEqual(secret);
  });

  it('a wrong passphrase is refused with a clear, typed message; the right one unlocks', async () => {
    const { store } = await freshStore('right one');
    await store.putRecord('r', enc('x'));
    store.lock();
    const err = await unlockWith(store, 'wrong one').catch((e) => e);
    expect(err).toBeInstanceOf(CairnError);
    expect(err.code).toBe('WRONG_UNLOCK');
    expect(err.shortMessage).toBe(WRONG_PASSPHRASE_MESSAGE);
    expect(store.isLocked()).toBe(true);
    await unlockWith(store, 'right one');
    expect(await store.getRecord('r')).toEqual(enc('x'));
  });

  it('the default scrypt parameters derive a stable key', async () => {
    const salt = randomBytes(16);
    const a = await unlockKeyFromPassphrase('pw', salt);
    const b = await unlockKeyFromPassphrase('pw', salt);
    expect(a).toEqual(b);
    expect(a).not.toEqual(await unlockKeyFromPassphrase('pw2', salt));
  });

  it('lock wipes the key and cached plaintexts; locked reads are refused', async () => {
    const { store } = await freshStore();
    const secret = enc('secret share bytes');
    await store.putRecord('r', secret);
    const copy = await store.getRecord('r'); // a caller's copy stays the caller's to wipe
    let locked = 0;
    store.onLock(() => locked++);
    store.lock();
    expect(locked).toBe(1);
    expect(store.isLocked()).toBe(true);
    const err = await store.getRecord('r').catch((e) => e);
    expect(err.code).toBe('LOCKED');
    await expect(store.putRecord('r2', enc('y'))).rejects.toMatchObject({ code: 'LOCKED' });
    expect(copy).toEqual(secret);
  });

  it('lock overwrites the in-memory key bytes with zeros (the store owns the key it was given)', async () => {
    const backend = createMemoryBackend();
    const store = openShareStore({ backend });
    const key = randomBytes(32);
    const keep = key.slice();
    await store.initialize({ kind: 'passphrase', scrypt: FAST, salt: randomBytes(16) }, key);
    await store.putRecord('r', enc('v'));
    expect(key.some((b) => b !== 0)).toBe(true);
    store.lock();
    expect(key.every((b) => b === 0)).toBe(true);
    const wrong = randomBytes(32);
    await expect(store.unlock(wrong)).rejects.toMatchObject({ code: 'WRONG_UNLOCK' });
    expect(wrong.every((b) => b === 0)).toBe(true);
    await store.unlock(keep.slice());
    expect(await store.getRecord('r')).toEqual(enc('v'));
  });

  it('locks itself after inactivity, and every use re-arms the timer', async () => {
    const t = manualTimers();
    const { store } = await freshStore('pw', t.timers);
    expect(t.armed()).toBe(60_000);
    await store.putRecord('r', enc('v'));
    expect(store.isLocked()).toBe(false);
    t.fire();
    expect(store.isLocked()).toBe(true);
    expect(t.armed()).toBeUndefined();
  });

  it('device identity is stored sealed; its public key is readable while locked', async () => {
    const { backend, store } = await freshStore();
    const id = createDeviceIdentity();
    await saveDeviceIdentity(store, id);
    for (const v of backend.raw.values()) expect(Buffer.from(v).includes(Buffer.from(id.secretKey))).toBe(false);
    store.lock();
    expect(await readDevicePublicKey(store)).toBe(id.publicKey);
    await unlockWith(store, 'correct horse battery staple');
    expect((await loadDeviceIdentity(store))!.publicKey).toBe(id.publicKey);
    expect((await loadOrCreateDeviceIdentity(store)).publicKey).toBe(id.publicKey);
  });

  it('first run creates the identity once; later runs load the same one', async () => {
    const { store } = await freshStore();
    const first = await loadOrCreateDeviceIdentity(store);
    expect((await loadOrCreateDeviceIdentity(store)).publicKey).toBe(first.publicKey);
  });

  it('staged epochs are separate records; promotion replaces current; discard keeps it', async () => {
    const { store } = await freshStore();
    const e1 = { epoch: 1, keyPackage: enc('kp1'), publicPackage: enc('pp1') };
    const e2 = { epoch: 2, keyPackage: enc('kp2'), publicPackage: enc('pp2') };
    const e3 = { epoch: 3, keyPackage: enc('kp3'), publicPackage: enc('pp3') };
    await putCurrentEpoch(store, 'w', e1);
    await stageEpoch(store, 'w', e2);
    expect(await getCurrentEpoch(store, 'w')).toEqual(e1);
    expect(await listStagedEpochs(store, 'w')).toEqual([2]);
    await expect(stageEpoch(store, 'w', { ...e1 })).rejects.toMatchObject({ code: 'WRONG_EPOCH' });
    await promoteStagedEpoch(store, 'w', 2);
    expect(await getCurrentEpoch(store, 'w')).toEqual(e2);
    expect(await listStagedEpochs(store, 'w')).toEqual([]);
    await stageEpoch(store, 'w', e3);
    await discardStagedEpoch(store, 'w', 3);
    expect(await getCurrentEpoch(store, 'w')).toEqual(e2);
    await expect(promoteStagedEpoch(store, 'w', 3)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a crash between the two promotion steps leaves a consistent store', async () => {
    const { store } = await freshStore();
    const e1 = { epoch: 1, keyPackage: enc('kp1'), publicPackage: enc('pp1') };
    const e2 = { epoch: 2, keyPackage: enc('kp2'), publicPackage: enc('pp2') };
    await putCurrentEpoch(store, 'w', e1);
    await stageEpoch(store, 'w', e2);
    // Simulate a crash after step 1 (current written) and before step 2 (staged deleted).
    await putCurrentEpoch(store, 'w', e2);
    expect(await getCurrentEpoch(store, 'w')).toEqual(e2);
    expect(await listStagedEpochs(store, 'w')).toEqual([]); // the leftover is recognised as promoted
    await expect(promoteStagedEpoch(store, 'w', 2)).rejects.toMatchObject({ code: 'WRONG_EPOCH' });
    expect(await getCurrentEpoch(store, 'w')).toEqual(e2);
  });

  it('a staged record swapped into the current slot on disk is refused', async () => {
    const { backend, store } = await freshStore();
    await putCurrentEpoch(store, 'w', { epoch: 1, keyPackage: enc('kp1'), publicPackage: enc('pp1') });
    await stageEpoch(store, 'w', { epoch: 2, keyPackage: enc('kp2'), publicPackage: enc('pp2') });
    store.lock();
    await unlockWith(store, 'correct horse battery staple');
    backend.raw.set('rec/' + recordNames.current('w'), backend.raw.get('rec/' + recordNames.staged('w', 2))!);
    await expect(getCurrentEpoch(store, 'w')).rejects.toMatchObject({ code: 'BAD_SIGNATURE' });
    await expect(getStagedEpoch(store, 'w', 2)).resolves.toMatchObject({ epoch: 2 });
  });

  it('nonces are deleted from storage before they are returned, and only once', async () => {
    const { backend, store } = await freshStore();
    await putNonces(store, 'w', 'session1', enc('nonce-bytes'));
    await expect(putNonces(store, 'w', 'session1', enc('again'))).rejects.toMatchObject({ code: 'NONCE_REUSED' });
    const nonces = await takeNonces(store, 'w', 'session1');
    expect(nonces).toEqual(enc('nonce-bytes'));
    expect([...backend.raw.keys()].some((k) => k.includes('nonce'))).toBe(false);
    await expect(takeNonces(store, 'w', 'session1')).rejects.toMatchObject({ code: 'NONCE_REUSED' });
  });

  it('refuses record names that could escape their wallet folder', async () => {
    const { store } = await freshStore();
    await expect(putCurrentEpoch(store, '../x', { epoch: 1, keyPackage: enc('a'), publicPackage: enc('b') })).rejects.toMatchObject({ code: 'BAD_PARAMETERS' });
  });
});
