/**
 * One-shot ECDSA sessions across tabs: two guardian instances of one device (two share stores on one storage, as two
 * tabs over one IndexedDB) start the same signing session at once. The claim in the sealed ECDSA ledger
 * (src/device/ecdsaLedger.ts, what the ECDSA coordinator passes as `claimSession`) lets exactly one of them through;
 * the other stops before round 1, so at most one ever reaches round 2.
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { expect, it } from 'vitest';
import { isCairnError } from '../../src/core/errors.ts';
import type { PairwiseSetup } from '../../src/core/ecdsa/index.ts';
import type { SigningRequest } from '../../src/core/index.ts';
import { toHex } from '../../src/device/byteCodec.ts';
import { claimEcdsaSession, storeEcdsaSetup } from '../../src/device/ecdsaLedger.ts';
import { openShareStore } from '../../src/device/shareStore.ts';
import { createMemoryBackend, type StorageBackend } from '../../src/device/storageBackend.ts';
import { ecdsaSignDescriptor, type EcdsaSignParams } from '../../src/protocol/descriptors/ecdsaSign.ts';
import { runDkg } from '../helpers/coreDkg.ts';
import { setupPair } from '../core/ecdsa/inProcess.ts';

/** Every storage call yields first, as IndexedDB does, so the two tabs interleave. */
function yielding(inner: StorageBackend): StorageBackend {
  const later = () => new Promise((r) => setTimeout(r, Math.floor(Math.random() * 3)));
  return {
    get: async (k) => (await later(), inner.get(k)),
    set: async (k, v) => (await later(), inner.set(k, v)),
    del: async (k) => (await later(), inner.del(k)),
    keys: async () => (await later(), inner.keys()),
    compareAndSet: async (k, e, v) => (await later(), inner.compareAndSet(k, e, v)),
  };
}

const request: SigningRequest = {
  type: 'eoa-transaction',
  chainId: 31337n,
  nonce: 0n,
  to: '0x00000000000000000000000000000000000000a1',
  value: 1n,
  data: new Uint8Array(0),
  gas: 21_000n,
  maxFeePerGas: 2_000_000_000n,
  maxPriorityFeePerGas: 1_000_000n,
};

it('two instances of one guardian on one store start the same ECDSA session: exactly one reaches round 2', async () => {
  const w = runDkg(2, 2);
  const [idA, idB] = w.ids as [string, string];
  const [setupA, setupB] = setupPair(idA, idB, randomBytes(32));
  const walletId = toHex(w.walletId).slice(-64);
  const devices = w.deviceKeys.map(toHex);
  const raw = createMemoryBackend();
  const unlockKey = randomBytes(32);
  const tab1 = openShareStore({ backend: yielding(raw), autoLockMs: Infinity });
  await tab1.initialize({ kind: 'passphrase', scrypt: { N: 2 ** 10, r: 8, p: 1 }, salt: randomBytes(16) }, unlockKey.slice());
  const tab2 = openShareStore({ backend: yielding(raw), autoLockMs: Infinity });
  await tab2.unlock(unlockKey.slice());
  await storeEcdsaSetup(tab1, walletId, devices[1]!, Uint8Array.of(1)); // as the coordinator does after a setup

  const params = (who: 0 | 1, claim?: EcdsaSignParams['claimSession']): EcdsaSignParams => ({
    walletId: w.walletId,
    pub: w.pub,
    key: w.keys.get(w.ids[who]!)!,
    signers: devices,
    requester: devices[0]!,
    requestId: Uint8Array.of(7),
    request,
    pairGenerations: [new Uint8Array(32).fill(9)],
    setups: new Map<string, PairwiseSetup>([[who === 0 ? idB : idA, who === 0 ? setupA : setupB]]),
    ...(claim ? { claimSession: claim } : {}),
  });
  const inTab = (store: typeof tab1) => ecdsaSignDescriptor.setup(params(0, (s) => claimEcdsaSession(store, walletId, s)));
  const first = inTab(tab1);
  const second = inTab(tab2);
  expect(second.session).toEqual(first.session); // the very same session

  const started = await Promise.allSettled([first.party.start(), second.party.start()]);
  const won = started.filter((s) => s.status === 'fulfilled');
  expect(won).toHaveLength(1);
  const lost = started.find((s) => s.status === 'rejected') as PromiseRejectedResult;
  expect(isCairnError(lost.reason) && lost.reason.code).toBe('WRONG_SESSION');

  // The winner goes on to round 2 with the counterparty's round-1 message; a third try (a reload) is refused too.
  const winner = started[0]!.status === 'fulfilled' ? first : second;
  const peer = ecdsaSignDescriptor.setup(params(1));
  const fromPeer = (await peer.party.start()).direct!.get(idA)!;
  const step = await winner.party.receive(1, new Map([[idB, fromPeer]]));
  expect('next' in step && step.next.direct?.get(idB)?.length).toBeGreaterThan(0);
  const reload = inTab(tab2);
  await expect(reload.party.start()).rejects.toMatchObject({ code: 'WRONG_SESSION' });
}, 120_000);
