/**
 * The `epoch-announcement` entry: a proposal to move the holders of an epoch to the next one
 * (`keyChangeApproval.ts` decides when it may run, `epochCoordinator.ts` runs it):
 *
 *     refresh:  v = 1 ‖ kind u8 = 1 ‖ epoch u32
 *     reshare:  v = 1 ‖ kind u8 = 2 ‖ epoch u32 ‖ t′ u8 ‖ count u8 ‖ new holders 33 × count
 *               ‖ count u8 ‖ dealers 33 × count    (≥ t current holders: a lost device needn't deal)
 *     reshare v2: as above with v = 2, then ‖ count u8 ‖ (lost dealer 33 ‖ acting device 33
 *               ‖ backup entry id 32) × count — a dealer whose paper backup was restored on another
 *               device, which deals in its place (`backupRestored.ts`), and the log entry in which
 *               that device proved it. v1 is written when there is none.
 */
import { ByteReader, ByteWriter, hexToBytesStrict, toHex } from '../device/byteCodec.ts';

export const EPOCH_ANNOUNCEMENT_KIND = 'epoch-announcement';

/** A lost dealer whose restored backup `device` holds and deals with. */
export type ActingDealer = { lost: string; device: string };
/** An acting dealer as announced: with the id of the `backup-restored` entry that proves it. */
export type AnnouncedActingDealer = ActingDealer & { backupEntry: string };

export type EpochAnnouncement =
  | { kind: 'refresh'; epoch: number }
  | { kind: 'reshare'; epoch: number; newThreshold: number; newHolders: string[]; dealers: string[]; actors?: AnnouncedActingDealer[] };

export function encodeEpochAnnouncement(a: EpochAnnouncement): Uint8Array {
  const actors = a.kind === 'reshare' ? (a.actors ?? []) : [];
  const w = new ByteWriter()
    .u8(actors.length ? 2 : 1)
    .u8(a.kind === 'refresh' ? 1 : 2)
    .u32(a.epoch);
  if (a.kind === 'reshare') {
    w.u8(a.newThreshold).u8(a.newHolders.length);
    for (const k of a.newHolders) w.bytes(hexToBytesStrict(k, 'new holder', 33));
    w.u8(a.dealers.length);
    for (const k of a.dealers) w.bytes(hexToBytesStrict(k, 'dealer', 33));
    if (actors.length) {
      w.u8(actors.length);
      for (const x of actors)
        w.bytes(hexToBytesStrict(x.lost, 'lost dealer', 33))
          .bytes(hexToBytesStrict(x.device, 'acting device', 33))
          .bytes(hexToBytesStrict(x.backupEntry, 'backup entry id', 32));
    }
  }
  return w.finish();
}

export function decodeEpochAnnouncement(bytes: Uint8Array): EpochAnnouncement {
  const r = new ByteReader(bytes, 'epoch announcement');
  const version = r.u8('version');
  if (version !== 1 && version !== 2) throw r.malformed('unknown version');
  const kind = r.u8('kind');
  const epoch = r.u32('epoch');
  if (kind === 1 && version === 1) {
    r.end();
    return { kind: 'refresh', epoch };
  }
  if (kind !== 2) throw r.malformed('unknown kind');
  const newThreshold = r.u8('threshold');
  const count = r.u8('count');
  const newHolders = Array.from({ length: count }, () => toHex(r.bytes(33, 'new holder')));
  const dealerCount = r.u8('dealer count');
  const dealers = Array.from({ length: dealerCount }, () => toHex(r.bytes(33, 'dealer')));
  if (version === 1) {
    r.end();
    return { kind: 'reshare', epoch, newThreshold, newHolders, dealers };
  }
  const actorCount = r.u8('acting dealer count');
  if (actorCount === 0 || actorCount > dealerCount) throw r.malformed('acting dealer count out of range');
  const actors = Array.from({ length: actorCount }, () => ({
    lost: toHex(r.bytes(33, 'lost dealer')),
    device: toHex(r.bytes(33, 'acting device')),
    backupEntry: toHex(r.bytes(32, 'backup entry id')),
  }));
  r.end();
  return { kind: 'reshare', epoch, newThreshold, newHolders, dealers, actors };
}

/** Why an announcement's acting dealers can't be accepted, or undefined when they can. */
export function actingDealersProblem(
  a: { dealers: readonly string[]; newHolders: readonly string[]; actors: readonly ActingDealer[] },
  roster: readonly string[],
  restored: readonly { lost: string; device: string }[],
): string | undefined {
  const lost = a.actors.map((x) => x.lost);
  const devices = a.actors.map((x) => x.device);
  if (new Set(lost).size !== lost.length || new Set(devices).size !== devices.length) return 'A reshare names one acting dealer twice';
  for (const x of a.actors) {
    if (!a.dealers.includes(x.lost)) return 'A reshare names an acting device for someone who does not deal';
    if (roster.includes(x.device) || a.dealers.includes(x.device)) return 'A guardian can’t also deal in another guardian’s place';
    if (a.newHolders.includes(x.lost)) return 'A lost guardian whose backup deals can’t stay a guardian';
    if (!restored.some((r) => r.lost === x.lost && r.device === x.device)) return 'A reshare names a device that restored no verified backup of that guardian';
  }
  return undefined;
}
