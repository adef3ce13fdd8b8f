/**
 * Log entry bodies of the family vault (canonical, bounded; decoders throw only `MALFORMED`).
 *
 * - `vault-item`: one chunk of an encoded vault ciphertext. A log entry body is at most 64 KiB and an
 *   item up to 1 MiB, so the ciphertext is split into chunks that all name the same `blobId` =
 *   SHA-256(encoded ciphertext); a reader reassembles the chunks of one author and accepts the item
 *   only if the bytes hash to `blobId` (a missing, doubled or altered chunk cannot pass).
 *
 *       v u8 = 1 ‖ blobId[32] ‖ index u16 ‖ count u16 ‖ chunk var32 (≤ VAULT_CHUNK_BYTES)
 *
 * - `vault-request`: "open this item for me", by the requester; its entry id is the request id.
 *   A random nonce makes every ask a new request (the same ask twice in one millisecond would
 *   otherwise be the same signed entry). Approvals and denials reuse the signing path's
 *   `approval` / `denial` bodies (a request id).
 *
 *       v u8 = 1 ‖ epoch u32 ‖ blobId[32] ‖ nonce[16]
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { CairnError } from '../core/index.ts';
import { ByteReader, ByteWriter, equalBytes } from '../device/byteCodec.ts';

export const VAULT_ITEM_LOG_KIND = 'vault-item';
export const VAULT_REQUEST_LOG_KIND = 'vault-request';
export const VAULT_LOG_KINDS = [VAULT_ITEM_LOG_KIND, VAULT_REQUEST_LOG_KIND] as const;

/** 48 KiB: well under the log's 64 KiB body limit. A 1 MiB item takes 22 entries. */
export const VAULT_CHUNK_BYTES = 48 * 1024;
/** 1 MiB plaintext + tag + header fits in this many chunks. */
export const MAX_VAULT_CHUNKS = 24;

export type VaultItemChunk = { blobId: Uint8Array; index: number; count: number; chunk: Uint8Array };
export type VaultOpenRequestBody = { epoch: number; blobId: Uint8Array; nonce?: Uint8Array };

export const blobIdOf = (encodedCiphertext: Uint8Array): Uint8Array => sha256(encodedCiphertext);

/** Splits an encoded ciphertext into log bodies. */
export function encodeVaultItemChunks(encodedCiphertext: Uint8Array): Uint8Array[] {
  const blobId = blobIdOf(encodedCiphertext);
  const count = Math.max(1, Math.ceil(encodedCiphertext.length / VAULT_CHUNK_BYTES));
  if (count > MAX_VAULT_CHUNKS) throw new CairnError('BAD_PARAMETERS', 'This vault item is too large for the log');
  return Array.from({ length: count }, (_, index) =>
    new ByteWriter()
      .u8(1)
      .bytes(blobId)
      .u16(index)
      .u16(count)
      .var32(encodedCiphertext.subarray(index * VAULT_CHUNK_BYTES, (index + 1) * VAULT_CHUNK_BYTES))
      .finish(),
  );
}

export function decodeVaultItemChunk(bytes: Uint8Array): VaultItemChunk {
  const r = new ByteReader(bytes, 'vault item chunk');
  if (r.u8('version') !== 1) throw r.malformed('unknown version');
  const blobId = r.bytes(32, 'blob id');
  const index = r.u16('index');
  const count = r.u16('count');
  const chunk = r.var32('chunk', VAULT_CHUNK_BYTES);
  r.end();
  if (count < 1 || count > MAX_VAULT_CHUNKS || index >= count) throw r.malformed('chunk index out of range');
  if (index < count - 1 && chunk.length !== VAULT_CHUNK_BYTES) throw r.malformed('only the last chunk may be short');
  return { blobId, index, count, chunk };
}

/**
 * Reassembles one author's chunks of `blobId`; undefined while some are missing. Throws
 * `MALFORMED` when the chunks disagree on their count or do not hash to `blobId`.
 */
export function reassembleVaultItem(blobId: Uint8Array, chunks: readonly VaultItemChunk[]): Uint8Array | undefined {
  const mine = chunks.filter((c) => equalBytes(c.blobId, blobId));
  if (!mine.length) return undefined;
  const count = mine[0]!.count;
  if (mine.some((c) => c.count !== count)) throw new CairnError('MALFORMED', 'Vault item chunks disagree on their count');
  const byIndex = new Map<number, Uint8Array>();
  for (const c of mine) {
    const earlier = byIndex.get(c.index);
    if (earlier && !equalBytes(earlier, c.chunk)) throw new CairnError('MALFORMED', 'Two different chunks at one position of a vault item');
    byIndex.set(c.index, c.chunk);
  }
  if (byIndex.size < count) return undefined;
  const w = new ByteWriter();
  for (let i = 0; i < count; i++) w.bytes(byIndex.get(i)!);
  const bytes = w.finish();
  if (!equalBytes(blobIdOf(bytes), blobId)) throw new CairnError('MALFORMED', 'Vault item chunks do not add up to the announced item');
  return bytes;
}

export function encodeVaultOpenRequest({ epoch, blobId, nonce = randomBytes(16) }: VaultOpenRequestBody): Uint8Array {
  if (blobId.length !== 32) throw new CairnError('BAD_PARAMETERS', 'A vault blob id is 32 bytes');
  if (nonce.length !== 16) throw new CairnError('BAD_PARAMETERS', 'A vault request nonce is 16 bytes');
  return new ByteWriter().u8(1).u32(epoch).bytes(blobId).bytes(nonce).finish();
}

export function decodeVaultOpenRequest(bytes: Uint8Array): VaultOpenRequestBody {
  const r = new ByteReader(bytes, 'vault open request');
  if (r.u8('version') !== 1) throw r.malformed('unknown version');
  const epoch = r.u32('epoch');
  const blobId = r.bytes(32, 'blob id');
  const nonce = r.bytes(16, 'nonce');
  r.end();
  return { epoch, blobId, nonce };
}
