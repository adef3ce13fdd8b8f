/** The wallet's frame: header, the page tabs, and the current page. */
import { useEffect, useRef, useState } from 'react';
import { useSnapshot } from './hooks/useSnapshot.ts';
import { deviceStore } from './services/device.ts';
import type { WalletSession } from './services/walletSession.ts';
import { Home } from './pages/Home.tsx';
import { Send } from './pages/Send.tsx';
import { Requests } from './pages/Requests.tsx';
import { Guardians } from './pages/Guardians.tsx';
import { Activity } from './pages/Activity.tsx';
import { Settings } from './pages/Settings.tsx';
import { Secrets } from './pages/Secrets.tsx';
import { Policy } from './pages/Policy.tsx';
import { policyFor } from './services/policyService.ts';
import { UpdatePrompt } from './components/UpdatePrompt.tsx';
import { useOnline } from './hooks/useOnline.ts';
import { ErrorNote } from './components/ErrorNote.tsx';
import { isBookkeeping } from './services/registryCall.ts';
import { loadSettings } from './services/settings.ts';
import { NotAGuardian } from './pages/NotAGuardian.tsx';

const PAGES = ['Home', 'Send', 'Requests', 'Secrets', 'Rules', 'Guardians', 'Activity', 'Settings'] as const;
export type PageName = (typeof PAGES)[number];

export function Shell({ session, onLeft }: { session: WalletSession; onLeft: () => void }) {
  const snap = useSnapshot(session);
  const [page, setPageState] = useState<PageName>('Home');
  const main = useRef<HTMLElement>(null);
  // Counts tab choices (the same tab again too); 0: nothing chosen yet.
  const [visits, setVisits] = useState(0);
  const setPage = (p: PageName) => {
    setVisits((v) => v + 1);
    setPageState(p);
    window.scrollTo(0, 0); // a new page starts at its top
  };
  // After a tab change, focus goes to the new page's heading, so a screen reader announces the page and
  // the next Tab starts there (not on the first load: nothing was chosen yet).
  useEffect(() => {
    if (visits === 0) return;
    const heading = main.current?.querySelector<HTMLElement>('h1, h2');
    if (!heading) return;
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }, [visits]);
  const online = useOnline();
  const waitingForMe = snap.requests.filter(
    (r) =>
      (r.request.type === 'vault-execute' ||
        r.request.type === 'vault-user-operation' ||
        r.request.type === 'eoa-transaction' ||
        r.request.type === 'eoa-message' ||
        r.request.type === 'vault-typed-data' ||
        r.request.type === 'eoa-typed-data') &&
      !isBookkeeping(r.request, loadSettings().chain?.registry) &&
      r.status === 'waiting' &&
      !r.approvers.includes(snap.self) &&
      !r.denials.some(([a]) => a === snap.self),
  ).length;
  const ready = snap.phase === 'ready';
  // The policy watches the log from the start (first-seen times for time locks, held approvals).
  useEffect(() => {
    if (ready) policyFor(session);
  }, [ready, session]);
  // Not a guardian (invite used by another device, left out or removed by a reshare): no wallet data at all.
  if (snap.left) {
    return (
      <div className="shell">
        <header className="topbar">
          <div className="brand small">
            <img src="/icon.svg" alt="" width={28} height={28} />
            <strong>Cairn</strong>
          </div>
        </header>
        <main className="page">
          <NotAGuardian session={session} reason={snap.problem} onLeft={onLeft} />
        </main>
      </div>
    );
  }
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand small">
          <img src="/icon.svg" alt="" width={28} height={28} />
          <strong>{snap.info.name || 'Cairn wallet'}</strong>
        </div>
        <button type="button" className="small secondary" onClick={() => deviceStore().lock()}>
          Lock
        </button>
      </header>
      <UpdatePrompt />
      {!online && (
        <div className="offline" role="status">
          You're offline: this shows what this device knows. Requests and approvals go out when you're back online.
        </div>
      )}
      <nav className="tabs" aria-label="Pages">
        {PAGES.map((p) => (
          <button
            key={p}
            type="button"
            className={p === page ? 'tab current' : 'tab'}
            aria-current={p === page ? 'page' : undefined}
            onClick={() => setPage(p)}
            disabled={!ready && p !== 'Home' && p !== 'Settings' && p !== 'Activity'}
          >
            {p}
            {p === 'Requests' && waitingForMe > 0 && (
              <span className="badge" role="img" aria-label={`${waitingForMe} waiting for you`}>
                {waitingForMe}
              </span>
            )}
          </button>
        ))}
      </nav>
      {ready && snap.problem && (
        <div className="page problem">
          <ErrorNote text={snap.problem} />
        </div>
      )}
      <main className="page" ref={main}>
        {page === 'Home' && <Home session={session} snap={snap} go={setPage} />}
        {page === 'Send' && <Send session={session} snap={snap} />}
        {page === 'Requests' && <Requests session={session} snap={snap} />}
        {page === 'Secrets' && <Secrets session={session} snap={snap} />}
        {page === 'Rules' && <Policy session={session} snap={snap} />}
        {page === 'Guardians' && <Guardians session={session} snap={snap} />}
        {page === 'Activity' && <Activity snap={snap} />}
        {page === 'Settings' && <Settings snap={snap} />}
      </main>
    </div>
  );
}
