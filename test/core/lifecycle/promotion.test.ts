/**
 * Promotion and what the contracts and the ECDSA layer need from it: the guardian-set hash (equal
 * to src/chain's), the registry-advance-epoch request (equal to the registry's digest), a test
 * signature by the staged shares before promotion, and the pairwise setups to re-derive.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  advanceEpochRequest,
  afterPromotion,
  checkConfirmations,
  frostVerify,
  groupKeyOf,
  guardianSetHashOf,
  identifierOf,
  promote,
  registryWalletId,
  signingDigest,
} from '../../../src/core/index.ts';
import { bytesToHex } from '../../../src/core/encoding.ts';
import { guardianSetHash } from '../../../src/chain/guardianSetHash.ts';
import { getWalletId } from '../../../src/chain/groupKey.ts';
import { getAdvanceEpochDigest } from '../../../src/chain/registryDigests.ts';
import { runDkg, type Wallet } from '../../helpers/coreDkg.ts';
import { signWith } from '../../helpers/coreSign.ts';
import { expectCairn, promoted, randomDeviceKeys, runEnroll, runRefresh, runReshare } from './helpers.ts';

const registry = '0x5FbDB2315678afecb367f032d93F642f64180aa3' as const;

describe('contracts', () => {
  it('guardianSetHashOf equals src/chain guardianSetHash (the registry’s definition), whatever the order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 15 }), fc.nat(), (n, rot) => {
        const keys = randomDeviceKeys(n);
        const rotated = [...keys.slice(rot % n), ...keys.slice(0, rot % n)];
        expect(guardianSetHashOf(rotated)).toBe(guardianSetHash(keys));
      }),
      { numRuns: 20 },
    );
    const [k] = randomDeviceKeys(1);
    expectCairn(() => guardianSetHashOf([k!, k!]), 'BAD_PARAMETERS');
  });

  it('the advance-epoch request from a staged epoch is the digest the registry checks; the staged shares sign it before promotion', () => {
    const w = runDkg(3, 5);
    const s = runReshare(w, { newDeviceKeys: [...w.deviceKeys.slice(0, 3), ...randomDeviceKeys(1)], newThreshold: 2 });
    const staged = [...s.staged.values()];
    const next = staged[0]!.key.public;
    const request = advanceEpochRequest({ chainId: 31337n, registry, previous: w.pub, next });
    expect(request.walletId).toBe(getWalletId(groupKeyOf(w.pub)));
    expect(registryWalletId(groupKeyOf(next))).toBe(request.walletId);
    expect(request).toMatchObject({ epoch: 0n, threshold: 2, guardianSetHash: guardianSetHash(next.roster.deviceKeys) });
    const digest = getAdvanceEpochDigest({
      chainId: 31337,
      registry,
      walletId: request.walletId,
      epoch: 0n,
      threshold: 2,
      guardianSetHash: request.guardianSetHash,
    });
    expect(`0x${bytesToHex(signingDigest(request))}`).toBe(digest);
    // The test signature: two staged holders (epoch 1) sign it, before anyone promotes.
    const stagedWallet: Wallet = {
      ...w,
      ids: [...next.roster.identifiers],
      keys: new Map(staged.map((st) => [st.key.identifier, st.key])),
      pub: next,
      deviceOf: s.deviceOf,
    };
    const { signature, session } = signWith(stagedWallet, stagedWallet.ids.slice(0, 2), request);
    expect(frostVerify(w.pub, session.digest, signature)).toBe(true);
    expectCairn(() => advanceEpochRequest({ chainId: 31337n, registry, previous: next, next: w.pub }), 'WRONG_EPOCH');
  });
});

describe('promote', () => {
  it('refuses a staged epoch that does not follow this device’s current one, or belongs to someone else', () => {
    const w = runDkg(2, 3);
    const s = runRefresh(w);
    const [a, b] = w.ids as [string, string];
    const confirmations = (me: string) => new Map([...s.staged].filter(([id]) => id !== me).map(([id, st]) => [id, st.confirmation]));
    const w1 = promoted(w, runRefresh(w, { requestId: new Uint8Array([9]) }));
    expectCairn(() => promote(w1.keys.get(a), s.staged.get(a)!, confirmations(a)), 'WRONG_EPOCH');
    expectCairn(() => promote(w.keys.get(b), s.staged.get(a)!, confirmations(a)), 'BAD_PARAMETERS');
    expectCairn(() => promote(undefined, s.staged.get(a)!, confirmations(a)), 'BAD_PARAMETERS');
    const extra = new Map(confirmations(a)).set(identifierOf(randomDeviceKeys(1)[0]!), s.staged.get(b)!.confirmation);
    expectCairn(() => checkConfirmations(s.staged.get(a)!, extra), 'UNKNOWN_SENDER');
    expect(promote(w.keys.get(a), s.staged.get(a)!, confirmations(a)).current.public.epoch).toBe(1);
  });

  it('a staged epoch never serialises its share', () => {
    const w = runDkg(2, 2);
    const st = [...runRefresh(w).staged.values()][0]!;
    expect(JSON.stringify(st)).not.toContain(bytesToHex(st.key.signingShare));
  });
});

describe('ECDSA pairwise setups to re-derive after promotion', () => {
  const pairCount = (n: number) => (n * (n - 1)) / 2;

  it('refresh: every pair, old and new', () => {
    const w = runDkg(2, 4);
    const s = runRefresh(w, { participants: w.ids.slice(0, 3) });
    const [id, st] = [...s.staged][0]!;
    const { rederive } = promote(w.keys.get(id), st, new Map([...s.staged].filter(([o]) => o !== id).map(([o, x]) => [o, x.confirmation])));
    expect(rederive.ecdsaSetup).toBe(true);
    expect(rederive.pairs.length).toBe(pairCount(3));
    expect(rederive.discard.length).toBe(pairCount(4));
  });

  it('enroll: only the pairs with the new holder; nothing discarded', () => {
    const w = runDkg(2, 3);
    const s = runEnroll(w);
    const w1 = promoted(w, s);
    const r = afterPromotion(w.pub, w1.pub);
    const newcomer = identifierOf(s.newDevice);
    expect(r.pairs.length).toBe(3);
    expect(r.pairs.every((p) => p.includes(newcomer))).toBe(true);
    expect(r.discard).toEqual([]);
  });

  it('reshare: every share changed, so every pair; the pairs of a removed holder are discarded', () => {
    const w = runDkg(2, 3);
    const w1 = promoted(w, runReshare(w, { newDeviceKeys: w.deviceKeys.slice(0, 2), newThreshold: 2 }));
    const r = afterPromotion(w.pub, w1.pub);
    expect(r.pairs.length).toBe(1);
    expect(r.discard.length).toBe(3);
    expect(afterPromotion(w1.pub, w1.pub)).toEqual({ ecdsaSetup: false, pairs: [], discard: [] });
  });
});
