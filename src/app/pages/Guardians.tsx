/** The guardians; refresh of the shares; this device's paper backup with a check that it restores. */
import { useEffect, useState } from 'react';
import { readRegistryEpoch } from '../services/registryCommit.ts';
import { shareToBackupWords, restoreShareFromWords } from '../../device/backup.ts';
import { groupKeyOf } from '../../core/index.ts';
import { toHex, equalBytes } from '../../device/byteCodec.ts';
import { confirmWithPasskey } from '../services/device.ts';
import { refreshShares } from '../services/refreshShares.ts';
import { ChangeGuardians } from '../components/ChangeGuardians.tsx';
import { EcdsaBans } from '../components/EcdsaBans.tsx';
import { KeyChanges } from '../components/KeyChanges.tsx';
import { errorText, sentence } from '../services/errorText.ts';
import type { Snapshot } from '../services/sessionSnapshot.ts';
import type { WalletSession } from '../services/walletSession.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { GuardianList } from '../components/GuardianList.tsx';
import { Waiting } from '../components/Waiting.tsx';
import { useAsync } from '../hooks/useAsync.ts';

export function Guardians({ session, snap }: { session: WalletSession; snap: Snapshot }) {
  const pub = session.publicPackage();
  const [words, setWords] = useState<string[]>();
  const [check, setCheck] = useState('');
  const [verdict, setVerdict] = useState<string>();
  const [step, setStep] = useState<string>();
  const [refreshed, setRefreshed] = useState<string>();
  const [chainEpoch, setChainEpoch] = useState<bigint>();
  useEffect(() => {
    // The registry catches up a little after the devices (a guardian records the epoch once it holds it).
    let live = true;
    const read = () =>
      readRegistryEpoch(snap.info).then(
        (e) => live && setChainEpoch(e),
        () => undefined,
      );
    void read();
    const timer = setInterval(read, 3_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [snap.info]);
  const backup = useAsync(async () => {
    await confirmWithPasskey();
    const key = await session.keyPackage();
    if (!key) throw new Error('No share on this device');
    setWords(
      shareToBackupWords({
        walletId: snap.info.walletId,
        groupKey: toHex(groupKeyOf(key.public)),
        identifier: key.identifier,
        epoch: key.public.epoch,
        share: key.signingShare,
      }),
    );
    key.signingShare.fill(0);
  });
  const refresh = useAsync(async () => {
    setRefreshed(undefined);
    try {
      const r = await refreshShares(session, setStep);
      setRefreshed(
        `Done: every guardian has a new share (share set ${r.epoch})${r.chainEpoch !== undefined ? `, recorded on chain as share set ${r.chainEpoch}` : ''}. The addresses did not change; old backups no longer work.`,
      );
    } finally {
      setStep(undefined);
    }
  });
  if (!pub) return <p className="muted">The guardians appear here once the key exists.</p>;
  async function verify() {
    try {
      const key = await session.keyPackage();
      if (!key) throw new Error('No share on this device');
      const holders = pub!.roster.identifiers.map((id) => ({ identifier: id, verifyingShare: toHex(pub!.verifyingShares[id]!) }));
      const restored = restoreShareFromWords(check, { walletId: snap.info.walletId, groupKey: toHex(groupKeyOf(pub!)), epoch: pub!.epoch, holders });
      const same = restored.identifier === key.identifier && equalBytes(restored.share, key.signingShare);
      restored.share.fill(0);
      key.signingShare.fill(0);
      setVerdict(
        same
          ? 'These words restore this device’s share. Keep them somewhere safe and offline.'
          : 'These words are a valid backup of another guardian’s share, not this one.',
      );
    } catch (err) {
      setVerdict(`${sentence(errorText(err))} Check each word against your paper.`);
    }
  }
  return (
    <section className="narrow">
      <h1>Guardians</h1>
      <article className="card">
        <p>
          Any {pub.threshold} of these {pub.roster.identifiers.length} guardians can approve. This device holds share set{' '}
          <strong data-testid="local-epoch">{pub.epoch}</strong>
          {chainEpoch !== undefined && (
            <>
              ; the registry on chain records share set <strong data-testid="chain-epoch">{String(chainEpoch)}</strong>
            </>
          )}
          .
        </p>
        <GuardianList snap={snap} keys={snap.info.members} />
        {session.guardian.catchingUp().map((k) => (
          <p key={k} className="muted" data-testid="catching-up">
            {snap.info.names[k] ?? 'A guardian'} is catching up: it has not said yet that it holds its new share.
          </p>
        ))}
      </article>
      <EcdsaBans session={session} snap={snap} />
      <KeyChanges session={session} snap={snap} pub={pub} />
      <article className="card">
        <h2>Refresh the shares</h2>
        <p className="muted">
          Every guardian gets a new share of the same key: the addresses stay the same, and old shares (and old paper backups) stop working. Do it after a
          device was out of your hands. {pub.threshold} guardians must approve it first, and all guardians need to be online.
        </p>
        {refresh.busy ? (
          <Waiting label={step ?? 'Refreshing…'} />
        ) : (
          <button type="button" className="secondary" onClick={() => void refresh.run()}>
            Refresh shares
          </button>
        )}
        <ErrorNote text={refresh.error && `${refresh.error}. The old shares still work; try again when every guardian is online.`} />
        {refreshed && (
          <p className="status" data-testid="refresh-done">
            {refreshed}
          </p>
        )}
      </article>
      <ChangeGuardians session={session} snap={snap} />
      <article className="card">
        <h2>Paper backup</h2>
        <p>34 words that restore this device's share (only this one — never the whole key). They stop working after a refresh.</p>
        {!words && (
          <button type="button" className="secondary" onClick={() => void backup.run()}>
            Show my backup words
          </button>
        )}
        {words && (
          <ol className="words" data-testid="backup-words">
            {words.map((w, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the words are a fixed list in which a word may repeat: its place is its identity
              <li key={i}>{w}</li>
            ))}
          </ol>
        )}
        <ErrorNote text={backup.error && `${backup.error}. The words stay hidden.`} />
        <label className="form">
          Backup words to check: type or paste them
          <textarea rows={3} value={check} onChange={(e) => setCheck(e.target.value)} />
        </label>
        <button type="button" className="secondary" onClick={() => void verify()} disabled={!check.trim()}>
          Check the words
        </button>
        {verdict && (
          <p className="status" data-testid="backup-verdict">
            {verdict}
          </p>
        )}
      </article>
    </section>
  );
}
