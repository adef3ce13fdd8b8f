/** Test rig: a device whose page can be reloaded (joining and wallet-creation reload tests). */
import { expect } from 'vitest';
import * as Y from 'yjs';
import { randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { frostVerify, signingDigest, type SigningRequest } from '../../src/core/index.ts';
import { createDeviceIdentity } from '../../src/device/deviceIdentity.ts';
import { openShareStore } from '../../src/device/shareStore.ts';
import { createMemoryBackend } from '../../src/device/storageBackend.ts';
import type { MemoryHub } from '../../src/net/memoryHub.ts';
import { createGuardian } from '../../src/protocol/guardian.ts';
import { approvesKeyChanges, type ManualClock, ROUND_TIMEOUT, until, type Device } from './helpers.ts';

const FAST_SCRYPT = { N: 2, r: 1, p: 1 };
export type Reloadable = Device & { doc?: Y.Doc; reload(opts?: { keepDoc?: boolean }): Promise<void> };

/** A device whose page can be reloaded: same identity and storage backend, a new store object unlocked again, a new guardian. */
export async function makeReloadableDevice(hub: MemoryHub, clock: ManualClock, name: string): Promise<Reloadable> {
  const identity = createDeviceIdentity();
  const backend = createMemoryBackend();
  const unlockKey = randomBytes(32);
  const d = { name, identity, backend, events: [] } as unknown as Reloadable;
  const start = (doc: () => Y.Doc) => {
    d.guardian = createGuardian({
      identity,
      store: d.store,
      clock,
      roundTimeoutMs: ROUND_TIMEOUT,
      signalingUrls: ['ws://localhost:4544'],
      connect: async () => {
        d.doc = doc();
        d.peer = hub.join(d.doc, name);
        return { doc: d.doc, close: async () => d.peer?.leave() };
      },
    });
    d.guardian.on((e) => d.events.push(e));
    approvesKeyChanges(d.guardian); // its person approves key changes
  };
  d.store = openShareStore({ backend, autoLockMs: Infinity });
  await d.store.initialize({ kind: 'passphrase', scrypt: FAST_SCRYPT, salt: randomBytes(16) }, unlockKey.slice());
  start(() => new Y.Doc());
  d.reload = async ({ keepDoc = false } = {}) => {
    await d.guardian.close();
    d.store.lock(); // the page is gone: nothing of it stays in memory…
    const kept = d.doc!;
    d.store = openShareStore({ backend, autoLockMs: Infinity }); // …but its storage (and, in a browser, the log in IndexedDB) does
    await d.store.unlock(unlockKey.slice());
    d.events.length = 0;
    start(() => (keepDoc ? kept : new Y.Doc()));
  };
  return d;
}

/**
 * A test message requested by `requester`, approved by `approvers`, signed by them: the signature verifies under
 * the requester's group key, over the digest of the message asked for (not merely one the signers agreed on).
 */
export async function signTogether(hub: MemoryHub, clock: ManualClock, requester: Device, approvers: Device | Device[], message: string) {
  const request: SigningRequest = { type: 'test-message', message: utf8ToBytes(message) };
  const { requestId, signature } = await requester.guardian.requestSignature(request);
  await hub.settle();
  for (const approver of [approvers].flat()) await approver.guardian.approve(requestId);
  let done = false;
  void signature.then(() => (done = true));
  await until(hub, clock, () => done, 0);
  const res = await signature;
  expect(res.digest).toEqual(signingDigest(request));
  expect(frostVerify(requester.guardian.wallet()!.pub, res.digest, res.signature)).toBe(true);
  return res;
}

/** Reopens `walletId` on `d` after a reload, settling until it has opened (its result) or failed (thrown). */
export async function reopenSettled(
  hub: MemoryHub,
  clock: ManualClock,
  d: Reloadable,
  walletId: string,
): Promise<Awaited<ReturnType<Reloadable['guardian']['reopen']>>> {
  let opened: Awaited<ReturnType<Reloadable['guardian']['reopen']>> | undefined;
  let failed: unknown;
  d.guardian.reopen(walletId).then(
    (r) => (opened = r),
    (e: unknown) => (failed = e),
  );
  await until(hub, clock, () => opened !== undefined || failed !== undefined, 0);
  if (failed) throw failed;
  return opened!;
}
