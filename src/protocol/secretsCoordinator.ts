/**
 * Family-vault secrets in the request log, and the opening sessions they start.
 *
 * - `store` encrypts a note or small file to the group key (anyone holding the public package can)
 *   and appends it as `vault-item` chunks; an item is the reassembled, hash-checked ciphertext.
 * - `request` appends a `vault-request` (its entry id is the request id) and the requester's own
 *   approval; other guardians `approve` (after their device's check and their user's decision) or
 *   `deny` with the signing path's `approval` / `denial` entries.
 * - When t approvals exist, the quorum is the first t approvers in log order whom no `blame` entry
 *   for this request names (as for signatures). The quorum guardians and the requester run the
 *   `vault-open` descriptor; only the requester ends with the plaintext. A cheating partial is
 *   blamed by the runner and the next quorum is tried, at most `maxAttempts` times.
 * - Items are bound to the group key, not to shares: refresh and reshare keep them openable, and a
 *   request names the epoch whose shares answer it.
 */
import { CairnError, toFrostPublic, type KeyPackage, type PublicPackage } from '../core/index.ts';
import {
  decodeVaultCiphertext,
  encodeVaultCiphertext,
  encryptVaultItem,
  verifyVaultCiphertext,
  type VaultCiphertext,
  type VaultItemKind,
} from '../core/secrets/index.ts';
import { hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import type { DeviceIdentity } from '../device/deviceIdentity.ts';
import type { LogEntry, RequestLog } from '../net/requestLog.ts';
import { BLAME_LOG_KIND, decodeBlame } from './blame.ts';
import type { ProtocolDescriptor } from './descriptor.ts';
import { secretsOpenDescriptor, type SecretsOpenParams, type SecretsOpenResult } from './descriptors/secretsOpen.ts';
import { runProtocol, type ProtocolRun, type RunnerEnv } from './roundRunner.ts';
import { decodeApproval, decodeDenial, encodeApproval, encodeDenial } from './signingRequestCodec.ts';
import {
  VAULT_ITEM_LOG_KIND,
  VAULT_REQUEST_LOG_KIND,
  blobIdOf,
  decodeVaultItemChunk,
  decodeVaultOpenRequest,
  encodeVaultItemChunks,
  encodeVaultOpenRequest,
  reassembleVaultItem,
  type VaultItemChunk,
} from './secretsLogCodec.ts';

export type VaultItemView = {
  /** Hex SHA-256 of the encoded ciphertext: how requests name the item. */
  blobId: string;
  author: string;
  at: number;
  itemId: string;
  kind: VaultItemKind;
  label: string;
  /** Bytes of the sealed body (plaintext size + 16). */
  size: number;
};

export type VaultRequestView = {
  requestId: string;
  requester: string;
  at: number;
  epoch: number;
  item: VaultItemView | undefined;
  approvers: readonly string[];
  denials: ReadonlyMap<string, string>;
  /** On the requester's device only, once opened. */
  opened: boolean;
};

export type SecretsEvent =
  | { type: 'vault-item'; item: VaultItemView }
  | { type: 'vault-request'; requestId: string; requester: string; blobId: string }
  | { type: 'vault-opening'; requestId: string; quorum: readonly string[]; attempt: number }
  | { type: 'vault-opened'; requestId: string }
  | { type: 'vault-released'; requestId: string };

/** Optional check before this device approves an opening (e.g. a device rule); the user decides too. */
export type SecretsApprovalHook = (meta: {
  requestId: string;
  requester: string;
  item: VaultItemView;
}) => { allow: true } | { allow: false; reason: string } | Promise<{ allow: true } | { allow: false; reason: string }>;

export type SecretsCoordinatorParameters = {
  identity: DeviceIdentity;
  log: RequestLog;
  env: RunnerEnv;
  wallet: () => { pub: PublicPackage; key: KeyPackage } | undefined;
  onEvent?: (e: SecretsEvent) => void;
  approvalHook?: SecretsApprovalHook;
  maxAttempts?: number;
  /** Test seam: an adversarial test wraps the descriptor to send a tampered partial. */
  descriptor?: ProtocolDescriptor<SecretsOpenParams, SecretsOpenResult>;
};

type Tracked = {
  id: string;
  author: string;
  at: number;
  epoch: number;
  blobId: string;
  denials: Map<string, string>;
  attempts: Map<string, ProtocolRun<SecretsOpenResult>>;
  plaintext?: Uint8Array;
  /** The requester combined the item (its device only). */
  opened: boolean;
  waiters: { resolve: (r: Uint8Array) => void; reject: (e: unknown) => void }[];
};

export function createSecretsCoordinator(p: SecretsCoordinatorParameters) {
  const self = p.identity.publicKey;
  const emit = (e: SecretsEvent) => p.onEvent?.(e);
  const descriptor = p.descriptor ?? secretsOpenDescriptor;
  const maxAttempts = p.maxAttempts ?? 8;
  const chunks = new Map<string, VaultItemChunk[]>(); // author|blobId → chunks
  const items = new Map<string, { view: VaultItemView; ciphertext: VaultCiphertext }>();
  const tracked = new Map<string, Tracked>();

  function walletIdHex(): string | undefined {
    const w = p.wallet();
    return w && toHex(w.pub.walletId);
  }

  function members(): string[] | undefined {
    return p.wallet()?.pub.roster.deviceKeys.map(toHex);
  }

  function stateOf(requestId: string): { approvers: string[]; blamed: Set<string> } {
    const approvers: string[] = [];
    const blamed = new Set<string>();
    for (const e of p.log.entries()) {
      try {
        if (e.kind === 'approval' && !approvers.includes(e.author) && decodeApproval(e.body) === requestId) approvers.push(e.author);
        else if (e.kind === BLAME_LOG_KIND) {
          const b = decodeBlame(e.body);
          if (b.protocol === 'vault-open' && toHex(b.requestId) === requestId) for (const c of b.culprits) blamed.add(c);
        }
      } catch {
        continue;
      }
    }
    const m = members();
    return { approvers: m ? approvers.filter((k) => m.includes(k)) : approvers, blamed };
  }

  function onChunk(e: LogEntry): void {
    const c = decodeVaultItemChunk(e.body);
    const blobId = toHex(c.blobId);
    if (items.has(blobId)) return;
    const key = `${e.author}|${blobId}`;
    const list = chunks.get(key) ?? [];
    list.push(c);
    chunks.set(key, list);
    const bytes = reassembleVaultItem(c.blobId, list);
    if (!bytes) return;
    chunks.delete(key);
    const ciphertext = decodeVaultCiphertext(bytes, [e.author]);
    const wid = walletIdHex();
    if (wid && ciphertext.context.walletId !== wid) throw new CairnError('WRONG_WALLET', 'A vault item for another wallet', { culprits: [e.author] });
    verifyVaultCiphertext(ciphertext, [e.author]); // a malformed item is never listed, so never approved
    const view: VaultItemView = {
      blobId,
      author: e.author,
      at: e.at,
      itemId: ciphertext.context.itemId,
      kind: ciphertext.context.kind,
      label: ciphertext.context.label,
      size: ciphertext.sealed.length,
    };
    items.set(blobId, { view, ciphertext });
    emit({ type: 'vault-item', item: view });
    for (const t of tracked.values()) if (t.blobId === blobId) evaluate(t);
  }

  function settle(t: Tracked, result: SecretsOpenResult): void {
    if (t.opened) return;
    if (!result.plaintext) {
      // A guardian released its partial; only the requester knows whether the quorum was honest,
      // so this device stays ready for a next quorum (after a blame) instead of finishing.
      emit({ type: 'vault-released', requestId: t.id });
      return;
    }
    t.opened = true;
    t.plaintext = result.plaintext;
    for (const run of t.attempts.values()) run.cancel('Another quorum finished this opening');
    emit({ type: 'vault-opened', requestId: t.id });
    for (const w of t.waiters.splice(0)) w.resolve(result.plaintext);
  }

  function evaluate(t: Tracked): void {
    const w = p.wallet();
    const item = items.get(t.blobId);
    if (t.opened || !w || !item || w.pub.epoch !== t.epoch) return;
    const { approvers, blamed } = stateOf(t.id);
    const candidates = approvers.filter((k) => !blamed.has(k));
    if (candidates.length < w.pub.threshold) return;
    const quorum = candidates.slice(0, w.pub.threshold);
    const key = quorum.join(',');
    if (t.attempts.has(key) || t.attempts.size >= maxAttempts) {
      if (t.attempts.size >= maxAttempts) fail(t, new CairnError('ABORTED', 'Too many failed attempts to open this item'));
      return;
    }
    if (!quorum.includes(self) && t.author !== self) return;
    const run = runProtocol(
      descriptor,
      {
        pub: w.pub,
        key: w.key,
        quorum,
        requester: t.author,
        self,
        requestId: hexToBytesStrict(t.id, 'request id', 32),
        ciphertext: item.ciphertext,
      },
      p.env,
    );
    t.attempts.set(key, run);
    emit({ type: 'vault-opening', requestId: t.id, quorum, attempt: t.attempts.size });
    run.result.then(
      (res) => settle(t, res),
      () => queueMicrotask(() => evaluate(t)), // the blame is in the log: try the next quorum
    );
  }

  function fail(t: Tracked, err: CairnError): void {
    for (const x of t.waiters.splice(0)) x.reject(err);
  }

  function onEntry(e: LogEntry): void {
    try {
      if (e.kind === VAULT_ITEM_LOG_KIND) return onChunk(e);
      if (e.kind === VAULT_REQUEST_LOG_KIND) {
        const { epoch, blobId } = decodeVaultOpenRequest(e.body);
        const t: Tracked = {
          id: e.id,
          author: e.author,
          at: e.at,
          epoch,
          blobId: toHex(blobId),
          denials: new Map(),
          attempts: new Map(),
          opened: false,
          waiters: [],
        };
        tracked.set(e.id, t);
        emit({ type: 'vault-request', requestId: e.id, requester: e.author, blobId: t.blobId });
        return evaluate(t);
      }
      if (e.kind === 'approval') {
        const t = tracked.get(decodeApproval(e.body));
        if (t) evaluate(t);
        return;
      }
      if (e.kind === 'denial') {
        const d = decodeDenial(e.body);
        const t = tracked.get(d.requestId);
        if (!t) return;
        t.denials.set(e.author, d.reason);
        const w = p.wallet();
        if (w && t.denials.size > w.pub.roster.deviceKeys.length - w.pub.threshold)
          fail(t, new CairnError('POLICY_DENIED', 'Too many guardians refused to open this item'));
        return;
      }
      if (e.kind === BLAME_LOG_KIND) {
        const b = decodeBlame(e.body);
        const t = b.protocol === 'vault-open' && b.requestId.length === 32 ? tracked.get(toHex(b.requestId)) : undefined;
        if (t) evaluate(t);
      }
    } catch (err) {
      p.env.onEvent({ type: 'rejected', from: e.author, code: err instanceof CairnError ? err.code : 'MALFORMED', reason: `Unreadable ${e.kind} entry` });
    }
  }

  const unsubscribe = p.log.subscribe(onEntry);

  function get(requestId: string): Tracked {
    const t = tracked.get(requestId);
    if (!t) throw new CairnError('NOT_FOUND', 'No such vault request in this wallet’s log');
    return t;
  }

  function view(t: Tracked): VaultRequestView {
    return {
      requestId: t.id,
      requester: t.author,
      at: t.at,
      epoch: t.epoch,
      item: items.get(t.blobId)?.view,
      approvers: stateOf(t.id).approvers,
      denials: t.denials,
      opened: t.opened,
    };
  }

  return {
    /** Encrypts `plaintext` to the group key and appends it to the log. Returns the item's blob id. */
    store({ itemId, kind, label, plaintext }: { itemId: string; kind: VaultItemKind; label: string; plaintext: Uint8Array }): VaultItemView {
      const w = p.wallet();
      if (!w) throw new CairnError('NOT_FOUND', 'This device holds no share of the wallet yet');
      const ciphertext = encryptVaultItem({
        publicKey: toFrostPublic(w.pub, []),
        context: { walletId: toHex(w.pub.walletId), itemId, kind, label },
        plaintext,
      });
      const encoded = encodeVaultCiphertext(ciphertext);
      for (const body of encodeVaultItemChunks(encoded)) p.log.append(VAULT_ITEM_LOG_KIND, body);
      const blobId = toHex(blobIdOf(encoded));
      const at = p.env.clock.now();
      return items.get(blobId)?.view ?? { blobId, author: self, at, itemId, kind, label, size: ciphertext.sealed.length };
    },
    /** Asks the guardians to open an item for this device (and approves it here). */
    async request(blobId: string): Promise<{ requestId: string; plaintext: Promise<Uint8Array> }> {
      const w = p.wallet();
      if (!w) throw new CairnError('NOT_FOUND', 'This device holds no share of the wallet yet');
      if (!items.has(blobId)) throw new CairnError('NOT_FOUND', 'No such vault item in this wallet’s log (or it is not well formed)');
      const entry = p.log.append(VAULT_REQUEST_LOG_KIND, encodeVaultOpenRequest({ epoch: w.pub.epoch, blobId: hexToBytesStrict(blobId, 'blob id', 32) }));
      const plaintext = this.plaintext(entry.id);
      await this.approve(entry.id);
      return { requestId: entry.id, plaintext };
    },
    /** Approves an opening: this device's partial goes (encrypted) to the requester once t approved. */
    async approve(requestId: string): Promise<void> {
      const t = get(requestId);
      if (stateOf(requestId).approvers.includes(self)) return;
      const item = items.get(t.blobId);
      if (!item) throw new CairnError('NOT_FOUND', 'The item of this request has not arrived (or is not well formed)');
      const verdict = p.approvalHook ? await p.approvalHook({ requestId, requester: t.author, item: item.view }) : { allow: true as const };
      if (!verdict.allow) throw new CairnError('POLICY_DENIED', verdict.reason);
      p.log.append('approval', encodeApproval(requestId));
    },
    deny(requestId: string, reason: string): void {
      get(requestId);
      p.log.append('denial', encodeDenial(requestId, reason));
    },
    /** The plaintext, on the requester's device only (rejects elsewhere: it never arrives). */
    plaintext(requestId: string): Promise<Uint8Array> {
      const t = get(requestId);
      if (t.author !== self) return Promise.reject(new CairnError('BAD_PARAMETERS', 'Only the requester’s device can open this item'));
      if (t.plaintext) return Promise.resolve(t.plaintext);
      if (t.opened) return Promise.reject(new CairnError('NOT_FOUND', 'This item was opened and closed again on this device; ask again to reopen it'));
      return new Promise((resolve, reject) => t.waiters.push({ resolve, reject }));
    },
    /** Forgets an opened plaintext on this device (the user closed it). */
    forget(requestId: string): void {
      const t = tracked.get(requestId);
      t?.plaintext?.fill(0);
      if (t) t.plaintext = undefined;
    },
    items: (): VaultItemView[] => [...items.values()].map((i) => i.view),
    requests: (): VaultRequestView[] => [...tracked.values()].map(view),
    reevaluate(): void {
      for (const t of tracked.values()) evaluate(t);
    },
    destroy(): void {
      unsubscribe();
      for (const t of tracked.values()) for (const run of t.attempts.values()) run.cancel('Closed');
    },
  };
}

export type SecretsCoordinator = ReturnType<typeof createSecretsCoordinator>;
