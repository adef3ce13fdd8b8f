/**
 * "Device D holds the paper backup of guardian L at epoch e": a Schnorr proof of knowledge of L's
 * signing share s_L (public key: L's verifying share s_L·G), bound to (wallet id, epoch, L, D's
 * device key). Anyone holding the wallet's public package checks it; a restored backup can then
 * deal in a reshare in L's place (the reshare's own Feldman checks are what make that safe — this
 * proof only says who may try, and stops a device claiming a backup it never saw).
 *
 * It reuses the DKG's proof of knowledge (`dkg/proofOfKnowledge.ts`): its challenge hashes a
 * "session" and an identifier; here the session is a domain-separated digest of the binding, so
 * a DKG proof can't pass for a backup proof nor the other way round, and a proof made for one
 * device, epoch or wallet fails for any other.
 *
 *     proof = R 33 ‖ μ 32      (R = k·G, μ = k + c·s_L)
 */
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { CairnError } from '../errors.ts';
import { Fn, Point, type Rng } from '../curve.ts';
import { ByteReader, ByteWriter, utf8 } from '../encoding.ts';
import { assertDeviceKey, identifierOf, type DeviceKey } from '../identifier.ts';
import type { PublicPackage } from '../keyPackage.ts';
import { proveKnowledge, verifyKnowledge } from '../dkg/proofOfKnowledge.ts';

export const BACKUP_HOLDER_PROOF_BYTES = 65;
const DOMAIN = utf8('cairn/backup-holder-proof/v1');

export type BackupHolderStatement = {
  /** The wallet's public package at the backup's epoch (gives wallet id, epoch, L's verifying share). */
  pub: PublicPackage;
  /** The lost guardian's device key (L). */
  lost: DeviceKey;
  /** The device that restored the backup and will act for L (D). */
  holder: DeviceKey;
};

function binding(s: BackupHolderStatement): { context: Uint8Array; id: string; verifyingShare: Point } {
  const lostId = identifierOf(assertDeviceKey(s.lost));
  const vs = s.pub.verifyingShares[lostId];
  if (!vs) throw new CairnError('UNKNOWN_SENDER', 'The lost guardian is not a holder of this epoch');
  const context = sha256(new ByteWriter().bytes(DOMAIN).var16(s.pub.walletId).u32(s.pub.epoch).point(s.lost).point(assertDeviceKey(s.holder)).finish());
  return { context, id: lostId, verifyingShare: Point.fromBytes(vs) };
}

/** Proves knowledge of `share` (L's signing share, 32 bytes). Refuses a share that isn't L's. */
export function proveBackupHolder(s: BackupHolderStatement, share: Uint8Array, rng?: Rng): Uint8Array {
  const { context, id, verifyingShare } = binding(s);
  // Any bytes may arrive here (a restored backup): a wrong length or an unreduced value is refused
  // like any other wrong share, not with the curve library's bare Error.
  const secret = share instanceof Uint8Array && share.length === 32 ? bytesToNumberBE(share) : 0n;
  if (secret === 0n || secret >= Fn.ORDER || !Point.BASE.multiply(secret).equals(verifyingShare))
    throw new CairnError('BAD_SHARE', "This share doesn't match the lost guardian's verifying share");
  const { R, mu } = proveKnowledge(context, id, secret, rng);
  return new ByteWriter().point(R).scalar(mu).finish();
}

/**
 * Checks a proof; throws `BAD_PROOF` (culprit: the holder's identifier) when it doesn't verify and
 * `MALFORMED` when it doesn't decode.
 */
export function verifyBackupHolder(s: BackupHolderStatement, proof: Uint8Array): void {
  const culprits = [identifierOf(assertDeviceKey(s.holder))];
  const { context, id, verifyingShare } = binding(s);
  const r = new ByteReader(proof, 'backup holder proof', culprits);
  const R = r.point('R');
  const mu = r.scalar({ field: 'mu' });
  r.end();
  if (!verifyKnowledge(context, id, verifyingShare, { R, mu }))
    throw new CairnError('BAD_PROOF', 'The proof of holding this backup does not verify', { culprits });
}
