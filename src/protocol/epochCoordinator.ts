/**
 * Lifecycle requests in the log. An `epoch-announcement` entry by any guardian asks the holders of
 * that epoch to move to the next one:
 *
 *     refresh:  v = 1 ‖ kind u8 = 1 ‖ epoch u32
 *     reshare:  v = 1 ‖ kind u8 = 2 ‖ epoch u32 ‖ t′ u8 ‖ count u8 ‖ new holders 33 × count
 *               ‖ count u8 ‖ dealers 33 × count    (≥ t current holders: a lost device needn't deal)
 *     reshare v2: as above with v = 2, then ‖ count u8 ‖ (lost dealer 33 ‖ acting device 33
 *               ‖ backup entry id 32) × count — a dealer whose paper backup was restored on another
 *               device, which deals in its place (`backupRestored.ts`), and the log entry in which
 *               that device proved it. v1 is written when there is none.
 *
 * Every holder that sees it while that epoch is current runs the descriptor (request id = entry id,
 * so all devices share one session). A holder that neither deals nor stays in a reshare does not
 * take part (typically a lost device). One lifecycle run per
 * epoch per device: two concurrent announcements would stage the same next epoch twice.
 * New holders of a reshare are guardians or devices that joined with an add invite
 * (`guardianInvite.ts`); such a newcomer takes part with the public package its inviter published.
 * An acting device is accepted only with the verified `backup-restored` entry the announcement
 * names, of that device for that lost dealer at this epoch; otherwise every device refuses the
 * announcement, naming its author. Naming the entry (not "whatever precedes the announcement in the
 * log") keeps every device's decision the same: concurrent Yjs inserts can land before an entry a
 * device has already judged. A device that hasn't received the named entry yet waits for it.
 */
import { CairnError, type KeyPackage, type PublicPackage } from '../core/index.ts';
import { ByteReader, ByteWriter, hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import type { DeviceIdentity } from '../device/deviceIdentity.ts';
import type { LogEntry, RequestLog } from '../net/requestLog.ts';
import { refreshDescriptor } from './descriptors/refresh.ts';
import { reshareDescriptor } from './descriptors/reshare.ts';
import type { EpochStore } from './epochStore.ts';
import type { NonceStore } from './nonceStore.ts';
import { BACKUP_RESTORED_LOG_KIND, restoredBackups, verifyBackupRestored, type RestoredBackup } from './backupRestored.ts';
import { runProtocol, type RunnerEnv } from './roundRunner.ts';
import { CREATION_LOG_KIND } from './walletCreation.ts';

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
  const w = new ByteWriter().u8(actors.length ? 2 : 1).u8(a.kind === 'refresh' ? 1 : 2).u32(a.epoch);
  if (a.kind === 'reshare') {
    w.u8(a.newThreshold).u8(a.newHolders.length);
    for (const k of a.newHolders) w.bytes(hexToBytesStrict(k, 'new holder', 33));
    w.u8(a.dealers.length);
    for (const k of a.dealers) w.bytes(hexToBytesStrict(k, 'dealer', 33));
    if (actors.length) {
      w.u8(actors.length);
      for (const x of actors) w.bytes(hexToBytesStrict(x.lost, 'lost dealer', 33)).bytes(hexToBytesStrict(x.device, 'acting device', 33)).bytes(hexToBytesStrict(x.backupEntry, 'backup entry id', 32));
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
    lost: toHex(r.bytes(33, 'lost dealer')), device: toHex(r.bytes(33, 'acting device')), backupEntry: toHex(r.bytes(32, 'backup entry id')),
  }));
  r.end();
  return { kind: 'reshare', epoch, newThreshold, newHolders, dealers, actors };
}

/** Why an announcement's acting dealers can't be accepted, or undefined when they can. */
export function actingDealersProblem(a: { dealers: readonly string[]; newHolders: readonly string[]; actors: readonly ActingDealer[] }, roster: readonly string[], restored: readonly { lost: string; device: string }[]): string | undefined {
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

/** What a finished lifecycle run gives the guardian: its new key, or nothing if it left. */
export type EpochOutcome = { current?: KeyPackage };

export function createEpochCoordinator(p: {
  identity: DeviceIdentity;
  log: RequestLog;
  env: RunnerEnv;
  current: () => KeyPackage | undefined;
  /** For a device joining by an add invite: the wallet's public package it was given. */
  newcomerOf?: () => PublicPackage | undefined;
  /** Devices that may become holders in a reshare (joined with an add invite of a holder). */
  invited?: () => readonly string[];
  /** Called before a reshare with newcomers starts, so their entries become visible. */
  onNewcomers?: (keys: readonly string[]) => void;
  /** This device's restored backup of a lost guardian (its key package), if it acts for one. */
  restoredKey?: (lost: string) => Promise<KeyPackage | undefined>;
  epochs: EpochStore;
  nonces: NonceStore;
  onPromoted: (r: EpochOutcome) => void | Promise<void>;
}) {
  const self = p.identity.publicKey;
  const runs = new Map<string, Promise<EpochOutcome>>();
  const startedEpochs = new Set<number>();
  const waiting: LogEntry[] = [];

  /**
   * Checks a reshare's newcomers, dealers and acting dealers before this device takes part; throws
   * (naming the author) on a bad one. `false`: not decidable yet — a newcomer's join with a holder's
   * add invite, or a named backup entry, hasn't reached this device (it may arrive after the
   * announcement from another peer); the announcer itself never names a device it hasn't seen invited.
   */
  function admissible(e: LogEntry, a: Extract<EpochAnnouncement, { kind: 'reshare' }>, previous: PublicPackage): boolean {
    const roster = previous.roster.deviceKeys.map(toHex);
    const actors = a.actors ?? [];
    const newcomers = [...new Set([...a.newHolders, ...actors.map((x) => x.device)])].filter((k) => !roster.includes(k));
    const invited = p.invited?.() ?? [];
    const refuse = (reason: string): never => {
      const err = new CairnError('UNKNOWN_SENDER', reason, { culprits: [e.author] });
      p.env.onEvent({ type: 'rejected', from: e.author, code: err.code, reason });
      throw err;
    };
    if (a.dealers.some((k) => !roster.includes(k))) refuse('A reshare names a dealer that holds no share');
    if (newcomers.some((k) => k !== self && !invited.includes(k))) return false;
    if (newcomers.length) p.onNewcomers?.(newcomers); // their entries (restored backups, packages) become visible
    if (!actors.length) return true;
    // Every device checks the acting devices' proofs itself (the announcement's author may lie).
    const entries = new Map(p.log.entries().map((x) => [x.id, x]));
    if (actors.some((x) => !entries.has(x.backupEntry))) return false;
    const restored: RestoredBackup[] = [];
    for (const x of actors) {
      const named = entries.get(x.backupEntry)!;
      if (named.kind !== BACKUP_RESTORED_LOG_KIND) refuse('A reshare names an entry that is not a restored backup');
      try {
        restored.push(verifyBackupRestored(named, previous, [...invited, self]));
      } catch {
        refuse('A reshare names a device that restored no verified backup of that guardian');
      }
    }
    const problem = actingDealersProblem({ ...a, actors }, roster, restored);
    if (problem) refuse(problem);
    return true;
  }

  async function start(e: LogEntry, a: EpochAnnouncement, key: KeyPackage | undefined, previous: PublicPackage): Promise<EpochOutcome> {
    const requestId = hexToBytesStrict(e.id, 'entry id', 32);
    const roster = previous.roster.deviceKeys.map(toHex);
    if (a.kind === 'refresh') {
      return runProtocol(refreshDescriptor, { current: key!, participants: roster, requestId, epochs: p.epochs, nonces: p.nonces }, p.env).result;
    }
    const actors = a.actors ?? [];
    const mine = actors.find((x) => x.device === self);
    const restored = mine ? await p.restoredKey?.(mine.lost) : undefined;
    if (mine && !restored) throw new CairnError('NOT_FOUND', 'This device no longer holds the restored backup it is named to deal with');
    try {
      return await runProtocol(reshareDescriptor, {
        self, current: key, previous, dealers: a.dealers, newHolders: a.newHolders, newThreshold: a.newThreshold, requestId, epochs: p.epochs, nonces: p.nonces,
        actors, restored,
      }, p.env).result;
    } finally {
      restored?.signingShare.fill(0); // the sealed record stays until promotion; this copy is done
    }
  }

  function consider(e: LogEntry): void {
    if (runs.has(e.id)) return;
    const key = p.current();
    const newcomer = key ? undefined : p.newcomerOf?.();
    let a: EpochAnnouncement;
    try {
      a = decodeEpochAnnouncement(e.body);
    } catch (err) {
      p.env.onEvent({ type: 'rejected', from: e.author, code: err instanceof CairnError ? err.code : 'MALFORMED', reason: 'Unreadable epoch announcement' });
      return;
    }
    const joining = a.kind === 'reshare' && (a.newHolders.includes(self) || (a.actors ?? []).some((x) => x.device === self));
    const previous = key?.public ?? (joining ? newcomer : undefined);
    if (!previous || a.epoch > previous.epoch) return void waiting.push(e); // not there yet
    if (a.epoch !== previous.epoch || startedEpochs.has(a.epoch)) return;
    if (!previous.roster.deviceKeys.some((k) => toHex(k) === e.author)) {
      // Only a holder of this epoch may call a refresh or reshare: a room member could otherwise drop guardians.
      p.env.onEvent({ type: 'rejected', from: e.author, code: 'UNKNOWN_SENDER', reason: 'An epoch announcement from a device that holds no share' });
      return;
    }
    if (a.kind === 'reshare' && !a.dealers.includes(self) && !joining) return; // not part of it
    if (a.kind === 'reshare' && (a.actors ?? []).some((x) => x.lost === self)) return; // another device deals in this one's place
    if (a.kind === 'reshare') {
      try {
        if (!admissible(e, a, previous)) return void waiting.push(e); // reconsidered when backup entries arrive
      } catch (err) {
        const refused = Promise.reject(err);
        refused.catch(() => undefined); // only the announcer awaits it (`announce`)
        runs.set(e.id, refused);
        return;
      }
    }
    startedEpochs.add(a.epoch);
    const result = start(e, a, key, previous);
    runs.set(e.id, result);
    result.then(
      async (res) => {
        await p.onPromoted(res);
        reevaluate();
      },
      () => startedEpochs.delete(a.epoch), // blame is in the log; a new announcement may retry
    );
  }

  function reevaluate(): void {
    for (const e of waiting.splice(0)) consider(e);
  }

  function announce(a: EpochAnnouncement): Promise<EpochOutcome> {
    const entry = p.log.append(EPOCH_ANNOUNCEMENT_KIND, encodeEpochAnnouncement(a)); // delivered to `consider` synchronously
    return runs.get(entry.id) ?? Promise.reject(new CairnError('ABORTED', 'The lifecycle run did not start'));
  }

  function requireKey(): KeyPackage {
    const key = p.current();
    if (!key) throw new CairnError('NOT_FOUND', 'This device holds no share of the wallet yet');
    if (startedEpochs.has(key.public.epoch)) throw new CairnError('BAD_PARAMETERS', 'A refresh or reshare of this epoch is already running');
    return key;
  }

  const unsubscribe = p.log.subscribe((e) => {
    if (e.kind === EPOCH_ANNOUNCEMENT_KIND) consider(e);
    // An announcement may wait for a backup entry, a join, or the add invite behind it (`admissible`).
    else if ((e.kind === BACKUP_RESTORED_LOG_KIND || e.kind === 'join' || e.kind === CREATION_LOG_KIND) && waiting.length) reevaluate();
  });

  /** The announced form of `actors`: each with the verified backup entry this device sees for it. */
  function announcedActors(actors: readonly ActingDealer[], pub: PublicPackage): AnnouncedActingDealer[] {
    const verified = restoredBackups(p.log.entries(), pub, [...(p.invited?.() ?? []), self]);
    return actors.map((x) => {
      const found = verified.find((r) => r.lost === x.lost && r.device === x.device);
      if (!found) throw new CairnError('NOT_FOUND', 'That device has not restored a verified backup of that guardian (yet); wait until it has, then try again');
      return { ...x, backupEntry: found.entryId };
    }).sort((x, y) => (x.lost < y.lost ? -1 : 1));
  }

  return {
    /** Asks every holder to refresh the current epoch; resolves once this device promoted it. */
    refresh: (): Promise<EpochOutcome> => announce({ kind: 'refresh', epoch: requireKey().public.epoch }),
    /** Asks every holder to reshare to `newHolders` with threshold `newThreshold`. */
    async reshare(newHolders: string[], newThreshold: number, dealers?: string[], actors: ActingDealer[] = []): Promise<EpochOutcome> {
      const key = requireKey();
      const roster = key.public.roster.deviceKeys.map(toHex);
      // Default dealers: every current holder (leavers deal, then delete their shares). To replace a
      // lost device, name the holders who are still there (at least t).
      const chosen = dealers ?? roster;
      const invited = p.invited?.() ?? [];
      const uninvited = [...newHolders, ...actors.map((x) => x.device)].find((k) => !roster.includes(k) && !invited.includes(k));
      if (uninvited) throw new CairnError('NOT_FOUND', 'That device has not joined with an invite from a guardian of this wallet; invite it first');
      const acting = announcedActors(actors, key.public);
      const withLost = [...new Set([...chosen, ...acting.map((x) => x.lost)])].sort();
      return announce({ kind: 'reshare', epoch: key.public.epoch, newThreshold, newHolders: [...newHolders].sort(), dealers: withLost, actors: acting.length ? acting : undefined });
    },
    reevaluate,
    destroy: () => unsubscribe(),
  };
}

export type EpochCoordinator = ReturnType<typeof createEpochCoordinator>;
