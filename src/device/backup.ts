/**
 * Paper backup of one guardian's share: 34 words from the BIP39 English word list.
 *
 * Payload v1, 46 bytes, big-endian:
 *
 *     version      1   = 1
 *     walletFp     3   SHA-256("cairn/backup/wallet" ‖ walletId)[0..3]  — "is this my wallet?"
 *     epoch        4   u32, the share's refresh epoch
 *     idHint       2   identifier[0..2]  — picks the holder among the wallet's guardians
 *     share       32   the signing share (scalar, 1 ≤ s < n)
 *     checksum     4   SHA-256("cairn/backup/v1" ‖ walletFp ‖ groupKey(33) ‖ identifier(32) ‖
 *                              epoch(4) ‖ share(32))[0..4]
 *
 * 46 bytes = 368 bits, written as 34 words × 11 bits = 374 bits; the last 6 bits must be zero.
 * The checksum binds the share to the group key and the holder's full identifier, which the words
 * don't carry: a restore needs the wallet's public data (group key, each guardian's verifying
 * share), which the other guardians and the on-chain registry hold anyway. Restore then checks
 * `share·G == verifyingShare` as the final word on it.
 *
 * Refusals, each a `CairnError` with a message a person can act on: wrong number of words,
 * a word not in the list (which one, and a suggestion), not a Cairn backup, another wallet
 * (`WRONG_WALLET`), an older or newer epoch (`WRONG_EPOCH`), a wrong word that is still in the list
 * (checksum; we try every single-word substitution to say which — also before calling the words
 * another wallet's or another epoch's, since a typo there changes those fields), and a share that doesn't match
 * the guardian's verifying share (`BAD_SHARE`).
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { CairnError, rethrowAs } from '../core/errors.ts';
import { ByteReader, ByteWriter, equalBytes, hexToBytesStrict, toHex, utf8 } from './byteCodec.ts';

export const BACKUP_WORD_COUNT = 34;
const PAYLOAD_BYTES = 46;
const VERSION = 1;
const N = secp256k1.Point.Fn.ORDER;

export type BackupShareParameters = {
  walletId: string;
  /** Group public key, 33-byte compressed hex. */
  groupKey: string;
  /** The holder's FROST identifier, 32-byte hex. */
  identifier: string;
  epoch: number;
  /** The 32-byte signing share. */
  share: Uint8Array;
};

export type RestoreExpectation = {
  walletId: string;
  groupKey: string;
  /** The wallet's current epoch: backups of older epochs no longer work after a refresh. */
  epoch: number;
  /** The guardians this backup may belong to, with their verifying shares (33-byte hex). */
  holders: readonly { identifier: string; verifyingShare: string }[];
};

export type RestoredShare = { identifier: string; epoch: number; share: Uint8Array };

const wordIndex = new Map<string, number>(wordlist.map((w, i) => [w, i]));

function walletFingerprint(walletId: string): Uint8Array {
  return sha256(utf8(`cairn/backup/wallet${walletId}`)).slice(0, 3);
}

function checksum(fp: Uint8Array, groupKey: Uint8Array, identifier: Uint8Array, epoch: number, share: Uint8Array): Uint8Array {
  const pre = new ByteWriter().bytes(utf8('cairn/backup/v1')).bytes(fp).bytes(groupKey).bytes(identifier).u32(epoch).bytes(share).finish();
  return sha256(pre).slice(0, 4);
}

function scalarOk(share: Uint8Array): boolean {
  const s = BigInt('0x' + toHex(share));
  return s > 0n && s < N;
}

/** Writes a share as 34 backup words. */
export function shareToBackupWords(p: BackupShareParameters): string[] {
  const groupKey = hexToBytesStrict(p.groupKey, 'groupKey', 33);
  const identifier = hexToBytesStrict(p.identifier, 'identifier', 32);
  if (!(p.share instanceof Uint8Array) || p.share.length !== 32 || !scalarOk(p.share)) {
    throw new CairnError('BAD_PARAMETERS', 'A share must be a 32-byte non-zero scalar below the group order');
  }
  const fp = walletFingerprint(p.walletId);
  const payload = new ByteWriter()
    .u8(VERSION)
    .bytes(fp)
    .u32(p.epoch)
    .bytes(identifier.subarray(0, 2))
    .bytes(p.share)
    .bytes(checksum(fp, groupKey, identifier, p.epoch, p.share))
    .finish();
  return bytesToIndices(payload).map((i) => wordlist[i]!);
}

type DecodedPayload = { fp: Uint8Array; epoch: number; idHint: Uint8Array; share: Uint8Array; sum: Uint8Array };

/** Parses words into word-list indices, naming the first word that isn't in the list. */
export function parseBackupWords(input: string | readonly string[]): number[] {
  const words = (typeof input === 'string' ? input.split(/\s+/) : [...input]).map((w) => String(w).trim().toLowerCase()).filter((w) => w.length > 0);
  if (words.length !== BACKUP_WORD_COUNT) {
    throw new CairnError('MALFORMED', `A Cairn backup has ${BACKUP_WORD_COUNT} words; ${words.length} were given`);
  }
  return words.map((w, i) => {
    const idx = wordIndex.get(w);
    if (idx !== undefined) return idx;
    // BIP39 words are unique in their first four letters; three-letter words need a 3-letter prefix.
    const guess = w.length < 3 ? undefined : (wordlist.find((c) => c.startsWith(w.slice(0, 4))) ?? wordlist.find((c) => c.startsWith(w.slice(0, 3))));
    const hint = guess ? `: did you mean "${guess}"?` : '. Check its spelling against your paper backup.';
    throw new CairnError('MALFORMED', `Word ${i + 1} ("${w.slice(0, 16)}") isn't in the backup word list${hint}`, {
      details: guess ? [`Did you mean "${guess}"?`] : ['Check the spelling against your paper backup.'],
    });
  });
}

function decodeIndices(indices: readonly number[]): DecodedPayload | undefined {
  const bytes = indicesToBytes(indices);
  if (!bytes) return undefined;
  const r = new ByteReader(bytes, 'backup');
  if (r.u8('version') !== VERSION) return undefined;
  return { fp: r.bytes(3, 'fp'), epoch: r.u32('epoch'), idHint: r.bytes(2, 'idHint'), share: r.bytes(32, 'share'), sum: r.bytes(4, 'checksum') };
}

/** Restores a share from its words, checking every binding (see the header for the refusals). */
export function restoreShareFromWords(input: string | readonly string[], expected: RestoreExpectation): RestoredShare {
  const indices = parseBackupWords(input);
  const groupKey = hexToBytesStrict(expected.groupKey, 'groupKey', 33);
  const decoded = decodeIndices(indices);
  if (!decoded) throw new CairnError('MALFORMED', "These words aren't a Cairn share backup (or a word is wrong)");
  const fp = walletFingerprint(expected.walletId);
  const ids = expected.holders.map((h) => hexToBytesStrict(h.identifier, 'holder identifier', 32));
  if (!equalBytes(decoded.fp, fp) || decoded.epoch !== expected.epoch) {
    // One mistyped word that is still in the list can land in these fields too ("words are from
    // epoch 511"): if changing a single word gives this wallet's current backup, name that word.
    const fixes = singleWordFixes(indices, fp, groupKey, ids, expected.epoch);
    if (fixes.length === 1) throw wrongWord(fixes);
    if (!equalBytes(decoded.fp, fp)) throw new CairnError('WRONG_WALLET', 'These words back up a share of another wallet');
    throw new CairnError(
      'WRONG_EPOCH',
      decoded.epoch < expected.epoch
        ? 'These words back up an older share: the guardians have renewed their shares since, so this backup no longer works.'
        : 'These words back up a newer share than this device knows: let it sync with the other guardians first (keep Cairn open), then try again.',
      { details: [`backup epoch ${decoded.epoch}, wallet epoch ${expected.epoch}`] },
    );
  }
  const candidates = expected.holders
    .map((h) => ({ ...h, id: hexToBytesStrict(h.identifier, 'holder identifier', 32) }))
    .filter((h) => equalBytes(h.id.subarray(0, 2), decoded.idHint));
  if (candidates.length === 0) throw new CairnError('NOT_FOUND', "None of this wallet's guardians matches these words");
  const holder = candidates.find((h) => equalBytes(checksum(fp, groupKey, h.id, decoded.epoch, decoded.share), decoded.sum));
  if (!holder)
    throw checksumError(
      indices,
      fp,
      groupKey,
      candidates.map((c) => c.id),
      expected.epoch,
    );
  if (!scalarOk(decoded.share)) throw new CairnError('BAD_SHARE', 'The backed-up share is out of range', { culprits: [holder.identifier] });
  const verifying = rethrowAs(
    () => secp256k1.Point.fromBytes(hexToBytesStrict(holder.verifyingShare, 'verifyingShare', 33)),
    'MALFORMED',
    'verifyingShare is not a curve point',
  );
  const derived = secp256k1.Point.BASE.multiply(BigInt('0x' + toHex(decoded.share)));
  if (!derived.equals(verifying)) {
    throw new CairnError('BAD_SHARE', "The words decode, but the share doesn't match this guardian's verifying share", { culprits: [holder.identifier] });
  }
  return { identifier: holder.identifier, epoch: decoded.epoch, share: decoded.share };
}

/** A checksum failure: try every single-word substitution to say which word is wrong. */
function checksumError(indices: number[], fp: Uint8Array, groupKey: Uint8Array, ids: Uint8Array[], epoch: number): CairnError {
  return wrongWord(singleWordFixes(indices, fp, groupKey, ids, epoch));
}

/** Single-word substitutions (up to two) that turn `indices` into a valid backup of this wallet at `epoch`. */
function singleWordFixes(indices: number[], fp: Uint8Array, groupKey: Uint8Array, ids: Uint8Array[], epoch: number): { position: number; word: string }[] {
  const fixes: { position: number; word: string }[] = [];
  for (let pos = 0; pos < indices.length && fixes.length < 2; pos++) {
    const original = indices[pos]!;
    for (let w = 0; w < wordlist.length && fixes.length < 2; w++) {
      if (w === original) continue;
      indices[pos] = w;
      const d = decodeIndices(indices);
      if (d && d.epoch === epoch && equalBytes(d.fp, fp)) {
        for (const id of ids) {
          if (equalBytes(id.subarray(0, 2), d.idHint) && equalBytes(checksum(fp, groupKey, id, d.epoch, d.share), d.sum)) {
            fixes.push({ position: pos + 1, word: wordlist[w]! });
          }
        }
      }
    }
    indices[pos] = original;
  }
  return fixes;
}

function wrongWord(fixes: readonly { position: number; word: string }[]): CairnError {
  const only = fixes.length === 1 ? fixes[0] : undefined;
  return new CairnError('MALFORMED', only ? `Word ${only.position} is wrong: did you mean "${only.word}"?` : 'One of the words is wrong', {
    details: only ? [`Did you mean "${only.word}"?`] : ['Compare each word with your paper backup.'],
  });
}

function bytesToIndices(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 11) {
      bits -= 11;
      out.push((acc >>> bits) & 0x7ff);
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out.push((acc << (11 - bits)) & 0x7ff);
  return out;
}

/** Inverse of bytesToIndices; undefined when the padding bits aren't zero. */
function indicesToBytes(indices: readonly number[]): Uint8Array | undefined {
  const out = new Uint8Array(PAYLOAD_BYTES);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const idx of indices) {
    acc = (acc << 11) | idx;
    bits += 11;
    while (bits >= 8 && o < PAYLOAD_BYTES) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
    acc &= (1 << bits) - 1;
  }
  return o === PAYLOAD_BYTES && acc === 0 ? out : undefined;
}
