/**
 * A staged epoch: the next epoch's key package, kept *beside* the current one until every new
 * holder has confirmed the same new public package (invariant 4, docs/invariants.md). Nothing here replaces or
 * deletes the current key; an abort at any message just drops the staged object.
 *
 * The confirmation a device sends is an `epochConfirmation` package: header (session, sender) +
 * `publicPackageHash(staged)` + the device's echo of the dealers' broadcasts. Signing the envelope
 * is the protocol layer's job.
 */
import { CairnError } from '../errors.ts';
import { bytesToHex } from '../encoding.ts';
import type { Identifier } from '../identifier.ts';
import { publicPackageHash, type KeyPackage, type PublicPackage } from '../keyPackage.ts';
import { PackageKind, readHeader, writeHeader } from '../packageHeader.ts';
import { readEcho, writeEcho, type Echo } from './lifecycleSession.ts';

export type LifecycleProtocol = 'refresh' | 'reshare' | 'enroll';

export type StagedEpoch = {
  readonly protocol: LifecycleProtocol;
  /** The lifecycle session this epoch came from; confirmations are bound to it. */
  readonly session: Uint8Array;
  /** The next epoch's key package (epoch = previous.epoch + 1). */
  readonly key: KeyPackage;
  /** The public package this epoch replaces. */
  readonly previous: PublicPackage;
  /** publicPackageHash(key.public): what every new holder must confirm. */
  readonly publicHash: Uint8Array;
  /** This device's echo of every dealer broadcast the new epoch was built from (empty for enroll). */
  readonly echo: Echo;
  /** This device's own confirmation package, to send to every other new holder. */
  readonly confirmation: Uint8Array;
  /** Never serialise the staged share by accident (JSON.stringify, logs). */
  toJSON(): string;
};

export function makeStagedEpoch(p: { protocol: LifecycleProtocol; session: Uint8Array; key: KeyPackage; previous: PublicPackage; echo: Echo }): StagedEpoch {
  if (p.key.public.epoch !== p.previous.epoch + 1)
    throw new CairnError('WRONG_EPOCH', `A staged epoch must follow epoch ${p.previous.epoch}, not be ${p.key.public.epoch}`);
  if (bytesToHex(p.key.public.commitments[0]!) !== bytesToHex(p.previous.commitments[0]!))
    throw new CairnError('INCONSISTENT_COMMITMENTS', 'The new epoch would change the group key');
  const publicHash = publicPackageHash(p.key.public);
  const confirmation = encodeConfirmation(p.session, p.key.identifier, { publicHash, echo: p.echo });
  return Object.freeze({ ...p, echo: Object.freeze([...p.echo]), publicHash, confirmation, toJSON: () => '<redacted staged epoch>' });
}

export type ConfirmationBody = { publicHash: Uint8Array; echo: Echo };

export function encodeConfirmation(session: Uint8Array, from: Identifier, body: ConfirmationBody): Uint8Array {
  const w = writeHeader(PackageKind.epochConfirmation, session, from).bytes(body.publicHash);
  writeEcho(w, body.echo);
  return w.finish();
}

export function decodeConfirmation(bytes: Uint8Array, session: Uint8Array, from: Identifier): ConfirmationBody {
  const r = readHeader(bytes, { kind: PackageKind.epochConfirmation, session, from });
  const publicHash = r.bytes(32, 'public package hash');
  const echo = readEcho(r);
  r.end();
  return { publicHash, echo };
}
