/**
 * Canonical bytes of a partial decryption, fixed length (131 bytes):
 *   u8 version=1 ‖ u8 type=0x02 ‖ identifier[32] ‖ D_i[33] ‖ proof[64]
 */
import { CairnError } from '../errors.ts';
import { ByteReader, ByteWriter } from '../encoding.ts';
import { PACKAGE_TYPE_PARTIAL, VAULT_FORMAT_VERSION } from './constants.ts';
import { DLEQ_PROOF_BYTES } from './dleq.ts';
import { POINT_BYTES, SCALAR_BYTES, decodePoint, identifierFromBytes, identifierToBytes } from './group.ts';
import type { PartialDecryption } from './types.ts';

export const PARTIAL_DECRYPTION_BYTES = 2 + SCALAR_BYTES + POINT_BYTES + DLEQ_PROOF_BYTES;

export function encodePartialDecryption(p: PartialDecryption): Uint8Array {
  if (p.d.length !== POINT_BYTES || p.proof.length !== DLEQ_PROOF_BYTES)
    throw new CairnError('BAD_PARAMETERS', 'Partial decryption fields have the wrong length');
  return new ByteWriter().u8(VAULT_FORMAT_VERSION).u8(PACKAGE_TYPE_PARTIAL).bytes(identifierToBytes(p.identifier)).bytes(p.d).bytes(p.proof).finish();
}

/**
 * Decodes a partial decryption received from `sender` (the authenticated channel's identifier);
 * every error names the sender.
 */
export function decodePartialDecryption(bytes: Uint8Array, sender: string): PartialDecryption {
  const culprits = [sender];
  if (!(bytes instanceof Uint8Array)) throw new CairnError('MALFORMED', 'Partial decryption must be bytes', { culprits });
  const r = new ByteReader(bytes, 'partial decryption', culprits);
  if (r.u8('version') !== VAULT_FORMAT_VERSION) r.fail('unknown version');
  if (r.u8('type') !== PACKAGE_TYPE_PARTIAL) r.fail('not a partial decryption');
  const identifier = identifierFromBytes(r.bytes(SCALAR_BYTES, 'identifier'), culprits);
  const d = r.bytes(POINT_BYTES, 'D');
  const proof = r.bytes(DLEQ_PROOF_BYTES, 'proof');
  r.end();
  decodePoint(d, 'D', culprits);
  return { identifier, d, proof };
}
