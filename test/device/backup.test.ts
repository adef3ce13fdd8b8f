import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { BACKUP_WORD_COUNT, restoreShareFromWords, shareToBackupWords, type RestoreExpectation } from '../../src/device/backup.ts';
import { toHex } from '../../src/device/byteCodec.ts';
import { CairnError, isCairnError } from '../../src/core/errors.ts';

function holder() {
  const share = secp256k1.utils.randomSecretKey();
  return { share, identifier: toHex(randomBytes(32)), verifyingShare: toHex(secp256k1.getPublicKey(share, true)) };
}

function wallet(walletId = 'wallet-1', epoch = 3) {
  const groupKey = toHex(secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true));
  const holders = [holder(), holder(), holder()];
  const expected: RestoreExpectation = {
    walletId,
    groupKey,
    epoch,
    holders: holders.map(({ identifier, verifyingShare }) => ({ identifier, verifyingShare })),
  };
  return { walletId, groupKey, epoch, holders, expected };
}

function backupOf(w: ReturnType<typeof wallet>, i = 1) {
  const h = w.holders[i]!;
  return shareToBackupWords({ walletId: w.walletId, groupKey: w.groupKey, identifier: h.identifier, epoch: w.epoch, share: h.share });
}

function refusal(fn: () => unknown): CairnError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CairnError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('paper backup', () => {
  it('round-trips a share through 34 BIP39 words', () => {
    const w = wallet();
    const words = backupOf(w);
    expect(words).toHaveLength(BACKUP_WORD_COUNT);
    for (const word of words) expect(wordlist).toContain(word);
    const restored = restoreShareFromWords(words.join(' '), w.expected);
    expect(restored.identifier).toBe(w.holders[1]!.identifier);
    expect(restored.epoch).toBe(3);
    expect(restored.share).toEqual(w.holders[1]!.share);
  });

  it('accepts extra whitespace and capitals', () => {
    const w = wallet();
    const text =
      '  ' +
      backupOf(w, 0)
        .map((x) => x.toUpperCase())
        .join('\n  ') +
      '\n';
    expect(restoreShareFromWords(text, w.expected).share).toEqual(w.holders[0]!.share);
  });

  it('round-trips random shares (property)', () => {
    const w = wallet();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), fc.constantFrom(0, 1, 2), (epoch, i) => {
        const words = shareToBackupWords({
          walletId: w.walletId,
          groupKey: w.groupKey,
          identifier: w.holders[i]!.identifier,
          epoch,
          share: w.holders[i]!.share,
        });
        return toHex(restoreShareFromWords(words, { ...w.expected, epoch }).share) === toHex(w.holders[i]!.share);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses words of another wallet', () => {
    const a = wallet('wallet-a');
    const b = wallet('wallet-b');
    const err = refusal(() => restoreShareFromWords(backupOf(a), b.expected));
    expect(err.code).toBe('WRONG_WALLET');
    expect(err.shortMessage).toMatch(/another wallet/);
  });

  it('refuses a backup from a stale (refreshed) epoch, and from a newer one', () => {
    const w = wallet('w', 3);
    const stale = refusal(() => restoreShareFromWords(backupOf(w), { ...w.expected, epoch: 4 }));
    expect(stale.code).toBe('WRONG_EPOCH');
    expect(stale.shortMessage).toMatch(/older share.*renewed their shares.*no longer works/);
    expect(stale.shortMessage).not.toMatch(/epoch/); // plain words; the numbers are in the details
    expect(stale.details.join(' ')).toContain('backup epoch 3, wallet epoch 4');
    expect(refusal(() => restoreShareFromWords(backupOf(w), { ...w.expected, epoch: 2 })).code).toBe('WRONG_EPOCH');
  });

  it('names a misspelled word and suggests the right one', () => {
    const w = wallet();
    const words = backupOf(w);
    const original = words[6]!;
    words[6] = original.slice(0, 4) + 'qq';
    const err = refusal(() => restoreShareFromWords(words, w.expected));
    expect(err.code).toBe('MALFORMED');
    expect(err.shortMessage).toMatch(/^Word 7 /);
    expect(err.details.join(' ')).toContain(`"${original}"`);
  });

  it.each(['shy', 'act', 'zoo'])('suggests a three-letter word ("%s") from its misspelling', (original) => {
    const w = wallet();
    const words = backupOf(w);
    words[6] = original + 'qq';
    const err = refusal(() => restoreShareFromWords(words, w.expected));
    expect(err.details.join(' ')).toContain(`"${original}"`);
  });

  it('finds a wrong word that is still in the list (checksum) and names it', () => {
    const w = wallet();
    const words = backupOf(w);
    const original = words[20]!;
    words[20] = wordlist[(wordlist.indexOf(original) + 1) % 2048]!;
    const err = refusal(() => restoreShareFromWords(words, w.expected));
    expect(err.code).toBe('MALFORMED');
    // A 32-bit checksum leaves ~1.6e-5 odds of a second single-word fix: the wrong word is named.
    expect(err.shortMessage).toMatch(/^Word 21 is wrong/);
    expect(err.details.join(' ')).toContain(`"${original}"`);
  });

  it.each([
    [4, 'the share set (epoch) field'],
    [2, "the wallet's fingerprint"],
  ])('a wrong word still in the list at word %i (%s) is named, not taken for another epoch or wallet', (position) => {
    const index = position - 1;
    const w = wallet();
    const words = backupOf(w);
    const original = words[index]!;
    words[index] = wordlist[(wordlist.indexOf(original) + 7) % 2048]!;
    const err = refusal(() => restoreShareFromWords(words, w.expected));
    expect([err.code, err.shortMessage]).toEqual(['MALFORMED', `Word ${index + 1} is wrong: did you mean "${original}"?`]);
  });

  it('refuses a wrong number of words', () => {
    const w = wallet();
    expect(refusal(() => restoreShareFromWords(backupOf(w).slice(1), w.expected)).shortMessage).toMatch(/34 words; 33/);
  });

  it("refuses a share that doesn't match the guardian's verifying share", () => {
    const w = wallet();
    // A backup made with a share whose public point is not the recorded verifying share.
    const forged = shareToBackupWords({
      walletId: w.walletId,
      groupKey: w.groupKey,
      identifier: w.holders[1]!.identifier,
      epoch: w.epoch,
      share: secp256k1.utils.randomSecretKey(),
    });
    const err = refusal(() => restoreShareFromWords(forged, w.expected));
    expect(err.code).toBe('BAD_SHARE');
    expect(err.culprits).toEqual([w.holders[1]!.identifier]);
  });

  it('refuses when the checksum binds another group key', () => {
    const w = wallet();
    const otherKey = toHex(secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true));
    expect(refusal(() => restoreShareFromWords(backupOf(w), { ...w.expected, groupKey: otherKey })).code).toBe('MALFORMED');
  });

  it('refuses when no guardian of the wallet matches', () => {
    const w = wallet();
    expect(refusal(() => restoreShareFromWords(backupOf(w), { ...w.expected, holders: [] })).code).toBe('NOT_FOUND');
  });

  it('arbitrary word lists throw only CairnError', () => {
    const w = wallet();
    const word = fc.oneof(fc.constantFrom(...wordlist), fc.string({ maxLength: 10 }));
    fc.assert(
      fc.property(fc.array(word, { minLength: 30, maxLength: 36 }), (words) => {
        try {
          restoreShareFromWords(words, w.expected);
          return false;
        } catch (e) {
          return isCairnError(e);
        }
      }),
      { numRuns: 200 },
    );
  });
});
