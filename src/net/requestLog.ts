/**
 * The request log: an append-only `Y.Array` of signed entries (`logEntryCodec.ts`), shared by a
 * wallet's guardians over whatever network syncs the `Y.Doc` (y-webrtc, or `memoryHub.ts` in tests).
 *
 * Yjs itself trusts every peer: anyone in the room can insert anything. So every reader filters:
 * an entry is visible only if it decodes, its signature verifies, it belongs to this wallet
 * (scope), its kind is known, its id wasn't seen before, and its author is a member — or it is a
 * `join` entry (how a non-member asks to join) whose invite id was not used by an earlier join.
 * Everything else is ignored and reported once through `onRejected`, naming the author when the
 * bytes got that far. Membership is the caller's (e.g. the roster, widened to the pending roster
 * during onboarding) and can change: entries of a newly added member then become visible.
 *
 * Order: `entries()` follows the Y.Array order, which is the same on every peer once synced.
 * `subscribe` delivers each visible entry once, in the order it becomes visible locally; decisions
 * that need agreement (first join per invite) should use `entries()`.
 *
 * Deletions: a hostile peer can delete array items. Verified entries are kept locally (still in
 * `entries()`, after the array's), the deletion is reported, and an author re-appends its own
 * deleted entries (same bytes, same id) so peers that join later still get them.
 */
import type * as Y from 'yjs';
import { CairnError } from '../core/errors.ts';
import type { DeviceIdentity } from '../device/deviceIdentity.ts';
import { decodeLogEntry, encodeLogEntry, peekAuthor } from './logEntryCodec.ts';
import { toHex } from '../device/byteCodec.ts';

export const LOG_ARRAY_NAME = 'cairn/request-log';
export const DEFAULT_LOG_ENTRY_KINDS = ['request', 'approval', 'denial', 'envelope', 'epoch-announcement', 'roster', 'join', 'policy'] as const;
export type KnownLogEntryKind = (typeof DEFAULT_LOG_ENTRY_KINDS)[number];
/** Open union: known kinds autocomplete; others are allowed if listed in `kinds`. */
export type LogEntryKind = KnownLogEntryKind | (string & {});
/** A join entry's body starts with the 16-byte invite id it uses. */
export const JOIN_INVITE_ID_BYTES = 16;

export type LogEntry = {
  /** Hex SHA-256 of the signed bytes. */
  id: string;
  /** Author's device public key (33-byte compressed hex). */
  author: string;
  kind: LogEntryKind;
  body: Uint8Array;
  /** Author's clock (ms), informative only. */
  at: number;
};

/**
 * A rejected entry. `author` is the device key the bytes name, when readable. `authenticated` is
 * true only when the fault is in what that key itself signed (non-member, another wallet's scope,
 * unknown kind, reused invite). Otherwise — bad signature, garbage, oversize, a replay or a deletion
 * (anyone can replay or delete) — the author is a mere claim: report it, never blame or exclude on it.
 */
export type LogRejection = { author?: string; authenticated: boolean; reason: string; id?: string };

export interface RequestLog {
  append(kind: LogEntryKind, body: Uint8Array): LogEntry;
  entries(): LogEntry[];
  subscribe(cb: (e: LogEntry) => void): () => void;
  onRejected(cb: (r: LogRejection) => void): () => void;
  setMembers(deviceKeys: string[]): void;
  destroy(): void;
}

export type OpenRequestLogParameters = {
  doc: Y.Doc;
  identity: DeviceIdentity;
  members: string[];
  now?: () => number;
  /** Binds entries to one wallet (signed into each entry). Use the wallet id. */
  scope?: string;
  /** Accepted kinds (default: DEFAULT_LOG_ENTRY_KINDS). */
  kinds?: readonly string[];
};

type Known = { entry: LogEntry; bytes: Uint8Array };

export function openRequestLog({ doc, identity, members, now = Date.now, scope = '', kinds = DEFAULT_LOG_ENTRY_KINDS }: OpenRequestLogParameters): RequestLog {
  const array = doc.getArray<unknown>(LOG_ARRAY_NAME);
  const kindSet = new Set(kinds);
  let memberSet = new Set(members);
  const known = new Map<string, Known>(); // every well-formed, signed entry of this scope, any author
  const idOf = new WeakMap<Uint8Array, string | null>(); // array value → id (null: rejected)
  const reported = new Set<string>(); // "reason|id" already reported
  const subscribers = new Set<{ cb: (e: LogEntry) => void; delivered: Set<string> }>();
  const rejectionListeners = new Set<(r: LogRejection) => void>();
  let destroyed = false;

  function report(r: LogRejection): void {
    const key = `${r.reason}|${r.id ?? ''}`;
    if (r.id && reported.has(key)) return;
    if (r.id) reported.add(key);
    for (const cb of [...rejectionListeners]) callSafely(() => cb(r));
  }

  /** First look at one array value: decode, verify, dedupe. */
  function ingest(value: unknown): void {
    if (value instanceof Uint8Array && idOf.has(value)) return;
    let decoded: ReturnType<typeof decodeLogEntry>;
    try {
      decoded = decodeLogEntry(value);
    } catch (err) {
      if (value instanceof Uint8Array) idOf.set(value, null);
      const author = value instanceof Uint8Array ? peekAuthor(value) : undefined;
      report({ author, authenticated: false, reason: err instanceof CairnError ? err.shortMessage : 'Log entry could not be read' });
      return;
    }
    const bytes = value as Uint8Array;
    if (decoded.scope !== scope) {
      idOf.set(bytes, null);
      return report({ author: decoded.author, authenticated: true, reason: "Log entry belongs to another wallet's log", id: decoded.id });
    }
    if (!kindSet.has(decoded.kind)) {
      idOf.set(bytes, null);
      return report({ author: decoded.author, authenticated: true, reason: `Log entry has unknown kind "${decoded.kind}"`, id: decoded.id });
    }
    if (decoded.kind === 'join' && decoded.body.length < JOIN_INVITE_ID_BYTES) {
      idOf.set(bytes, null);
      return report({ author: decoded.author, authenticated: true, reason: 'Join entry names no invite', id: decoded.id });
    }
    if (known.has(decoded.id)) {
      if (!isInArray(decoded.id, bytes)) {
        idOf.set(bytes, decoded.id); // a deleted entry put back (see repairDeletions)
        return;
      }
      // Same signed content seen before: a replay. The first copy stays; this one is ignored.
      idOf.set(bytes, null);
      return report({
        author: decoded.author,
        authenticated: false,
        reason: 'Duplicate log entry (replayed)',
        id: `${decoded.id}#${toHex(bytes.subarray(bytes.length - 8))}`,
      });
    }
    idOf.set(bytes, decoded.id);
    const entry: LogEntry = { id: decoded.id, author: decoded.author, kind: decoded.kind, body: decoded.body, at: decoded.at };
    known.set(decoded.id, { entry, bytes });
    if (!memberSet.has(entry.author) && entry.kind !== 'join') {
      report({ author: entry.author, authenticated: true, reason: 'Log entry from a device that is not a member', id: entry.id });
    }
  }

  function isInArray(id: string, except: Uint8Array): boolean {
    return array.toArray().some((v) => v !== except && v instanceof Uint8Array && idOf.get(v) === id);
  }

  /** Visible entries in array order (then locally kept deleted ones), applying membership and joins. */
  function computeVisible(): LogEntry[] {
    const present: string[] = [];
    for (const v of array.toArray()) {
      const id = v instanceof Uint8Array ? idOf.get(v) : null;
      if (id) present.push(id);
    }
    const presentSet = new Set(present);
    const ordered = [...present, ...[...known.keys()].filter((id) => !presentSet.has(id))];
    const usedInvites = new Set<string>();
    const out: LogEntry[] = [];
    for (const id of ordered) {
      const { entry } = known.get(id)!;
      if (entry.kind === 'join') {
        const invite = toHex(entry.body.subarray(0, JOIN_INVITE_ID_BYTES));
        if (usedInvites.has(invite)) {
          report({ author: entry.author, authenticated: true, reason: 'Join with an invite that was already used', id: entry.id });
          continue;
        }
        usedInvites.add(invite);
      } else if (!memberSet.has(entry.author)) {
        continue;
      }
      out.push(entry);
    }
    return out;
  }

  function deliver(): void {
    if (subscribers.size === 0) return;
    const visible = computeVisible();
    for (const s of [...subscribers]) {
      for (const e of visible) {
        if (s.delivered.has(e.id)) continue;
        s.delivered.add(e.id);
        callSafely(() => s.cb(e));
      }
    }
  }

  function repairDeletions(): void {
    const present = new Set<string>();
    for (const v of array.toArray()) {
      const id = v instanceof Uint8Array ? idOf.get(v) : null;
      if (id) present.add(id);
    }
    const mine: Uint8Array[] = [];
    for (const [id, k] of known) {
      if (present.has(id)) continue;
      report({ author: k.entry.author, authenticated: false, reason: 'A peer deleted this entry from the shared log (kept locally)', id });
      if (k.entry.author === identity.publicKey) mine.push(k.bytes);
    }
    // Re-insert our own deleted entries (same bytes, same id): `ingest` treats a copy of an entry
    // that is no longer in the array as a restoration, not a replay.
    if (mine.length) array.push(mine);
  }

  const observer = (event: Y.YArrayEvent<unknown>): void => {
    for (const item of event.changes.added) for (const v of item.content.getContent()) ingest(v);
    if (event.changes.deleted.size > 0) repairDeletions();
    deliver();
  };
  for (const v of array.toArray()) ingest(v);
  array.observe(observer);

  return {
    append(kind, body) {
      if (destroyed) throw new CairnError('STATE_CONSUMED', 'This request log was closed');
      if (!kindSet.has(kind)) throw new CairnError('BAD_PARAMETERS', `Unknown log entry kind "${String(kind).slice(0, 64)}"`);
      if (kind === 'join' && body.length < JOIN_INVITE_ID_BYTES) throw new CairnError('BAD_PARAMETERS', 'A join entry body starts with the invite id');
      const { bytes, id } = encodeLogEntry({ identity, scope, kind, at: now(), body });
      array.push([bytes]); // the observer ingests it synchronously at the end of the transaction
      const k = known.get(id);
      if (!k) throw new CairnError('ABORTED', 'Appended entry was not accepted locally');
      return k.entry;
    },
    entries: computeVisible,
    subscribe(cb) {
      const s = { cb, delivered: new Set<string>() };
      subscribers.add(s);
      deliver();
      return () => subscribers.delete(s);
    },
    onRejected(cb) {
      rejectionListeners.add(cb);
      return () => rejectionListeners.delete(cb);
    },
    setMembers(deviceKeys) {
      memberSet = new Set(deviceKeys);
      deliver();
    },
    destroy() {
      destroyed = true;
      array.unobserve(observer);
      subscribers.clear();
      rejectionListeners.clear();
    },
  };
}

/** A listener's exception must neither stop other listeners nor vanish: rethrow it asynchronously. */
function callSafely(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    queueMicrotask(() => {
      throw err;
    });
  }
}
