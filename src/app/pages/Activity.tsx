/** One timeline: the signed request log and the registry's events on chain. */
import { useEffect, useState } from 'react';
import { getWalletId } from '../../chain/groupKey.ts';
import { hexToBytesStrict, toHex } from '../../device/byteCodec.ts';
import { useChainAccess } from '../hooks/useChainData.ts';
import { readRegistryEvents, type RegistryEvent } from '../services/chain.ts';
import { describeRequest } from '../services/describeRequest.ts';
import { decodeApproval, decodeRequestBody, decodeDenial } from '../../protocol/signingRequestCodec.ts';
import { decodeEpochAnnouncement, EPOCH_ANNOUNCEMENT_KIND } from '../../protocol/epochAnnouncement.ts';
import { decodeEpochPromoted, EPOCH_PROMOTED_KIND } from '../../protocol/epochCommit.ts';
import type { LogEntry } from '../../net/requestLog.ts';
import { decodeVaultItemChunk } from '../../protocol/secretsLogCodec.ts';
import { decodeBlame } from '../../protocol/blame.ts';
import { decodeRequestClosed, decodeSubmissionFailed, REQUEST_CLOSED_LOG_KIND, SUBMISSION_FAILED_LOG_KIND } from '../../protocol/submissionCodec.ts';
import { failedRunText, failedRuns, type FailedRun } from '../services/failedRuns.ts';
import { parseJson } from '../services/parseJson.ts';
import { loadSettings } from '../services/settings.ts';
import type { Snapshot } from '../services/sessionSnapshot.ts';

type Item = { key: string; at: number; who: string; text: string; source: 'log' | 'chain' };

export function Activity({ snap }: { snap: Snapshot }) {
  const chain = useChainAccess();
  const [events, setEvents] = useState<RegistryEvent[]>([]);
  const [times, setTimes] = useState<Record<string, number>>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new log entry may mean a new registry event: read them again
  useEffect(() => {
    if (!chain || !snap.info.groupKey) return;
    const walletId = getWalletId(hexToBytesStrict(snap.info.groupKey, 'group key', 33));
    void readRegistryEvents(chain, walletId)
      .then(async (evs) => {
        setEvents(evs);
        const t: Record<string, number> = {};
        for (const e of evs) t[e.transactionHash] = Number((await chain.publicClient.getBlock({ blockNumber: e.blockNumber })).timestamp) * 1000;
        setTimes(t);
      })
      .catch(() => setEvents([]));
  }, [chain, snap.info.groupKey, snap.entries.length]);
  const name = (k: string) => (k === snap.self ? 'You' : (snap.info.names[k] ?? 'A guardian'));
  const registry = loadSettings().chain?.registry;
  const titles = new Map(snap.requests.map((r) => [r.id, describeRequest(r.request, { registry }).title]));
  // Approvals and denials of key changes name the proposal they are about.
  for (const e of snap.entries) if (e.kind === EPOCH_ANNOUNCEMENT_KIND) titles.set(e.id, keyChangeTitle(e.body));
  const runs = failedRuns(snap.entries);
  const items: Item[] = [
    ...snap.entries
      .map((e) => describeEntry(e, titles, (k) => `${snap.info.names[k] ?? 'a new device'}${k === snap.self ? ' (you)' : ''}`, runs))
      .filter((x): x is Omit<Item, 'who'> & { author: string } => x !== undefined)
      .map((x) => ({ ...x, who: name(x.author) })),
    ...events.map((e) => ({
      key: e.transactionHash,
      at: times[e.transactionHash] ?? 0,
      who: 'Registry',
      source: 'chain' as const,
      text: e.name === 'WalletRegistered' ? `Wallet registered on chain (${e.threshold} to approve)` : `New shares recorded on chain (share set ${e.epoch})`,
    })),
  ].sort((a, b) => b.at - a.at);
  return (
    <section className="narrow">
      <h1>Activity</h1>
      {items.length === 0 && <p className="muted">Nothing yet.</p>}
      <ol className="timeline">
        {items.map((i) => (
          <li key={i.key} className={i.source} data-testid="activity-item">
            <span className="when">{i.at ? new Date(i.at).toLocaleString() : ''}</span>
            <span className="what">
              <strong>{i.who}</strong> {i.text}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

function describeEntry(
  e: LogEntry,
  titles: ReadonlyMap<string, string>,
  nameOf: (k: string) => string,
  runs: ReadonlyMap<string, FailedRun>,
): (Omit<Item, 'who'> & { author: string }) | undefined {
  const about = (id: string) => (titles.has(id) ? `“${titles.get(id)}”` : 'a request');
  const base = { key: e.id, at: e.at, author: e.author, source: 'log' as const };
  try {
    switch (e.kind) {
      case 'roster':
        return { ...base, text: e.body[0] === 2 ? 'invited a new device' : 'created the wallet' }; // v2: an add invite (guardianInvite.ts)
      case 'join':
        return { ...base, text: 'joined with an invite' };
      case 'request':
        return { ...base, text: `asked: ${describeRequest(decodeRequestBody(e.body).request, { registry: loadSettings().chain?.registry }).title}` };
      case 'approval':
        return { ...base, text: `approved ${about(decodeApproval(e.body))}` };
      case 'denial': {
        const d = decodeDenial(e.body);
        return { ...base, text: `denied ${about(d.requestId)}: “${d.reason}”` };
      }
      case 'epoch-announcement':
        return { ...base, text: describeAnnouncement(e.body, nameOf) };
      case 'receipt': {
        // One transaction may carry several requests (registration co-signs two): each line names its own.
        const r = parseJson<{ requestId?: string; txHash?: string }>(e.body);
        return { ...base, text: `sent ${about(r?.requestId ?? '')} (transaction ${r?.txHash ?? ''})` };
      }
      case SUBMISSION_FAILED_LOG_KIND: {
        const f = decodeSubmissionFailed(e.body);
        return { ...base, text: `couldn't send ${about(f.requestId)}: ${f.reason}` };
      }
      case REQUEST_CLOSED_LOG_KIND: {
        const c = decodeRequestClosed(e.body);
        return { ...base, text: c.how === 'retried' ? `asked again for ${about(c.requestId)}` : `closed ${about(c.requestId)}` };
      }
      case 'vault':
        return { ...base, text: `deployed the vault ${parseJson<{ vault: string }>(e.body)?.vault ?? ''}` };
      case 'blame': {
        const run = runs.get(toHex(decodeBlame(e.body).session));
        if (!run || run.first !== e.id) return undefined; // told once per run
        return { ...base, text: failedRunText(run, nameOf, titles.get(run.requestId)) };
      }
      case 'vault-item':
        return decodeVaultItemChunk(e.body).index === 0 ? { ...base, text: 'stored a secret (encrypted to the wallet’s key)' } : undefined;
      case 'vault-request':
        return { ...base, text: 'asked to open a secret' };
      case 'policy':
        return { ...base, text: 'published their rules' };
      case 'backup-restored':
        return { ...base, text: 'restored the paper backup of a lost guardian' };
      case EPOCH_PROMOTED_KIND:
        return { ...base, text: `now holds its new share (share set ${decodeEpochPromoted(e.body).epoch})` };
      default:
        return undefined; // protocol envelopes, profiles: not news
    }
  } catch {
    return undefined;
  }
}

/** A key-change proposal's title, for the approvals and denials that name it. */
function keyChangeTitle(body: Uint8Array): string {
  try {
    return decodeEpochAnnouncement(body).kind === 'refresh' ? 'the refresh of the shares' : 'the change of guardians';
  } catch {
    return 'a change of the shares';
  }
}

/** A refresh renews every share; a reshare changes who guards the wallet (and how many must approve). */
function describeAnnouncement(body: Uint8Array, nameOf: (k: string) => string): string {
  const a = decodeEpochAnnouncement(body);
  if (a.kind === 'refresh') return 'asked every guardian to refresh its share (same key, same addresses)';
  const standIns = (a.actors ?? []).map((x) => `; ${nameOf(x.device)} stands in for ${nameOf(x.lost)} (restored backup)`);
  return `asked to change the guardians: ${a.newThreshold} of ${a.newHolders.length} — ${a.newHolders.map(nameOf).join(', ')}${standIns.join('')}`;
}
