/**
 * Single-use FROST nonces. A `SigningNonces` object is bound to one session and consumed by
 * `frostSignShare` (then zeroed); using it again throws NONCE_REUSED. The device layer persists the
 * encoded form (encrypted) before the commitment leaves and deletes it before the share leaves.
 */
import type { Nonces } from '@noble/curves/abstract/frost.js';
import { ByteReader, ByteWriter } from '../encoding.ts';
import type { Identifier } from '../identifier.ts';

export type SigningNonces = {
  readonly session: Uint8Array;
  readonly identifier: Identifier;
  /** noble's nonce pair; zeroed in place when consumed. */
  readonly nonces: Nonces;
  consumed: boolean;
  /** Never serialise secrets by accident (JSON.stringify, logs). */
  toJSON(): string;
};

export function makeSigningNonces(session: Uint8Array, identifier: Identifier, nonces: Nonces): SigningNonces {
  return { session: session.slice(), identifier, nonces, consumed: false, toJSON: () => '<redacted nonces>' };
}

export function encodeSigningNonces(n: SigningNonces): Uint8Array {
  return new ByteWriter().u8(1).bytes(n.session).identifier(n.identifier).bytes(n.nonces.hiding).bytes(n.nonces.binding).finish();
}

export function decodeSigningNonces(bytes: Uint8Array): SigningNonces {
  const r = new ByteReader(bytes, 'stored nonces');
  if (r.u8() !== 1) r.fail('unsupported version');
  const session = r.bytes(32, 'session');
  const identifier = r.identifier();
  const hiding = r.scalarBytes({ nonZero: true });
  const binding = r.scalarBytes({ nonZero: true });
  r.end();
  return makeSigningNonces(session, identifier, { hiding, binding } as Nonces);
}
