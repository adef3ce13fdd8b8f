/**
 * What the ECDSA coordinator keeps across restarts, through the sealed ledger (src/device/ecdsaLedger.ts): bans
 * persist and need a person to lift them; a setup record put back from an older copy, or left without its ledger,
 * is refused when the wallet opens. Setups per peer are rate-limited, and the limit survives a reload. The coordinator runs here with an in-memory
 * log (no network: only what it appends is observed).
 */
import { bytesToHex, hexToBytes, randomBytes } from '@noble/hashes/utils.js';
import { expect, it, vi } from 'vitest';
import { createDeviceIdentity } from '../../src/device/deviceIdentity.ts';
import { encodePairwiseSetup } from '../../src/core/ecdsa/index.ts';
import { ByteWriter } from '../../src/device/byteCodec.ts';
import { readEcdsaLedger, setEcdsaPeerBanned, storeEcdsaSetup } from '../../src/device/ecdsaLedger.ts';
import { openShareStore } from '../../src/device/shareStore.ts';
import { createMemoryBackend } from '../../src/device/storageBackend.ts';
import type { LogEntry, RequestLog } from '../../src/net/requestLog.ts';
import { createEcdsaCoordinator, decodeSetupRequest, encodeSetupRequest, type EcdsaSetupEvent } from '../../src/protocol/ecdsaCoordinator.ts';
import { ecdsaSetupDescriptor } from '../../src/protocol/descriptors/ecdsaSetup.ts';
import { createEnvelopeRouter } from '../../src/protocol/envelopeRouter.ts';
import { identifierOf } from '../../src/core/index.ts';
import { runDkg } from '../helpers/coreDkg.ts';
import type { RunnerEnv } from '../../src/protocol/roundRunner.ts';
import { createSetupRateLimit, SETUP_WINDOW_MS } from '../../src/protocol/setupRateLimit.ts';
import { cachedSetups } from '../core/ecdsa/setupCache.ts';
import { dkgKeys } from '../helpers/dkgKeys.ts';
import { ManualClock } from './helpers.ts';

function memoryLog(author: string): RequestLog & { appended: LogEntry[]; fromPeer(author: string, kind: LogEntry['kind'], body: Uint8Array): void } {
  const appended: LogEntry[] = [];
  const subscribers = new Set<(e: LogEntry) => void>();
  const add = (e: LogEntry) => {
    appended.push(e);
    for (const cb of [...subscribers]) cb(e);
    return e;
  };
  return {
    appended,
    append: (kind, body) => add({ id: bytesToHex(randomBytes(32)), author, kind, body, at: 0 }),
    fromPeer: (peer, kind, body) => void add({ id: bytesToHex(randomBytes(32)), author: peer, kind, body, at: 0 }),
    entries: () => [...appended],
    subscribe: (cb) => (subscribers.add(cb), () => subscribers.delete(cb)),
    onRejected: () => () => undefined,
    setMembers: () => undefined,
    destroy: () => undefined,
  };
}

it('a ban survives a restart (sealed ledger); only a person lifting it lets a setup with that peer be asked for again', async () => {
  const store = openShareStore({ backend: createMemoryBackend(), autoLockMs: Infinity });
  await store.initialize({ kind: 'passphrase', scrypt: { N: 2 ** 10, r: 8, p: 1 }, salt: randomBytes(16) }, randomBytes(32));
  const identity = createDeviceIdentity();
  const walletId = bytesToHex(randomBytes(32));
  const cheater = '03' + 'ff'.repeat(32);
  const honest = '03' + 'fe'.repeat(32);
  await setEcdsaPeerBanned(store, walletId, cheater, true); // banned by an earlier run of the app

  const log = memoryLog(identity.publicKey);
  const events: EcdsaSetupEvent[] = [];
  const coordinator = createEcdsaCoordinator({
    identity,
    log,
    env: { clock: new ManualClock() } as unknown as RunnerEnv,
    store,
    walletId,
    wallet: () => undefined,
    onEvent: (e) => events.push(e),
    onChanged: () => undefined,
  });
  await coordinator.ready();
  expect(coordinator.bannedPeers()).toEqual([cheater]);
  const asked = () => log.appended.flatMap((e) => decodeSetupRequest(e.body)).flat();
  coordinator.requestSetup([cheater, honest]);
  expect(asked()).toContain(honest);
  expect(asked()).not.toContain(cheater);

  await coordinator.unban(cheater); // the person's action
  expect(asked()).toContain(cheater);
  expect((await readEcdsaLedger(store, walletId))!.banned.size).toBe(0);
  coordinator.destroy();
});

it('a peer asking for setup after setup gets 4 runs in 15 minutes; the next waits for the window', async () => {
  const store = openShareStore({ backend: createMemoryBackend(), autoLockMs: Infinity });
  await store.initialize({ kind: 'passphrase', scrypt: { N: 2 ** 10, r: 8, p: 1 }, salt: randomBytes(16) }, randomBytes(32));
  const self = createDeviceIdentity();
  const peer = createDeviceIdentity();
  const w = runDkg(2, 2, { deviceKeys: [hexToBytes(self.publicKey), hexToBytes(peer.publicKey)] });
  const key = w.keys.get(identifierOf(hexToBytes(self.publicKey)))!;
  const log = memoryLog(self.publicKey);
  const clock = new ManualClock();
  const env: RunnerEnv = {
    identity: self,
    log,
    router: createEnvelopeRouter({ log, identity: self, onEvent: () => undefined }),
    clock,
    roundTimeoutMs: 1e9,
    onEvent: () => undefined,
  };
  let started = 0; // setup runs this device began (each would cost ~0.5 s of base OTs)
  const counting: typeof ecdsaSetupDescriptor = {
    ...ecdsaSetupDescriptor,
    setup(params) {
      started++;
      const inner = ecdsaSetupDescriptor.setup(params);
      return { ...inner, party: { ...inner.party, start: () => new Promise(() => undefined) } };
    },
  };
  const events: EcdsaSetupEvent[] = [];
  const coordinator = createEcdsaCoordinator({
    identity: self,
    log,
    env,
    store,
    walletId: bytesToHex(w.walletId),
    wallet: () => ({ pub: w.pub, key }),
    onEvent: (e) => events.push(e),
    onChanged: () => undefined,
    setupDescriptor: counting,
  });
  await coordinator.ready();
  for (let i = 0; i < 6; i++) log.fromPeer(peer.publicKey, 'ecdsa-setup', encodeSetupRequest([[self.publicKey, peer.publicKey]]));
  expect(started).toBe(4);
  expect(events.filter((e) => e.type === 'ecdsa-setup-deferred')).toHaveLength(1);
  clock.advance(SETUP_WINDOW_MS); // the window frees up: the latest request runs
  expect(started).toBe(5);
  coordinator.destroy();
});

it('the per-peer setup limit survives a reload: the counts come back from the sealed ledger', async () => {
  const store = openShareStore({ backend: createMemoryBackend(), autoLockMs: Infinity });
  await store.initialize({ kind: 'passphrase', scrypt: { N: 2 ** 10, r: 8, p: 1 }, salt: randomBytes(16) }, randomBytes(32));
  const self = createDeviceIdentity();
  const peer = createDeviceIdentity();
  const w = runDkg(2, 2, { deviceKeys: [hexToBytes(self.publicKey), hexToBytes(peer.publicKey)] });
  const key = w.keys.get(identifierOf(hexToBytes(self.publicKey)))!;
  const walletId = bytesToHex(w.walletId);
  const log = memoryLog(self.publicKey); // the log comes back after a reload (peers resync it)
  const clock = new ManualClock();
  let started = 0;
  const counting: typeof ecdsaSetupDescriptor = {
    ...ecdsaSetupDescriptor,
    setup(params) {
      started++;
      const inner = ecdsaSetupDescriptor.setup(params);
      return { ...inner, party: { ...inner.party, start: () => new Promise(() => undefined) } };
    },
  };
  const open = async (events: EcdsaSetupEvent[]) => {
    const env: RunnerEnv = {
      identity: self,
      log,
      router: createEnvelopeRouter({ log, identity: self, onEvent: () => undefined }),
      clock,
      roundTimeoutMs: 1e9,
      onEvent: () => undefined,
    };
    const c = createEcdsaCoordinator({
      identity: self,
      log,
      env,
      store,
      walletId,
      wallet: () => ({ pub: w.pub, key }),
      onEvent: (e) => events.push(e),
      onChanged: () => undefined,
      setupDescriptor: counting,
    });
    await c.ready();
    return c;
  };
  const first = await open([]);
  for (let i = 0; i < 4; i++) log.fromPeer(peer.publicKey, 'ecdsa-setup', encodeSetupRequest([[self.publicKey, peer.publicKey]]));
  expect(started).toBe(4);
  await vi.waitFor(async () => expect((await readEcdsaLedger(store, walletId))?.setupRuns.get(peer.publicKey)).toHaveLength(4));
  first.destroy(); // the page reloads

  const events: EcdsaSetupEvent[] = [];
  const second = await open(events); // the latest request is still unanswered: without the ledger it would run now
  expect(started).toBe(4);
  expect(events.filter((e) => e.type === 'ecdsa-setup-deferred')).toHaveLength(1);
  clock.advance(SETUP_WINDOW_MS);
  expect(started).toBe(5);
  second.destroy();
});

it('setups with one peer are limited to 4 in 15 minutes; the window frees up again', () => {
  const clock = new ManualClock();
  const limit = createSetupRateLimit(clock);
  for (let i = 0; i < 4; i++) expect(limit.take('p')).toBe(0);
  const wait = limit.take('p');
  expect(wait).toBeGreaterThan(0);
  expect(limit.take('q')).toBe(0); // per peer
  clock.advance(wait - 1);
  expect(limit.take('p')).toBeGreaterThan(0); // still inside the window
  clock.advance(1);
  for (let i = 0; i < 4; i++) expect(limit.take('p')).toBe(0);
  expect(limit.take('p')).toBeGreaterThan(0);

  // Seeded from the ledger: earlier runs count; one stamped in the future (clock set back) counts for one window only.
  const seeded = createSetupRateLimit(clock);
  seeded.seed('p', [clock.now() - 1, clock.now() - 2, clock.now() - 3]);
  seeded.seed('q', [clock.now() + 10 * SETUP_WINDOW_MS, clock.now(), clock.now(), clock.now()]);
  expect(seeded.take('p')).toBe(0);
  expect(seeded.take('p')).toBeGreaterThan(0);
  expect(seeded.take('q')).toBe(SETUP_WINDOW_MS);
  clock.advance(SETUP_WINDOW_MS);
  expect(seeded.take('q')).toBe(0);
});

it('a setup record put back from an older copy (or left without its ledger) is refused when the wallet opens', async () => {
  const { ids } = dkgKeys(2, 3);
  const setups = cachedSetups(ids);
  const backend = createMemoryBackend();
  const store = openShareStore({ backend, autoLockMs: Infinity });
  await store.initialize({ kind: 'passphrase', scrypt: { N: 2 ** 10, r: 8, p: 1 }, salt: randomBytes(16) }, randomBytes(32));
  const identity = createDeviceIdentity();
  const walletId = bytesToHex(randomBytes(32));
  const peer = '03' + 'fd'.repeat(32);
  const record = (generation: number) =>
    new ByteWriter().u8(1).bytes(new Uint8Array(32).fill(generation)).var32(encodePairwiseSetup(setups[ids[0]!]![ids[1]!]!)).finish();
  const open = async () => {
    const events: EcdsaSetupEvent[] = [];
    const c = createEcdsaCoordinator({
      identity,
      log: memoryLog(identity.publicKey),
      env: { clock: new ManualClock() } as unknown as RunnerEnv,
      store,
      walletId,
      wallet: () => undefined,
      onEvent: (e) => events.push(e),
      onChanged: () => undefined,
    });
    await c.ready();
    return { c, events };
  };
  const key = `rec/wallet/${walletId}/ecdsa/${peer}`;

  await storeEcdsaSetup(store, walletId, peer, record(1));
  const older = backend.raw.get(key)!.slice();
  await storeEcdsaSetup(store, walletId, peer, record(2));
  expect((await open()).c.readyPeers()).toEqual([peer]);

  backend.raw.set(key, older); // generation 1 put back without the unlock key
  const reopened = await open();
  expect(reopened.c.readyPeers()).toEqual([]);
  expect(reopened.events).toContainEqual({ type: 'ecdsa-setup-discarded', peer, reason: 'rolled back or tampered with in storage' });
  expect(backend.raw.has(key)).toBe(false);

  await storeEcdsaSetup(store, walletId, peer, record(3));
  backend.raw.delete(`rec/wallet/${walletId}/ecdsa-ledger`); // the ledger (and its used-session marks) deleted
  expect((await open()).c.readyPeers()).toEqual([]);
}, 120_000);
