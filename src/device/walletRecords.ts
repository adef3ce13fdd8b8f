/**
 * The named records a guardian device keeps, on top of the share store:
 *
 *     device/identity                          device secret key (32 bytes)
 *     wallet/<walletId>/current                current epoch: {epoch, keyPackage, publicPackage}
 *     wallet/<walletId>/staged/<epoch>         a staged epoch (refresh/reshare/repair), one record each
 *     wallet/<walletId>/nonce/<sessionId>      pending FROST nonces for one signing session
 *     wallet/<walletId>/ecdsa/<peerDeviceKey>  DKLs23 pairwise setup with one peer: generation ‖ setup (src/protocol/ecdsaCoordinator.ts)
 *     wallet/<walletId>/ecdsa-ledger           used DKLs23 signing sessions + a digest of each held setup (ecdsaLedger.ts)
 *     wallet/<walletId>/joining                joined with an add invite, no share yet: invite id ‖ inviter's public package (src/protocol/joiningRecord.ts)
 *     wallet/<walletId>/creating               created or joined a wallet whose key is not made yet: the creator's invites, or the joiner's invite id (src/protocol/creationRecord.ts)
 *
 * **Crash safety of promotion** (invariant 4, docs/invariants.md). `promoteStagedEpoch` does exactly two atomic
 * steps: (1) write the staged epoch's contents as the new `current` record (one `set`), then
 * (2) delete the staged record. A crash before (1) leaves the old epoch current and the staged one
 * intact (promotion can be retried); a crash between (1) and (2) leaves a staged record whose epoch
 * is ≤ current, which `getStagedEpochs`/`cleanUpStagedEpochs` treat as already promoted. There is
 * never a moment where neither the old nor the new share is on disk.
 *
 * **Nonces** (invariant 3): `takeNonces` deletes the record from storage *before* returning the
 * bytes, so a signature share can only be computed after the nonce is gone from disk.
 */
import { CairnError } from '../core/errors.ts';
import { ByteReader, ByteWriter } from './byteCodec.ts';
import { createDeviceIdentity, deviceIdentityFromSecretKey, type DeviceIdentity } from './deviceIdentity.ts';
import type { ShareStore } from './shareStore.ts';

export type EpochRecord = { epoch: number; keyPackage: Uint8Array; publicPackage: Uint8Array };

const NAME_PART = /^[A-Za-z0-9_.:-]{1,200}$/;
const MAX_PACKAGE = 256 * 1024;

function part(value: string, what: string): string {
  if (typeof value !== 'string' || !NAME_PART.test(value)) {
    throw new CairnError('BAD_PARAMETERS', `${what} must be 1–200 characters of [A-Za-z0-9_.:-]`);
  }
  return value;
}
function epochPart(epoch: number): string {
  if (!Number.isSafeInteger(epoch) || epoch < 0 || epoch > 0xffff_ffff) throw new CairnError('BAD_PARAMETERS', 'Epoch must be a u32');
  return String(epoch);
}

export const recordNames = {
  deviceIdentity: 'device/identity',
  current: (walletId: string) => `wallet/${part(walletId, 'walletId')}/current`,
  stagedPrefix: (walletId: string) => `wallet/${part(walletId, 'walletId')}/staged/`,
  staged: (walletId: string, epoch: number) => `wallet/${part(walletId, 'walletId')}/staged/${epochPart(epoch)}`,
  nonce: (walletId: string, sessionId: string) => `wallet/${part(walletId, 'walletId')}/nonce/${part(sessionId, 'sessionId')}`,
  ecdsaSetupPrefix: (walletId: string) => `wallet/${part(walletId, 'walletId')}/ecdsa/`,
  ecdsaSetup: (walletId: string, peer: string) => `wallet/${part(walletId, 'walletId')}/ecdsa/${part(peer, 'peer')}`,
  ecdsaLedger: (walletId: string) => `wallet/${part(walletId, 'walletId')}/ecdsa-ledger`,
  /** A lifecycle session (refresh / reshare proposal id) this device took part in. */
  lifecycleRan: (walletId: string, proposal: string) => `wallet/${part(walletId, 'walletId')}/lifecycle-ran/${part(proposal, 'proposal')}`,
  joining: (walletId: string) => `wallet/${part(walletId, 'walletId')}/joining`,
  creating: (walletId: string) => `wallet/${part(walletId, 'walletId')}/creating`,
  /** The spending policy's first-seen times and held approvals (app/services/policyState.ts). */
  policyState: (walletId: string) => `wallet/${part(walletId, 'walletId')}/policy-state`,
};

export function encodeEpochRecord(r: EpochRecord): Uint8Array {
  epochPart(r.epoch);
  return new ByteWriter().u8(1).u32(r.epoch).var32(r.keyPackage).var32(r.publicPackage).finish();
}

export function decodeEpochRecord(bytes: Uint8Array): EpochRecord {
  const r = new ByteReader(bytes, 'epoch record');
  if (r.u8('version') !== 1) throw r.malformed('unknown version');
  const out = { epoch: r.u32('epoch'), keyPackage: r.var32('keyPackage', MAX_PACKAGE), publicPackage: r.var32('publicPackage', MAX_PACKAGE) };
  r.end();
  return out;
}

export async function saveDeviceIdentity(store: ShareStore, identity: DeviceIdentity): Promise<void> {
  await store.putRecord(recordNames.deviceIdentity, identity.secretKey);
  await store.putMeta('device-public-key', new TextEncoder().encode(identity.publicKey));
}

export async function loadDeviceIdentity(store: ShareStore): Promise<DeviceIdentity | undefined> {
  const sk = await store.getRecord(recordNames.deviceIdentity);
  if (!sk) return undefined;
  const id = deviceIdentityFromSecretKey(sk);
  sk.fill(0);
  return id;
}

/** First run creates the device identity and stores it sealed; later runs load it. */
export async function loadOrCreateDeviceIdentity(store: ShareStore): Promise<DeviceIdentity> {
  const existing = await loadDeviceIdentity(store);
  if (existing) return existing;
  const created = createDeviceIdentity();
  await saveDeviceIdentity(store, created);
  return created;
}

/** The device's public key, readable while locked (it is not secret). */
export async function readDevicePublicKey(store: ShareStore): Promise<string | undefined> {
  const raw = await store.getMeta('device-public-key');
  return raw === undefined ? undefined : new TextDecoder().decode(raw);
}

export async function putCurrentEpoch(store: ShareStore, walletId: string, record: EpochRecord): Promise<void> {
  await store.putRecord(recordNames.current(walletId), encodeEpochRecord(record));
}

export async function getCurrentEpoch(store: ShareStore, walletId: string): Promise<EpochRecord | undefined> {
  const raw = await store.getRecord(recordNames.current(walletId));
  return raw === undefined ? undefined : decodeEpochRecord(raw);
}

/** Stages a new epoch beside the current one (never overwrites the current record). */
export async function stageEpoch(store: ShareStore, walletId: string, record: EpochRecord): Promise<void> {
  const current = await getCurrentEpoch(store, walletId);
  if (current && record.epoch <= current.epoch) {
    throw new CairnError('WRONG_EPOCH', `Can't stage epoch ${record.epoch}: epoch ${current.epoch} is already current`);
  }
  await store.putRecord(recordNames.staged(walletId, record.epoch), encodeEpochRecord(record));
}

export async function getStagedEpoch(store: ShareStore, walletId: string, epoch: number): Promise<EpochRecord | undefined> {
  const raw = await store.getRecord(recordNames.staged(walletId, epoch));
  if (raw === undefined) return undefined;
  const rec = decodeEpochRecord(raw);
  if (rec.epoch !== epoch) throw new CairnError('MALFORMED', 'Staged record holds another epoch than its name says');
  return rec;
}

/** Epoch numbers of staged records newer than the current epoch (leftovers of a crash are skipped). */
export async function listStagedEpochs(store: ShareStore, walletId: string): Promise<number[]> {
  const current = await getCurrentEpoch(store, walletId);
  const prefix = recordNames.stagedPrefix(walletId);
  const epochs = (await store.listRecords(prefix)).map((n) => Number(n.slice(prefix.length)));
  return epochs.filter((e) => Number.isSafeInteger(e) && (!current || e > current.epoch)).sort((a, b) => a - b);
}

/** Promotes a staged epoch to current: write current, then delete staged (see the header). */
export async function promoteStagedEpoch(store: ShareStore, walletId: string, epoch: number): Promise<EpochRecord> {
  const staged = await getStagedEpoch(store, walletId, epoch);
  if (!staged) throw new CairnError('NOT_FOUND', `No staged epoch ${epoch} to promote`);
  const current = await getCurrentEpoch(store, walletId);
  if (current && current.epoch >= epoch) throw new CairnError('WRONG_EPOCH', `Epoch ${current.epoch} is already current`);
  await putCurrentEpoch(store, walletId, staged); // step 1: atomic
  await store.deleteRecord(recordNames.staged(walletId, epoch)); // step 2
  await cleanUpStagedEpochs(store, walletId);
  return staged;
}

/** Drops a staged epoch (an aborted refresh): the current epoch is untouched. */
export async function discardStagedEpoch(store: ShareStore, walletId: string, epoch: number): Promise<void> {
  await store.deleteRecord(recordNames.staged(walletId, epoch));
}

/** Deletes staged records at or below the current epoch (left by a crash after promotion step 1). */
export async function cleanUpStagedEpochs(store: ShareStore, walletId: string): Promise<void> {
  const current = await getCurrentEpoch(store, walletId);
  if (!current) return;
  const prefix = recordNames.stagedPrefix(walletId);
  for (const name of await store.listRecords(prefix)) {
    const e = Number(name.slice(prefix.length));
    if (!Number.isSafeInteger(e) || e <= current.epoch) await store.deleteRecord(name);
  }
}

export async function putNonces(store: ShareStore, walletId: string, sessionId: string, nonces: Uint8Array): Promise<void> {
  const name = recordNames.nonce(walletId, sessionId);
  if ((await store.listRecords(name)).includes(name)) {
    throw new CairnError('NONCE_REUSED', 'Nonces for this signing session already exist');
  }
  await store.putRecord(name, nonces);
}

/**
 * Takes the nonces of a session out of storage: deleted from disk first, then returned. A second
 * call finds nothing (`NONCE_REUSED`).
 */
export async function takeNonces(store: ShareStore, walletId: string, sessionId: string): Promise<Uint8Array> {
  const name = recordNames.nonce(walletId, sessionId);
  const nonces = await store.getRecord(name);
  if (!nonces) throw new CairnError('NONCE_REUSED', 'No unused nonces for this signing session (already used or never made)');
  await store.deleteRecord(name);
  return nonces;
}
