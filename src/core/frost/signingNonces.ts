/**
 * Single-use FROST nonces. A `SigningNonces` object is bound to one session and consumed by
 * `frostSignShare` (then zeroed); using it again throws NONCE_REUSED. The device layer persists the
 * encoded form (encrypted) before the commitment leaves and deletes it before the share leaves.
 *
 * The nonces travel with the commitment they produced (public, computed once in round 1), so
 * round 2 checks the coordinator's list against it byte for byte instead of multiplying the
 * secret nonces by G again. Records of format 1 (nonces only) recompute it when decoded.
 */
import type { Nonces } from '@noble/curves/abstract/frost.js';
import { Fn, Point } from '../curve.ts';
import { ByteReader, ByteWriter } from '../encoding.ts';
import type { Identifier } from '../identifier.ts';

/** The round-1 commitment of the nonces: 33-byte compressed D = d·G and E = e·G. */
export type OwnCommitment = { readonly hiding: Uint8Array; readonly binding: Uint8Array };

export type SigningNonces = {
  readonly session: Uint8Array;
  readonly identifier: Identifier;
  /** noble's nonce pair; zeroed in place when consumed. */
  readonly nonces: Nonces;
  /** What these nonces committed to in round 1 (public). */
  readonly commitment: OwnCommitment;
  consumed: boolean;
  /** Never serialise secrets by accident (JSON.stringify, logs). */
  toJSON(): string;
};

export function makeSigningNonces(session: Uint8Array, identifier: Identifier, nonces: Nonces, commitment: OwnCommitment): SigningNonces {
  return {
    session: session.slice(),
    identifier,
    nonces,
    commitment: Object.freeze({ hiding: commitment.hiding.slice(), binding: commitment.binding.slice() }),
    consumed: false,
    toJSON: () => '<redacted nonces>',
  };
}

export function encodeSigningNonces(n: SigningNonces): Uint8Array {
  return new ByteWriter()
    .u8(2)
    .bytes(n.session)
    .identifier(n.identifier)
    .bytes(n.nonces.hiding)
    .bytes(n.nonces.binding)
    .bytes(n.commitment.hiding)
    .bytes(n.commitment.binding)
    .finish();
}

export function decodeSigningNonces(bytes: Uint8Array): SigningNonces {
  const r = new ByteReader(bytes, 'stored nonces');
  const version = r.u8();
  if (version !== 1 && version !== 2) r.fail('unsupported version');
  const session = r.bytes(32, 'session');
  const identifier = r.identifier();
  const hiding = r.scalarBytes({ nonZero: true });
  const binding = r.scalarBytes({ nonZero: true });
  // Format 2 carries the commitment. Equality with a validated list entry would already refuse
  // garbage, but decoding it here (two square roots, far cheaper than the two multiplications it
  // saves) names a corrupt record as MALFORMED instead of blaming the coordinator's list later.
  const commitment =
    version === 2
      ? { hiding: r.pointBytes('hiding commitment'), binding: r.pointBytes('binding commitment') }
      : { hiding: Point.BASE.multiply(Fn.fromBytes(hiding)).toBytes(true), binding: Point.BASE.multiply(Fn.fromBytes(binding)).toBytes(true) };
  r.end();
  return makeSigningNonces(session, identifier, { hiding, binding } as Nonces, commitment);
}
