/**
 * A FROST signing session: which guardians sign (t of them), what (a typed request → digest), and
 * the session id that binds every package to this wallet, epoch, signer set and request.
 */
import { CairnError } from '../errors.ts';
import { bytesToHex } from '../encoding.ts';
import { identifierOf, type DeviceKey, type Identifier } from '../identifier.ts';
import type { PublicPackage } from '../keyPackage.ts';
import { sessionId } from '../session.ts';
import { signingDigest, type SigningRequest } from '../signingRequest.ts';

export type SigningSession = {
  readonly session: Uint8Array;
  readonly epoch: number;
  /** Signer identifiers, sorted. */
  readonly signers: readonly Identifier[];
  readonly request: SigningRequest;
  /** The 32-byte message FROST signs (RFC 9591 `msg`). */
  readonly digest: Uint8Array;
};

export function frostSigningSession(pub: PublicPackage, p: { signers: readonly DeviceKey[]; requestId: Uint8Array; request: SigningRequest }): SigningSession {
  const members = new Set(pub.roster.deviceKeys.map(bytesToHex));
  for (const k of p.signers)
    if (!members.has(bytesToHex(k)))
      throw new CairnError('UNKNOWN_SENDER', 'A chosen signer is not a guardian of this wallet', { culprits: [identifierOf(k)] });
  if (p.signers.length < pub.threshold) throw new CairnError('BAD_PARAMETERS', `${p.signers.length} signers chosen; this wallet needs ${pub.threshold}`);
  const session = sessionId({ walletId: pub.walletId, protocol: 'frost-sign', epoch: pub.epoch, participants: p.signers, requestId: p.requestId });
  const signers = p.signers.map(identifierOf).sort();
  return Object.freeze({ session, epoch: pub.epoch, signers: Object.freeze(signers), request: p.request, digest: signingDigest(p.request) });
}

/**
 * The signer set must be t..n distinct guardians of this wallet (RFC 9591 §5.2/§5.3 bound the
 * commitment list by MIN/MAX_PARTICIPANTS; noble's signShare/aggregate checked it too).
 */
export function assertSignerSet(pub: PublicPackage, signers: readonly Identifier[]): void {
  const roster = pub.roster.identifiers;
  if (
    new Set(signers).size !== signers.length ||
    signers.length < pub.threshold ||
    signers.length > roster.length ||
    signers.some((id) => !roster.includes(id))
  )
    throw new CairnError('BAD_PARAMETERS', 'The signers of this session are not t to n distinct guardians of this wallet');
}
