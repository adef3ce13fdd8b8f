import { lazy, Suspense, useEffect, useState } from 'react';
import { Welcome } from './pages/Welcome.tsx';
import { hasInviteInLocation } from '../net/inviteLink.ts';
import { hasWalletOnThisDevice } from './boot.ts';
import { registerServiceWorker } from './serviceWorker.ts';
import { Waiting } from './components/Waiting.tsx';

// Everything after the first screen (crypto, Yjs, WebRTC, viem) loads on demand.
const Main = lazy(() => import('./Main.tsx'));

export type Intent = 'create' | 'join' | 'open';

/** Composition root of the UI: the welcome screen, or the wallet once this browser has one. */
export function App() {
  const [intent, setIntent] = useState<Intent | null | undefined>(undefined);
  useEffect(() => {
    registerServiceWorker();
    if (hasInviteInLocation()) return setIntent('join');
    void hasWalletOnThisDevice().then((has) => setIntent(has ? 'open' : null));
  }, []);
  if (intent === undefined) return null;
  if (intent === null) return <Welcome onCreate={() => setIntent('create')} onJoin={() => setIntent('join')} />;
  return (
    <Suspense fallback={<Waiting label="Opening Cairn…" />}>
      <Main intent={intent} onCancel={() => setIntent(null)} />
    </Suspense>
  );
}
