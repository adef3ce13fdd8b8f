/**
 * KEM → DEM key: HKDF-SHA256 over the shared point K = r·Y = Σ λ_i·D_i. The info binds U, the group
 * key and the item context, so a key never serves another item, wallet or key. Each encryption
 * draws a fresh r, so the derived (key, nonce) pair is used exactly once: the nonce need not be
 * stored.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { KDF_SALT } from './constants.ts';
import type { Point } from './group.ts';

export type ItemKey = { key: Uint8Array; nonce: Uint8Array };

export function deriveItemKey(sharedPoint: Point, u: Uint8Array, groupKey: Uint8Array, contextBytes: Uint8Array): ItemKey {
  const okm = hkdf(sha256, sharedPoint.toBytes(true), KDF_SALT, concatBytes(u, groupKey, contextBytes), 32 + 24);
  return { key: okm.slice(0, 32), nonce: okm.slice(32) };
}
