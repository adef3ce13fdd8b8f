/**
 * DKLs23 pairwise setups and ECDSA signing sessions for the plain-EOA path.
 *
 * Setups. A pair {a, b} is set up by an `ecdsa-setup` log entry naming it (author ∈ pair); the entry id is the
 * pair's *generation*, and the latest entry naming a pair (log order, same on every device) is the one both
 * devices must hold to sign together. Entries are appended
 *   - after the DKG / on open, for pairs with no generation yet, by the smaller device key of the pair;
 *   - after a promotion whose `afterPromotion` says the pair changed, again by the smaller key;
 *   - by a device whose setup for the latest generation is gone (discarded after a signing abort, or a failed or
 *     interrupted setup run) when it needs to sign with that peer.
 * Each device seals its setups (`wallet/<id>/ecdsa/<peer>`: generation ‖ encodePairwiseSetup) with their digests in
 * the sealed ECDSA ledger (src/device/ecdsaLedger.ts): a setup deleted from the ledger or put back from an older copy
 * is refused on load. Used signing sessions are claimed in that ledger atomically across tabs. A setup is never
 * reused after an abort: every failed signing run discards the setups with its culprits (with every other signer
 * when nobody is to blame), and a fresh generation is then required. A setup run that fails a core check
 * (`BAD_PROOF`) bans the peer on this device: no more automatic setups with it.
 *
 * Signing. `sign()` is what the signing coordinator calls for an EOA request's quorum: it returns a run, or
 * undefined while this device still waits for (or has asked for) a setup with some quorum member; `onChanged`
 * then asks the coordinator to look again.
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { destroyPairwiseSetup, decodePairwiseSetup, encodePairwiseSetup, type PairwiseSetup } from '../core/ecdsa/index.ts';
import { afterPromotion, CairnError, identifierOf, type Identifier, type KeyPackage, type PublicPackage, type SigningRequest } from '../core/index.ts';
import { ByteReader, ByteWriter, hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import type { DeviceIdentity } from '../device/deviceIdentity.ts';
import type { ShareStore } from '../device/shareStore.ts';
import {
  checkEcdsaSetups,
  claimEcdsaSession,
  forgetEcdsaSetup,
  readEcdsaLedger,
  recordEcdsaSetupRun,
  setEcdsaPeerBanned,
  storeEcdsaSetup,
} from '../device/ecdsaLedger.ts';
import { createSetupRateLimit, SETUP_RUNS_PER_WINDOW } from './setupRateLimit.ts';
import type { LogEntry, RequestLog } from '../net/requestLog.ts';
import type { ProtocolDescriptor } from './descriptor.ts';
import { ecdsaSetupDescriptor, type EcdsaSetupParams } from './descriptors/ecdsaSetup.ts';
import { ecdsaSignDescriptor, type EcdsaSignResult } from './descriptors/ecdsaSign.ts';
import { runProtocol, type ProtocolRun, type RunnerEnv } from './roundRunner.ts';

export const ECDSA_SETUP_LOG_KIND = 'ecdsa-setup';

export type EcdsaSetupEvent =
  | { type: 'ecdsa-setup'; peer: string; generation: string }
  | { type: 'ecdsa-setup-discarded'; peer: string; reason: string }
  /** A signing run failed: shown to the user, naming the culprits when they are known (device keys). */
  | { type: 'ecdsa-sign-failed'; culprits: string[]; code: string; reason: string }
  /** A peer failed a check: no setup with it until a person lifts the ban (`unban`). Persisted in the sealed ledger. */
  | { type: 'ecdsa-peer-banned'; peer: string; reason: string }
  /** Too many setups with this peer lately (setupRateLimit.ts): the next one waits. */
  | { type: 'ecdsa-setup-deferred'; peer: string; retryInMs: number };

const pairKey = (a: string, b: string) => (a < b ? `${a},${b}` : `${b},${a}`);

/** `v 1 ‖ nonce 16 ‖ count u8 ‖ (a 33 ‖ b 33)*`, each pair sorted; the nonce keeps two asks for one pair distinct entries. */
export function encodeSetupRequest(pairs: readonly (readonly [string, string])[]): Uint8Array {
  const w = new ByteWriter().u8(1).bytes(randomBytes(16)).u8(pairs.length);
  for (const [a, b] of pairs) {
    const [x, y] = a < b ? [a, b] : [b, a];
    w.bytes(hexToBytesStrict(x, 'guardian', 33)).bytes(hexToBytesStrict(y, 'guardian', 33));
  }
  return w.finish();
}

export function decodeSetupRequest(bytes: Uint8Array): [string, string][] {
  const r = new ByteReader(bytes, 'ecdsa setup request');
  if (r.u8('version') !== 1) throw r.malformed('unknown version');
  r.bytes(16, 'nonce');
  const n = r.u8('count');
  const out: [string, string][] = [];
  for (let i = 0; i < n; i++) {
    const a = toHex(r.bytes(33, 'guardian'));
    const b = toHex(r.bytes(33, 'guardian'));
    if (!(a < b)) throw r.malformed('pair not sorted');
    out.push([a, b]);
  }
  r.end();
  return out;
}

type Held = { generation: string; setup: PairwiseSetup };

export function createEcdsaCoordinator(p: {
  identity: DeviceIdentity;
  log: RequestLog;
  env: RunnerEnv;
  store: ShareStore;
  walletId: string;
  wallet: () => { pub: PublicPackage; key: KeyPackage } | undefined;
  onEvent: (e: EcdsaSetupEvent) => void;
  /** Setups changed: pending EOA requests may be signable now. */
  onChanged: () => void;
  /** 'after-dkg': set every pair up as soon as the wallet is ready; 'on-demand': when an EOA request needs it. */
  mode?: 'after-dkg' | 'on-demand';
  /** Test seam: adversarial tests wrap the setup descriptor. */
  setupDescriptor?: ProtocolDescriptor<EcdsaSetupParams, PairwiseSetup>;
}) {
  const eager = p.mode === 'after-dkg';
  const self = p.identity.publicKey;
  const walletIdBytes = hexToBytesStrict(p.walletId, 'wallet id', 32);
  const held = new Map<string, Held>(); // by peer device key
  const running = new Map<string, { generation: string; run: ProtocolRun<PairwiseSetup> }>(); // by peer
  const asked = new Set<string>(); // `${pair}@${latest generation or '-'}` this device already appended for
  const banned = new Set<string>(); // mirrors the sealed ledger's bans (loaded in load())
  const limit = createSetupRateLimit(p.env.clock); // seeded from the sealed ledger in load(): a reload keeps the counts
  const deferred = new Set<string>(); // peers with a re-check timer pending
  const attempted = new Set<string>(); // `${peer}@${generation}`: a session id runs once (the router refuses a repeat)
  let closed = false;
  let loading = false;
  let loaded = false; // sealed setups read: only then run what the log asks (else a held generation would rerun)

  const members = () => p.wallet()?.pub.roster.deviceKeys.map(toHex) ?? [];

  /** Latest generation of every pair (from the log). */
  function generations(): Map<string, string> {
    const out = new Map<string, string>();
    for (const e of p.log.entries()) {
      if (e.kind !== ECDSA_SETUP_LOG_KIND) continue;
      try {
        for (const [a, b] of decodeSetupRequest(e.body)) if (e.author === a || e.author === b) out.set(pairKey(a, b), e.id);
      } catch {
        continue; // reported by onEntry
      }
    }
    return out;
  }

  async function load(): Promise<void> {
    if (loading) return;
    loading = true;
    const ledger = await readEcdsaLedger(p.store, p.walletId);
    for (const peer of ledger?.banned ?? []) banned.add(peer);
    for (const [peer, times] of ledger?.setupRuns ?? []) limit.seed(peer, times);
    for (const { peer, plaintext, ok } of await checkEcdsaSetups(p.store, p.walletId)) {
      try {
        if (!ok) throw new CairnError('ROLLED_BACK', 'setup record does not match the sealed ECDSA ledger');
        const r = new ByteReader(plaintext, 'ecdsa setup record');
        if (r.u8('version') !== 1) throw r.malformed('unknown version');
        const generation = toHex(r.bytes(32, 'generation'));
        const setup = decodePairwiseSetup(r.var32('setup', 1 << 20));
        r.end();
        if (setup.status === 'ready') held.set(peer, { generation, setup });
      } catch (err) {
        // Unreadable, or deleted/rolled back without the unlock key (ecdsaLedger.ts): never used; a fresh setup replaces it.
        await discard(peer, err instanceof CairnError && err.code === 'ROLLED_BACK' ? 'rolled back or tampered with in storage' : 'unreadable');
      } finally {
        plaintext.fill(0);
      }
    }
    loaded = true;
  }

  /** Used signing sessions, in the sealed ledger: a repeat is refused across tabs and reloads (atomic claim). */
  const claimSession = (session: Uint8Array): Promise<boolean> => claimEcdsaSession(p.store, p.walletId, session);

  async function persist(peer: string, h: Held): Promise<void> {
    const encoded = encodePairwiseSetup(h.setup);
    const record = new ByteWriter()
      .u8(1)
      .bytes(hexToBytesStrict(h.generation, 'generation', 32))
      .var32(encoded)
      .finish();
    await storeEcdsaSetup(p.store, p.walletId, peer, record);
    encoded.fill(0);
    record.fill(0);
  }

  /** Destroys and deletes this device's setup with `peer` (never reused after an abort). */
  async function discard(peer: string, reason: string, only?: PairwiseSetup): Promise<void> {
    const h = held.get(peer);
    if (only && h && h.setup !== only) return; // already replaced by a fresh generation
    held.delete(peer);
    if (h) destroyPairwiseSetup(h.setup, reason);
    await forgetEcdsaSetup(p.store, p.walletId, peer);
    p.onEvent({ type: 'ecdsa-setup-discarded', peer, reason });
  }

  /** Bans `peer` on this device, persistently (sealed ledger): no setup with it until a person lifts the ban. */
  async function ban(peer: string, reason: string): Promise<void> {
    if (banned.has(peer)) return;
    banned.add(peer);
    p.onEvent({ type: 'ecdsa-peer-banned', peer, reason });
    try {
      await setEcdsaPeerBanned(p.store, p.walletId, peer, true);
    } catch {
      // e.g. locked meanwhile: the ban holds in memory; it is not lifted by anything but unban().
    }
  }

  function runSetup(peer: string, generation: string): void {
    const current = running.get(peer);
    if (current?.generation === generation || held.get(peer)?.generation === generation || attempted.has(`${peer}@${generation}`)) return;
    const wait = limit.take(peer);
    if (wait > 0) {
      if (!deferred.has(peer)) {
        deferred.add(peer);
        p.onEvent({ type: 'ecdsa-setup-deferred', peer, retryInMs: wait });
        p.env.clock.setTimeout(() => (deferred.delete(peer), sync()), wait);
      }
      return;
    }
    attempted.add(`${peer}@${generation}`);
    // Counted in the sealed ledger too, so a reload does not reset the limit. Best effort (e.g. locked meanwhile):
    // the count holds in memory either way.
    recordEcdsaSetupRun(p.store, p.walletId, peer, p.env.clock.now(), SETUP_RUNS_PER_WINDOW).catch(() => undefined);
    current?.run.cancel('A newer setup generation was requested');
    let run: ProtocolRun<PairwiseSetup>;
    try {
      run = runProtocol(
        p.setupDescriptor ?? ecdsaSetupDescriptor,
        { walletId: walletIdBytes, self, peer, generation: hexToBytesStrict(generation, 'generation', 32) },
        p.env,
      );
    } catch {
      return; // e.g. this session already ran here; a newer generation will be asked for when needed
    }
    running.set(peer, { generation, run });
    run.result.then(
      async (setup) => {
        if (running.get(peer)?.run === run) running.delete(peer);
        if (generations().get(pairKey(self, peer)) !== generation) return destroyPairwiseSetup(setup, 'superseded');
        const old = held.get(peer);
        held.set(peer, { generation, setup });
        await persist(peer, { generation, setup });
        if (old) destroyPairwiseSetup(old.setup, 'replaced by a fresh setup');
        p.onEvent({ type: 'ecdsa-setup', peer, generation });
        p.onChanged();
      },
      async (err) => {
        if (running.get(peer)?.run === run) running.delete(peer);
        if (err instanceof CairnError && err.code === 'BAD_PROOF' && err.culprits.includes(peer)) await ban(peer, err.shortMessage);
        p.onChanged(); // a signing request waiting for it may ask for another generation
      },
    );
  }

  /** Runs the setups the log asks of this device. */
  function sync(): void {
    if (closed || !p.wallet() || !loaded) return;
    const mine = members();
    for (const [pair, generation] of generations()) {
      const [a, b] = pair.split(',') as [string, string];
      if (a !== self && b !== self) continue;
      const peer = a === self ? b : a;
      if (!mine.includes(peer) || banned.has(peer)) continue;
      runSetup(peer, generation);
    }
  }

  /**
   * Appends a setup request for the peers this device lacks a usable setup with. `symmetric`: both sides
   * know they need one (no generation yet, promotion) so only the smaller key asks.
   */
  function ensure(peers: readonly string[], symmetric: boolean): void {
    const gens = generations();
    const want: [string, string][] = [];
    for (const peer of peers) {
      if (peer === self || banned.has(peer)) continue;
      const pair = pairKey(self, peer);
      const latest = gens.get(pair);
      if (latest && (held.get(peer)?.generation === latest || running.get(peer)?.generation === latest)) continue;
      if ((symmetric || !latest) && self > peer) continue;
      const tag = `${pair}@${latest ?? '-'}`;
      if (asked.has(tag)) continue;
      asked.add(tag);
      want.push([self, peer]);
    }
    if (want.length) p.log.append(ECDSA_SETUP_LOG_KIND, encodeSetupRequest(want));
  }

  function onEntry(e: LogEntry): void {
    if (e.kind !== ECDSA_SETUP_LOG_KIND) return;
    try {
      decodeSetupRequest(e.body);
    } catch (err) {
      p.env.onEvent({ type: 'rejected', from: e.author, code: err instanceof CairnError ? err.code : 'MALFORMED', reason: 'Unreadable ecdsa-setup entry' });
      return;
    }
    if (loaded) sync();
  }
  const unsubscribe = p.log.subscribe(onEntry);

  return {
    /** The wallet is ready (DKG done or opened): load sealed setups, run what the log asks, ask for missing pairs. */
    async ready(): Promise<void> {
      await load();
      if (!loaded) return; // another call is loading; it finishes the job
      sync();
      if (eager) ensure(members(), true);
    },
    /** After a promotion: discard the pairs the lifecycle says changed, then ask for fresh ones. */
    async promoted(oldPub: PublicPackage, newPub: PublicPackage): Promise<void> {
      const re = afterPromotion(oldPub, newPub);
      const me = identifierOf(hexToBytesStrict(self, 'device', 33));
      const keyOf = new Map<Identifier, string>([...oldPub.roster.deviceKeys, ...newPub.roster.deviceKeys].map((k) => [identifierOf(k), toHex(k)]));
      for (const [a, b] of re.discard) {
        if (a !== me && b !== me) continue;
        const peer = keyOf.get(a === me ? b : a)!;
        running.get(peer)?.run.cancel('Promotion');
        if (held.has(peer)) await discard(peer, 'promotion');
      }
      if (!eager) return; // the next EOA request asks for what it needs
      const again = re.pairs.filter(([a, b]) => a === me || b === me).map(([a, b]) => keyOf.get(a === me ? b : a)!);
      // A generation named before the promotion is stale for these pairs: ask anew (smaller key).
      for (const peer of again) asked.delete(`${pairKey(self, peer)}@${generations().get(pairKey(self, peer)) ?? '-'}`);
      ensure(again, true);
    },
    /**
     * Starts the ECDSA run for an EOA request with `quorum`, or returns undefined while setups are missing
     * (it asks for them). The requester outside the quorum observes and receives the signature.
     */
    sign(q: {
      requestId: Uint8Array;
      request: SigningRequest;
      requester: string;
      quorum: readonly string[];
    }): { key: string; start(): ProtocolRun<EcdsaSignResult> } | undefined {
      const w = p.wallet();
      if (!w) return undefined;
      const gens = generations();
      const pairs: Uint8Array[] = [];
      const sorted = [...q.quorum].sort();
      for (let i = 0; i < sorted.length; i++)
        for (let j = i + 1; j < sorted.length; j++) {
          const g = gens.get(pairKey(sorted[i]!, sorted[j]!));
          pairs.push(g ? hexToBytesStrict(g, 'generation', 32) : new Uint8Array(32));
        }
      const signer = q.quorum.includes(self);
      const setups = new Map<Identifier, PairwiseSetup>();
      if (signer) {
        const peers = q.quorum.filter((k) => k !== self);
        const missing = peers.filter((peer) => {
          const h = held.get(peer);
          return h?.setup.status !== 'ready' || h.generation !== gens.get(pairKey(self, peer));
        });
        if (missing.length) {
          ensure(missing, false);
          return undefined;
        }
        for (const peer of peers) setups.set(identifierOf(hexToBytesStrict(peer, 'peer', 33)), held.get(peer)!.setup);
      }
      const launch = (): ProtocolRun<EcdsaSignResult> => {
        let cancelled = false;
        const run = runProtocol(
          ecdsaSignDescriptor,
          {
            walletId: walletIdBytes,
            pub: w.pub,
            key: signer ? w.key : undefined,
            signers: q.quorum,
            requester: q.requester,
            requestId: q.requestId,
            request: q.request,
            pairGenerations: pairs,
            setups,
            claimSession,
          },
          p.env,
        );
        if (signer) {
          run.result.catch(async (err: unknown) => {
            if (cancelled) return;
            const culprits = err instanceof CairnError ? err.culprits : [];
            const peers = q.quorum.filter((k) => k !== self);
            const named = culprits.filter((c) => peers.includes(c));
            p.onEvent({
              type: 'ecdsa-sign-failed',
              culprits: named,
              code: err instanceof CairnError ? err.code : 'ABORTED',
              reason: err instanceof CairnError ? err.shortMessage : 'The signing run stopped',
            });
            // A failed check is evidence: a new setup with that peer needs a person (unban). Drops and
            // unattributable failures only discard the setups (a fresh one runs, rate-limited).
            if (err instanceof CairnError && err.code === 'BAD_PROOF') for (const peer of named) await ban(peer, err.shortMessage);
            // Never reuse a setup after an abort with that counterparty; nobody to blame → every counterparty.
            const drop = culprits.length ? culprits.filter((c) => peers.includes(c)) : peers;
            for (const peer of drop) {
              const used = setups.get(identifierOf(hexToBytesStrict(peer, 'peer', 33)));
              if (used) destroyPairwiseSetup(used, 'signing aborted');
              await discard(peer, `signing aborted (${err instanceof CairnError ? err.code : 'error'})`, used);
            }
          });
        }
        return { ...run, cancel: (reason?: string) => ((cancelled = true), run.cancel(reason)) };
      };
      return { key: `${sorted.join(',')}@${pairs.map(toHex).join('')}`, start: launch };
    },
    /** Peers this device holds a ready setup with (tests, UI). */
    readyPeers: (): string[] => [...held].filter(([, h]) => h.setup.status === 'ready').map(([k]) => k),
    /** Ask for a fresh setup with `peers` now (e.g. after a guardian came back). Banned peers are skipped. */
    requestSetup: (peers: readonly string[]) => ensure(peers, false),
    /** Peers banned on this device (persisted). */
    bannedPeers: (): string[] => [...banned].sort(),
    /** A person lifts a ban (after looking into it): a fresh setup with that peer may run again. */
    async unban(peer: string): Promise<void> {
      await setEcdsaPeerBanned(p.store, p.walletId, peer, false);
      banned.delete(peer);
      ensure([peer], false);
    },
    destroy(): void {
      closed = true; // a deferred setup's timer may still fire
      unsubscribe();
      for (const r of running.values()) r.run.cancel('Closed');
      for (const h of held.values()) destroyPairwiseSetup(h.setup, 'closed');
      held.clear();
    },
  };
}

export type EcdsaCoordinator = ReturnType<typeof createEcdsaCoordinator>;
