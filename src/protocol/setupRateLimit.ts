/**
 * A sliding-window limit on pairwise ECDSA setups per peer. A setup costs this device about a second of CPU (base
 * OTs), and any roster member can append setup requests to the log: without a limit one peer could keep a phone
 * busy at will. Honest flows need one setup per pair after the DKG, after a promotion and after an abort.
 */
import type { Clock } from './clock.ts';

/** At most SETUP_RUNS_PER_WINDOW setups with one peer in any SETUP_WINDOW_MS. */
export const SETUP_RUNS_PER_WINDOW = 4;
export const SETUP_WINDOW_MS = 15 * 60_000;

export type SetupRateLimit = {
  /** Counts a setup with `peer` and returns 0 if one may run now; else the ms to wait (nothing counted). */
  take(peer: string): number;
};

export function createSetupRateLimit(clock: Clock, max = SETUP_RUNS_PER_WINDOW, windowMs = SETUP_WINDOW_MS): SetupRateLimit {
  const runs = new Map<string, number[]>();
  return {
    take(peer) {
      const now = clock.now();
      const recent = (runs.get(peer) ?? []).filter((t) => now - t < windowMs);
      if (recent.length >= max) {
        runs.set(peer, recent);
        return Math.max(1, recent[0]! + windowMs - now);
      }
      runs.set(peer, [...recent, now]);
      return 0;
    },
  };
}
