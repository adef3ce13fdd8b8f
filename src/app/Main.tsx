/**
 * Everything after the welcome screen (lazy-loaded): set up or unlock this device, create or join
 * a wallet, then the wallet itself.
 */
import { useEffect, useState } from 'react';
import { takeInviteFromLocation } from '../net/invite.ts';
import type { Intent } from './App.tsx';
import { deviceStore } from './services/device.ts';
import { reopenWallet } from './services/onboarding.ts';
import { loadWalletInfo, type WalletInfo } from './services/walletInfo.ts';
import type { WalletSession } from './services/walletSession.ts';
import { CreateWallet } from './pages/CreateWallet.tsx';
import { JoinWallet } from './pages/JoinWallet.tsx';
import { Unlock } from './pages/Unlock.tsx';
import { Shell } from './Shell.tsx';
import { Waiting } from './components/Waiting.tsx';

type Stage = { name: 'loading' } | { name: 'create' } | { name: 'join' } | { name: 'unlock'; info: WalletInfo } | { name: 'open'; session: WalletSession };

export default function Main({ intent, onCancel }: { intent: Intent; onCancel: () => void }) {
  const [stage, setStage] = useState<Stage>({ name: 'loading' });

  useEffect(() => {
    void (async () => {
      const store = deviceStore();
      const info = await loadWalletInfo(store);
      if (!info) return setStage(intent === 'join' ? { name: 'join' } : { name: 'create' });
      try {
        takeInviteFromLocation(); // this browser already holds a wallet: an invite link opened here is dropped unused
      } catch {
        // an expired or damaged invite: it is out of the address bar all the same
      }
      if (store.isLocked()) return setStage({ name: 'unlock', info });
      const session = await reopenWallet();
      setStage(session ? { name: 'open', session } : { name: 'create' });
    })();
  }, [intent]);

  const session = stage.name === 'open' ? stage.session : undefined;
  useEffect(() => {
    if (!session) return;
    return deviceStore().onLock(() => {
      void session.destroy();
      setStage({ name: 'unlock', info: session.walletInfo() });
    });
  }, [session]);

  const open = (s: WalletSession) => setStage({ name: 'open', session: s });
  switch (stage.name) {
    case 'loading':
      return <Waiting label="Opening Cairn…" />;
    case 'create':
      return <CreateWallet onCreated={open} onCancel={onCancel} />;
    case 'join':
      return <JoinWallet onJoined={open} onCancel={onCancel} />;
    case 'unlock':
      return <Unlock info={stage.info} onUnlocked={open} />;
    case 'open':
      return <Shell session={stage.session} onLeft={onCancel} />;
  }
}
