/**
 * The ECDSA ledger of one wallet on this device: which DKLs23 signing sessions it already answered, a digest of
 * every pairwise setup it holds, the peers it banned (no new setup with them until a person lifts the ban) and when
 * its latest setups with each peer started (the per-peer rate limit, so a reload does not reset it), in
 * ONE sealed record (`wallet/<id>/ecdsa-ledger`, see walletRecords.ts).
 *
 * Why one sealed record: storage can be edited by anyone with the disk (another tab, an extension, a restored
 * backup of the browser profile), but only the unlock key can seal. Marks kept as separate records could be deleted
 * one by one unnoticed; inside the ledger, removing a mark or restoring an older setup means changing the ledger,
 * which fails to open without the key. What remains is deleting the ledger itself; that is caught because a held
 * setup always has a ledger entry (`checkEcdsaSetups`, `claimEcdsaSession` refuse with ROLLED_BACK when it is gone).
 *
 * Claims are atomic across tabs: a Web Locks lock per wallet where the browser has it (tabs queue instead of
 * retrying), and in every case the check-and-mark is one compare-and-set on the ledger (`ShareStore.updateRecord`,
 * one IndexedDB transaction), so of two tabs claiming one session exactly one wins.
 *
 * A ledger that does not open is treated as deleted (`updateLedger`): setups are refused and re-run, used-session
 * marks and bans are lost. Losing a ban needs someone with the disk *and* a cheating peer; the core defence below
 * still holds for the sessions.
 *
 * Not covered: restoring an older copy of *every* ECDSA record at once (ledger and setups together) looks like an
 * honest older state. The core makes that harmless for signing: a signer's masks are bound to its own fresh nonce
 * (src/core/ecdsa README "One-shot sessions"), so answering a session twice leaks nothing.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { CairnError, isCairnError } from '../core/errors.ts';
import { ByteReader, ByteWriter, equalBytes, hexToBytesStrict, toHex } from './byteCodec.ts';
import type { ShareStore } from './shareStore.ts';
import { recordNames } from './walletRecords.ts';

/** Used sessions kept; past this the oldest are dropped (8192 × 32 B = 256 KiB; the core defence covers the rest). */
export const MAX_LEDGER_SESSIONS = 8192;
const MAX_SETUPS = 1024;

export type EcdsaLedger = {
  /** Bumped on every change: a ledger never goes back to an earlier content under the same counter. */
  counter: number;
  /** Peer device key (hex) → SHA-256 of the sealed setup record's plaintext. */
  setups: Map<string, Uint8Array>;
  /** Used session ids (hex), oldest first. */
  sessions: string[];
  /** Peers (device keys, hex) that failed a check: no automatic setup with them until a person lifts the ban. */
  banned: Set<string>;
  /** Peer → start times (ms since the epoch, oldest first) of its latest setups here: src/protocol/setupRateLimit.ts. */
  setupRuns: Map<string, number[]>;
};

/** Start times kept per peer (the rate limit needs its window's worth, 4). */
const MAX_RUNS_PER_PEER = 16;

/** Version 2 adds the setup start times after the bans; version 1 (no start times) still opens. */
export function encodeEcdsaLedger(l: EcdsaLedger): Uint8Array {
  const w = new ByteWriter().u8(2).u64(l.counter).u16(l.setups.size);
  for (const [peer, digest] of [...l.setups].sort(([a], [b]) => (a < b ? -1 : 1))) w.bytes(hexToBytesStrict(peer, 'peer', 33)).bytes(digest);
  w.u16(l.banned.size);
  for (const peer of [...l.banned].sort()) w.bytes(hexToBytesStrict(peer, 'peer', 33));
  const runs = [...l.setupRuns].filter(([, times]) => times.length > 0).sort(([a], [b]) => (a < b ? -1 : 1));
  w.u16(runs.length);
  for (const [peer, times] of runs) {
    const kept = times.slice(-MAX_RUNS_PER_PEER);
    w.bytes(hexToBytesStrict(peer, 'peer', 33)).u8(kept.length);
    for (const t of kept) w.u64(t);
  }
  w.u32(l.sessions.length);
  for (const s of l.sessions) w.bytes(hexToBytesStrict(s, 'session', 32));
  return w.finish();
}

export function decodeEcdsaLedger(bytes: Uint8Array): EcdsaLedger {
  const r = new ByteReader(bytes, 'ecdsa ledger');
  const version = r.u8('version');
  if (version !== 1 && version !== 2) throw r.malformed('unknown version');
  const counter = r.u64('counter');
  const nSetups = r.u16('setup count');
  if (nSetups > MAX_SETUPS) throw r.malformed('too many setups');
  const setups = new Map<string, Uint8Array>();
  for (let i = 0; i < nSetups; i++) setups.set(toHex(r.bytes(33, 'peer')), r.bytes(32, 'setup digest'));
  const nBanned = r.u16('ban count');
  if (nBanned > MAX_SETUPS) throw r.malformed('too many bans');
  const banned = new Set<string>();
  for (let i = 0; i < nBanned; i++) banned.add(toHex(r.bytes(33, 'banned peer')));
  const setupRuns = new Map<string, number[]>();
  const nRuns = version === 2 ? r.u16('setup-run peer count') : 0;
  if (nRuns > MAX_SETUPS) throw r.malformed('too many setup-run peers');
  for (let i = 0; i < nRuns; i++) {
    const peer = toHex(r.bytes(33, 'setup-run peer'));
    const k = r.u8('setup-run count');
    if (k > MAX_RUNS_PER_PEER) throw r.malformed('too many setup runs');
    const times: number[] = [];
    for (let j = 0; j < k; j++) times.push(r.u64('setup-run time'));
    setupRuns.set(peer, times);
  }
  const nSessions = r.u32('session count');
  if (nSessions > MAX_LEDGER_SESSIONS) throw r.malformed('too many sessions');
  const sessions: string[] = [];
  for (let i = 0; i < nSessions; i++) sessions.push(toHex(r.bytes(32, 'session')));
  r.end();
  return { counter, setups, sessions, banned, setupRuns };
}

/** SHA-256 of a setup record's plaintext: what the ledger keeps for it. */
export const setupRecordDigest = (plaintext: Uint8Array): Uint8Array => sha256(plaintext);

type LockManagerLike = { request<T>(name: string, cb: () => Promise<T>): Promise<T> };

/** Runs `fn` under the wallet's Web Locks lock where the browser has one (other tabs wait); else just runs it. */
export function withWalletLock<T>(walletId: string, fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  return locks ? locks.request(`cairn/wallet/${walletId}/ecdsa`, fn) : fn();
}

/**
 * Atomic change of the ledger; `change` gets the decoded ledger (undefined if none) and returns the new one. A ledger
 * that does not open (written without the unlock key) is treated as deleted: removed, so every setup it should have
 * vouched for is refused and set up afresh, instead of leaving ECDSA stuck on this device.
 */
async function updateLedger(
  store: ShareStore,
  walletId: string,
  change: (l: EcdsaLedger | undefined) => EcdsaLedger | undefined,
): Promise<EcdsaLedger | undefined> {
  const name = recordNames.ecdsaLedger(walletId);
  const attempt = async () => {
    const after = await store.updateRecord(name, (raw) => {
      const next = change(raw === undefined ? undefined : decodeEcdsaLedger(raw));
      return next && encodeEcdsaLedger({ ...next, counter: next.counter + 1 });
    });
    return after === undefined ? undefined : decodeEcdsaLedger(after);
  };
  try {
    return await attempt();
  } catch (err) {
    if (!isCairnError(err) || (err.code !== 'BAD_SIGNATURE' && err.code !== 'MALFORMED')) throw err;
    await store.deleteRecord(name);
    return attempt();
  }
}

/** The ledger as stored now (read from storage, not a cache another tab may have outdated). */
export const readEcdsaLedger = (store: ShareStore, walletId: string): Promise<EcdsaLedger | undefined> => updateLedger(store, walletId, () => undefined);

const rolledBack = (what: string) =>
  new CairnError('ROLLED_BACK', `This device's ECDSA records were changed without its unlock key (${what}); they are not used`);

/**
 * Marks `session` as answered, atomically across tabs. False if it already was (this tab or another). Throws
 * ROLLED_BACK if the ledger is gone: this device holds setups, so it had one (see the header).
 */
export function claimEcdsaSession(store: ShareStore, walletId: string, session: Uint8Array): Promise<boolean> {
  const id = toHex(session);
  return withWalletLock(walletId, async () => {
    let fresh = false;
    await updateLedger(store, walletId, (l) => {
      if (!l) throw rolledBack('the ledger is missing');
      fresh = !l.sessions.includes(id);
      if (!fresh) return undefined;
      const sessions = [...l.sessions, id];
      return { ...l, sessions: sessions.slice(Math.max(0, sessions.length - MAX_LEDGER_SESSIONS)) };
    });
    return fresh;
  });
}

/** Writes a setup record and enters its digest in the ledger (creating the ledger with the first setup). */
export async function storeEcdsaSetup(store: ShareStore, walletId: string, peer: string, plaintext: Uint8Array): Promise<void> {
  await withWalletLock(walletId, async () => {
    // Ledger first: a crash before the record is written leaves a digest that matches nothing, so the (old or absent)
    // record is refused on load and a fresh setup replaces it. Never the other way round.
    const digest = setupRecordDigest(plaintext);
    await updateLedger(store, walletId, (l) => {
      const base = l ?? emptyLedger();
      return { ...base, setups: new Map(base.setups).set(peer, digest) };
    });
    await store.putRecord(recordNames.ecdsaSetup(walletId, peer), plaintext);
  });
}

const emptyLedger = (): EcdsaLedger => ({ counter: 0, setups: new Map(), sessions: [], banned: new Set(), setupRuns: new Map() });

/** Bans (`banned = true`) or un-bans a peer, persistently. Lifting a ban is a person's decision (UI), never automatic. */
export async function setEcdsaPeerBanned(store: ShareStore, walletId: string, peer: string, banned: boolean): Promise<void> {
  hexToBytesStrict(peer, 'peer', 33);
  await withWalletLock(walletId, () =>
    updateLedger(store, walletId, (l) => {
      const base = l ?? emptyLedger();
      if (base.banned.has(peer) === banned) return undefined;
      const next = new Set(base.banned);
      if (banned) next.add(peer);
      else next.delete(peer);
      return { ...base, banned: next };
    }),
  );
}

/**
 * Notes that a setup with `peer` started at `at` (ms since the epoch), keeping its latest `keep` start times: the
 * rate limit reads them back after a reload (src/protocol/setupRateLimit.ts). Merged in the ledger, so two tabs'
 * runs both count.
 */
export async function recordEcdsaSetupRun(store: ShareStore, walletId: string, peer: string, at: number, keep: number): Promise<void> {
  hexToBytesStrict(peer, 'peer', 33);
  await withWalletLock(walletId, () =>
    updateLedger(store, walletId, (l) => {
      const base = l ?? emptyLedger();
      const times = [...(base.setupRuns.get(peer) ?? []), Math.max(0, Math.floor(at))].sort((a, b) => a - b).slice(-Math.min(keep, MAX_RUNS_PER_PEER));
      return { ...base, setupRuns: new Map(base.setupRuns).set(peer, times) };
    }),
  );
}

/** Deletes a setup record and its ledger entry. */
export async function forgetEcdsaSetup(store: ShareStore, walletId: string, peer: string): Promise<void> {
  await withWalletLock(walletId, async () => {
    await store.deleteRecord(recordNames.ecdsaSetup(walletId, peer));
    await updateLedger(store, walletId, (l) => {
      if (!l?.setups.has(peer)) return undefined;
      const setups = new Map(l.setups);
      setups.delete(peer);
      return { ...l, setups };
    });
  });
}

/**
 * The stored setup records of the wallet, each with its verdict against the ledger: `ok` only if the ledger exists
 * and holds exactly this record's digest. A missing ledger, a missing entry or another digest (an older setup put
 * back, a record copied in) is `rolled-back`: the caller must not use it.
 */
export async function checkEcdsaSetups(store: ShareStore, walletId: string): Promise<{ peer: string; plaintext: Uint8Array; ok: boolean }[]> {
  const ledger = await readEcdsaLedger(store, walletId);
  const prefix = recordNames.ecdsaSetupPrefix(walletId);
  const out: { peer: string; plaintext: Uint8Array; ok: boolean }[] = [];
  for (const name of await store.listRecords(prefix)) {
    let plaintext: Uint8Array | undefined;
    try {
      plaintext = await store.updateRecord(name, () => undefined); // from storage, not a cache
    } catch (err) {
      if (!isCairnError(err) || (err.code !== 'BAD_SIGNATURE' && err.code !== 'MALFORMED')) throw err;
      out.push({ peer: name.slice(prefix.length), plaintext: new Uint8Array(0), ok: false }); // not sealed with our key
      continue;
    }
    if (!plaintext) continue;
    const peer = name.slice(prefix.length);
    const want = ledger?.setups.get(peer);
    const got = setupRecordDigest(plaintext);
    out.push({ peer, plaintext, ok: want !== undefined && equalBytes(want, got) });
  }
  return out;
}
