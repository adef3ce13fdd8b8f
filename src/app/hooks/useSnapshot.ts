import { useSyncExternalStore } from 'react';
import type { Snapshot, WalletSession } from '../services/walletSession.ts';

/** The wallet session's current state; re-renders on every change. */
export function useSnapshot(session: WalletSession): Snapshot {
  return useSyncExternalStore(session.subscribe, session.snapshot);
}
