/**
 * The commit of a new epoch, visible to everyone (docs/invariants.md, invariant 4). A new holder
 * whose run ended with a verified test signature appends an `epoch-promoted` entry:
 *
 *     v u8 = 1 ‖ proposal id 32 ‖ new epoch u32 ‖ publicPackageHash(new public package) 32
 *
 * The epoch is committed once t′ (the new threshold) distinct new holders of the winning proposal
 * have appended entries naming the same hash. Only then does a new holder promote its staged share,
 * and only then does a guardian that leaves delete its old one; a device that missed the end of the
 * run promotes from its sealed staged epoch when it sees the commit and the hashes match.
 */
import { ByteReader, ByteWriter, hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import type { LogEntry } from '../net/requestLog.ts';

export const EPOCH_PROMOTED_KIND = 'epoch-promoted';

export type EpochPromoted = { proposal: string; epoch: number; publicHash: string };

export function encodeEpochPromoted(p: EpochPromoted): Uint8Array {
  return new ByteWriter()
    .u8(1)
    .bytes(hexToBytesStrict(p.proposal, 'proposal id', 32))
    .u32(p.epoch)
    .bytes(hexToBytesStrict(p.publicHash, 'public package hash', 32))
    .finish();
}

export function decodeEpochPromoted(bytes: Uint8Array): EpochPromoted {
  const r = new ByteReader(bytes, 'epoch promoted');
  if (r.u8('version') !== 1) throw r.malformed('unknown version');
  const proposal = toHex(r.bytes(32, 'proposal id'));
  const epoch = r.u32('epoch');
  const publicHash = toHex(r.bytes(32, 'public package hash'));
  r.end();
  return { proposal, epoch, publicHash };
}

/**
 * The committed public package hash of `proposal` (moving to `epoch`), or undefined while fewer than
 * `threshold` of `newHolders` have promoted it. Entries by anyone else are ignored; a holder that
 * names two hashes counts for neither.
 */
export function committedHash(
  entries: readonly LogEntry[],
  c: { proposal: string; epoch: number; newHolders: readonly string[]; threshold: number },
): string | undefined {
  const byAuthor = new Map<string, Set<string>>();
  for (const e of entries) {
    if (e.kind !== EPOCH_PROMOTED_KIND || !c.newHolders.includes(e.author)) continue;
    try {
      const p = decodeEpochPromoted(e.body);
      if (p.proposal !== c.proposal || p.epoch !== c.epoch) continue;
      byAuthor.set(e.author, (byAuthor.get(e.author) ?? new Set()).add(p.publicHash));
    } catch {
      continue;
    }
  }
  const counts = new Map<string, number>();
  for (const hashes of byAuthor.values()) if (hashes.size === 1) for (const h of hashes) counts.set(h, (counts.get(h) ?? 0) + 1);
  return [...counts].find(([, n]) => n >= c.threshold)?.[0];
}

/**
 * Devices that announced holding `epoch` (their `epoch-promoted` entries), or undefined when nobody
 * did (an epoch made by the DKG). A new holder missing from it hasn't caught up yet.
 */
export function promotedBy(entries: readonly LogEntry[], epoch: number): Set<string> | undefined {
  let out: Set<string> | undefined;
  for (const e of entries) {
    if (e.kind !== EPOCH_PROMOTED_KIND) continue;
    try {
      if (decodeEpochPromoted(e.body).epoch === epoch) (out ??= new Set()).add(e.author);
    } catch {
      continue;
    }
  }
  return out;
}
