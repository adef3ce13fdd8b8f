/**
 * Family-vault secrets: store a note or a small file encrypted to the wallet's key; ask to open
 * one; approve or refuse others' requests. An item opens on the asking guardian's device only.
 */
import { useState, useSyncExternalStore, type FormEvent } from 'react';
import type { VaultRequestView } from '../../protocol/secretsCoordinator.ts';
import { useAsync } from '../hooks/useAsync.ts';
import { secretsFor, type SecretsService, type SecretsSnapshot } from '../services/secretsService.ts';
import { errorText } from '../services/errorText.ts';
import type { Snapshot } from '../services/sessionSnapshot.ts';
import type { WalletSession } from '../services/walletSession.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';

export function Secrets({ session, snap }: { session: WalletSession; snap: Snapshot }) {
  const vault = secretsFor(session);
  const v = useSyncExternalStore(vault.subscribe, vault.snapshot);
  const name = (k: string) => (k === snap.self ? 'you' : (snap.info.names[k] ?? 'a guardian'));
  return (
    <section className="narrow">
      <h1>Secrets</h1>
      <p className="muted">
        Passwords, notes and small files, encrypted to the wallet’s key. Any {v.needed} guardians together can open one for the guardian who asks; it opens on
        that guardian’s device only.
      </p>
      <StoreForm vault={vault} />
      <details className="muted">
        <summary>When a guardian is removed</summary>
        <p>
          Secrets stay readable by the guardians who remain — refreshing or changing the guardians keeps the same wallet key. A removed guardian cannot open
          anything alone, but together with enough others who kept their old shares it could still open what was stored before. If you do not trust a removed
          guardian, move the funds and the secrets to a new wallet.
        </p>
      </details>
      <h2>Stored</h2>
      {v.items.length === 0 && <p className="muted">Nothing stored yet.</p>}
      {v.items.map((item) => (
        <ItemCard
          key={item.blobId}
          vault={vault}
          v={v}
          blobId={item.blobId}
          label={item.label}
          kind={item.kind}
          size={item.size}
          by={name(item.author)}
          at={item.at}
        />
      ))}
      {v.requests.length > 0 && <h2>Requests to open</h2>}
      {v.requests.map((r) => (
        <RequestCard key={r.requestId} vault={vault} v={v} r={r} self={snap.self} name={name} />
      ))}
    </section>
  );
}

function StoreForm({ vault }: { vault: SecretsService }) {
  const [label, setLabel] = useState('');
  const [kind, setKind] = useState<'note' | 'file'>('note');
  const [note, setNote] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [stored, setStored] = useState<string>();
  const { run, busy, error } = useAsync(async () => {
    setStored(undefined);
    if (kind === 'note' && !note) throw new Error('Type the note to store.');
    if (kind === 'file' && !file) throw new Error('Choose a file (at most 1 MB).');
    if (file && file.size > 1024 * 1024) throw new Error('This file is larger than 1 MB.');
    const bytes = kind === 'file' && file ? new Uint8Array(await file.arrayBuffer()) : undefined;
    const item = vault.store({ label, note: kind === 'note' ? note : undefined, file: bytes && file ? { name: file.name, bytes } : undefined });
    setStored(item.label);
    setNote('');
    setLabel('');
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  return (
    <form className="card form" onSubmit={submit}>
      <h2>Store a secret</h2>
      <label>
        Secret name (all guardians see it)
        <input value={label} onChange={(e) => setLabel(e.target.value)} maxLength={120} placeholder="Bank passwords" />
      </label>
      <fieldset className="choice">
        <legend>What</legend>
        <label>
          <input type="radio" name="kind" checked={kind === 'note'} onChange={() => setKind('note')} /> A note
        </label>
        <label>
          <input type="radio" name="kind" checked={kind === 'file'} onChange={() => setKind('file')} /> A file (up to 1 MB)
        </label>
      </fieldset>
      {kind === 'note' ? (
        <label>
          Secret note (encrypted on this device before it leaves)
          <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={4} />
        </label>
      ) : (
        <label>
          File
          <input type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
      )}
      <ErrorNote text={error} />
      {stored && (
        <p className="status" data-testid="vault-stored">
          “{stored}” is stored, encrypted to the wallet’s key.
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        Encrypt and store
      </button>
    </form>
  );
}

function ItemCard(p: { vault: SecretsService; v: SecretsSnapshot; blobId: string; label: string; kind: string; size: number; by: string; at: number }) {
  const { run, busy, error } = useAsync(async () => {
    await p.vault.request(p.blobId);
  });
  return (
    <article className="card" data-testid="vault-item">
      <h3>{p.label || '(no name)'}</h3>
      <p className="muted">
        {p.kind === 'file' ? 'File' : 'Note'} · {formatSize(Math.max(0, p.size - 16))} · stored by {p.by} · {new Date(p.at).toLocaleString()}
      </p>
      <ErrorNote text={error} />
      <button type="button" className="secondary" disabled={busy} onClick={() => void run()}>
        Ask to open
      </button>
    </article>
  );
}

function RequestCard({
  vault,
  v,
  r,
  self,
  name,
}: {
  vault: SecretsService;
  v: SecretsSnapshot;
  r: VaultRequestView;
  self: string;
  name: (k: string) => string;
}) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const mine = r.requester === self;
  const decided = r.approvers.includes(self) || r.denials.has(self);
  const plaintext = v.opened.get(r.requestId);
  const label = r.item?.label ?? 'an item that has not arrived yet';
  const count = Math.min(r.approvers.length, v.needed);
  async function act(f: () => Promise<void> | void) {
    setBusy(true);
    setError(undefined);
    try {
      await f();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <article className="card request" data-testid="vault-request">
      <h3>
        {mine ? 'You ask' : `${name(r.requester)} asks`} to open “{label}”
      </h3>
      <p className="status" data-testid="vault-request-status">
        {r.opened ? (mine ? 'Opened on this device' : `Opened on ${name(r.requester)}’s device`) : `${count} of ${v.needed} guardians approved`}
      </p>
      {r.approvers.length > 0 && <p className="muted">Approved by {r.approvers.map(name).join(', ')}</p>}
      {[...r.denials].map(([k, why]) => (
        <p key={k} className="denial">
          Refused by {name(k)}: “{why}”
        </p>
      ))}
      {!mine && !r.opened && (
        <p className="muted">If you approve, your part of the key goes, encrypted, to {name(r.requester)}’s device only. You will not see the secret.</p>
      )}
      <ErrorNote text={error} />
      {!mine && !decided && (
        <div className="actions">
          <button type="button" className="primary" disabled={busy || !r.item} onClick={() => void act(() => vault.approve(r.requestId))}>
            Approve opening
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => void act(() => vault.deny(r.requestId, 'Refused'))}>
            Refuse
          </button>
        </div>
      )}
      {mine && plaintext && <Opened plaintext={plaintext} kind={r.item?.kind ?? 'note'} label={label} onClose={() => vault.close(r.requestId)} />}
    </article>
  );
}

function Opened({ plaintext, kind, label, onClose }: { plaintext: Uint8Array; kind: string; label: string; onClose: () => void }) {
  const [url] = useState(() => (kind === 'file' ? URL.createObjectURL(new Blob([plaintext.slice()])) : undefined));
  return (
    <div className="card success" data-testid="vault-opened">
      {kind === 'note' ? (
        <pre data-testid="vault-plaintext">{new TextDecoder().decode(plaintext)}</pre>
      ) : (
        <a href={url} download={label}>
          Save “{label}”
        </a>
      )}
      <button
        type="button"
        className="secondary"
        onClick={() => {
          if (url) URL.revokeObjectURL(url);
          onClose();
        }}
      >
        Close and forget it on this device
      </button>
    </div>
  );
}

function formatSize(n: number): string {
  return n < 1024 ? `${n} bytes` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(2)} MB`;
}
