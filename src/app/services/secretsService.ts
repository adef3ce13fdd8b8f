/**
 * Family-vault secrets for the UI: the guardian facade's vault coordinator (src/protocol) plus a
 * snapshot for React. Opened items live only in this page's memory on the requester's device and
 * are forgotten when the user closes them; nothing opened is ever stored or sent.
 */
import { CairnError } from '../../core/index.ts';
import { MAX_PLAINTEXT_BYTES } from '../../core/secrets/index.ts';
import type { SecretsCoordinator, VaultItemView, VaultRequestView } from '../../protocol/secretsCoordinator.ts';
import { confirmWithPasskey } from './device.ts';
import type { WalletSession } from './walletSession.ts';

export type SecretsSnapshot = {
  items: VaultItemView[];
  requests: VaultRequestView[];
  /** requestId → opened plaintext (requester's device only, until closed). */
  opened: ReadonlyMap<string, Uint8Array>;
  needed: number;
};

const RELEVANT = new Set(['vault-item', 'vault-request', 'approval', 'denial', 'blame']);

export class SecretsService {
  private snap: SecretsSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly opened = new Map<string, Uint8Array>();
  private readonly cleanups: (() => void)[] = [];

  constructor(private readonly session: WalletSession) {
    this.snap = this.build();
    this.cleanups.push(
      session.guardian.on((e) => {
        if (e.type.startsWith('vault-') || e.type === 'blame' || e.type === 'aborted') this.changed();
      }),
    );
    const log = session.guardian.log();
    if (log) this.cleanups.push(log.subscribe((e) => RELEVANT.has(e.kind) && this.changed()));
    // Plaintexts of requests this device made resolve here (also after the page was left).
    for (const r of this.coordinator().requests()) this.follow(r.requestId, r.requester);
  }

  private coordinator(): SecretsCoordinator {
    return this.session.guardian.secrets();
  }

  private follow(requestId: string, requester: string): void {
    if (requester !== this.session.identity.publicKey || this.opened.has(requestId)) return;
    this.coordinator()
      .plaintext(requestId)
      .then(
        (p) => {
          this.opened.set(requestId, p);
          this.changed();
        },
        () => this.changed(),
      );
  }

  snapshot = (): SecretsSnapshot => this.snap;
  subscribe = (cb: () => void): (() => void) => {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  };

  private build(): SecretsSnapshot {
    const c = this.coordinator();
    const requests = c.requests().sort((a, b) => b.at - a.at);
    return { items: c.items().sort((a, b) => b.at - a.at), requests, opened: new Map(this.opened), needed: this.session.guardian.wallet()?.pub.threshold ?? 0 };
  }

  private changed(): void {
    this.snap = this.build();
    for (const cb of [...this.listeners]) cb();
  }

  /** Encrypts a note or a file (≤ 1 MiB) to the group key and puts it in the log. */
  store(p: { label: string; note?: string; file?: { name: string; bytes: Uint8Array } }): VaultItemView {
    const plaintext = p.file ? p.file.bytes : new TextEncoder().encode(p.note ?? '');
    if (plaintext.length > MAX_PLAINTEXT_BYTES) throw new CairnError('BAD_PARAMETERS', 'A vault item can be at most 1 MB');
    const label = (p.label.trim() || p.file?.name || 'Note').slice(0, 120);
    const itemId = crypto.randomUUID();
    const view = this.coordinator().store({ itemId, kind: p.file ? 'file' : 'note', label, plaintext });
    this.changed();
    return view;
  }

  /** Asks the guardians to open an item for this device; resolves when it is open here. */
  async request(blobId: string): Promise<string> {
    await confirmWithPasskey();
    const { requestId } = await this.coordinator().request(blobId);
    this.follow(requestId, this.session.identity.publicKey);
    this.changed();
    return requestId;
  }

  async approve(requestId: string): Promise<void> {
    await confirmWithPasskey();
    await this.coordinator().approve(requestId);
    this.changed();
  }

  deny(requestId: string, reason: string): void {
    this.coordinator().deny(requestId, reason);
    this.changed();
  }

  /** Forgets an opened item on this device. */
  close(requestId: string): void {
    this.opened.get(requestId)?.fill(0);
    this.opened.delete(requestId);
    this.coordinator().forget(requestId);
    this.changed();
  }

  destroy(): void {
    for (const c of this.cleanups.splice(0)) c();
    for (const p of this.opened.values()) p.fill(0);
    this.opened.clear();
  }
}

const services = new WeakMap<WalletSession, SecretsService>();

export function secretsFor(session: WalletSession): SecretsService {
  let s = services.get(session);
  if (!s) services.set(session, (s = new SecretsService(session)));
  return s;
}
