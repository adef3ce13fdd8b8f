/**
 * Family vault end to end with real noble DKG keys: encrypt to the group key, guardians produce
 * partial decryptions with BIP-374 proofs, the requester verifies against the public package and
 * combines. Attacks are named after what they try.
 */
import type { Key } from '@noble/curves/abstract/frost.js';
import { describe, expect, it } from 'vitest';
import { CairnError } from '../../../src/core/errors.ts';
import {
  createPartialDecryption,
  decodePartialDecryption,
  decodeVaultCiphertext,
  encodePartialDecryption,
  encodeVaultCiphertext,
  encryptVaultItem,
  combinePartialDecryptions,
  openVaultItem,
  openWithSharedPoint,
  MAX_PLAINTEXT_BYTES,
  type VaultCiphertext,
  type VaultItemContext,
} from '../../../src/core/secrets/index.ts';
import { Point } from '../../../src/core/secrets/group.ts';
import { equalBytes } from '@noble/curves/utils.js';
import { identifiers, reshareSameSecret, runDkg, subsets, utf8 } from './helpers.ts';

const WALLET = 'wallet-7f3a';
const context: VaultItemContext = { walletId: WALLET, itemId: 'item-1', kind: 'note', label: 'Bank passwords' };
const session = new Uint8Array(32).fill(0x5e);
const expected = { walletId: WALLET, itemId: 'item-1' };

/** Each guardian in `quorum` decodes the ciphertext bytes and returns its encoded partial. */
function partialsFrom(quorum: Key[], ctBytes: Uint8Array, s = session): Record<string, Uint8Array> {
  return Object.fromEntries(
    quorum.map((key) => {
      const ct = decodeVaultCiphertext(ctBytes);
      const partial = createPartialDecryption({ key, ciphertext: ct, walletId: WALLET, session: s });
      return [key.secret.identifier, encodePartialDecryption(partial)];
    }),
  );
}

function expectCairn(fn: () => unknown, code: string, culprits?: string[]): CairnError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CairnError);
    const e = err as CairnError;
    expect(e.code).toBe(code);
    if (culprits) expect([...e.culprits].sort()).toEqual([...culprits].sort());
    return e;
  }
  throw new Error(`expected CairnError ${code}`);
}

const keys23 = runDkg(2, 3);
const pub23 = keys23[0]!.public;
const secretText = 'correct horse battery staple — 🐎';
const ct23 = encryptVaultItem({ publicKey: pub23, context, plaintext: utf8(secretText) });
const ct23Bytes = encodeVaultCiphertext(ct23);

describe('round trips', () => {
  it('2-of-3: every 2-subset and the full set open the note', () => {
    for (const quorum of [...subsets(keys23, 2), keys23]) {
      const opened = openVaultItem({
        publicKey: pub23,
        ciphertext: decodeVaultCiphertext(ct23Bytes),
        session,
        partials: partialsFrom(quorum, ct23Bytes),
        expected,
      });
      expect(new TextDecoder().decode(opened)).toBe(secretText);
    }
    expect(subsets(keys23, 2)).toHaveLength(3);
  });

  it('5-of-9: several 5-subsets open a file; the encoding round-trips byte for byte', () => {
    const keys = runDkg(5, 9);
    const pub = keys[0]!.public;
    const file = new Uint8Array(4096).map((_, i) => (i * 31) & 0xff);
    const ct = encryptVaultItem({ publicKey: pub, context: { ...context, kind: 'file', label: 'scan.pdf' }, plaintext: file });
    const bytes = encodeVaultCiphertext(ct);
    expect(encodeVaultCiphertext(decodeVaultCiphertext(bytes))).toEqual(bytes);
    const all = subsets(keys, 5);
    for (const quorum of [all[0]!, all[57]!, all[all.length - 1]!, keys.slice(2, 7)]) {
      const opened = openVaultItem({ publicKey: pub, ciphertext: decodeVaultCiphertext(bytes), session, partials: partialsFrom(quorum, bytes), expected });
      expect(opened).toEqual(file);
    }
    // More than t valid partials combine as well (all nine).
    expect(openVaultItem({ publicKey: pub, ciphertext: ct, session, partials: partialsFrom(keys, bytes), expected })).toEqual(file);
  });

  it('an empty note and a note of exactly 1 MiB open; 1 MiB + 1 is refused at encryption', () => {
    const empty = encryptVaultItem({ publicKey: pub23, context, plaintext: new Uint8Array(0) });
    expect(
      openVaultItem({ publicKey: pub23, ciphertext: empty, session, partials: partialsFrom(keys23.slice(0, 2), encodeVaultCiphertext(empty)), expected }),
    ).toEqual(new Uint8Array(0));
    const big = new Uint8Array(MAX_PLAINTEXT_BYTES).fill(9);
    const ctBig = encryptVaultItem({ publicKey: pub23, context, plaintext: big });
    const openedBig = openVaultItem({
      publicKey: pub23,
      ciphertext: ctBig,
      session,
      partials: partialsFrom(keys23.slice(1), encodeVaultCiphertext(ctBig)),
      expected,
    });
    // equalBytes, not toEqual: deep equality over a million elements is needlessly slow.
    expect(equalBytes(openedBig, big)).toBe(true);
    expectCairn(() => encryptVaultItem({ publicKey: pub23, context, plaintext: new Uint8Array(MAX_PLAINTEXT_BYTES + 1) }), 'BAD_PARAMETERS');
  });

  it('two encryptions of the same note differ (fresh r each time)', () => {
    const again = encryptVaultItem({ publicKey: pub23, context, plaintext: utf8(secretText) });
    expect(again.u).not.toEqual(ct23.u);
    expect(again.sealed).not.toEqual(ct23.sealed);
  });
});

describe('cheating guardians are named and nothing opens', () => {
  const [a, b, c] = keys23 as [Key, Key, Key];
  const good = partialsFrom([a, b], ct23Bytes);

  it('tampered D_i → BAD_PROOF naming that guardian', () => {
    const p = decodePartialDecryption(good[b.secret.identifier]!, b.secret.identifier);
    const forged = { ...p, d: Point.fromBytes(p.d).add(Point.BASE).toBytes(true) };
    const partials = { ...good, [b.secret.identifier]: encodePartialDecryption(forged) };
    expectCairn(() => openVaultItem({ publicKey: pub23, ciphertext: ct23, session, partials, expected }), 'BAD_PROOF', [b.secret.identifier]);
  });

  it('tampered proof → BAD_PROOF naming that guardian; two cheaters are both named', () => {
    const flip = (bytes: Uint8Array, at: number) => {
      const out = bytes.slice();
      out[at]! ^= 0x01;
      return out;
    };
    const partials = { ...good, [a.secret.identifier]: flip(good[a.secret.identifier]!, 130) };
    expectCairn(() => openVaultItem({ publicKey: pub23, ciphertext: ct23, session, partials, expected }), 'BAD_PROOF', [a.secret.identifier]);
    const both = { [a.secret.identifier]: flip(good[a.secret.identifier]!, 70), [b.secret.identifier]: flip(good[b.secret.identifier]!, 100) };
    expectCairn(() => openVaultItem({ publicKey: pub23, ciphertext: ct23, session, partials: both, expected }), 'BAD_PROOF', [
      a.secret.identifier,
      b.secret.identifier,
    ]);
  });

  it("replaying another guardian's valid partial under one's own name → BAD_PROOF naming the sender", () => {
    const cPartial = decodePartialDecryption(partialsFrom([c], ct23Bytes)[c.secret.identifier]!, c.secret.identifier);
    const partials = { ...good, [b.secret.identifier]: encodePartialDecryption({ ...cPartial, identifier: b.secret.identifier }) };
    expectCairn(() => openVaultItem({ publicKey: pub23, ciphertext: ct23, session, partials, expected }), 'BAD_PROOF', [b.secret.identifier]);
  });

  it('a partial whose payload names another guardian than its sender → culprit is the sender', () => {
    const partials = { [a.secret.identifier]: good[a.secret.identifier]!, [c.secret.identifier]: good[b.secret.identifier]! };
    expectCairn(() => openVaultItem({ publicKey: pub23, ciphertext: ct23, session, partials, expected }), 'WRONG_SESSION', [c.secret.identifier]);
  });

  it('a partial from outside the guardian set → UNKNOWN_SENDER', () => {
    const outsider = runDkg(2, 3, 'outsider')[0]!;
    const theirs = createPartialDecryption({ key: outsider, ciphertext: ct23, walletId: WALLET, session });
    const partials = { ...good, [outsider.secret.identifier]: encodePartialDecryption(theirs) };
    expectCairn(() => openVaultItem({ publicKey: pub23, ciphertext: ct23, session, partials, expected }), 'UNKNOWN_SENDER', [outsider.secret.identifier]);
  });

  it('a partial made for another session does not verify in this one (its proof binds the session)', () => {
    const other = partialsFrom([a, b], ct23Bytes, new Uint8Array(32).fill(1));
    expectCairn(() => openVaultItem({ publicKey: pub23, ciphertext: ct23, session, partials: other, expected }), 'BAD_PROOF', [
      a.secret.identifier,
      b.secret.identifier,
    ]);
  });

  it('t − 1 valid partials → MISSING_PACKAGE, nothing opens', () => {
    const one = { [a.secret.identifier]: good[a.secret.identifier]! };
    expectCairn(() => openVaultItem({ publicKey: pub23, ciphertext: ct23, session, partials: one, expected }), 'MISSING_PACKAGE');
    const keys = runDkg(3, 5);
    const ct = encryptVaultItem({ publicKey: keys[0]!.public, context, plaintext: utf8('x') });
    const two = partialsFrom(keys.slice(0, 2), encodeVaultCiphertext(ct));
    expectCairn(() => openVaultItem({ publicKey: keys[0]!.public, ciphertext: ct, session, partials: two, expected }), 'MISSING_PACKAGE');
  });
});

describe('wrong label / associated data is refused', () => {
  it('the requester refuses a ciphertext for another item or wallet', () => {
    const partials = partialsFrom(keys23.slice(0, 2), ct23Bytes);
    expectCairn(() => openVaultItem({ publicKey: pub23, ciphertext: ct23, session, partials, expected: { ...expected, itemId: 'item-2' } }), 'WRONG_SESSION');
    expectCairn(() => openVaultItem({ publicKey: pub23, ciphertext: ct23, session, partials, expected: { ...expected, walletId: 'other' } }), 'WRONG_WALLET');
  });

  it('a guardian of another wallet refuses', () => {
    expectCairn(() => createPartialDecryption({ key: keys23[0]!, ciphertext: ct23, walletId: 'other-wallet', session }), 'WRONG_WALLET');
  });

  it('the AEAD itself refuses a changed label, item id or wallet id even with the right K', () => {
    const K = combinePartialDecryptions({ publicKey: pub23, ciphertext: ct23, session, partials: partialsFrom(keys23.slice(0, 2), ct23Bytes) });
    expect(new TextDecoder().decode(openWithSharedPoint({ publicKey: pub23, ciphertext: ct23, sharedPoint: K }))).toBe(secretText);
    for (const change of [{ label: 'Bank passwords!' }, { itemId: 'item-2' }, { walletId: 'wallet-x' }, { kind: 'file' as const }]) {
      const mauled = { ...ct23, context: { ...ct23.context, ...change } };
      expectCairn(() => openWithSharedPoint({ publicKey: pub23, ciphertext: mauled, sharedPoint: K }), 'DECRYPTION_FAILED');
    }
  });
});

describe('TDH2: guardians refuse mauled ciphertexts (no decryption oracle)', () => {
  const mauls: [string, (ct: VaultCiphertext) => VaultCiphertext][] = [
    ['changed U (U + G)', (ct) => ({ ...ct, u: Point.fromBytes(ct.u).add(Point.BASE).toBytes(true) })],
    ['changed U (2·U, same Ū)', (ct) => ({ ...ct, u: Point.fromBytes(ct.u).double().toBytes(true) })],
    ['changed Ū', (ct) => ({ ...ct, uBar: Point.fromBytes(ct.uBar).add(Point.BASE).toBytes(true) })],
    ['changed sealed body', (ct) => ({ ...ct, sealed: ct.sealed.map((x, i) => (i === 3 ? x ^ 1 : x)) })],
    ['truncated sealed body', (ct) => ({ ...ct, sealed: ct.sealed.slice(0, -1) })],
    ['changed label', (ct) => ({ ...ct, context: { ...ct.context, label: 'Not the bank passwords' } })],
    ['changed item id', (ct) => ({ ...ct, context: { ...ct.context, itemId: 'item-9' } })],
    ['changed kind', (ct) => ({ ...ct, context: { ...ct.context, kind: 'file' } })],
    ['changed proof', (ct) => ({ ...ct, proof: ct.proof.map((x, i) => (i === 40 ? x ^ 1 : x)) })],
  ];
  for (const [name, maul] of mauls) {
    it(`${name} → BAD_PROOF before any partial is released`, () => {
      const mauled = maul(ct23);
      // Through the wire encoding too, so the guardian sees exactly what an attacker could send.
      const wire = decodeVaultCiphertext(encodeVaultCiphertext(mauled));
      for (const key of keys23) expectCairn(() => createPartialDecryption({ key, ciphertext: wire, walletId: WALLET, session }), 'BAD_PROOF');
    });
  }

  it('a fresh, valid ciphertext reusing the victim U cannot be made without r (its proof uses another U)', () => {
    // An attacker encrypting their own item gets a valid proof only for their own U'.
    const attackers = encryptVaultItem({ publicKey: pub23, context, plaintext: utf8('bait') });
    const spliced = { ...attackers, u: ct23.u, uBar: ct23.uBar };
    expectCairn(() => createPartialDecryption({ key: keys23[0]!, ciphertext: spliced, walletId: WALLET, session }), 'BAD_PROOF');
  });
});

describe('after a reshare-like change of shares (same group key)', () => {
  const newIds = identifiers(5, 'new-guardian');
  const newKeys = reshareSameSecret(keys23, 3, newIds);
  const newPub = newKeys[0]!.public;

  it('keeps the group key and changes every share', () => {
    expect(newPub.commitments[0]).toEqual(pub23.commitments[0]);
    expect(newKeys.map((k) => k.secret.identifier)).toEqual(newIds);
  });

  it('items encrypted before open with any 3 of the 5 new holders', () => {
    for (const quorum of [newKeys.slice(0, 3), newKeys.slice(2), [newKeys[0]!, newKeys[2]!, newKeys[4]!]]) {
      const partials = Object.fromEntries(
        quorum.map((key) => [key.secret.identifier, encodePartialDecryption(createPartialDecryption({ key, ciphertext: ct23, walletId: WALLET, session }))]),
      );
      expect(new TextDecoder().decode(openVaultItem({ publicKey: newPub, ciphertext: ct23, session, partials, expected }))).toBe(secretText);
    }
  });

  it('old shares are not valid under the new public package (their partials are rejected)…', () => {
    const oldUnderNew = { public: newPub, secret: keys23[0]!.secret };
    expectCairn(() => createPartialDecryption({ key: oldUnderNew, ciphertext: ct23, walletId: WALLET, session }), 'BAD_PARAMETERS');
  });

  it('…but old shares still open items encrypted before (why removing a guardian means re-encrypting)', () => {
    const partials = partialsFrom(keys23.slice(0, 2), ct23Bytes);
    expect(new TextDecoder().decode(openVaultItem({ publicKey: pub23, ciphertext: ct23, session, partials, expected }))).toBe(secretText);
  });
});
