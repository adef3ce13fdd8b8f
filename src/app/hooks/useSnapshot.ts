import { useSyncExternalStore } from 'react';
import type { Snapshot } from '../services/sessionSnapshot.ts';
import type { WalletSession } from '../services/walletSession.ts';

/** The wallet session's current state; re-renders on every change. */
export function useSnapshot(session: WalletSession): Snapshot {
  return useSyncExternalStore(session.subscribe, session.snapshot);
}
