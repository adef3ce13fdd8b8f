/**
 * Key changes (refresh, reshare) from proposal to commit. An `epoch-announcement` entry
 * (`epochAnnouncement.ts`) by a holder proposes moving the holders of its epoch to the next one;
 * the people behind t holders approve it (`keyChangeApproval.ts`) before any device deals, confirms
 * or forgets anything (docs/invariants.md, invariant 9). Then:
 *
 *   1. every holder taking part runs the descriptor (request id = proposal id, so all devices share
 *      one session), at most once per proposal even across reloads (`EpochStore.ran`) and once per
 *      epoch at a time;
 *   2. a new holder whose run ended with a verified test signature appends `epoch-promoted`;
 *   3. once t′ new holders did (`epochCommit.ts`), each new holder promotes its sealed staged epoch
 *      if its public package hash matches, and a guardian that leaves deletes its share. A device
 *      that missed the end of the run (timeout, reload) does the same when it sees the commit.
 *
 * A holder that neither deals nor stays in a reshare does not take part (typically a lost device)
 * but still leaves at the commit. New holders of a reshare are guardians or devices that joined
 * with an add invite (`guardianInvite.ts`); such a newcomer takes part with the public package its
 * inviter published. An acting device is accepted only with the verified `backup-restored` entry the
 * announcement names, of that device for that lost dealer at this epoch; otherwise every device
 * refuses the announcement, naming its author. Naming the entry (not "whatever precedes the
 * announcement in the log") keeps every device's decision the same: concurrent Yjs inserts can land
 * before an entry a device has already judged. A device that hasn't received it yet waits for it.
 */
import { CairnError, publicPackageHash, type KeyPackage, type PublicPackage } from '../core/index.ts';
import { hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import {
  actingDealersProblem,
  decodeEpochAnnouncement,
  encodeEpochAnnouncement,
  EPOCH_ANNOUNCEMENT_KIND,
  type ActingDealer,
  type AnnouncedActingDealer,
  type EpochAnnouncement,
} from './epochAnnouncement.ts';
import type { DeviceIdentity } from '../device/deviceIdentity.ts';
import type { LogEntry, RequestLog } from '../net/requestLog.ts';
import { refreshDescriptor } from './descriptors/refresh.ts';
import { reshareDescriptor } from './descriptors/reshare.ts';
import type { EpochStore } from './epochStore.ts';
import type { NonceStore } from './nonceStore.ts';
import { BACKUP_RESTORED_LOG_KIND, restoredBackups, verifyBackupRestored, type RestoredBackup } from './backupRestored.ts';
import { runProtocol, type RunnerEnv } from './roundRunner.ts';
import { CREATION_LOG_KIND } from './walletCreation.ts';
import { committedHash, encodeEpochPromoted, EPOCH_PROMOTED_KIND, promotedBy } from './epochCommit.ts';
import { keyChangeStatus, keyChangeStatuses, type KeyChangeStatus } from './keyChangeApproval.ts';
import type { PolicyVerdict } from './signingCoordinator.ts';
import { encodeApproval, encodeDenial } from './signingRequestCodec.ts';

/** What a committed key change gives the guardian: its new key, or nothing if it left. */
export type EpochOutcome = { current?: KeyPackage };

/** Why a key change isn't moving, for the people watching it. */
export type KeyChangeEvent =
  | { type: 'key-change'; id: string }
  /** The epoch was committed but this device holds no matching staged share: it needs a repair. */
  | { type: 'stranded'; epoch: number };

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
  onKeyChange?: (e: KeyChangeEvent) => void;
  /** This device's own rules for key changes (a waiting time): consulted before its person's approval goes out. */
  keyChangePolicy?: (s: KeyChangeStatus) => PolicyVerdict;
  /** A leaving guardian deletes its share only once this resolves too (the registry on chain shows the epoch). */
  commitGate?: (epoch: number) => Promise<void>;
}) {
  const self = p.identity.publicKey;
  const now = () => p.env.clock.now();
  /** Proposals this device took up (admissible, or refused): their runs' results. */
  const runs = new Map<string, Promise<unknown>>();
  const startedEpochs = new Set<number>();
  const waiting: LogEntry[] = [];
  /** Callers of refresh()/reshare() waiting for their proposal's commit (or its failure). */
  const waiters = new Map<string, { resolve: (o: EpochOutcome) => void; reject: (e: unknown) => void }[]>();
  const failures = new Map<string, unknown>();
  /** Proposals refused on their bytes (bad newcomers, dealers or backup entries): they never win an epoch. */
  const refused = new Set<string>();
  let applying: Promise<void> | undefined;
  const appliedEpochs = new Set<number>();

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

  /**
   * A reshare's invited newcomers' entries become visible (approvals of acting devices, restored
   * backups, packages), before its approvals are counted.
   */
  function showNewcomers(a: Extract<EpochAnnouncement, { kind: 'reshare' }>, previous: PublicPackage): void {
    const roster = previous.roster.deviceKeys.map(toHex);
    const invited = p.invited?.() ?? [];
    const newcomers = [...new Set([...a.newHolders, ...(a.actors ?? []).map((x) => x.device)])].filter(
      (k) => !roster.includes(k) && (k === self || invited.includes(k)),
    );
    if (newcomers.length) p.onNewcomers?.(newcomers);
  }

  async function start(e: LogEntry, a: EpochAnnouncement, key: KeyPackage | undefined, previous: PublicPackage): Promise<void> {
    // One answer per proposal and device, across reloads: a rerun would only time out and blame honest peers.
    if (await p.epochs.ran(e.id)) throw new CairnError('ABORTED', 'This device already took part in this key change (before a reload)');
    await p.epochs.markRan(e.id);
    const requestId = hexToBytesStrict(e.id, 'entry id', 32);
    const roster = previous.roster.deviceKeys.map(toHex);
    let tested: { publicHash: Uint8Array; current: KeyPackage } | undefined;
    if (a.kind === 'refresh') {
      tested = (await runProtocol(refreshDescriptor, { current: key!, participants: roster, requestId, epochs: p.epochs, nonces: p.nonces }, p.env).result)
        .tested;
    } else {
      const actors = a.actors ?? [];
      const mine = actors.find((x) => x.device === self);
      const restored = mine ? await p.restoredKey?.(mine.lost) : undefined;
      if (mine && !restored) throw new CairnError('NOT_FOUND', 'This device no longer holds the restored backup it is named to deal with');
      try {
        tested = (
          await runProtocol(
            reshareDescriptor,
            {
              self,
              current: key,
              previous,
              dealers: a.dealers,
              newHolders: a.newHolders,
              newThreshold: a.newThreshold,
              requestId,
              epochs: p.epochs,
              nonces: p.nonces,
              actors,
              restored,
            },
            p.env,
          ).result
        ).tested;
      } finally {
        restored?.signingShare.fill(0); // the sealed record stays until promotion; this copy is done
      }
    }
    if (tested) {
      tested.current.signingShare.fill(0); // promoted from the sealed staged record at the commit
      p.log.append(EPOCH_PROMOTED_KIND, encodeEpochPromoted({ proposal: e.id, epoch: previous.epoch + 1, publicHash: toHex(tested.publicHash) }));
    }
  }

  /** The public package the proposals this device can act on change: its own, or the one it joins from. */
  const previousPackage = (): PublicPackage | undefined => p.current()?.public ?? p.newcomerOf?.();

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
    if (a.epoch !== previous.epoch) return;
    if (!previous.roster.deviceKeys.some((k) => toHex(k) === e.author)) {
      // Only a holder of this epoch may propose a refresh or reshare: a room member could otherwise drop guardians.
      p.env.onEvent({ type: 'rejected', from: e.author, code: 'UNKNOWN_SENDER', reason: 'An epoch announcement from a device that holds no share' });
      return;
    }
    if (a.kind === 'reshare') {
      showNewcomers(a, previous);
      // Checked before anyone approves: a proposal naming bad entries is refused on every device alike.
      try {
        if (!admissible(e, a, previous)) return void waiting.push(e); // reconsidered when backup entries arrive
      } catch (err) {
        refused.add(e.id);
        runs.set(e.id, Promise.resolve());
        settleWaiters(e.id, err);
        return;
      }
    }
    p.onKeyChange?.({ type: 'key-change', id: e.id });
    const status = keyChangeStatus(p.log.entries(), previous, e.id, now(), refused);
    if (status?.state !== 'approved') {
      // Not (yet) approved by t holders, or superseded by another proposal: nothing runs. A closed one never runs.
      if (status?.state === 'waiting' || status?.state === 'superseded') waiting.push(e);
      else settleWaiters(e.id, new CairnError('POLICY_DENIED', closedReason(status?.state)));
      return;
    }
    if (startedEpochs.has(a.epoch)) return void waiting.push(e);
    if (a.kind === 'reshare' && !a.dealers.includes(self) && !joining) return; // not part of it (it may still leave at the commit)
    if (a.kind === 'reshare' && (a.actors ?? []).some((x) => x.lost === self)) return; // another device deals in this one's place
    startedEpochs.add(a.epoch);
    const result = start(e, a, key, previous);
    runs.set(e.id, result);
    result.then(
      () => {
        startedEpochs.delete(a.epoch); // the commit (or not) decides now
        checkCommit();
      },
      (err) => {
        startedEpochs.delete(a.epoch); // blame is in the log (the proposal failed); another proposal may run
        settleWaiters(e.id, err);
        checkCommit(); // the others may have committed without this device
        reevaluate();
      },
    );
  }

  function closedReason(state: string | undefined): string {
    if (state === 'withdrawn') return 'The guardian who proposed this change withdrew it';
    if (state === 'expired') return 'Nobody approved this change in time; it expired';
    if (state === 'failed') return 'This change failed while it ran (a guardian did not take part correctly); the old shares still work';
    return 'Too many guardians denied this change for it to go ahead';
  }

  /** Ends a proposal for its waiters (a failure is remembered for those who ask later). */
  function settleWaiters(id: string, outcome: { current?: KeyPackage } | unknown, ok = false): void {
    if (!ok) failures.set(id, outcome);
    for (const w of waiters.get(id)?.splice(0) ?? []) ok ? w.resolve(outcome as EpochOutcome) : w.reject(outcome);
  }

  /**
   * Applies the commit of the epoch this device is in, once there is one: a new holder promotes its
   * sealed staged share (if its hash matches), a guardian that leaves deletes its share. Serialised,
   * so two entries arriving together promote once.
   */
  function checkCommit(): void {
    applying = (applying ?? Promise.resolve()).then(applyCommit).catch((err) => {
      p.env.onEvent({
        type: 'rejected',
        code: err instanceof CairnError ? err.code : 'MALFORMED',
        reason: `Could not apply the new epoch: ${err instanceof Error ? err.message : String(err)}`,
      });
    });
  }

  async function applyCommit(): Promise<void> {
    const previous = previousPackage();
    if (!previous || appliedEpochs.has(previous.epoch + 1)) return;
    const entries = p.log.entries();
    // Any proposal that reached its approvals counts once committed (lowest id first if two ever did).
    const candidates = keyChangeStatuses(entries, previous, now(), refused)
      .filter((s) => s.approvers.length >= s.needed)
      .sort((x, y) => (x.id < y.id ? -1 : 1));
    for (const s of candidates) {
      const roster = previous.roster.deviceKeys.map(toHex);
      const newHolders = s.proposal.kind === 'refresh' ? roster : s.proposal.newHolders;
      const threshold = s.proposal.kind === 'refresh' ? previous.threshold : s.proposal.newThreshold;
      const epoch = previous.epoch + 1;
      const hash = committedHash(entries, { proposal: s.id, epoch, newHolders, threshold });
      if (!hash) continue;
      appliedEpochs.add(epoch);
      if (newHolders.includes(self)) {
        const staged = await p.epochs.staged(epoch);
        if (!staged || toHex(publicPackageHash(staged.public)) !== hash) {
          staged?.signingShare.fill(0);
          p.onKeyChange?.({ type: 'stranded', epoch });
          return;
        }
        await p.epochs.promote(epoch);
        await p.onPromoted({ current: staged });
        settleWaiters(s.id, { current: staged }, true);
        // Caught up from the commit without finishing the run: say so, so the others stop showing this device as behind.
        if (!promotedBy(p.log.entries(), epoch)?.has(self)) p.log.append(EPOCH_PROMOTED_KIND, encodeEpochPromoted({ proposal: s.id, epoch, publicHash: hash }));
      } else {
        // Left (or dealt only for a restored backup): the new epoch is committed, an old share is only a liability now.
        if (p.current()) await p.commitGate?.(epoch);
        await p.onPromoted({});
        settleWaiters(s.id, {}, true);
      }
      p.onKeyChange?.({ type: 'key-change', id: s.id });
      for (const e of waiting.splice(0)) consider(e); // proposals for the new epoch
      return;
    }
  }

  function reevaluate(): void {
    for (const e of waiting.splice(0)) consider(e);
    checkCommit(); // e.g. the device's key became known after a reload: a commit in the log applies now
  }

  function announce(a: EpochAnnouncement): Promise<EpochOutcome> {
    const entry = p.log.append(EPOCH_ANNOUNCEMENT_KIND, encodeEpochAnnouncement(a)); // delivered to `consider` synchronously
    return outcomeOf(entry.id);
  }

  /** Resolves when the proposal `id` is committed on this device; rejects if it fails or closes. */
  function outcomeOf(id: string): Promise<EpochOutcome> {
    if (failures.has(id)) return Promise.reject(failures.get(id));
    return new Promise<EpochOutcome>((resolve, reject) => waiters.set(id, [...(waiters.get(id) ?? []), { resolve, reject }]));
  }

  function requireKey(): KeyPackage {
    const key = p.current();
    if (!key) throw new CairnError('NOT_FOUND', 'This device holds no share of the wallet yet');
    if (startedEpochs.has(key.public.epoch)) throw new CairnError('BAD_PARAMETERS', 'A refresh or reshare of this epoch is already running');
    return key;
  }

  /** The status of a proposal for the current epoch, for a person deciding on it. */
  function statusOf(id: string): KeyChangeStatus {
    const previous = previousPackage();
    const status = previous && keyChangeStatus(p.log.entries(), previous, id, now(), refused);
    if (!status) throw new CairnError('NOT_FOUND', 'No such key change for this wallet’s current epoch');
    return status;
  }

  const unsubscribe = p.log.subscribe((e) => {
    if (e.kind === EPOCH_ANNOUNCEMENT_KIND) consider(e);
    else if (e.kind === EPOCH_PROMOTED_KIND) checkCommit();
    else if ((e.kind === 'approval' || e.kind === 'denial') && waiting.length) reevaluate();
    // An announcement may wait for a backup entry, a join, or the add invite behind it (`admissible`).
    else if ((e.kind === BACKUP_RESTORED_LOG_KIND || e.kind === 'join' || e.kind === CREATION_LOG_KIND) && waiting.length) reevaluate();
  });
  checkCommit(); // a device that missed the end of a run (reload) catches up from the log

  /** The announced form of `actors`: each with the verified backup entry this device sees for it. */
  function announcedActors(actors: readonly ActingDealer[], pub: PublicPackage): AnnouncedActingDealer[] {
    const verified = restoredBackups(p.log.entries(), pub, [...(p.invited?.() ?? []), self]);
    return actors
      .map((x) => {
        const found = verified.find((r) => r.lost === x.lost && r.device === x.device);
        if (!found)
          throw new CairnError('NOT_FOUND', 'That device has not restored a verified backup of that guardian (yet); wait until it has, then try again');
        return { ...x, backupEntry: found.entryId };
      })
      .sort((x, y) => (x.lost < y.lost ? -1 : 1));
  }

  return {
    /** Proposes a refresh of the current epoch; resolves once it is approved, run and committed here. */
    refresh: (): Promise<EpochOutcome> => announce({ kind: 'refresh', epoch: requireKey().public.epoch }),
    /** Proposes a reshare to `newHolders` with threshold `newThreshold` (same promise as refresh). */
    async reshare(newHolders: string[], newThreshold: number, dealers?: string[], actors: ActingDealer[] = []): Promise<EpochOutcome> {
      const key = requireKey();
      const roster = key.public.roster.deviceKeys.map(toHex);
      // Default dealers: every current holder (leavers deal, then delete their shares at the commit).
      // To replace a lost device, name the holders who are still there (at least t).
      const chosen = dealers ?? roster;
      const invited = p.invited?.() ?? [];
      const uninvited = [...newHolders, ...actors.map((x) => x.device)].find((k) => !roster.includes(k) && !invited.includes(k));
      if (uninvited) throw new CairnError('NOT_FOUND', 'That device has not joined with an invite from a guardian of this wallet; invite it first');
      const acting = announcedActors(actors, key.public);
      const withLost = [...new Set([...chosen, ...acting.map((x) => x.lost)])].sort();
      return announce({
        kind: 'reshare',
        epoch: key.public.epoch,
        newThreshold,
        newHolders: [...newHolders].sort(),
        dealers: withLost,
        actors: acting.length ? acting : undefined,
      });
    },
    /** Proposals for the current epoch, with who approved, who denied and whether they run. */
    statuses: (): KeyChangeStatus[] => {
      const previous = previousPackage();
      return previous ? keyChangeStatuses(p.log.entries(), previous, now(), refused) : [];
    },
    /** This device's person approves the proposal `id` (only an open one, for the current epoch). */
    approve(id: string): void {
      const status = statusOf(id);
      if (status.state !== 'waiting' && status.state !== 'approved')
        throw new CairnError('BAD_PARAMETERS', `This change can no longer be approved (${status.state})`);
      const verdict = p.keyChangePolicy?.(status) ?? { allow: true };
      if (!verdict.allow) throw new CairnError('POLICY_DENIED', verdict.reason);
      if (!status.approvers.includes(self)) p.log.append('approval', encodeApproval(id));
    },
    /** Denies it (the proposer's own denial withdraws it). */
    deny(id: string, reason: string): void {
      statusOf(id);
      p.log.append('denial', encodeDenial(id, reason));
    },
    /** Resolves when the proposal `id` is committed on this device (a newcomer or another approver can await it too). */
    outcome: outcomeOf,
    reevaluate,
    destroy: () => unsubscribe(),
  };
}

export type EpochCoordinator = ReturnType<typeof createEpochCoordinator>;
