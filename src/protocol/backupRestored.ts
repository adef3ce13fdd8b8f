/**
 * `backup-restored` log entries: "device D (the author) holds the paper backup of guardian L at
 * epoch e", with a proof of knowledge of L's share bound to (wallet, e, L, D)
 * (`core/lifecycle/backupHolderProof.ts`). A verified entry lets a reshare announcement name D as
 * acting for L (`epochCoordinator.ts`); the reshare's own checks then make D deal correctly or fail.
 *
 *     body = v u8 = 1 ‖ epoch u32 ‖ lost guardian's device key 33 ‖ proof 65
 *
 * Accepted only from a device that joined with a holder's add invite (not a holder itself), for a
 * holder of the current epoch; anything else is refused with a typed error naming the author.
 * The restored share itself stays in this device's sealed store (`restoredShareRecord`) until the
 * reshare is promoted.
 */
import { BACKUP_HOLDER_PROOF_BYTES, CairnError, proveBackupHolder, verifyBackupHolder, type PublicPackage } from '../core/index.ts';
import { ByteReader, ByteWriter, hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import type { ShareStore } from '../device/shareStore.ts';
import type { LogEntry } from '../net/requestLog.ts';

export const BACKUP_RESTORED_LOG_KIND = 'backup-restored';

export type BackupRestored = { epoch: number; lost: string; proof: Uint8Array };
/** A verified claim: `device` may act for the lost guardian `lost` at `epoch`. */
export type RestoredBackup = { lost: string; device: string; epoch: number; entryId: string };

export function encodeBackupRestored(b: BackupRestored): Uint8Array {
  return new ByteWriter()
    .u8(1)
    .u32(b.epoch)
    .bytes(hexToBytesStrict(b.lost, 'lost guardian', 33))
    .bytes(b.proof)
    .finish();
}

export function decodeBackupRestored(bytes: Uint8Array): BackupRestored {
  const r = new ByteReader(bytes, 'backup-restored entry');
  if (r.u8('version') !== 1) throw r.malformed('unknown version');
  const epoch = r.u32('epoch');
  const lost = toHex(r.bytes(33, 'lost guardian'));
  const proof = r.bytes(BACKUP_HOLDER_PROOF_BYTES, 'proof');
  r.end();
  return { epoch, lost, proof };
}

/** The entry body a device publishes after restoring `share` (L's signing share) at `pub`'s epoch. */
export function backupRestoredBody(pub: PublicPackage, lost: string, holder: string, share: Uint8Array): Uint8Array {
  const proof = proveBackupHolder({ pub, lost: hexToBytesStrict(lost, 'lost guardian', 33), holder: hexToBytesStrict(holder, 'holder', 33) }, share);
  return encodeBackupRestored({ epoch: pub.epoch, lost, proof });
}

/**
 * Checks one entry against the current public package and the devices holders invited. Throws a
 * `CairnError` whose culprit is the entry's author (device key) on any fault.
 */
export function verifyBackupRestored(e: LogEntry, pub: PublicPackage, invited: readonly string[]): RestoredBackup {
  const culprits = [e.author];
  let b: BackupRestored;
  try {
    b = decodeBackupRestored(e.body);
  } catch (cause) {
    throw new CairnError('MALFORMED', 'Unreadable backup-restored entry', { culprits, cause });
  }
  const roster = pub.roster.deviceKeys.map(toHex);
  if (roster.includes(e.author) || !invited.includes(e.author))
    throw new CairnError('UNKNOWN_SENDER', 'Only a device a guardian invited can restore a backup', { culprits });
  if (b.epoch !== pub.epoch)
    throw new CairnError('WRONG_EPOCH', `A backup restored for epoch ${b.epoch}, but the wallet is at epoch ${pub.epoch}`, { culprits });
  if (!roster.includes(b.lost)) throw new CairnError('UNKNOWN_SENDER', 'A backup restored for a device that is not a guardian', { culprits });
  try {
    verifyBackupHolder({ pub, lost: hexToBytesStrict(b.lost, 'lost', 33), holder: hexToBytesStrict(e.author, 'author', 33) }, b.proof);
  } catch (err) {
    const code = err instanceof CairnError ? err.code : 'BAD_PROOF';
    throw new CairnError(code, 'The proof of holding this backup does not verify', { culprits, cause: err });
  }
  return { lost: b.lost, device: e.author, epoch: b.epoch, entryId: e.id };
}

/** Every verified restored backup in the log for `pub`'s epoch; `onRejected` hears about the others. */
export function restoredBackups(
  entries: readonly LogEntry[],
  pub: PublicPackage,
  invited: readonly string[],
  onRejected?: (e: LogEntry, err: CairnError) => void,
): RestoredBackup[] {
  const out: RestoredBackup[] = [];
  for (const e of entries) {
    if (e.kind !== BACKUP_RESTORED_LOG_KIND) continue;
    try {
      const r = verifyBackupRestored(e, pub, invited);
      if (!out.some((o) => o.lost === r.lost && o.device === r.device)) out.push(r);
    } catch (err) {
      onRejected?.(e, err as CairnError);
    }
  }
  return out;
}

/** Sealed-store record of a restored share (encoded key package of the lost guardian). */
export const restoredShareRecord = {
  prefix: (walletId: string) => `wallet/${walletId}/restored/`,
  name: (walletId: string, lost: string) => `wallet/${walletId}/restored/${lost}`,
};

/** Deletes every restored share of `walletId`: once its epoch is past, a lost guardian's share is only a liability. */
export async function deleteRestoredShares(store: ShareStore, walletId: string): Promise<void> {
  for (const name of await store.listRecords(restoredShareRecord.prefix(walletId))) await store.deleteRecord(name);
}
