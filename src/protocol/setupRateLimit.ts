/**
 * A sliding-window limit on pairwise ECDSA setups per peer. A setup costs this device about a second of CPU (base
 * OTs), and any roster member can append setup requests to the log: without a limit one peer could keep a phone
 * busy at will. Honest flows need one setup per pair after the DKG, after a promotion and after an abort.
 *
 * The counts survive a reload: the coordinator writes every counted start into the sealed ECDSA ledger
 * (src/device/ecdsaLedger.ts, `recordEcdsaSetupRun`) and `seed`s the limit from it when the wallet opens, so
 * reloading the page (or a peer making it crash) does not give a peer a fresh window.
 */
import type { Clock } from './clock.ts';

/** At most SETUP_RUNS_PER_WINDOW setups with one peer in any SETUP_WINDOW_MS. */
export const SETUP_RUNS_PER_WINDOW = 4;
export const SETUP_WINDOW_MS = 15 * 60_000;

export type SetupRateLimit = {
  /** Counts a setup with `peer` and returns 0 if one may run now; else the ms to wait (nothing counted). */
  take(peer: string): number;
  /** Setups with `peer` that started at `times` (from the ledger, after a reload) count as if taken here. */
  seed(peer: string, times: readonly number[]): void;
};

export function createSetupRateLimit(clock: Clock, max = SETUP_RUNS_PER_WINDOW, windowMs = SETUP_WINDOW_MS): SetupRateLimit {
  const runs = new Map<string, number[]>();
  // A start "in the future" (the clock was set back) still counts, but only for one window from now: a wrong clock
  // must not lock a peer out for longer than the limit ever would.
  const inWindow = (now: number, t: number) => now - t < windowMs;
  return {
    take(peer) {
      const now = clock.now();
      const recent = (runs.get(peer) ?? []).map((t) => Math.min(t, now)).filter((t) => inWindow(now, t));
      if (recent.length >= max) {
        runs.set(peer, recent);
        return Math.max(1, recent[0]! + windowMs - now);
      }
      runs.set(peer, [...recent, now]);
      return 0;
    },
    seed(peer, times) {
      runs.set(
        peer,
        [...(runs.get(peer) ?? []), ...times].sort((a, b) => a - b),
      ); // equal times are separate runs
    },
  };
}
